import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.common.models import AuditEntry
from mumpuni.people import imports
from mumpuni.people.models import Employee, EmployeeAssignment
from mumpuni.people.tests.import_files import EMPLOYEE_HEADER, csv_file, xlsx_file
from mumpuni.testing import BaseTestCase, make_nip

EMPLOYEES = imports.EMPLOYEES


class EmployeeImportTestCase(BaseTestCase):
    def run_import(self, rows, header=EMPLOYEE_HEADER, *, xlsx=False, dry_run=False, actor="admin"):
        data = (xlsx_file if xlsx else csv_file)(header, rows)
        return imports.import_file(
            EMPLOYEES,
            data,
            "pegawai.xlsx" if xlsx else "pegawai.csv",
            actor=getattr(self, actor) if actor else None,
            dry_run=dry_run,
        )

    def row(
        self, nip, name="Pegawai Baru", unit="33.74.10", position="KEC10-PELAKSANA", supervisor="", **extra
    ):
        return [
            nip,
            name,
            unit,
            position,
            supervisor,
            extra.get("email", ""),
            extra.get("phone", ""),
            extra.get("status", "aktif"),
        ]

    def existing_row(self, employee, **changes):
        values = {
            "nip": employee.nip,
            "name": employee.name,
            "unit": employee.unit.code,
            "position": employee.position.code if employee.position else "",
            "supervisor": employee.supervisor.nip if employee.supervisor else "",
            "email": employee.email,
            "phone": employee.phone,
            "status": "aktif" if employee.active else "nonaktif",
        }
        values.update(changes)
        return self.row(values.pop("nip"), **values)

    def snapshot_counts(self):
        return (Employee.objects.count(), EmployeeAssignment.objects.count(), AuditEntry.objects.count())


class EmployeeImportCreateTests(EmployeeImportTestCase):
    def test_it_creates_employees_with_history_and_one_audit_entry_each(self) -> None:
        nip = make_nip(sex="P", birth=dt.date(1994, 4, 4))
        plan = self.run_import(
            [self.row(nip, "Ayu Lestari", email="ayu@semarangkota.go.id", phone="081234567890")]
        )
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(plan.counts(), {"created": 1, "updated": 0, "unchanged": 0})
        employee = Employee.objects.get(nip=nip)
        self.assertEqual((employee.sex, employee.birth_date), ("P", dt.date(1994, 4, 4)))
        self.assertEqual((employee.unit, employee.position), (self.tembalang, self.pos_staff))
        self.assertEqual(employee.email, "ayu@semarangkota.go.id")
        assignment = EmployeeAssignment.objects.get(employee=employee)
        self.assertIsNone(assignment.ended_at)
        self.assertEqual(assignment.changed_by, self.admin)
        entry = AuditEntry.objects.get(object_type="people.employee", object_id=str(employee.pk))
        self.assertEqual((entry.action, entry.actor), ("import", self.admin))
        self.assertEqual(entry.changes["nip"], [None, nip])
        self.assertEqual(entry.changes["unit"], [None, self.tembalang.pk])

    def test_it_reads_xlsx_too(self) -> None:
        nip = make_nip()
        plan = self.run_import([self.row(nip)], xlsx=True)
        self.assertTrue(plan.ok, plan.errors)
        self.assertTrue(Employee.objects.filter(nip=nip).exists())

    def test_it_links_supervisors_named_later_in_the_same_file(self) -> None:
        boss, middle, staff = make_nip(), make_nip(), make_nip()
        plan = self.run_import(
            [
                self.row(staff, "Staf", supervisor=middle),
                self.row(middle, "Kasi", position="KEC10-KASI-PEL", supervisor=boss),
                self.row(boss, "Camat Baru", position="KEC10-CAMAT", supervisor=self.camat_employee.nip),
            ]
        )
        self.assertTrue(plan.ok, plan.errors)
        by_nip = {e.nip: e for e in Employee.objects.filter(nip__in=[boss, middle, staff])}
        self.assertEqual(by_nip[staff].supervisor, by_nip[middle])
        self.assertEqual(by_nip[middle].supervisor, by_nip[boss])
        self.assertEqual(by_nip[boss].supervisor, self.camat_employee)
        entry = AuditEntry.objects.get(object_type="people.employee", object_id=str(by_nip[staff].pk))
        self.assertEqual(entry.changes["supervisor"], [None, by_nip[middle].pk])

    def test_it_accepts_a_blank_position_and_status(self) -> None:
        nip = make_nip()
        plan = self.run_import([self.row(nip, position="", status="")])
        self.assertTrue(plan.ok, plan.errors)
        employee = Employee.objects.get(nip=nip)
        self.assertIsNone(employee.position)
        self.assertTrue(employee.active)

    def test_it_takes_nips_with_spaces_and_lower_case_codes(self) -> None:
        nip = make_nip()
        spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        plan = self.run_import([self.row(spaced, unit="33.74.10", position="kec10-pelaksana")])
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(Employee.objects.get(nip=nip).position, self.pos_staff)

    def test_a_dry_run_writes_nothing(self) -> None:
        before = self.snapshot_counts()
        plan = self.run_import([self.row(make_nip())], dry_run=True)
        self.assertTrue(plan.ok)
        self.assertEqual(plan.created, 1)
        self.assertEqual(self.snapshot_counts(), before)


class EmployeeImportUpdateTests(EmployeeImportTestCase):
    def test_it_updates_an_existing_nip_and_records_the_move(self) -> None:
        agus = self.employee_employee
        plan = self.run_import(
            [self.existing_row(agus, name="Agus Prasetyo, S.E.", unit="33.74.10.1001", email="agus@kota.id")]
        )
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(plan.counts(), {"created": 0, "updated": 1, "unchanged": 0})
        agus.refresh_from_db()
        self.assertEqual(
            (agus.name, agus.unit, agus.email), ("Agus Prasetyo, S.E.", self.bulusan, "agus@kota.id")
        )
        self.assertEqual(agus.supervisor, self.supervisor_employee)
        history = list(EmployeeAssignment.objects.filter(employee=agus).order_by("started_at"))
        self.assertEqual(len(history), 2)
        self.assertIsNotNone(history[0].ended_at)
        self.assertEqual((history[1].unit, history[1].ended_at), (self.bulusan, None))
        entry = AuditEntry.objects.filter(object_id=str(agus.pk), action="import").get()
        self.assertEqual(set(entry.changes), {"name", "unit", "email"})
        self.assertEqual(entry.changes["unit"], [self.tembalang.pk, self.bulusan.pk])

    def test_it_counts_identical_rows_as_unchanged_and_writes_nothing(self) -> None:
        agus = self.employee_employee
        stamp = Employee.objects.get(pk=agus.pk).updated_at
        before = self.snapshot_counts()
        plan = self.run_import([self.existing_row(agus), self.existing_row(self.other_officer_employee)])
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(plan.counts(), {"created": 0, "updated": 0, "unchanged": 2})
        self.assertEqual(self.snapshot_counts(), before)
        self.assertEqual(Employee.objects.get(pk=agus.pk).updated_at, stamp)

    def test_it_leaves_fields_of_missing_optional_columns_alone(self) -> None:
        agus = self.employee_employee
        Employee.objects.filter(pk=agus.pk).update(email="agus@kota.id", active=False)
        plan = self.run_import(
            [[agus.nip, "Agus P.", "33.74.10", "KEC10-PELAKSANA"]],
            header=["nip", "nama", "unit_kode", "jabatan_kode"],
        )
        self.assertTrue(plan.ok, plan.errors)
        agus.refresh_from_db()
        self.assertEqual((agus.name, agus.email, agus.active), ("Agus P.", "agus@kota.id", False))
        self.assertEqual(agus.supervisor, self.supervisor_employee)

    def test_it_clears_a_supervisor_and_deactivates(self) -> None:
        agus = self.employee_employee
        plan = self.run_import([self.existing_row(agus, supervisor="", status="nonaktif")])
        self.assertTrue(plan.ok, plan.errors)
        agus.refresh_from_db()
        self.assertIsNone(agus.supervisor)
        self.assertFalse(agus.active)
        self.assertEqual(
            EmployeeAssignment.objects.filter(employee=agus).count(), 1
        )  # same unit and position

    def test_it_points_existing_employees_at_new_supervisors(self) -> None:
        new_boss = make_nip()
        plan = self.run_import(
            [
                self.existing_row(self.employee_employee, supervisor=new_boss),
                self.row(new_boss, "Kasi Baru", position="KEC10-KASI-PEL"),
            ]
        )
        self.assertTrue(plan.ok, plan.errors)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.supervisor.nip, new_boss)


class EmployeeImportErrorTests(EmployeeImportTestCase):
    def assertOnlyError(self, row, column, text, header=EMPLOYEE_HEADER):
        before = self.snapshot_counts()
        plan = self.run_import([row], header=header)
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(2, column)], plan.errors)
        self.assertIn(text, plan.errors[0].message)
        self.assertEqual(self.snapshot_counts(), before)

    def test_it_changes_nothing_when_one_row_is_bad_and_reports_every_bad_row(self) -> None:
        agus = self.employee_employee
        before = self.snapshot_counts()
        plan = self.run_import(
            [
                self.row(make_nip(), "Baik Satu"),
                self.row("19900101201503100", "NIP Pendek"),
                self.existing_row(agus, name="Nama Baru"),
                self.row(make_nip(), "Unit Salah", unit="33.74.99"),
                self.row(make_nip(), "", email="bukan-email"),
                self.row(make_nip(), "Baik Dua"),
            ]
        )
        self.assertFalse(plan.ok)
        self.assertEqual(
            [(e.row, e.column) for e in plan.errors],
            [(3, "nip"), (5, "unit_kode"), (6, "nama"), (6, "email")],
        )
        self.assertEqual(plan.created + plan.updated, 0)
        self.assertEqual(self.snapshot_counts(), before)
        agus.refresh_from_db()
        self.assertEqual(agus.name, "Agus Prasetyo")

    def test_nip_errors_name_the_failing_segment(self) -> None:
        cases = [
            ("19900101201503100", "18 angka"),
            ("199002302015031001", "tanggal lahir"),
            ("199001012099031001", "TMT"),
            ("199001012015033001", "jenis kelamin"),
            ("199001012015031000", "nomor urut"),
        ]
        for nip, text in cases:
            with self.subTest(nip=nip):
                self.assertOnlyError(self.row(nip), "nip", text)

    def test_it_requires_the_required_values(self) -> None:
        self.assertOnlyError(self.row(""), "nip", "wajib")
        self.assertOnlyError(self.row(make_nip(), name=""), "nama", "wajib")
        self.assertOnlyError(self.row(make_nip(), unit=""), "unit_kode", "wajib")

    def test_it_refuses_unknown_units_and_positions(self) -> None:
        self.assertOnlyError(self.row(make_nip(), unit="33.74.99"), "unit_kode", "'33.74.99' tidak ditemukan")
        self.assertOnlyError(
            self.row(make_nip(), position="TIDAK-ADA"), "jabatan_kode", "'TIDAK-ADA' tidak ditemukan"
        )

    def test_it_refuses_a_position_outside_the_unit_subtree(self) -> None:
        self.assertOnlyError(
            self.row(make_nip(), unit="33.74.10", position="KEC11-CAMAT"), "jabatan_kode", "KEC11-CAMAT"
        )

    def test_it_accepts_a_position_of_a_parent_unit(self) -> None:
        plan = self.run_import([self.row(make_nip(), unit="33.74.10.1001", position="KEC10-PELAKSANA")])
        self.assertTrue(plan.ok, plan.errors)

    def test_it_refuses_unknown_and_self_supervisors(self) -> None:
        nip = make_nip()
        self.assertOnlyError(
            self.row(make_nip(), supervisor="199001012015031999"), "atasan_nip", "tidak ditemukan"
        )
        self.assertOnlyError(self.row(nip, supervisor=nip), "atasan_nip", "sendiri")

    def test_it_refuses_supervisor_cycles_within_the_file(self) -> None:
        a, b, c = make_nip(), make_nip(), make_nip()
        plan = self.run_import(
            [self.row(a, supervisor=b), self.row(b, supervisor=c), self.row(c, supervisor=a)]
        )
        self.assertEqual(
            [(e.row, e.column) for e in plan.errors],
            [(2, "atasan_nip"), (3, "atasan_nip"), (4, "atasan_nip")],
        )
        self.assertIn("lingkaran", plan.errors[0].message)
        self.assertFalse(Employee.objects.filter(nip__in=[a, b, c]).exists())

    def test_it_refuses_cycles_through_the_database(self) -> None:
        # Agus reports to Dewi who reports to the camat; making the camat report to Agus closes a loop.
        row = self.existing_row(self.camat_employee, supervisor=self.employee_employee.nip)
        self.assertOnlyError(row, "atasan_nip", "lingkaran")

    def test_it_refuses_a_nip_twice_in_the_file(self) -> None:
        nip = make_nip()
        plan = self.run_import([self.row(nip), self.row(nip, "Lagi")])
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(3, "nip")])
        self.assertIn("baris 2", plan.errors[0].message)

    def test_it_refuses_bad_contact_details_and_status(self) -> None:
        self.assertOnlyError(self.row(make_nip(), email="bukan@"), "email", "email")
        self.assertOnlyError(self.row(make_nip(), phone="12ab"), "telepon", "telepon")
        self.assertOnlyError(self.row(make_nip(), status="cuti"), "status", "'cuti'")
        self.assertOnlyError(self.row(make_nip(), name="x" * 151), "nama", "150")

    def test_it_names_every_missing_column_on_row_one(self) -> None:
        plan = self.run_import([["1", "x"]], header=["nip", "nama"])
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(1, "unit_kode"), (1, "jabatan_kode")])

    def test_it_refuses_unknown_columns_and_file_problems(self) -> None:
        plan = self.run_import([self.row(make_nip()) + ["x"]], header=[*EMPLOYEE_HEADER, "atasan"])
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(1, "atasan")])
        plan = imports.plan_import(EMPLOYEES, b"%PDF-1.4", "pegawai.pdf", actor=self.admin)
        self.assertEqual(plan.errors[0].row, 0)
        self.assertIn("tidak dikenal", plan.errors[0].message)
        plan = imports.plan_import(EMPLOYEES, csv_file(EMPLOYEE_HEADER, []), "kosong.csv", actor=self.admin)
        self.assertIn("tidak berisi baris data", plan.errors[0].message)

    def test_it_explains_a_nip_that_excel_stored_as_a_number(self) -> None:
        import io

        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(EMPLOYEE_HEADER)
        workbook.active.append(
            [199001012015031001, "Budi", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        plan = imports.plan_import(EMPLOYEES, buffer.getvalue(), "pegawai.xlsx", actor=self.admin)
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(2, "nip")])
        self.assertIn("Teks", plan.errors[0].message)


class EmployeeImportAccessTests(EmployeeImportTestCase):
    def test_it_refuses_outsiders(self) -> None:
        for persona in ("camat", "other", "executive", "employee"):
            with self.subTest(persona=persona), self.assertRaises(PermissionDeniedError):
                self.run_import([self.row(make_nip())], actor=persona)
        self.assertFalse(Employee.objects.filter(name="Pegawai Baru").exists())

    def test_the_system_may_import(self) -> None:
        plan = self.run_import([self.row(make_nip())], actor=None)
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(AuditEntry.objects.filter(action="import").get().actor_label, "sistem")


class EmployeeImportQueryTests(EmployeeImportTestCase):
    def count_queries(self, size: int) -> int:
        rows = [
            self.row(make_nip(), f"Pegawai {i}", supervisor=self.supervisor_employee.nip) for i in range(size)
        ]
        data = csv_file(EMPLOYEE_HEADER, rows)
        with CaptureQueriesContext(connection) as queries:
            plan = imports.plan_import(EMPLOYEES, data, "p.csv", actor=self.admin)
        self.assertTrue(plan.ok, plan.errors)
        return len(queries)

    def test_checking_takes_the_same_queries_for_5_or_50_rows(self) -> None:
        self.count_queries(1)  # the admin's scope is computed once and cached
        self.assertEqual(self.count_queries(5), self.count_queries(50))
