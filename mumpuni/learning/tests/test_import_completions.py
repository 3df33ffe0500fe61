"""manage.py import_completions: all or nothing, row errors, re-import changes nothing."""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command

from mumpuni.learning.models import JpEntry
from mumpuni.learning.tests.progress_fixtures import make_program
from mumpuni.lib.tabular import write_xlsx
from mumpuni.testing import BaseTestCase


class ImportCompletionsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.program = make_program("PLY-PRIMA")
        cls.other_program = make_program("KOM-EFEKTIF", jp="16", name="Komunikasi Efektif")

    def write(self, text: str, name: str = "riwayat.csv") -> Path:
        directory = Path(tempfile.mkdtemp())
        path = directory / name
        path.write_text(text, encoding="utf-8")
        return path

    def run_command(self, path: Path) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_completions", str(path), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def good_file(self) -> Path:
        e, o = self.employee_employee.nip, self.officer_employee.nip
        return self.write(
            "nip;program_code;completed_on;jp;catatan\n"
            f"{e};PLY-PRIMA;2025-03-05;24;Angkatan lama\n"
            f"{e};kom-efektif;12/01/2026;16;\n"
            f"{o};PLY-PRIMA;2025-12-31;24,5;\n"
        )

    def test_it_imports_and_reimporting_changes_nothing(self) -> None:
        path = self.good_file()
        out, _ = self.run_command(path)
        self.assertIn("3 baris JP baru", out)
        self.assertEqual(JpEntry.objects.filter(source="import").count(), 3)
        entry = JpEntry.objects.get(employee=self.officer_employee)
        self.assertEqual((entry.year, entry.jp), (2025, Decimal("24.5")))
        out, _ = self.run_command(path)
        self.assertIn("0 baris JP baru, 3 sudah tercatat", out)
        self.assertEqual(JpEntry.objects.count(), 3)

    def test_it_reads_xlsx(self) -> None:
        data = write_xlsx(
            ["nip", "program_code", "completed_on", "jp"],
            [[self.employee_employee.nip, "PLY-PRIMA", "2025-03-05", "24"]],
        )
        path = Path(tempfile.mkdtemp()) / "riwayat.xlsx"
        path.write_bytes(data)
        self.run_command(path)
        self.assertEqual(JpEntry.objects.get().program, self.program)

    def test_it_changes_nothing_when_a_row_is_bad(self) -> None:
        e = self.employee_employee.nip
        path = self.write(
            "nip,program_code,completed_on,jp\n"
            f"{e},PLY-PRIMA,2025-03-05,24\n"
            "199001012015031999,PLY-PRIMA,2025-03-05,24\n"
            f"{e},TIDAK-ADA,2025-03-05,24\n"
            f"{e},PLY-PRIMA,2099-01-01,24\n"
            f"{e},PLY-PRIMA,2025-13-01,x\n"
            f"{e},PLY-PRIMA,2025-03-05,24\n"
        )
        with self.assertRaises(CommandError) as caught:
            self.run_command(path)
        self.assertIn("tidak ada data yang diubah", str(caught.exception))
        self.assertFalse(JpEntry.objects.exists())

    def test_it_reports_rows_and_columns(self) -> None:
        from mumpuni.learning.completion_import import import_completions

        e = self.employee_employee.nip
        data = (
            "nip,program_code,completed_on,jp\n"
            f"{e},PLY-PRIMA,2025-03-05,24\n"
            f"{e},TIDAK-ADA,2025-03-05,0\n"
            f"{e},PLY-PRIMA,2025-03-05,24\n"
        ).encode()
        result = import_completions(data, "a.csv")
        self.assertEqual(
            [(err.row, err.column) for err in result.errors], [(3, "program_code"), (3, "jp"), (4, "nip")]
        )

    def test_it_refuses_a_changed_jp_for_an_imported_line(self) -> None:
        self.run_command(self.good_file())
        e = self.employee_employee.nip
        with self.assertRaises(CommandError):
            self.run_command(self.write(f"nip,program_code,completed_on,jp\n{e},PLY-PRIMA,2025-03-05,30\n"))
        self.assertEqual(
            JpEntry.objects.get(employee=self.employee_employee, program=self.program).jp, Decimal("24")
        )

    def test_it_refuses_missing_columns_and_files(self) -> None:
        with self.assertRaises(CommandError):
            self.run_command(self.write("nip,program_code,jp\n1,2,3\n"))
        with self.assertRaises(CommandError):
            call_command("import_completions", "/tmp/tidak-ada-berkas.csv")
