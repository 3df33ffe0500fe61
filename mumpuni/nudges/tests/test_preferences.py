"""The preference page /pengingat/preferensi/ (every logged-in person, only their own) and notify()
routed through preferences."""

from __future__ import annotations

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mumpuni.common.models import AuditEntry, Notification
from mumpuni.common.notifications import notify
from mumpuni.nudges.models import Delivery, NotificationPreference
from mumpuni.nudges.tests.fixtures import FAKE_RULES, NIGHT, NOON, NudgeTestCase, clock


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email_workflow": "on",
        "email_reminder": "on",
        "email_recognition": "on",
        "quiet_start": "21:00",
        "quiet_end": "07:00",
        "digest_mode": "immediate",
        "digest_hour": "7",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES, MUMPUNI_SMS_GATEWAY_URL="http://127.0.0.1:9/")
class PreferencePageTests(NudgeTestCase):
    url = reverse("nudges:preferences")

    def test_every_persona_sees_their_own_page(self) -> None:
        for user in (
            self.admin,
            self.camat,
            self.supervisor,
            self.employee,
            self.officer,
            self.other,
            self.executive,
        ):
            self.login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 200, user.username)
            self.assertContains(response, "Jam tenang")
            self.assertContains(response, "Pengingat uji")

    def test_it_saves_and_audits(self) -> None:
        self.login(self.employee)
        data = form_data(
            sms_reminder="on", email_workflow=None, muted_kinds="fake", digest_mode="daily", digest_hour="12"
        )
        response = self.client.post(self.url, data)
        self.assertRedirects(response, self.url)
        pref = NotificationPreference.objects.get(user=self.employee)
        self.assertEqual(pref.channels["reminder"], ["email", "sms"])
        self.assertEqual(pref.channels["workflow"], [])
        self.assertEqual(pref.muted_kinds, ["fake"])
        self.assertEqual((pref.digest_mode, pref.digest_hour), ("daily", 12))
        self.assertTrue(
            AuditEntry.objects.filter(
                object_type="nudges.notificationpreference", actor=self.employee
            ).exists()
        )

    def test_field_errors_are_indonesian(self) -> None:
        self.login(self.supervisor)  # no phone
        response = self.client.post(self.url, form_data(sms_reminder="on", quiet_end="21:00"))
        self.assertEqual(response.status_code, 422)
        form = response.context["form"]
        self.assertIn("Jam tenang selesai tidak boleh sama", form.errors["quiet_end"][0])
        self.assertIn("Nomor telepon Anda belum tercatat", form.errors["sms_reminder"][0])
        response = self.client.post(
            self.url, form_data(quiet_start="25:99", digest_mode="daily", digest_hour="23")
        )
        self.assertIn("format JJ:MM", response.context["form"].errors["quiet_start"][0])
        response = self.client.post(self.url, form_data(digest_mode="daily", digest_hour="22"))
        self.assertIn("di dalam jam tenang", response.context["form"].errors["digest_hour"][0])
        self.assertFalse(NotificationPreference.objects.exists())

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        response = self.client.post(self.url, form_data())
        self.assertEqual(response.status_code, 302)
        self.assertFalse(NotificationPreference.objects.exists())


class NotifyRoutingTests(NudgeTestCase):
    def test_the_bell_always_and_mail_per_preference(self) -> None:
        NotificationPreference.objects.create(
            user=self.supervisor, channels={"workflow": [], "reminder": ["email"], "recognition": ["email"]}
        )
        with clock(NOON), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(
                notify(
                    [self.employee, self.supervisor, None],
                    "Rencana diajukan",
                    "isi",
                    "/p/",
                    kind="development_plan",
                ),
                2,
            )
        self.assertEqual(Notification.objects.count(), 2)
        self.assertEqual([m.to for m in mail.outbox], [["agus@example.org"]])
        self.assertEqual(Delivery.objects.get().status, Delivery.Status.SENT)

    def test_at_night_mail_waits_for_the_morning(self) -> None:
        with clock(NIGHT), self.captureOnCommitCallbacks(execute=True):
            notify([self.employee], "Pengaduan lewat batas", kind="complaint_overdue")
        self.assertEqual(Notification.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Delivery.objects.get().status, Delivery.Status.PENDING)
