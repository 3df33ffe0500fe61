"""Changing an employee through the page: services write and audit; refusals become Indonesian field errors."""

from typing import Any

from django.urls import reverse

from mumpuni.common.models import AuditEntry
from mumpuni.testing import BaseTestCase, make_nip


class EmployeeEditTests(BaseTestCase):
    def url(self, employee) -> str:
        return reverse("employee_edit", args=[employee.nip])

    def data(self, employee, **changes: Any) -> dict[str, Any]:
        values = {
            "nip": employee.nip,
            "name": employee.name,
            "unit": employee.unit.code,
            "position": employee.position.code if employee.position else "",
            "supervisor_nip": employee.supervisor.nip if employee.supervisor else "",
            "email": employee.email,
            "phone": employee.phone,
            "active": "on" if employee.active else "",
        }
        values.update(changes)
        return values

    def audit_count(self, employee) -> int:
        return AuditEntry.objects.filter(object_type="people.employee", object_id=str(employee.pk)).count()

    def test_it_shows_the_full_form_to_the_camat(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url(self.employee_employee))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="nip"')
        self.assertContains(response, 'name="supervisor_nip"')
        unit_codes = {u.code for u in response.context["form"].fields["unit"].queryset}
        self.assertEqual(unit_codes, {"33.74.10", "33.74.10.1001"})

    def test_it_saves_and_audits_a_camat_edit(self) -> None:
        self.login(self.camat)
        before = self.audit_count(self.employee_employee)
        data = self.data(
            self.employee_employee, name="Agus Prasetyo Nugroho", phone="0812 3456 7890", unit="33.74.10.1001"
        )
        response = self.client.post(self.url(self.employee_employee), data)
        detail = reverse("employee_detail", args=[self.employee_employee.nip])
        self.assertRedirects(response, detail, fetch_redirect_response=False)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.name, "Agus Prasetyo Nugroho")
        self.assertEqual(self.employee_employee.phone, "0812 3456 7890")
        self.assertEqual(self.employee_employee.unit, self.bulusan)
        self.assertEqual(self.employee_employee.assignments.count(), 2)
        entry = AuditEntry.objects.filter(object_id=str(self.employee_employee.pk)).first()
        self.assertEqual(self.audit_count(self.employee_employee), before + 1)
        self.assertEqual(entry.actor, self.camat)
        self.assertEqual(entry.changes["name"], ["Agus Prasetyo", "Agus Prasetyo Nugroho"])

    def test_it_changes_the_supervisor_by_nip(self) -> None:
        self.login(self.camat)
        data = self.data(self.employee_employee, supervisor_nip=self.camat_employee.nip)
        response = self.client.post(self.url(self.employee_employee), data)
        self.assertEqual(response.status_code, 302)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.supervisor, self.camat_employee)

    def test_it_says_nothing_changed(self) -> None:
        self.login(self.camat)
        before = self.audit_count(self.employee_employee)
        response = self.client.post(
            self.url(self.employee_employee), self.data(self.employee_employee), follow=True
        )
        self.assertContains(response, "Tidak ada perubahan.")
        self.assertEqual(self.audit_count(self.employee_employee), before)

    def test_it_shows_service_errors_on_their_fields_and_changes_nothing(self) -> None:
        self.login(self.camat)
        before = self.audit_count(self.employee_employee)
        data = self.data(self.employee_employee, name="Nama Baru", email="bukan-email", phone="12")
        response = self.client.post(self.url(self.employee_employee), data)
        self.assertEqual(response.status_code, 422)
        form = response.context["form"]
        self.assertIn("Alamat email tidak valid.", form.errors["email"])
        self.assertContains(response, "Alamat email tidak valid.", status_code=422)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.name, "Agus Prasetyo")
        self.assertEqual(self.employee_employee.email, "")
        self.assertEqual(self.audit_count(self.employee_employee), before)

    def test_it_names_the_failing_nip_segment(self) -> None:
        self.login(self.camat)
        data = self.data(self.employee_employee, nip="199013452015031001", email="bukan-email")
        response = self.client.post(self.url(self.employee_employee), data)
        self.assertEqual(response.status_code, 422)
        self.assertIn("Segmen tanggal lahir", response.context["form"].errors["nip"][0])
        self.employee_employee.refresh_from_db()
        self.assertNotEqual(self.employee_employee.nip, "199013452015031001")

    def test_it_refuses_a_supervisor_cycle(self) -> None:
        self.login(self.camat)
        data = self.data(self.supervisor_employee, supervisor_nip=self.employee_employee.nip)
        response = self.client.post(self.url(self.supervisor_employee), data)
        self.assertEqual(response.status_code, 422)
        self.assertIn("supervisor_nip", response.context["form"].errors)
        self.supervisor_employee.refresh_from_db()
        self.assertEqual(self.supervisor_employee.supervisor, self.camat_employee)

    def test_it_refuses_a_supervisor_outside_the_scope(self) -> None:
        self.login(self.camat)
        data = self.data(self.employee_employee, supervisor_nip=self.other_employee.nip)
        response = self.client.post(self.url(self.employee_employee), data)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.context["form"].errors["supervisor_nip"],
            ["Tidak ada pegawai dengan NIP ini dalam cakupan Anda."],
        )

    def test_it_refuses_moving_someone_to_a_unit_outside_the_scope(self) -> None:
        self.login(self.camat)
        response = self.client.post(
            self.url(self.employee_employee), self.data(self.employee_employee, unit="33.74.11")
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("unit", response.context["form"].errors)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.unit, self.tembalang)

    def test_it_gives_the_employee_a_contact_only_form(self) -> None:
        self.login(self.employee)
        url = self.url(self.employee_employee)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["contact_only"])
        self.assertNotContains(response, 'name="nip"')
        response = self.client.post(
            url, {"email": "agus@semarangkota.go.id", "phone": "081234567890", "name": "Nama Palsu"}
        )
        self.assertEqual(response.status_code, 302)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.email, "agus@semarangkota.go.id")
        self.assertEqual(self.employee_employee.name, "Agus Prasetyo")
        entry = AuditEntry.objects.filter(object_id=str(self.employee_employee.pk)).first()
        self.assertEqual(entry.actor, self.employee)

    def test_it_shows_contact_errors_to_the_employee(self) -> None:
        self.login(self.employee)
        response = self.client.post(self.url(self.employee_employee), {"email": "salah@", "phone": ""})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Alamat email tidak valid.", status_code=422)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.email, "")

    def test_it_lets_the_admin_change_a_nip(self) -> None:
        self.login(self.admin)
        new_nip = make_nip(sex="P")
        response = self.client.post(
            self.url(self.officer_employee), self.data(self.officer_employee, nip=new_nip)
        )
        self.assertRedirects(
            response, reverse("employee_detail", args=[new_nip]), fetch_redirect_response=False
        )
        self.officer_employee.refresh_from_db()
        self.assertEqual(self.officer_employee.nip, new_nip)

    def test_it_refuses_outsiders(self) -> None:
        url = self.url(self.employee_employee)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        # Outside the scope: not found.
        self.login(self.other)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, self.data(self.employee_employee, name="X")).status_code, 404)
        self.login(self.employee)
        self.assertEqual(self.client.get(self.url(self.officer_employee)).status_code, 404)
        # Visible but not theirs to change: forbidden, in Indonesian.
        self.login(self.supervisor)
        response = self.client.post(url, self.data(self.employee_employee, name="X"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Akses ditolak", status_code=403)
        self.login(self.executive)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.name, "Agus Prasetyo")
