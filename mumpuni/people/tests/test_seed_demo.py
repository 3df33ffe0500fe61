"""Tests for `manage.py seed_demo` (plain TestCase: the command wants an empty database, see test_seeding)."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

from mumpuni.people.models import Employee, Unit, User
from mumpuni.testing import make_unit


def _run(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


class SeedDemoCommandTests(TestCase):
    def test_it_seeds_an_empty_database_and_prints_the_accounts(self) -> None:
        output = _run("--employees", "1000", "--seed", "3")
        self.assertEqual(Unit.objects.filter(kind=Unit.Kind.KELURAHAN).count(), 177)
        self.assertGreaterEqual(Employee.objects.count(), 1000)
        for username in ("admin", "camat.tembalang", "atasan", "petugas", "kiosk.tembalang"):
            self.assertIn(username, output)
        self.assertIn(settings.MUMPUNI_DEMO_PASSWORD, output)

    def test_it_refuses_a_database_that_has_data(self) -> None:
        make_unit("33.74", "Pemerintah Kota Semarang", "pemda")
        with self.assertRaisesMessage(CommandError, "already has data"):
            _run("--employees", "1000")
        self.assertEqual(Unit.objects.count(), 1)
        self.assertEqual(Employee.objects.count(), 0)

    def test_it_skips_with_if_empty(self) -> None:
        make_unit("33.74", "Pemerintah Kota Semarang", "pemda")
        output = _run("--if-empty")
        self.assertIn("database already has data", output)
        self.assertIn("skipping", output)
        self.assertEqual(Unit.objects.count(), 1)
        self.assertEqual(Employee.objects.count(), 0)

    def test_it_skips_a_seeded_database_and_still_lists_the_accounts(self) -> None:
        _run("--employees", "1000")
        employees = Employee.objects.count()
        output = _run("--if-empty")
        self.assertIn("skipping", output)
        self.assertIn("camat.tembalang", output)
        self.assertEqual(Employee.objects.count(), employees)

    def test_it_prints_only_the_accounts(self) -> None:
        self.assertEqual(_run("--accounts").strip(), "")
        _run("--employees", "1000")
        output = _run("--accounts")
        self.assertIn("camat.banyumanik", output)
        self.assertEqual(User.objects.count(), 12)

    def test_it_seeds_a_national_shaped_set(self) -> None:
        output = _run("--scale", "national", "--employees", "3000")
        self.assertIn("national:", output)
        self.assertGreater(Employee.objects.count(), 2500)
        self.assertTrue(User.objects.filter(username="admin").exists())

    def test_it_rejects_a_non_positive_employee_count(self) -> None:
        with self.assertRaisesMessage(CommandError, "--employees"):
            _run("--employees", "0")
        self.assertEqual(Unit.objects.count(), 0)
