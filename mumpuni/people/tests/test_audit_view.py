"""The audit log page: admins only, filters, old -> new values by name."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mumpuni.common.models import AuditEntry
from mumpuni.people import services
from mumpuni.testing import BaseTestCase


class AuditLogTests(BaseTestCase):
    url = reverse("audit_log")

    def setUp(self) -> None:
        services.employee_update(
            actor=self.admin,
            employee=self.employee_employee,
            position=self.pos_kasi,
            email="agus@semarangkota.go.id",
        )

    def test_it_shows_changes_with_names(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        row = response.context["rows"][0]
        self.assertEqual(row.entry.actor_label, "admin")
        changes = {str(c.label): (c.old, c.new) for c in row.changes}
        self.assertEqual(changes["Jabatan"], ("Pengadministrasi Umum", "Kasi Pelayanan"))
        self.assertEqual(changes["Email"], ("—", "agus@semarangkota.go.id"))
        self.assertEqual(row.url, reverse("employee_detail", args=[self.employee_employee.nip]))
        self.assertContains(response, "Kasi Pelayanan")

    def test_it_filters_by_type_actor_object_and_date(self) -> None:
        self.login(self.admin)
        by_type = self.client.get(self.url, {"object_type": "people.unit"}).context["rows"]
        self.assertTrue(by_type)
        self.assertTrue(all(r.entry.object_type == "people.unit" for r in by_type))
        by_actor = self.client.get(self.url, {"actor": "adm"}).context["rows"]
        self.assertEqual(len(by_actor), 1)
        by_object = self.client.get(
            self.url, {"object_type": "people.employee", "object_id": str(self.employee_employee.pk)}
        ).context["rows"]
        self.assertEqual({r.entry.action for r in by_object}, {"create", "update"})
        today = timezone.localdate()
        self.assertTrue(self.client.get(self.url, {"date_from": today.isoformat()}).context["rows"])
        tomorrow = (today + dt.timedelta(days=1)).isoformat()
        self.assertEqual(self.client.get(self.url, {"date_from": tomorrow}).context["rows"], [])

    def test_it_complains_about_a_reversed_date_range(self) -> None:
        self.login(self.admin)
        today = timezone.localdate()
        response = self.client.get(
            self.url, {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=3)).isoformat()}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tanggal akhir harus sama atau sesudah tanggal awal.")

    def test_it_paginates(self) -> None:
        for i in range(55):
            services.employee_update(
                actor=self.admin, employee=self.officer_employee, phone=f"08123456{i:04d}"
            )
        self.login(self.admin)
        response = self.client.get(self.url, {"actor": "admin"})
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertEqual(response.context["page"].paginator.count, 56)

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        for user in (self.camat, self.other, self.executive, self.supervisor, self.employee):
            self.login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 403)
            self.assertContains(response, "Jejak audit hanya untuk admin BKPP.", status_code=403)
        self.assertGreater(AuditEntry.objects.count(), 0)
