"""SKP import: all or nothing, per-row errors, the command and the page with its preview."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.lib.tabular import write_xlsx
from mumpuni.talent.imports import import_skp
from mumpuni.talent.models import EmployeeGrade, PerformanceRating, TalentPlacement
from mumpuni.talent.tests.fixtures import TalentTestCase


class ImportSkpTests(TalentTestCase):
    def csv(self, *rows: str, header: str = "nip,year,predikat,golongan") -> bytes:
        return ("\n".join([header, *rows]) + "\n").encode()

    def test_a_valid_file_writes_every_row_and_refreshes(self) -> None:
        data = self.csv(
            f"{self.employee_employee.nip},{self.year},Butuh Perbaikan,III/c",
            f"{self.camat_employee.nip},{self.year},Sangat Baik,IV/a",
        )
        result = import_skp(data, "skp.csv", self.admin)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.created, result.updated), (1, 1))
        self.assertEqual(
            PerformanceRating.objects.get(employee=self.employee_employee, year=self.year).predikat,
            "butuh_perbaikan",
        )
        self.assertEqual(EmployeeGrade.objects.get(employee=self.camat_employee).grade, "IV/a")
        self.assertEqual(TalentPlacement.objects.get(employee=self.employee_employee, year=self.year).box, 2)

    def test_one_bad_row_refuses_the_whole_file(self) -> None:
        data = self.csv(
            f"{self.camat_employee.nip},{self.year},Baik,",
            f"{self.employee_employee.nip},{self.year},Luar Biasa,",
            f"199001012015031999,{self.year},Baik,",
            f"{self.officer_employee.nip},1999,Baik,X/z",
            f"{self.camat_employee.nip},{self.year},Kurang,",
        )
        result = import_skp(data, "skp.csv", self.admin)
        self.assertFalse(result.ok)
        found = {(e.row, e.column) for e in result.errors}
        self.assertTrue(
            {(3, "predikat"), (4, "nip"), (5, "year"), (5, "golongan"), (6, "nip")} <= found, found
        )
        self.assertFalse(PerformanceRating.objects.filter(employee=self.camat_employee).exists())
        self.assertEqual(
            PerformanceRating.objects.get(employee=self.employee_employee).predikat, "sangat_baik"
        )

    def test_xlsx_and_the_tahun_column(self) -> None:
        data = write_xlsx(["nip", "tahun", "predikat"], [[self.camat_employee.nip, str(self.year), "Baik"]])
        result = import_skp(data, "skp.xlsx", self.admin)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.created, 1)

    def test_dry_run_writes_nothing(self) -> None:
        result = import_skp(
            self.csv(f"{self.camat_employee.nip},{self.year},Baik,"), "skp.csv", self.admin, dry_run=True
        )
        self.assertTrue(result.ok)
        self.assertEqual(result.preview[0]["name"], self.camat_employee.name)
        self.assertFalse(PerformanceRating.objects.filter(employee=self.camat_employee).exists())

    def test_it_refuses_outsiders(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            import_skp(self.csv(f"{self.camat_employee.nip},{self.year},Baik,"), "skp.csv", self.camat)
        self.login(self.camat)
        self.assertEqual(self.client.get(reverse("talent:skp_import")).status_code, 403)

    def test_the_command(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            good = Path(folder) / "skp.csv"
            good.write_bytes(self.csv(f"{self.camat_employee.nip},{self.year},Baik,"))
            out = StringIO()
            call_command("import_skp", str(good), stdout=out)
            self.assertIn("1 predikat baru", out.getvalue())
            bad = Path(folder) / "salah.csv"
            bad.write_bytes(self.csv(f"{self.camat_employee.nip},{self.year},Hebat,"))
            with self.assertRaises(CommandError):
                call_command("import_skp", str(bad), stdout=StringIO(), stderr=StringIO())

    def test_the_page_previews_then_imports(self) -> None:
        self.login(self.admin)
        data = self.csv(f"{self.camat_employee.nip},{self.year},Baik,")
        url = reverse("talent:skp_import")
        response = self.client.post(url, {"file": SimpleUploadedFile("skp.csv", data), "mode": "periksa"})
        self.assertContains(response, self.camat_employee.name)
        self.assertFalse(PerformanceRating.objects.filter(employee=self.camat_employee).exists())
        response = self.client.post(url, {"file": SimpleUploadedFile("skp.csv", data), "mode": "simpan"})
        self.assertRedirects(response, reverse("talent:grid"))
        self.assertTrue(PerformanceRating.objects.filter(employee=self.camat_employee).exists())
        bad = self.csv(f"{self.camat_employee.nip},{self.year},Hebat,")
        response = self.client.post(url, {"file": SimpleUploadedFile("skp.csv", bad), "mode": "simpan"})
        self.assertContains(response, "Impor dibatalkan", status_code=422)
