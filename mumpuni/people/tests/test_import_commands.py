import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from mumpuni.common.models import AuditEntry
from mumpuni.people.models import Employee, Position, Unit
from mumpuni.people.tests.import_files import (
    EMPLOYEE_HEADER,
    POSITION_HEADER,
    UNIT_HEADER,
    csv_file,
    xlsx_file,
)
from mumpuni.testing import BaseTestCase, make_nip


class ImportCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def write(self, name: str, data: bytes) -> str:
        path = self.directory / name
        path.write_bytes(data)
        return str(path)

    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command(*args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def employee_row(self, nip: str, name: str = "Budi", unit: str = "33.74.10") -> list[str]:
        return [nip, name, unit, "KEC10-PELAKSANA", "", "", "", "aktif"]


class ImportEmployeesCommandTests(ImportCommandTestCase):
    def test_it_imports_and_prints_a_summary(self) -> None:
        nips = [make_nip(), make_nip()]
        path = self.write("pegawai.xlsx", xlsx_file(EMPLOYEE_HEADER, [self.employee_row(n) for n in nips]))
        out, err = self.run_command("import_employees", path)
        self.assertIn("2 baris: dibuat 2, diubah 0, tidak berubah 0", out)
        self.assertEqual(err, "")
        self.assertEqual(Employee.objects.filter(nip__in=nips).count(), 2)
        entry = AuditEntry.objects.filter(action="import").first()
        self.assertEqual((entry.actor, entry.actor_label), (None, "sistem"))

    def test_it_prints_every_row_error_and_exits_non_zero(self) -> None:
        good = make_nip()
        rows = [
            self.employee_row(good),
            self.employee_row("123"),
            self.employee_row(make_nip(), "", "33.74.99"),
        ]
        path = self.write("pegawai.csv", csv_file(EMPLOYEE_HEADER, rows))
        err = StringIO()
        with self.assertRaises(CommandError) as ctx:
            call_command("import_employees", path, stdout=StringIO(), stderr=err)
        self.assertIn("3 kesalahan di 2 baris", str(ctx.exception))
        lines = err.getvalue().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[0].startswith("baris 3, kolom nip: NIP harus"))
        self.assertTrue(lines[1].startswith("baris 4, kolom nama: "))
        self.assertTrue(lines[2].startswith("baris 4, kolom unit_kode: "))
        self.assertFalse(Employee.objects.filter(nip=good).exists())

    def test_a_dry_run_reports_and_writes_nothing(self) -> None:
        agus = self.employee_employee
        rows = [
            self.employee_row(make_nip()),
            [
                agus.nip,
                "Agus Baru",
                "33.74.10",
                "KEC10-PELAKSANA",
                self.supervisor_employee.nip,
                "",
                "",
                "aktif",
            ],
        ]
        path = self.write("pegawai.csv", csv_file(EMPLOYEE_HEADER, rows))
        before = (Employee.objects.count(), AuditEntry.objects.count())
        out, _err = self.run_command("import_employees", path, "--dry-run")
        self.assertIn("akan dibuat 1, diubah 1, tidak berubah 0", out)
        self.assertEqual((Employee.objects.count(), AuditEntry.objects.count()), before)
        agus.refresh_from_db()
        self.assertEqual(agus.name, "Agus Prasetyo")

    def test_it_refuses_a_missing_file_and_missing_columns(self) -> None:
        with self.assertRaises(CommandError):
            self.run_command("import_employees", str(self.directory / "tidak-ada.csv"))
        path = self.write("pegawai.csv", csv_file(["nip", "nama"], [[make_nip(), "Budi"]]))
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_employees", path, stdout=StringIO(), stderr=err)
        self.assertIn("baris 1, kolom unit_kode: Kolom wajib tidak ada", err.getvalue())


class ImportStructureCommandTests(ImportCommandTestCase):
    def test_it_imports_units_and_positions(self) -> None:
        units = self.write(
            "unit.csv", csv_file(UNIT_HEADER, [["33.74.12", "Kecamatan Gunungpati", "kecamatan", "33.74"]])
        )
        out, _err = self.run_command("import_units", units)
        self.assertIn("dibuat 1", out)
        positions = self.write(
            "jabatan.csv",
            csv_file(
                POSITION_HEADER,
                [["KEC12-CAMAT", "Camat Gunungpati", "administrator", "", "33.74.12", "tidak"]],
            ),
        )
        out, _err = self.run_command("import_positions", positions)
        self.assertIn("dibuat 1", out)
        self.assertEqual(Position.objects.get(code="KEC12-CAMAT").unit, Unit.objects.get(code="33.74.12"))

    def test_it_exits_non_zero_on_bad_rows(self) -> None:
        path = self.write("unit.csv", csv_file(UNIT_HEADER, [["33.74.12", "Gunungpati", "desa", "33.74"]]))
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_units", path, stdout=StringIO(), stderr=err)
        self.assertIn("baris 2, kolom jenis: Jenis 'desa' tidak dikenal", err.getvalue())
        self.assertFalse(Unit.objects.filter(code="33.74.12").exists())
