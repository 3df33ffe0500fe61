"""Control characters (NUL above all) in an import file are row errors at the check (review finding 3).

Before, a NUL byte passed the check and the apply failed on PostgreSQL with a DataError (a system error).
"""

from mumpuni.people import imports
from mumpuni.people.models import Employee, Unit
from mumpuni.people.tests.import_files import EMPLOYEE_HEADER, UNIT_HEADER, csv_file
from mumpuni.testing import BaseTestCase, make_nip

MESSAGE = "berisi karakter kontrol yang tidak diizinkan"


class ControlCharacterImportTests(BaseTestCase):
    def test_it_reports_a_nul_byte_in_an_employee_row(self) -> None:
        nip = make_nip()
        data = csv_file(
            EMPLOYEE_HEADER,
            [
                [nip, "Budi\x00 Santoso", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"],
                [make_nip(), "Ani", "33.74.10\x07", "KEC10-PELAKSANA", "", "", "", "aktif"],
            ],
        )
        plan = imports.plan_import(imports.EMPLOYEES, data, "pegawai.csv", actor=self.admin)
        self.assertFalse(plan.ok)
        self.assertEqual(
            [(e.row, e.column, e.message) for e in plan.errors],
            [(2, "nama", MESSAGE), (3, "unit_kode", MESSAGE)],
        )
        result = imports.import_file(imports.EMPLOYEES, data, "pegawai.csv", actor=self.admin)
        self.assertFalse(result.ok)
        self.assertFalse(Employee.objects.filter(nip=nip).exists())

    def test_it_reports_control_characters_in_a_unit_row_with_its_other_errors(self) -> None:
        data = csv_file(
            UNIT_HEADER,
            [
                ["33.74.10.1009", "Kelurahan\x00 Baru", "tidak-ada", "33.74.10"],
                ["33.74.10.10\x1f08", "Kelurahan Lain", "kelurahan", "33.74.10"],
            ],
        )
        plan = imports.import_file(imports.UNITS, data, "unit.csv", actor=self.admin)
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(2, "nama"), (2, "jenis"), (3, "kode")])
        self.assertEqual(plan.errors[0].message, MESSAGE)
        self.assertFalse(Unit.objects.filter(code__in=["33.74.10.1009", "33.74.10.1008"]).exists())

    def test_it_keeps_tabs_and_line_breaks_out_of_the_rule(self) -> None:
        data = csv_file(UNIT_HEADER, [["33.74.10.1009", "Kelurahan\nBaru", "kelurahan", "33.74.10"]])
        plan = imports.plan_import(imports.UNITS, data, "unit.csv", actor=self.admin)
        self.assertTrue(plan.ok, plan.errors)

    def test_it_refuses_outsiders(self) -> None:
        from mumpuni.common.errors import PermissionDeniedError

        data = csv_file(UNIT_HEADER, [["33.74.10.1009", "Kelurahan\x00", "kelurahan", "33.74.10"]])
        with self.assertRaises(PermissionDeniedError):
            imports.plan_import(imports.UNITS, data, "unit.csv", actor=self.other)
