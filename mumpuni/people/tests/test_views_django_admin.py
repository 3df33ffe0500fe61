"""Django admin for BKPP superusers: browsing works, people data is read-only, account changes are audited."""

from django.urls import reverse

from mumpuni.common.models import AuditEntry
from mumpuni.people.models import Role, RoleAssignment
from mumpuni.testing import BaseTestCase


class DjangoAdminTests(BaseTestCase):
    def setUp(self) -> None:
        self.admin.is_staff = True
        self.admin.is_superuser = True
        self.admin.save(update_fields=["is_staff", "is_superuser"])

    def test_it_lets_a_superuser_browse_every_registered_model(self) -> None:
        self.login(self.admin)
        for name in ("unit", "position", "employee", "user", "roleassignment", "apikey", "importjob"):
            response = self.client.get(reverse(f"admin:people_{name}_changelist"))
            self.assertEqual(response.status_code, 200, name)
        self.assertEqual(self.client.get(reverse("admin:common_auditentry_changelist")).status_code, 200)
        response = self.client.get(reverse("admin:people_employee_change", args=[self.employee_employee.pk]))
        self.assertEqual(response.status_code, 200)

    def test_it_keeps_people_data_and_the_audit_log_read_only(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("admin:people_employee_add")).status_code, 403)
        url = reverse("admin:people_employee_change", args=[self.employee_employee.pk])
        self.client.post(url, {"name": "Diubah Lewat Admin"})
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.name, "Agus Prasetyo")
        entry = AuditEntry.objects.first()
        response = self.client.post(
            reverse("admin:common_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(AuditEntry.objects.filter(pk=entry.pk).exists())

    def test_it_audits_role_changes_made_in_admin(self) -> None:
        self.login(self.admin)
        url = reverse("admin:people_user_change", args=[self.employee.pk])
        response = self.client.post(
            url,
            {
                "username": "pegawai",
                "first_name": "Agus Prasetyo",
                "last_name": "",
                "email": "",
                "is_active": "on",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "08:00:00",
                "role_assignments-TOTAL_FORMS": "2",
                "role_assignments-INITIAL_FORMS": "1",
                "role_assignments-MIN_NUM_FORMS": "0",
                "role_assignments-MAX_NUM_FORMS": "1000",
                "role_assignments-0-id": str(self.employee.role_assignments.get().pk),
                "role_assignments-0-user": str(self.employee.pk),
                "role_assignments-0-role": "employee",
                "role_assignments-0-unit": "",
                "role_assignments-1-user": str(self.employee.pk),
                "role_assignments-1-role": "counter_officer",
                "role_assignments-1-unit": str(self.tembalang.pk),
            },
        )
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        self.assertTrue(RoleAssignment.objects.filter(user=self.employee, role=Role.COUNTER_OFFICER).exists())
        entry = AuditEntry.objects.filter(object_type="people.user", object_id=str(self.employee.pk)).first()
        self.assertEqual(entry.actor, self.admin)
        self.assertIn("roles", entry.changes)

    def test_it_refuses_outsiders(self) -> None:
        url = reverse("admin:people_employee_changelist")
        self.assertEqual(self.client.get(url).status_code, 302)
        # A camat is no superuser and no staff member: Django admin sends them to its own login.
        self.login(self.camat)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])
