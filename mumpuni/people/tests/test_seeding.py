"""Tests for the demo and benchmark data (people/seeding/).

These use plain TestCase, not BaseTestCase: the seeder fills an empty database with the real Semarang
codes, which BaseTestCase's personas already occupy. A reduced city (`employees=`) keeps them fast.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.test import TestCase

from mumpuni.lib.nip import parse_nip
from mumpuni.people import services
from mumpuni.people.models import Employee, EmployeeAssignment, Position, Role, Unit, User
from mumpuni.people.scopes import scope_for
from mumpuni.people.seeding import DEMO_ACCOUNTS, WILAYAH_CSV, demo_accounts_table, seed_city, seed_national

SMALL_CITY = 1200
RANK = {"jpt": 0, "administrator": 1, "pengawas": 2, "pelaksana": 3, "fungsional": 3}


class _Rollback(Exception):
    pass


def _nips_of_a_seed(seed: int) -> list[str]:
    """Seed inside a savepoint, read the NIPs in insertion order, and roll the savepoint back."""
    nips: list[str] = []
    try:
        with transaction.atomic():
            seed_city(seed=seed, employees=400, accounts=False)
            nips = list(Employee.objects.order_by("pk").values_list("nip", flat=True))
            raise _Rollback
    except _Rollback:
        pass
    return nips


def _check_identity(test: TestCase, employees: list[Employee]) -> None:
    for e in employees:
        parsed = parse_nip(e.nip)
        test.assertEqual(
            (parsed.sex, parsed.birth_date, parsed.kind), (e.sex, e.birth_date, e.employment_type), e.nip
        )


class SeedDeterminismTests(TestCase):
    def test_it_gives_the_same_nips_for_the_same_seed(self) -> None:
        first, again, other = _nips_of_a_seed(7), _nips_of_a_seed(7), _nips_of_a_seed(8)
        self.assertGreater(len(first), 400)
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)
        self.assertEqual(Unit.objects.count(), 0)


class SeedCityTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.result = seed_city(seed=11, employees=SMALL_CITY)

    def test_it_seeds_the_real_kecamatan_and_kelurahan(self) -> None:
        with WILAYAH_CSV.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.assertEqual(len(rows), 177)
        self.assertEqual(Unit.objects.filter(kind=Unit.Kind.KECAMATAN).count(), 16)
        self.assertEqual(Unit.objects.filter(kind=Unit.Kind.KELURAHAN).count(), 177)
        tembalang = Unit.objects.get(code="33.74.10")
        self.assertEqual(tembalang.name, "Kecamatan Tembalang")
        self.assertEqual(tembalang.parent.code, "33.74")
        for row in rows:
            kelurahan = Unit.objects.select_related("parent").get(code=row["kelurahan_code"])
            self.assertEqual(kelurahan.parent.code, row["kecamatan_code"])
        self.assertTrue(Unit.objects.filter(code="33.74.MPP", kind=Unit.Kind.MPP).exists())
        for code in ("33.74.BKPP", "33.74.DISDUKCAPIL", "33.74.SETDA", "33.74.DINKES", "33.74.DISDIK"):
            self.assertEqual(Unit.objects.get(code=code).parent.code, "33.74")

    def test_it_builds_every_unit_path_from_its_ancestors(self) -> None:
        units = {u.pk: u for u in Unit.objects.all()}
        for unit in units.values():
            expected = f"{units[unit.parent_id].path}{unit.pk}/" if unit.parent_id else f"/{unit.pk}/"
            self.assertEqual(unit.path, expected, unit.code)

    def test_it_seeds_about_the_requested_number_of_valid_asn(self) -> None:
        employees = list(Employee.objects.all())
        self.assertEqual(len(employees), self.result.employees)
        self.assertLess(abs(len(employees) - SMALL_CITY), 0.2 * SMALL_CITY)
        self.assertEqual(len({e.nip for e in employees}), len(employees))
        _check_identity(self, employees)
        kinds = {e.employment_type for e in employees}
        self.assertEqual(kinds, {"pns", "pppk"})
        self.assertTrue(
            all(e.email.endswith("@semarangkota.go.id") and e.phone.startswith("08") for e in employees)
        )

    def test_it_ages_everyone_between_20_and_58(self) -> None:
        for e in Employee.objects.all():
            age = 2026 - e.birth_date.year - (1 if (e.birth_date.month, e.birth_date.day) > (1, 1) else 0)
            self.assertTrue(20 <= age <= 58, (e.nip, age))

    def test_it_keeps_every_position_in_its_employee_unit(self) -> None:
        mismatched = Employee.objects.exclude(position__unit=F("unit"))
        self.assertEqual(mismatched.count(), 0)
        self.assertFalse(Employee.objects.filter(position__isnull=True).exists())

    def test_it_follows_the_hierarchy_without_cycles(self) -> None:
        employees = {e.pk: e for e in Employee.objects.select_related("position")}
        roots = [e for e in employees.values() if e.supervisor_id is None]
        self.assertEqual([e.position.name for e in roots], ["Sekretaris Daerah"])
        for e in employees.values():
            seen = {e.pk}
            current = e
            while current.supervisor_id is not None:
                self.assertNotIn(current.supervisor_id, seen, f"cycle through {e.nip}")
                seen.add(current.supervisor_id)
                current = employees[current.supervisor_id]
            if e.supervisor_id is not None:
                boss = employees[e.supervisor_id]
                self.assertLessEqual(
                    RANK[boss.position.kind], RANK[e.position.kind], (e.nip, e.position.name)
                )
                if e.position.kind == "pelaksana":
                    self.assertEqual(boss.position.kind, "pengawas", e.position.name)

    def test_it_puts_camat_lurah_and_front_line_staff_where_they_belong(self) -> None:
        camat = Employee.objects.get(position__code="33.74.10-CAMAT")
        self.assertEqual((camat.position.kind, camat.position.name), ("administrator", "Camat Tembalang"))
        lurah = Employee.objects.get(position__code="33.74.10.1001-LURAH")
        self.assertEqual((lurah.position.kind, lurah.supervisor), ("pengawas", camat))
        front = Position.objects.filter(is_front_line=True, unit__code="33.74.10")
        self.assertTrue(front.exists())
        self.assertTrue(
            Position.objects.filter(kind="jpt", level="pratama", unit__code="33.74.BKPP").exists()
        )

    def test_it_opens_one_assignment_per_employee(self) -> None:
        self.assertEqual(
            EmployeeAssignment.objects.filter(ended_at__isnull=True).count(), Employee.objects.count()
        )
        self.assertFalse(EmployeeAssignment.objects.exclude(unit=F("employee__unit")).exists())

    def test_it_creates_one_demo_account_per_role(self) -> None:
        self.assertEqual(
            set(User.objects.values_list("username", flat=True)), {a.username for a in DEMO_ACCOUNTS}
        )
        self.assertEqual({a.role for a in DEMO_ACCOUNTS}, set(Role.values))
        for account in DEMO_ACCOUNTS:
            user = User.objects.get(username=account.username)
            self.assertEqual(user.check_password(settings.MUMPUNI_DEMO_PASSWORD), not account.service)
            self.assertEqual(user.is_service_account, account.service)
            self.assertEqual(
                Employee.objects.filter(user=user).exists(), not account.service, account.username
            )
        self.assertEqual(len(demo_accounts_table()), len(DEMO_ACCOUNTS))

    def test_it_gives_camat_tembalang_exactly_tembalang(self) -> None:
        scope = scope_for(User.objects.get(username="camat.tembalang"))
        tembalang = Unit.objects.get(code="33.74.10")
        subtree = set(Unit.objects.filter(path__startswith=tembalang.path).values_list("code", flat=True))
        self.assertEqual(len(subtree), 1 + Unit.objects.filter(parent=tembalang).count())
        self.assertEqual(set(scope.units().values_list("code", flat=True)), subtree)
        visible = scope.employees()
        self.assertEqual(visible.count(), Employee.objects.filter(unit__code__in=subtree).count())
        self.assertFalse(visible.exclude(unit__code__in=subtree).exists())
        self.assertEqual(
            User.objects.get(username="camat.tembalang").employee.position.code, "33.74.10-CAMAT"
        )

    def test_it_links_atasan_pegawai_and_petugas_in_one_team(self) -> None:
        atasan = User.objects.get(username="atasan").employee
        pegawai = User.objects.get(username="pegawai").employee
        petugas = User.objects.get(username="petugas").employee
        self.assertEqual(atasan.position.code, "33.74.10-KASI-PEL")
        self.assertEqual((pegawai.supervisor, petugas.supervisor), (atasan, atasan))
        self.assertEqual((pegawai.unit.code, petugas.unit.code), ("33.74.10", "33.74.10"))
        self.assertTrue(petugas.position.is_front_line)
        self.assertFalse(pegawai.position.is_front_line)
        team = scope_for(User.objects.get(username="atasan")).employees()
        self.assertIn(pegawai, team)
        self.assertIn(petugas, team)
        self.assertEqual(User.objects.get(username="admin").employee.unit.code, "33.74.BKPP")

    def test_it_refuses_outsiders(self) -> None:
        scope = scope_for(User.objects.get(username="camat.banyumanik"))
        pegawai = User.objects.get(username="pegawai").employee
        self.assertFalse(scope.can_view_employee(pegawai))
        self.assertFalse(scope.units().filter(code="33.74.10").exists())


class SeedNationalTests(TestCase):
    def test_it_loads_a_small_national_set(self) -> None:
        with connection.cursor() as cursor:
            before = connection.introspection.get_constraints(cursor, Employee._meta.db_table)
        result = seed_national(seed=5, employees=4000)
        self.assertEqual(Employee.objects.count(), result.employees)
        self.assertLess(abs(result.employees - 4000), 400)
        self.assertEqual(EmployeeAssignment.objects.count(), result.employees)
        employees = list(Employee.objects.select_related("unit", "supervisor__unit"))
        _check_identity(self, employees)
        self.assertEqual(len({e.nip for e in employees}), len(employees))
        regions = Unit.objects.filter(parent__parent__isnull=True, parent__isnull=False)
        self.assertEqual(regions.count(), 2)
        for e in employees:  # supervisors stay inside the same kabupaten/kota
            if e.supervisor is not None:
                self.assertEqual(e.unit.path.split("/")[2], e.supervisor.unit.path.split("/")[2])
        self.assertEqual(Employee.objects.filter(supervisor__isnull=True).count(), 2)  # one Sekda each
        with connection.cursor() as cursor:
            after = connection.introspection.get_constraints(cursor, Employee._meta.db_table)
        self.assertEqual(set(before), set(after))  # indexes and foreign keys rebuilt

    def test_it_leaves_the_id_sequences_usable(self) -> None:
        seed_national(seed=5, employees=2000)
        unit = Unit.objects.filter(kind="dinas").first()
        # Born in 1966: older than any seeded ASN, so the NIP cannot clash with a seeded one.
        employee = services.employee_create(
            actor=None, nip="196601012000031001", name="Uji Urutan", unit=unit
        )
        employee.refresh_from_db()
        self.assertGreater(employee.pk, Employee.objects.exclude(pk=employee.pk).order_by("-pk").first().pk)
