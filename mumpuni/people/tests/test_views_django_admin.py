"""Django admin for BKPP superusers: browsing works, people data is read-only, account changes are audited."""

from django.urls import reverse

from mumpuni.common.models import AuditEntry
from mumpuni.people import services
from mumpuni.people.models import Role, RoleAssignment
from mumpuni.testing import BaseTestCase, make_account, make_employee


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


class DjangoAdminAuditTests(BaseTestCase):
    """Review finding 10: password changes and deletions made in Django admin are audited."""

    def setUp(self) -> None:
        self.admin.is_staff = True
        self.admin.is_superuser = True
        self.admin.save(update_fields=["is_staff", "is_superuser"])
        self.login(self.admin)

    def test_it_audits_a_password_change_without_the_password(self) -> None:
        url = reverse("admin:auth_user_password_change", args=[self.employee.pk])
        new_password = "kata-sandi-baru-2026"
        response = self.client.post(
            url, {"password1": new_password, "password2": new_password, "usable_password": "true"}
        )
        self.assertEqual(response.status_code, 302)
        self.employee.refresh_from_db()
        self.assertTrue(self.employee.check_password(new_password))
        entry = AuditEntry.objects.get(
            object_type="people.user", object_id=str(self.employee.pk), note__contains="kata sandi"
        )
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(entry.changes, {"password": ["********", "********"]})
        self.assertNotIn(new_password, str(entry.changes))

    def test_it_does_not_audit_a_refused_password_change(self) -> None:
        url = reverse("admin:auth_user_password_change", args=[self.employee.pk])
        response = self.client.post(url, {"password1": "a", "password2": "b", "usable_password": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(AuditEntry.objects.filter(note__contains="kata sandi").exists())

    def test_it_audits_deleting_an_account(self) -> None:
        user = make_account("hapus-saya", [])  # roles would need delete rights on RoleAssignment
        response = self.client.post(reverse("admin:people_user_delete", args=[user.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.get(object_type="people.user", object_id=str(user.pk), action="delete")
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(entry.changes["username"], ["hapus-saya", None])

    def test_it_audits_deleting_accounts_in_bulk(self) -> None:
        users = [make_account(f"hapus-{i}", []) for i in range(2)]
        response = self.client.post(
            reverse("admin:people_user_changelist"),
            {"action": "delete_selected", "_selected_action": [u.pk for u in users], "post": "yes"},
        )
        self.assertEqual(response.status_code, 302)
        deleted = AuditEntry.objects.filter(object_type="people.user", action="delete")
        self.assertEqual(
            sorted(deleted.values_list("object_id", flat=True)), sorted(str(u.pk) for u in users)
        )

    def test_it_refuses_outsiders(self) -> None:
        self.client.logout()
        self.login(self.camat)
        url = reverse("admin:auth_user_password_change", args=[self.employee.pk])
        response = self.client.post(url, {"password1": "x" * 12, "password2": "x" * 12})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])


class AccountLinkAuditTests(BaseTestCase):
    def test_it_audits_linking_an_account_on_the_employee(self) -> None:
        target = make_employee("Tanpa Akun", self.tembalang, self.pos_staff)
        user = services.account_create(
            actor=self.admin, username="tanpa-akun", password=None, roles=[], employee=target
        )
        entry = AuditEntry.objects.get(
            object_type="people.employee", object_id=str(target.pk), action="update"
        )
        self.assertEqual(entry.changes, {"user": [None, user.pk]})
        self.assertEqual(entry.actor, self.admin)
