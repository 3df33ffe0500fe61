"""The assessment and requirement imports: all or nothing, with row errors."""

from __future__ import annotations

from mumpuni.competencies import imports
from mumpuni.competencies.models import Assessment, CurrentLevel
from mumpuni.competencies.tests.base import CompetencyTestCase
from mumpuni.lib.tabular import write_csv, write_xlsx

COLUMNS = ["nip", "kompetensi_kode", "level", "sumber", "tanggal", "catatan"]


class AssessmentImportTests(CompetencyTestCase):
    def test_it_writes_every_row_of_a_clean_file(self) -> None:
        data = write_xlsx(
            COLUMNS,
            [
                [self.employee_employee.nip, "T.ADK", "3", "atasan", "2026-09-01", "Observasi"],
                [self.officer_employee.nip, "sk.01", "2", "Atasan", "2026-09-02", ""],
            ],
        )
        result = imports.import_assessments(actor=self.supervisor, data=data, file_name="a.xlsx")
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.written, 2)
        self.assertEqual(
            CurrentLevel.objects.get(employee=self.employee_employee, competency=self.tadk).level, 3
        )

    def test_it_writes_nothing_when_one_row_is_wrong(self) -> None:
        before = Assessment.objects.count()
        data = write_csv(
            COLUMNS,
            [
                [self.employee_employee.nip, "T.ADK", "3", "atasan", "2026-09-01", ""],
                [
                    self.other_employee.nip,
                    "T.ADK",
                    "3",
                    "atasan",
                    "2026-09-01",
                    "",
                ],  # not the supervisor's team
                [self.officer_employee.nip, "T.XXX", "7", "teman", "kemarin", ""],
            ],
        )
        result = imports.import_assessments(actor=self.supervisor, data=data, file_name="a.csv")
        self.assertFalse(result.ok)
        self.assertEqual(Assessment.objects.count(), before)
        found = {(e.row, e.column) for e in result.errors}
        self.assertIn((3, "nip"), found)
        self.assertTrue({(4, "kompetensi_kode"), (4, "level"), (4, "sumber"), (4, "tanggal")} <= found)

    def test_it_refuses_a_self_assessment_import_for_others_and_a_missing_column(self) -> None:
        data = write_csv(COLUMNS, [[self.employee_employee.nip, "T.ADK", "3", "diri", "2026-09-01", ""]])
        result = imports.import_assessments(actor=self.supervisor, data=data, file_name="a.csv")
        self.assertFalse(result.ok)
        missing = imports.import_assessments(
            actor=self.admin, data=write_csv(["nip"], [["1"]]), file_name="a.csv"
        )
        self.assertFalse(missing.ok)
        self.assertEqual(missing.errors[0].row, 0)
        self.assertIn("kompetensi_kode", missing.errors[0].message)
