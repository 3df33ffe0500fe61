"""Nonklasikal activities: submission with evidence, verification by the supervisor chain or BKPP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import JpEntry, NonClassicalActivity
from mumpuni.learning.services import activities as services
from mumpuni.testing import BaseTestCase

PDF = b"%PDF-1.4\n%test\n"


def submit(user, **extra) -> NonClassicalActivity:  # type: ignore[no-untyped-def]
    values = {
        "form": "e_learning",
        "title": "Kursus daring pelayanan publik",
        "provider_name": "LAN",
        "started_on": dt.date(2026, 2, 1),
        "ended_on": dt.date(2026, 2, 10),
        "jp_claimed": "8",
        "evidence_url": "https://asn-unggul.lan.go.id/sertifikat/123",
    }
    values.update(extra)
    return services.activity_submit(actor=user, **values)


class ActivitySubmitTests(BaseTestCase):
    def test_it_submits_with_a_link_or_a_file(self) -> None:
        activity = submit(self.employee)
        self.assertEqual((activity.employee, activity.status), (self.employee_employee, "submitted"))
        upload = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
        with self.settings(MEDIA_ROOT="/tmp/mumpuni-test-media"):
            with_file = submit(self.employee, evidence_url="", evidence_file=upload)
        self.assertTrue(with_file.evidence_file.name.endswith(".pdf"))

    def test_it_refuses_bad_evidence(self) -> None:
        with self.assertRaisesMessage(ValidationFailed, "Lampirkan"):
            submit(self.employee, evidence_url="")
        fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        with self.assertRaisesMessage(ValidationFailed, "tidak sesuai"):
            submit(self.employee, evidence_url="", evidence_file=fake)
        exe = SimpleUploadedFile("bukti.exe", PDF)
        with self.assertRaisesMessage(ValidationFailed, "PDF, JPG atau PNG"):
            submit(self.employee, evidence_url="", evidence_file=exe)
        big = SimpleUploadedFile("bukti.pdf", PDF + b"0" * (services.MAX_EVIDENCE_BYTES + 1))
        with self.assertRaisesMessage(ValidationFailed, "terlalu besar"):
            submit(self.employee, evidence_url="", evidence_file=big)
        self.assertFalse(NonClassicalActivity.objects.exists())

    def test_it_checks_dates_jp_and_form(self) -> None:
        for extra in (
            {"ended_on": dt.date(2026, 1, 1)},
            {"jp_claimed": "0"},
            {"jp_claimed": "1.25"},
            {"form": "tugas_belajar"},
            {"title": "  "},
            {"ended_on": dt.date.today() + dt.timedelta(days=3), "started_on": dt.date.today()},
        ):
            with self.assertRaises(ValidationFailed, msg=str(extra)):
                submit(self.employee, **extra)
        self.assertFalse(NonClassicalActivity.objects.exists())


class ActivityVerifyTests(BaseTestCase):
    def test_the_supervisor_verifies_and_jp_is_credited(self) -> None:
        activity = submit(self.employee)
        services.activity_verify(actor=self.supervisor, activity=activity, jp_credited="6")
        activity.refresh_from_db()
        self.assertEqual((activity.status, activity.jp_credited), ("verified", Decimal("6.0")))
        entry = JpEntry.objects.get(activity=activity)
        self.assertEqual((entry.jp, entry.year, entry.source), (Decimal("6.0"), 2026, "activity"))

    def test_it_never_credits_more_than_claimed(self) -> None:
        activity = submit(self.employee)
        with self.assertRaisesMessage(ValidationFailed, "melebihi"):
            services.activity_verify(actor=self.admin, activity=activity, jp_credited="9")
        activity.refresh_from_db()
        self.assertEqual(activity.status, "submitted")
        self.assertFalse(JpEntry.objects.exists())

    def test_an_employee_cannot_verify_their_own(self) -> None:
        activity = submit(self.admin)  # even BKPP
        with self.assertRaisesMessage(PermissionDeniedError, "sendiri"):
            services.activity_verify(actor=self.admin, activity=activity)
        activity.refresh_from_db()
        self.assertEqual(activity.status, "submitted")

    def test_it_refuses_outsiders(self) -> None:
        activity = submit(self.employee)
        for user in (self.other, self.officer, self.executive):
            with self.assertRaises(PermissionDeniedError):
                services.activity_verify(actor=user, activity=activity)
        self.login(self.other)
        response = self.client.post(
            reverse("learning:activity_decide", args=[activity.pk]), {"decision": "verify"}
        )
        self.assertEqual(response.status_code, 404)
        activity.refresh_from_db()
        self.assertEqual(activity.status, "submitted")

    def test_rejection_needs_a_note_and_credits_nothing(self) -> None:
        activity = submit(self.employee)
        with self.assertRaises(ValidationFailed):
            services.activity_reject(actor=self.supervisor, activity=activity, note=" ")
        services.activity_reject(actor=self.supervisor, activity=activity, note="Bukti tidak terbaca")
        activity.refresh_from_db()
        self.assertEqual(activity.status, "rejected")
        with self.assertRaises(ValidationFailed):
            services.activity_verify(actor=self.supervisor, activity=activity)
        self.assertFalse(JpEntry.objects.exists())


class ActivityPagesTests(BaseTestCase):
    def test_the_employee_submits_through_the_form(self) -> None:
        self.login(self.employee)
        self.assertEqual(self.client.get(reverse("learning:activity_new")).status_code, 200)
        response = self.client.post(
            reverse("learning:activity_new"),
            {
                "form": "coaching",
                "title": "Coaching pelayanan",
                "started_on": "2026-03-01",
                "ended_on": "2026-03-02",
                "jp_claimed": "4",
                "evidence_url": "https://example.org/bukti",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(NonClassicalActivity.objects.get().title, "Coaching pelayanan")

    def test_the_supervisor_sees_and_decides_the_queue(self) -> None:
        activity = submit(self.employee)
        self.login(self.supervisor)
        response = self.client.get(reverse("learning:activity_queue"))
        self.assertContains(response, activity.title)
        response = self.client.post(
            reverse("learning:activity_decide", args=[activity.pk]),
            {"decision": "verify", "jp_credited": "8"},
        )
        self.assertEqual(response.status_code, 302)
        activity.refresh_from_db()
        self.assertEqual(activity.status, "verified")

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.employee)
        self.assertEqual(self.client.get(reverse("learning:activity_queue")).status_code, 403)
        self.login(self.executive)
        self.assertEqual(self.client.get(reverse("learning:activity_new")).status_code, 403)
