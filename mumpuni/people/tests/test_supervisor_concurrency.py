"""Two concurrent supervisor changes cannot build a cycle (review finding 9; PostgreSQL only)."""

import threading
import time
from unittest import skipUnless

from django.db import connection, connections, transaction
from django.test import TransactionTestCase

from mumpuni.common.errors import ValidationFailed
from mumpuni.people import services
from mumpuni.people.models import Employee
from mumpuni.testing import make_employee, make_position, make_unit


@skipUnless(connection.vendor == "postgresql", "SQLite lets one writer at a time; no race to test")
class SupervisorRaceTests(TransactionTestCase):
    def test_it_refuses_the_second_of_two_crossing_supervisor_changes(self) -> None:
        city = make_unit("33.74", "Pemerintah Kota Semarang", "pemda")
        position = make_position("STAF", city)
        first = make_employee("Pertama", city, position)
        second = make_employee("Kedua", city, position)
        holding = threading.Event()
        errors: list[BaseException] = []

        def make_first_report_to_second() -> None:
            try:
                with transaction.atomic():
                    services.employee_update(actor=None, employee=first, supervisor=second)
                    holding.set()
                    time.sleep(1.0)  # still uncommitted while the other change runs
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
                holding.set()
            finally:
                connections.close_all()

        worker = threading.Thread(target=make_first_report_to_second)
        worker.start()
        self.assertTrue(holding.wait(10))
        try:
            with self.assertRaises(ValidationFailed) as caught:
                services.employee_update(actor=None, employee=second, supervisor=first)
        finally:
            worker.join(10)
        self.assertEqual(errors, [])
        self.assertIn("supervisor", caught.exception.fields)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.supervisor_id, second.supervisor_id), (second.pk, None))

    def test_it_refuses_outsiders(self) -> None:
        from mumpuni.common.errors import PermissionDeniedError
        from mumpuni.people.models import Role
        from mumpuni.testing import make_account

        city = make_unit("33.74", "Pemerintah Kota Semarang", "pemda")
        a = make_unit("33.74.10", "Kecamatan Tembalang", "kecamatan", city)
        b = make_unit("33.74.11", "Kecamatan Banyumanik", "kecamatan", city)
        target = make_employee("Target", a)
        boss = make_employee("Atasan", a)
        outsider = make_account("luar", [(Role.UNIT_HEAD, b)])
        with self.assertRaises(PermissionDeniedError):
            services.employee_update(actor=outsider, employee=target, supervisor=boss)
        self.assertIsNone(Employee.objects.get(pk=target.pk).supervisor_id)
