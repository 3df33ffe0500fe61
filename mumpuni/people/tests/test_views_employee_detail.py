"""The employee page: identity, placement, reports, account, history and audit trail, within scope."""

from django.urls import reverse

from mumpuni.people import services
from mumpuni.testing import BaseTestCase


class EmployeeDetailTests(BaseTestCase):
    def url(self, employee) -> str:
        return reverse("employee_detail", args=[employee.nip])

    def test_it_shows_identity_placement_and_history_to_the_camat(self) -> None:
        services.employee_update(actor=self.camat, employee=self.employee_employee, position=self.pos_kasi)
        self.login(self.camat)
        response = self.client.get(self.url(self.employee_employee))
        self.assertEqual(response.status_code, 200)
        nip = self.employee_employee.nip
        self.assertContains(response, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
        self.assertContains(response, "Laki-laki")
        self.assertContains(response, "Kecamatan Tembalang")
        self.assertContains(response, reverse("employee_detail", args=[self.supervisor_employee.nip]))
        self.assertEqual(len(response.context["history"]), 2)
        # The audit trail shows the change by name, old -> new.
        self.assertTrue(response.context["can_manage"])
        changes = [(c.label, c.old, c.new) for row in response.context["audit"] for c in row.changes]
        self.assertIn(
            ("Jabatan", "Pengadministrasi Umum", "Kasi Pelayanan"), [(str(a), b, c) for a, b, c in changes]
        )
        self.assertContains(response, "Jejak audit pegawai ini")
        # Account and roles are visible to the unit head.
        self.assertContains(response, "pegawai</code>")

    def test_it_lists_direct_reports(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url(self.supervisor_employee))
        self.assertEqual({e.name for e in response.context["reports"]}, {"Agus Prasetyo", "Rina Kurniawati"})

    def test_it_shows_the_supervisor_a_team_member_without_audit(self) -> None:
        self.login(self.supervisor)
        response = self.client.get(self.url(self.employee_employee))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["can_edit"])
        self.assertEqual(response.context["audit"], [])
        self.assertNotContains(response, "Jejak audit pegawai ini")
        self.assertNotContains(response, reverse("employee_edit", args=[self.employee_employee.nip]))

    def test_it_lets_the_employee_see_themselves_and_edit_contact(self) -> None:
        self.login(self.employee)
        response = self.client.get(self.url(self.employee_employee))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["is_self"])
        self.assertContains(response, "Ubah kontak")
        self.assertNotContains(response, "Jejak audit pegawai ini")
        # The supervisor is shown by name but not linked: the employee cannot open their record.
        self.assertContains(response, "Dewi Lestari")
        self.assertNotContains(response, reverse("employee_detail", args=[self.supervisor_employee.nip]))

    def test_it_lets_the_executive_read_anyone_without_editing(self) -> None:
        self.login(self.executive)
        response = self.client.get(self.url(self.other_employee))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["can_edit"])
        self.assertEqual(response.context["audit"], [])

    def test_it_accepts_a_nip_with_spaces_in_the_address(self) -> None:
        self.login(self.admin)
        nip = self.employee_employee.nip
        response = self.client.get(f"/pegawai/{nip[:8]}%20{nip[8:]}/")
        self.assertEqual(response.status_code, 200)

    def test_it_refuses_outsiders(self) -> None:
        url = self.url(self.employee_employee)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        self.login(self.other)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Halaman tidak ditemukan", status_code=404)
        self.login(self.employee)
        self.assertEqual(self.client.get(self.url(self.officer_employee)).status_code, 404)
        self.login(self.other_officer)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.admin)
        self.assertEqual(
            self.client.get(reverse("employee_detail", args=["199001012015031999"])).status_code, 404
        )
