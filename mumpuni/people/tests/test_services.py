import datetime as dt

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.people import services
from mumpuni.people.models import Employee, EmployeeAssignment, Unit
from mumpuni.testing import BaseTestCase, make_nip


class EmployeeCreateTests(BaseTestCase):
    def test_it_derives_identity_from_the_nip(self) -> None:
        nip = make_nip(sex="P", birth=dt.date(1995, 7, 9), year=2020, month=1)
        employee = services.employee_create(actor=self.admin, nip=nip, name="Ayu", unit=self.tembalang)
        employee.refresh_from_db()
        self.assertEqual(
            (employee.sex, employee.birth_date, employee.employment_type), ("P", dt.date(1995, 7, 9), "pns")
        )
        self.assertEqual(EmployeeAssignment.objects.filter(employee=employee, ended_at=None).count(), 1)
        entry = AuditEntry.objects.get(object_type="people.employee", object_id=str(employee.pk))
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(entry.changes["nip"], [None, nip])

    def test_it_refuses_sex_or_birth_date_that_disagree_with_the_nip(self) -> None:
        nip = make_nip(sex="L", birth=dt.date(1990, 5, 5))
        with self.assertRaises(ValidationFailed) as ctx:
            services.employee_create(
                actor=self.admin,
                nip=nip,
                name="X",
                unit=self.tembalang,
                sex="P",
                birth_date=dt.date(1990, 5, 6),
            )
        self.assertIn("sex", ctx.exception.fields)
        self.assertIn("birth_date", ctx.exception.fields)
        self.assertFalse(Employee.objects.filter(nip=nip).exists())

    def test_it_names_the_nip_segment(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.employee_create(
                actor=self.admin, nip="199001012015033001", name="X", unit=self.tembalang
            )
        self.assertIn("jenis kelamin", ctx.exception.fields["nip"][0])

    def test_it_refuses_duplicate_nip(self) -> None:
        with self.assertRaises(ValidationFailed):
            services.employee_create(
                actor=self.admin, nip=self.employee_employee.nip, name="X", unit=self.tembalang
            )

    def test_it_refuses_a_position_of_another_unit(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.employee_create(
                actor=self.admin, nip=make_nip(), name="X", unit=self.banyumanik, position=self.pos_staff
            )
        self.assertIn("position", ctx.exception.fields)

    def test_it_refuses_outsiders(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.employee_create(actor=self.other, nip=make_nip(), name="X", unit=self.tembalang)
        with self.assertRaises(PermissionDeniedError):
            services.employee_create(actor=self.employee, nip=make_nip(), name="X", unit=self.tembalang)


class EmployeeUpdateTests(BaseTestCase):
    def test_camat_moves_staff_within_the_kecamatan_and_history_is_kept(self) -> None:
        services.employee_update(
            actor=self.camat, employee=self.employee_employee, unit=self.bulusan, position=None
        )
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.unit, self.bulusan)
        rows = list(EmployeeAssignment.objects.filter(employee=self.employee_employee).order_by("started_at"))
        self.assertEqual(len(rows), 2)
        self.assertIsNotNone(rows[0].ended_at)
        self.assertIsNone(rows[1].ended_at)
        self.assertEqual(rows[1].changed_by, self.camat)

    def test_it_refuses_outsiders(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.employee_update(actor=self.other, employee=self.employee_employee, name="Diubah")
        with self.assertRaises(PermissionDeniedError):
            services.employee_update(actor=self.camat, employee=self.employee_employee, unit=self.banyumanik)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.name, "Agus Prasetyo")
        self.assertEqual(self.employee_employee.unit, self.tembalang)

    def test_an_employee_may_correct_only_their_own_contact(self) -> None:
        services.employee_update(actor=self.employee, employee=self.employee_employee, phone="081234567890")
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.phone, "081234567890")
        with self.assertRaises(PermissionDeniedError):
            services.employee_update(actor=self.employee, employee=self.employee_employee, name="Lain")
        with self.assertRaises(PermissionDeniedError):
            services.employee_update(
                actor=self.employee, employee=self.officer_employee, phone="081234567890"
            )

    def test_it_refuses_a_supervisor_cycle(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.employee_update(
                actor=self.admin, employee=self.camat_employee, supervisor=self.employee_employee
            )
        self.assertIn("supervisor", ctx.exception.fields)
        self.camat_employee.refresh_from_db()
        self.assertIsNone(self.camat_employee.supervisor)

    def test_it_validates_contact_in_indonesian(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.employee_update(actor=self.admin, employee=self.employee_employee, email="bukan-email")
        self.assertEqual(ctx.exception.fields["email"], ["Alamat email tidak valid."])

    def test_no_change_writes_no_audit_entry(self) -> None:
        before = AuditEntry.objects.count()
        services.employee_update(actor=self.admin, employee=self.employee_employee, name="Agus Prasetyo")
        self.assertEqual(AuditEntry.objects.count(), before)


class UnitTests(BaseTestCase):
    def test_moving_a_unit_moves_its_subtree(self) -> None:
        services.unit_update(actor=self.admin, unit=self.tembalang, parent=self.bkpp)
        self.bulusan.refresh_from_db()
        self.tembalang.refresh_from_db()
        self.assertTrue(self.bulusan.path.startswith(self.tembalang.path))
        self.assertTrue(self.tembalang.path.startswith(self.bkpp.path))

    def test_it_refuses_a_cycle(self) -> None:
        with self.assertRaises(ValidationFailed):
            services.unit_update(actor=self.admin, unit=self.tembalang, parent=self.bulusan)

    def test_it_refuses_outsiders(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.unit_create(
                actor=self.camat, code="33.74.10.9999", name="X", kind="kelurahan", parent=self.tembalang
            )
        self.assertFalse(Unit.objects.filter(code="33.74.10.9999").exists())


class ApiKeyTests(BaseTestCase):
    def test_only_the_hash_is_stored(self) -> None:
        record, key = services.api_key_create(actor=None, name="kios-1", role="kiosk", unit=self.tembalang)
        self.assertTrue(key.startswith("mpn_"))
        self.assertNotIn(key, record.key_hash)
        entry = AuditEntry.objects.filter(object_type="people.apikey").get()
        self.assertNotIn(key, str(entry.changes))
