"""`manage.py create_api_key NAME --role ROLE [--unit CODE] [--allow-privileged]`."""

from io import StringIO

from django.core.management import CommandError, call_command

from mumpuni.people.auth import authenticate_api_key
from mumpuni.people.models import ApiKey, RoleAssignment, User
from mumpuni.testing import BaseTestCase


class CreateApiKeyTests(BaseTestCase):
    def run_command(self, *args: str) -> list[str]:
        out = StringIO()
        self.err = StringIO()
        call_command("create_api_key", *args, stdout=out, stderr=self.err)
        return out.getvalue().strip().splitlines()

    def test_it_creates_a_service_account_and_prints_the_key_last(self) -> None:
        lines = self.run_command("kios-tembalang-1", "--role", "kiosk", "--unit", "33.74.10")
        key = lines[-1]
        self.assertTrue(key.startswith("mpn_"))
        self.assertIn("kios-tembalang-1", lines[0])
        self.assertNotIn(key, "\n".join(lines[:-1]))

        record = ApiKey.objects.get(name="kios-tembalang-1")
        self.assertEqual(record.key_hash, ApiKey.hash_key(key))
        self.assertNotIn(key, (record.key_hash, record.prefix))  # only the hash and a short prefix are kept
        user = authenticate_api_key(key)
        self.assertEqual(user, record.user)
        assert user is not None
        self.assertTrue(user.is_service_account)
        self.assertFalse(user.has_usable_password())
        assignment = RoleAssignment.objects.get(user=user)
        self.assertEqual((assignment.role, assignment.unit), ("kiosk", self.tembalang))

    def test_it_creates_a_city_wide_key_without_a_unit_only_when_allowed(self) -> None:
        with self.assertRaises(CommandError) as ctx:
            self.run_command("dasbor-walikota", "--role", "executive")
        self.assertIn("--allow-privileged", str(ctx.exception))
        self.assertFalse(ApiKey.objects.filter(name="dasbor-walikota").exists())

        key = self.run_command("dasbor-walikota", "--role", "executive", "--allow-privileged")[-1]
        self.assertIn("PERINGATAN", self.err.getvalue())
        user = authenticate_api_key(key)
        assert user is not None
        self.assertEqual(RoleAssignment.objects.get(user=user).unit, None)

    def test_it_refuses_privileged_roles_without_the_flag(self) -> None:
        for role, extra in (("admin", ()), ("unit_head", ("--unit", "33.74.10")), ("employee", ())):
            with self.subTest(role=role):
                with self.assertRaises(CommandError) as ctx:
                    self.run_command(f"kunci-{role}", "--role", role, *extra)
                self.assertIn("hanya untuk peran kiosk, display dan partner", str(ctx.exception))
        self.assertEqual(ApiKey.objects.count(), 0)

    def test_it_accepts_a_lower_case_unit_code(self) -> None:
        self.run_command("mitra-bkpp", "--role", "partner", "--unit", "33.74.bkpp")
        self.assertEqual(RoleAssignment.objects.get(user__username="svc-mitra-bkpp").unit, self.bkpp)

    def test_it_refuses_bad_arguments_in_indonesian(self) -> None:
        self.run_command("kios-1", "--role", "kiosk", "--unit", "33.74.10")
        cases = [
            (("kios-2", "--role", "walikota"), "Peran 'walikota' tidak dikenal"),
            (("kios-2", "--role", "kiosk", "--unit", "99.99"), "Unit dengan kode '99.99' tidak ditemukan"),
            (("kios-2", "--role", "kiosk"), "memerlukan unit"),
            (("kios-2", "--role", "partner"), "memerlukan unit"),
            (("kios-1", "--role", "kiosk", "--unit", "33.74.10"), "Nama kunci sudah dipakai"),
            (("  ", "--role", "kiosk", "--unit", "33.74.10"), "Nama kunci wajib diisi"),
            (("k" * 101, "--role", "kiosk", "--unit", "33.74.10"), "paling banyak 100 karakter"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                with self.assertRaises(CommandError) as ctx:
                    self.run_command(*args)
                self.assertIn(message, str(ctx.exception))
        self.assertEqual(ApiKey.objects.count(), 1)
        self.assertEqual(User.objects.filter(is_service_account=True).count(), 1)

    def test_it_refuses_outsiders(self) -> None:
        # A key is scoped to its unit: a kiosk key of Tembalang sees nothing of Banyumanik and no people.
        key = self.run_command("kios-tembalang", "--role", "kiosk", "--unit", "33.74.10")[-1]
        r = self.client.get("/api/v1/employees", headers={"authorization": f"Bearer {key}"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.client.get("/api/v1/employees").status_code, 401)
