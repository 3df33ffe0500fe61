import io

from django.urls import reverse
from openpyxl import load_workbook

from mumpuni.common.models import AuditEntry
from mumpuni.lib.tabular import read_table
from mumpuni.people import imports
from mumpuni.people.models import Employee, EmployeeAssignment, Position, Unit
from mumpuni.testing import BaseTestCase


class ExportTestCase(BaseTestCase):
    def download(self, name: str, fmt: str = "csv", **params: str):
        response = self.client.get(reverse(f"imports:{name}"), {"format": fmt, **params})
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return response, content

    def table(self, name: str, fmt: str = "csv", **params: str):
        _response, content = self.download(name, fmt, **params)
        return read_table(content, f"ekspor.{fmt}")


class EmployeeExportTests(ExportTestCase):
    def test_it_exports_the_filtered_list_with_the_import_columns(self) -> None:
        self.login(self.admin)
        response, content = self.download("export_employees", "csv", q="Agus")
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('attachment; filename="pegawai-', response["Content-Disposition"])
        table = read_table(content, "p.csv")
        self.assertEqual(table.headers, imports.SPECS["employees"].columns)
        agus = self.employee_employee
        self.assertEqual(
            [r.values for r in table.rows],
            [
                {
                    "nip": agus.nip,
                    "nama": "Agus Prasetyo",
                    "unit_kode": "33.74.10",
                    "jabatan_kode": "KEC10-PELAKSANA",
                    "atasan_nip": self.supervisor_employee.nip,
                    "email": "",
                    "telepon": "",
                    "status": "aktif",
                }
            ],
        )

    def test_it_exports_xlsx_with_nips_as_text(self) -> None:
        self.login(self.admin)
        response, content = self.download("export_employees", "xlsx")
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet["A2"].data_type, "s")
        self.assertEqual(sheet.max_row - 1, Employee.objects.filter(active=True).count())

    def test_it_follows_the_status_filter(self) -> None:
        self.login(self.admin)
        Employee.objects.filter(pk=self.employee_employee.pk).update(active=False)
        active = {r.get("nip") for r in self.table("export_employees").rows}
        everyone = {r.get("nip") for r in self.table("export_employees", status="semua").rows}
        self.assertNotIn(self.employee_employee.nip, active)
        self.assertIn(self.employee_employee.nip, everyone)

    def test_a_camat_exports_only_their_kecamatan(self) -> None:
        self.login(self.camat)
        units = {r.get("unit_kode") for r in self.table("export_employees", "xlsx", status="semua").rows}
        self.assertEqual(units, {"33.74.10"})

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)
        nips = {
            r.get("nip") for r in self.table("export_employees", "csv", unit="33.74.10", status="semua").rows
        }
        self.assertEqual(nips, {self.other_employee.nip, self.other_officer_employee.nip})
        units = {r.get("kode") for r in self.table("export_units").rows}
        self.assertEqual(units, {"33.74.11", "33.74.11.1001"})
        positions = {r.get("kode") for r in self.table("export_positions", unit="33.74.10").rows}
        self.assertEqual(positions, {"KEC11-CAMAT"})
        self.client.logout()
        response = self.client.get(reverse("imports:export_employees"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("next=", response["Location"])

    def test_it_refuses_unknown_formats(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("imports:export_employees"), {"format": "pdf"})
        self.assertEqual(response.status_code, 404)


class StructureExportTests(ExportTestCase):
    def test_it_exports_units_and_positions(self) -> None:
        self.login(self.admin)
        units = self.table("export_units", "xlsx", kind="kecamatan")
        self.assertEqual(units.headers, ["kode", "nama", "jenis", "induk_kode"])
        self.assertEqual(
            [list(r.values.values()) for r in units.rows],
            [
                ["33.74.10", "Kecamatan Tembalang", "kecamatan", "33.74"],
                ["33.74.11", "Kecamatan Banyumanik", "kecamatan", "33.74"],
            ],
        )
        positions = self.table("export_positions", "csv", kind="fungsional")
        self.assertEqual(
            [r.values for r in positions.rows],
            [
                {
                    "kode": "BKPP-ANALIS",
                    "nama": "Analis SDM Aparatur",
                    "jenis": "fungsional",
                    "jenjang": "ahli_muda",
                    "unit_kode": "33.74.BKPP",
                    "pelayanan_langsung": "tidak",
                }
            ],
        )


class RoundTripTests(ExportTestCase):
    """An exported list imports back with nothing to do, and nothing is written."""

    def assertRoundTrip(self, export: str, kind: str, fmt: str, expected_rows: int, **params: str) -> None:
        _response, content = self.download(export, fmt, **params)
        counts = (Employee.objects.count(), Unit.objects.count(), Position.objects.count())
        history = (EmployeeAssignment.objects.count(), AuditEntry.objects.count())
        plan = imports.import_file(kind, content, f"ekspor.{fmt}", actor=self.admin)
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(plan.counts(), {"created": 0, "updated": 0, "unchanged": expected_rows})
        self.assertEqual((Employee.objects.count(), Unit.objects.count(), Position.objects.count()), counts)
        self.assertEqual((EmployeeAssignment.objects.count(), AuditEntry.objects.count()), history)

    def test_employees_come_back_unchanged(self) -> None:
        self.login(self.admin)
        Employee.objects.filter(pk=self.employee_employee.pk).update(
            email="agus@semarangkota.go.id", phone="+62 812-3456-7890", active=False
        )
        total = Employee.objects.count()
        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt=fmt):
                self.assertRoundTrip("export_employees", "employees", fmt, total, status="semua")

    def test_units_and_positions_come_back_unchanged(self) -> None:
        self.login(self.admin)
        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt=fmt):
                self.assertRoundTrip("export_units", "units", fmt, Unit.objects.count())
                self.assertRoundTrip("export_positions", "positions", fmt, Position.objects.count())


class TemplateTests(ExportTestCase):
    def test_templates_hold_the_header_an_example_and_instructions(self) -> None:
        self.login(self.camat)
        for kind, spec in imports.SPECS.items():
            with self.subTest(kind=kind):
                response = self.client.get(reverse("imports:template", args=[kind, "xlsx"]))
                self.assertEqual(response.status_code, 200)
                workbook = load_workbook(io.BytesIO(response.content))
                self.assertEqual(workbook.sheetnames, [spec.label, "Petunjuk"])
                data = workbook[spec.label]
                self.assertEqual([c.value for c in data[1]], spec.columns)
                self.assertEqual(data.max_row, 2)
                guide = [row[0].value for row in workbook["Petunjuk"].iter_rows(min_row=2)]
                self.assertEqual(guide, spec.columns)

                response = self.client.get(reverse("imports:template", args=[kind, "csv"]))
                table = read_table(response.content, "t.csv")
                self.assertEqual(table.headers, spec.columns)
                self.assertEqual(len(table.rows), 1)

    def test_the_employee_example_row_is_a_valid_row(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("imports:template", args=["employees", "csv"]))
        plan = imports.plan_import("employees", response.content, "t.csv", actor=self.admin)
        self.assertTrue(plan.ok, plan.errors)

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(reverse("imports:template", args=["employees", "xlsx"]))
        self.assertEqual(response.status_code, 302)
        self.login(self.admin)
        self.assertEqual(
            self.client.get(reverse("imports:template", args=["salary", "xlsx"])).status_code, 404
        )
        self.assertEqual(self.client.get(reverse("imports:template", args=["units", "pdf"])).status_code, 404)
