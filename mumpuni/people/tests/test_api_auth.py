"""API authentication: a session (with CSRF on writes) or `Authorization: Bearer KEY` for service accounts."""

from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from mumpuni.common.models import AuditEntry
from mumpuni.people import services
from mumpuni.people.models import ApiKey, Employee, Role, User
from mumpuni.testing import BaseTestCase

EMPLOYEES = "/api/v1/employees"
BAD_KEY = {"detail": "Kunci API tidak valid atau sudah dicabut."}


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


class ApiKeyAuthTests(BaseTestCase):
    def test_it_accepts_a_bearer_key_and_acts_as_its_account(self) -> None:
        record, key = services.api_key_create(
            actor=None, name="sistem-bkpp", role=Role.ADMIN, allow_privileged=True
        )
        r = self.client.get(EMPLOYEES, headers=bearer(key))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["count"], 7)

        r = self.client.patch(
            f"{EMPLOYEES}/{self.employee_employee.nip}",
            {"phone": "081234567890"},
            content_type="application/json",
            headers=bearer(key),
        )
        self.assertEqual(r.status_code, 200)
        entry = AuditEntry.objects.get(
            object_type="people.employee", object_id=str(self.employee_employee.pk), actor=record.user
        )
        self.assertEqual(entry.action, "update")
        record.refresh_from_db()
        self.assertIsNotNone(record.last_used_at)

    def test_it_refuses_wrong_revoked_and_disabled_keys(self) -> None:
        record, key = services.api_key_create(
            actor=None, name="mitra", role=Role.PARTNER, unit=self.tembalang
        )
        _, disabled_key = services.api_key_create(
            actor=None, name="mitra-lama", role=Role.PARTNER, unit=self.tembalang
        )
        User.objects.filter(username="svc-mitra-lama").update(is_active=False)

        for header in (
            f"Bearer {key}x",
            "Bearer mpn_bukan-kunci",
            "Bearer ",
            f"bearer {key[:-1]}",
            f"Bearer {disabled_key}",
        ):
            with self.subTest(header=header):
                r = self.client.get(EMPLOYEES, headers={"authorization": header})
                self.assertEqual(r.status_code, 401)
                self.assertEqual(r.json(), BAD_KEY)
                self.assertIn("Bearer", r.headers["WWW-Authenticate"])

        # A key under another scheme is not a key at all: without a session that is plain anonymous.
        r = self.client.get(EMPLOYEES, headers={"authorization": f"Token {key}"})
        self.assertEqual(r.status_code, 401)

        self.assertEqual(self.client.get(EMPLOYEES, headers=bearer(key)).status_code, 200)
        ApiKey.objects.filter(pk=record.pk).update(revoked_at=timezone.now())
        r = self.client.get(EMPLOYEES, headers=bearer(key))
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json(), BAD_KEY)

    def test_it_judges_a_request_by_its_key_even_with_a_session(self) -> None:
        self.login(self.admin)
        r = self.client.get(EMPLOYEES, headers=bearer("mpn_salah"))
        self.assertEqual(r.status_code, 401)
        # Basic auth of a proxy in front of the site does not get in the way of the session.
        r = self.client.get(EMPLOYEES, headers={"authorization": "Basic dXNlcjpwYXNz"})
        self.assertEqual(r.status_code, 200)

    def test_it_needs_no_csrf_token_with_a_key(self) -> None:
        _, key = services.api_key_create(
            actor=None, name="sistem-bkpp", role=Role.ADMIN, allow_privileged=True
        )
        client = Client(enforce_csrf_checks=True)
        r = client.patch(
            f"{EMPLOYEES}/{self.employee_employee.nip}",
            {"email": "agus@semarangkota.go.id"},
            content_type="application/json",
            headers=bearer(key),
        )
        self.assertEqual(r.status_code, 200)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(EMPLOYEES).status_code, 401)

        _, kiosk = services.api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.tembalang)
        r = self.client.get(EMPLOYEES, headers=bearer(kiosk))
        self.assertEqual(r.status_code, 403)
        self.assertIn("perangkat", r.json()["detail"])

        _, other = services.api_key_create(
            actor=None, name="mitra-banyumanik", role=Role.PARTNER, unit=self.banyumanik
        )
        r = self.client.get(f"{EMPLOYEES}/{self.employee_employee.nip}", headers=bearer(other))
        self.assertEqual(r.status_code, 404)


class SessionAuthTests(BaseTestCase):
    def csrf_client(self, user: User) -> tuple[Client, str]:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        token = get_random_string(32)  # what a browser would hold in its csrftoken cookie
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        return client, token

    def patch(self, client: Client, data: Any, **kwargs: Any) -> Any:
        url = f"{EMPLOYEES}/{self.employee_employee.nip}"
        return client.patch(url, data, content_type="application/json", **kwargs)

    def test_it_reads_with_a_session(self) -> None:
        client, _ = self.csrf_client(self.camat)
        self.assertEqual(client.get(EMPLOYEES).status_code, 200)

    def test_it_checks_csrf_on_writes(self) -> None:
        client, token = self.csrf_client(self.camat)
        r = self.patch(client, {"phone": "081111111111"})
        self.assertEqual(r.status_code, 403)
        self.assertIn("CSRF", r.json()["detail"])
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.phone, "")

        r = self.patch(client, {"phone": "081111111111"}, headers={"x-csrftoken": token})
        self.assertEqual(r.status_code, 200)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.phone, "081111111111")

    def test_it_refuses_outsiders(self) -> None:
        # Anonymous writes are 401 (not a CSRF 403): there is no session to forge.
        anonymous = Client(enforce_csrf_checks=True)
        r = anonymous.post(EMPLOYEES, {}, content_type="application/json")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(anonymous.get(EMPLOYEES).status_code, 401)

        client, _ = self.csrf_client(self.other)
        self.assertEqual(client.get(f"{EMPLOYEES}/{self.employee_employee.nip}").status_code, 404)

        client, _ = self.csrf_client(self.employee)
        r = client.get(EMPLOYEES)
        self.assertEqual([item["nip"] for item in r.json()["items"]], [self.employee_employee.nip])
        self.assertEqual(Employee.objects.count(), 7)
