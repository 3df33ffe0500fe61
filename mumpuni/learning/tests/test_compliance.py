"""20-JP compliance: PNS owed, PPPK apart, grouping by unit, scope, the page and its XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.learning.models import JpEntry
from mumpuni.learning.selectors.progress import compliance
from mumpuni.people.models import Employee
from mumpuni.testing import BaseTestCase, make_employee


class ComplianceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        cls.pppk = make_employee("Wulan PPPK", cls.bulusan, sex="P")
        # The type follows the NIP shape in the services; a fixture may set it directly.
        Employee.objects.filter(pk=cls.pppk.pk).update(employment_type="pppk")

        def credit(employee, jp: str, year: int) -> None:  # type: ignore[no-untyped-def]
            JpEntry.objects.create(
                employee=employee,
                occurred_on=dt.date(year, 1, 5),
                year=year,
                jp=Decimal(jp),
                source="correction",
            )

        credit(cls.employee_employee, "20", cls.year)  # exactly 20: meets
        credit(cls.officer_employee, "19.5", cls.year)
        credit(cls.officer_employee, "30", cls.year - 1)  # last year does not count
        credit(cls.pppk, "25", cls.year)
        credit(cls.other_employee, "40", cls.year)

    def test_it_counts_pns_and_keeps_pppk_apart(self) -> None:
        result = compliance(user=self.admin, year=self.year)
        pns = [
            self.admin_employee,
            self.camat_employee,
            self.supervisor_employee,
            self.employee_employee,
            self.officer_employee,
            self.other_employee,
            self.other_officer_employee,
        ]
        self.assertEqual(result.total.pns, len(pns))
        self.assertEqual(result.total.pns_met, 2)  # employee (20) and other (40)
        self.assertEqual((result.total.pppk, result.total.pppk_at_20), (1, 1))
        rows = {row.unit.code: row for row in result.rows}
        self.assertEqual((rows["33.74.10"].pns, rows["33.74.10"].pns_met, rows["33.74.10"].pppk), (4, 1, 1))
        self.assertEqual(rows["33.74.10"].share, 25.0)
        behind = [p.name for p in result.behind]
        self.assertNotIn("Wulan PPPK", behind)
        self.assertEqual(result.behind[-1].name, "Rina Kurniawati")  # 19.5 JP: the most among those behind
        self.assertEqual(result.behind[-1].missing, Decimal("0.5"))

    def test_the_unit_head_sees_only_their_subtree(self) -> None:
        result = compliance(user=self.camat, year=self.year)
        self.assertEqual(result.root, self.tembalang)
        self.assertEqual(result.total.pns + result.total.pppk, 5)
        self.assertEqual({row.unit.code for row in result.rows}, {"33.74.10", "33.74.10.1001"})
        with self.assertRaises(PermissionDeniedError):
            compliance(user=self.camat, year=self.year, unit=self.banyumanik)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.supervisor, self.officer):
            with self.assertRaises(PermissionDeniedError):
                compliance(user=user)
            self.login(user)
            self.assertEqual(self.client.get(reverse("learning:compliance")).status_code, 403)
            self.assertEqual(self.client.get(reverse("learning:compliance_export")).status_code, 403)
        self.login(self.other)
        response = self.client.get(reverse("learning:compliance"), {"unit": "33.74.10"})
        self.assertEqual(response.status_code, 404)

    def test_the_page_and_the_export(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("learning:compliance"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "PPPK")
        self.assertContains(response, "Rina Kurniawati")
        response = self.client.get(reverse("learning:compliance"), {"unit": "33.74.10"})
        self.assertContains(response, "Kelurahan Bulusan")
        response = self.client.get(reverse("learning:compliance_export"), {"unit": "33.74.10"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "nip")
        self.assertEqual(len(rows), 6)
        by_name = {r[1]: r for r in rows[1:]}
        self.assertEqual(by_name["Agus Prasetyo"][6], "ya")
        self.assertEqual(by_name["Wulan PPPK"][6], "tidak wajib (PPPK)")

    def test_the_page_query_count_does_not_grow_with_people(self) -> None:
        self.login(self.admin)
        self.client.get(reverse("learning:compliance"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            self.client.get(reverse("learning:compliance"))
        for i in range(10):
            make_employee(f"Tambahan {i}", self.srondol)
        with CaptureQueriesContext(connection) as after:
            self.client.get(reverse("learning:compliance"))
        self.assertEqual(len(before), len(after))
