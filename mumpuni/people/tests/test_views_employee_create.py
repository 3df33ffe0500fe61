"""Adding an employee (BKPP admin, unit heads), and the two HTMX helpers of the form."""

import datetime as dt

from django.urls import reverse

from mumpuni.common.models import AuditEntry
from mumpuni.lib.nip import build_nip
from mumpuni.people.models import Employee
from mumpuni.testing import BaseTestCase


class EmployeeCreateTests(BaseTestCase):
    url = reverse("employee_create")
    nip = build_nip(birth_date=dt.date(1995, 7, 14), sex="P", serial=42, year=2020, month=1)

    def data(self, **changes: str) -> dict[str, str]:
        values = {
            "nip": self.nip,
            "name": "Nur Hidayah",
            "unit": "33.74.10.1001",
            "position": "KEC10-PELAKSANA",
            "supervisor_nip": self.supervisor_employee.nip,
            "email": "nur@semarangkota.go.id",
            "phone": "",
            "active": "on",
        }
        values.update(changes)
        return values

    def test_it_creates_an_employee_for_the_camat(self) -> None:
        self.login(self.camat)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        response = self.client.post(self.url, self.data(nip=f"{self.nip[:8]} {self.nip[8:]}"))
        self.assertRedirects(
            response, reverse("employee_detail", args=[self.nip]), fetch_redirect_response=False
        )
        employee = Employee.objects.get(nip=self.nip)
        self.assertEqual(employee.sex, "P")
        self.assertEqual(employee.birth_date, dt.date(1995, 7, 14))
        self.assertEqual(employee.employment_type, "pns")
        self.assertEqual(employee.unit, self.bulusan)
        self.assertEqual(employee.supervisor, self.supervisor_employee)
        self.assertEqual(employee.assignments.count(), 1)
        entry = AuditEntry.objects.get(object_type="people.employee", object_id=str(employee.pk))
        self.assertEqual(entry.action, "create")
        self.assertEqual(entry.actor, self.camat)

    def test_it_presets_the_unit_from_the_address(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, {"unit": "33.74.10"})
        form = response.context["form"]
        self.assertEqual(form.initial["unit"], "33.74.10")
        self.assertIn("KEC10-PELAKSANA", {p.code for p in form.fields["position"].queryset})

    def test_it_refuses_a_duplicate_nip_in_indonesian(self) -> None:
        self.login(self.admin)
        response = self.client.post(self.url, self.data(nip=self.employee_employee.nip))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.context["form"].errors["nip"], ["NIP sudah terdaftar."])
        self.assertEqual(Employee.objects.filter(name="Nur Hidayah").count(), 0)

    def test_it_refuses_a_bad_nip_and_a_position_from_another_unit(self) -> None:
        self.login(self.admin)
        response = self.client.post(self.url, self.data(nip="199507142020013042", position="KEC11-CAMAT"))
        self.assertEqual(response.status_code, 422)
        errors = response.context["form"].errors
        self.assertIn("Segmen jenis kelamin (digit 15)", errors["nip"][0])
        self.assertIn("position", errors)
        self.assertFalse(Employee.objects.filter(name="Nur Hidayah").exists())

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        # The other camat cannot place anyone in Tembalang: the unit is not among their choices.
        self.login(self.other)
        response = self.client.post(self.url, self.data(supervisor_nip=""))
        self.assertEqual(response.status_code, 422)
        self.assertIn("unit", response.context["form"].errors)
        for user in (self.employee, self.supervisor, self.officer, self.executive):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, self.data()).status_code, 403)
        self.assertFalse(Employee.objects.filter(nip=self.nip).exists())


class NipCheckTests(BaseTestCase):
    url = reverse("nip_check")

    def test_it_reads_a_valid_nip(self) -> None:
        self.login(self.camat)
        nip = build_nip(birth_date=dt.date(1995, 7, 14), sex="P", serial=42, year=2020, month=1)
        response = self.client.get(self.url, {"nip": nip})
        self.assertContains(response, "PNS")
        self.assertContains(response, "Perempuan")
        self.assertContains(response, "14 Juli 1995")

    def test_it_names_the_failing_segment(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, {"nip": "199013452015031001"})
        self.assertContains(response, "Segmen tanggal lahir")

    def test_it_warns_about_a_registered_nip_but_not_the_one_being_edited(self) -> None:
        self.login(self.camat)
        nip = self.employee_employee.nip
        self.assertContains(self.client.get(self.url, {"nip": nip}), "NIP ini sudah terdaftar.")
        self.assertNotContains(self.client.get(self.url, {"nip": nip, "current": nip}), "sudah terdaftar")

    def test_it_does_not_reveal_a_nip_registered_outside_the_scope(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, {"nip": self.other_employee.nip})  # Banyumanik's camat
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "sudah terdaftar")
        # Saving still refuses the duplicate, with a message that names no one.
        form = {"nip": self.other_employee.nip, "name": "Kembar", "unit": "33.74.10", "active": "on"}
        response = self.client.post(reverse("employee_create"), form)
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "NIP sudah terdaftar.", status_code=422)
        self.assertNotContains(response, self.other_employee.name, status_code=422)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(self.url, {"nip": "1"}).status_code, 302)
        self.login(self.employee)
        self.assertEqual(self.client.get(self.url, {"nip": self.camat_employee.nip}).status_code, 403)


class PositionOptionsTests(BaseTestCase):
    url = reverse("position_options")

    def test_it_offers_positions_of_the_unit_and_its_parents(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, {"unit": "33.74.10.1001", "position": "KEC10-KASI-PEL"})
        self.assertContains(response, 'value="KEC10-PELAKSANA"')
        self.assertContains(response, 'value="KEC10-KASI-PEL" selected')
        self.assertNotContains(response, "KEC11")

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.login(self.other)
        response = self.client.get(self.url, {"unit": "33.74.10"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "KEC10")
