from django.contrib.auth import authenticate
from django.test import RequestFactory, override_settings

from mumpuni.people import services
from mumpuni.people.auth import authenticate_api_key
from mumpuni.testing import PASSWORD, BaseTestCase


class NipOrUsernameBackendTests(BaseTestCase):
    def _auth(self, username: str, password: str = PASSWORD):
        request = RequestFactory().post("/akun/masuk/")
        return authenticate(request, username=username, password=password)

    def test_it_logs_in_with_username_or_nip(self) -> None:
        self.assertEqual(self._auth("camat"), self.camat)
        self.assertEqual(self._auth(self.camat_employee.nip), self.camat)
        self.assertEqual(self._auth(" CAMAT "), self.camat)

    def test_it_refuses_wrong_passwords_and_service_accounts(self) -> None:
        self.assertIsNone(self._auth("camat", "salah-sekali-123"))
        _record, key = services.api_key_create(actor=None, name="mitra", role="partner", unit=self.city)
        self.assertIsNone(self._auth("svc-mitra", ""))
        self.assertEqual(authenticate_api_key(key).username, "svc-mitra")
        self.assertIsNone(authenticate_api_key(key + "x"))
        self.assertIsNone(authenticate_api_key("Bearer"))

    def test_it_locks_out_after_five_failures(self) -> None:
        for _ in range(5):
            self.assertIsNone(self._auth("pegawai", "bukan-sandinya-1"))
        self.assertIsNone(self._auth("pegawai"))  # right password, but locked

    @override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
    def test_passwords_are_hashed_with_argon2(self) -> None:
        self.employee.set_password("sandi-baru-yang-panjang")
        self.employee.save()
        self.employee.refresh_from_db()
        self.assertTrue(self.employee.password.startswith("argon2"))
        self.assertEqual(self._auth("pegawai", "sandi-baru-yang-panjang"), self.employee)
