"""API /api/v1/learning/: attendance, check-in, scores, finalize, JP, certificates, activities."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from unittest import mock

from mumpuni.learning.models import Attendance, Certificate, Enrollment, JpEntry, NonClassicalActivity
from mumpuni.learning.services import attendance as attendance_services
from mumpuni.learning.services import certificates as certificate_services
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase

BASE = "/api/v1/learning"


class ProgressApiTests(ProgressTestCase):
    def post(self, url: str, body: dict[str, Any], method: str = "post") -> Any:
        return getattr(self.client, method)(url, json.dumps(body), content_type="application/json")

    def test_the_trainer_marks_scores_and_finalizes(self) -> None:
        self.login(self.trainer)
        for session in self.sessions:
            response = self.post(
                f"{BASE}/attendance", {"session_id": session.pk, "enrollment_id": self.enrollment.pk}
            )
            self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["attendance_percent"], "100.00")
        response = self.client.get(f"{BASE}/sessions/{self.sessions[0].pk}/attendance")
        self.assertEqual([r["present"] for r in response.json()], [True, None])  # Agus, Rina
        response = self.post(
            f"{BASE}/completions/enrollments/{self.enrollment.pk}/scores",
            {"pre_test_score": 50, "post_test_score": 80},
            method="put",
        )
        self.assertEqual(response.status_code, 200, response.content)
        response = self.post(
            f"{BASE}/completions/enrollments/{self.enrollment.pk}/scores",
            {"post_test_score": 101},
            method="put",
        )
        self.assertEqual(response.status_code, 422)
        response = self.post(f"{BASE}/completions/classes/{self.training_class.pk}/finalize", {})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["completed"], [self.enrollment.pk])
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, Enrollment.Status.COMPLETED)

    def test_the_participant_checks_in_and_reads_jp_and_certificates(self) -> None:
        session = self.sessions[0]
        now = session.starts_at + dt.timedelta(minutes=5)
        token = attendance_services.checkin_token(session, now)
        self.login(self.employee)
        with mock.patch("django.utils.timezone.now", return_value=now):
            response = self.post(f"{BASE}/sessions/{session.pk}/checkin", {"token": token})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(Attendance.objects.filter(enrollment=self.enrollment, method="qr").exists())

        self.enrollment.status = Enrollment.Status.COMPLETED
        self.enrollment.completed_on = self.training_class.ends_on
        self.enrollment.save()
        certificate = certificate_services.certificate_issue(actor=None, enrollment=self.enrollment)
        JpEntry.objects.create(
            employee=self.employee_employee,
            occurred_on=self.training_class.ends_on,
            year=self.training_class.ends_on.year,
            jp=24,
            source="class",
            enrollment=self.enrollment,
            program=self.program,
        )
        response = self.client.get(f"{BASE}/jp/me", {"year": self.training_class.ends_on.year})
        self.assertEqual(response.status_code, 200)
        self.assertEqual((Decimal(response.json()["jp"]), response.json()["owed"]), (Decimal(24), True))
        response = self.client.get(f"{BASE}/certificates/mine")
        self.assertEqual([c["number"] for c in response.json()], [certificate.number])

        self.client.logout()
        token = certificate_services.verification_token(certificate)
        response = self.client.get(f"{BASE}/certificates/verify/{token}")
        self.assertEqual(response.json()["valid"], True)
        self.assertNotIn("nip", response.json())
        response = self.client.get(f"{BASE}/certificates/verify/{token[:-3]}abc")
        self.assertEqual(
            response.json(),
            {"valid": False, "validity": None, "name": None, "program": None, "issued_on": None},
        )

    def test_activities_submit_and_verify(self) -> None:
        self.login(self.employee)
        body = {
            "form": "mentoring",
            "title": "Mentoring SIAK",
            "started_on": "2026-01-05",
            "ended_on": "2026-01-06",
            "jp_claimed": "6",
            "evidence_url": "https://example.org/bukti",
        }
        response = self.post(f"{BASE}/activities", body)
        self.assertEqual(response.status_code, 201, response.content)
        activity_id = response.json()["id"]
        response = self.post(f"{BASE}/activities/{activity_id}/verify", {})
        self.assertEqual(response.status_code, 403)  # not their own
        self.login(self.supervisor)
        self.assertEqual(
            [a["id"] for a in self.client.get(f"{BASE}/activities/pending").json()], [activity_id]
        )
        response = self.post(f"{BASE}/activities/{activity_id}/verify", {"jp_credited": "5"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(NonClassicalActivity.objects.get().status, "verified")
        self.assertEqual(JpEntry.objects.get(activity_id=activity_id).jp, 5)

    def test_compliance_for_bkpp_and_unit_heads(self) -> None:
        self.login(self.camat)
        response = self.client.get(f"{BASE}/jp/compliance")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["unit_code"], "33.74.10")
        self.assertEqual(response.json()["total"]["pns"], 4)
        self.assertEqual(self.client.get(f"{BASE}/jp/compliance", {"unit": "33.74.11"}).status_code, 404)
        self.login(self.employee)
        self.assertEqual(self.client.get(f"{BASE}/jp/compliance").status_code, 403)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(f"{BASE}/jp/me").status_code, 401)
        self.login(self.other)
        self.assertEqual(
            self.client.get(f"{BASE}/sessions/{self.sessions[0].pk}/attendance").status_code, 404
        )
        response = self.post(
            f"{BASE}/attendance", {"session_id": self.sessions[0].pk, "enrollment_id": self.enrollment.pk}
        )
        self.assertEqual(response.status_code, 404)
        response = self.post(f"{BASE}/completions/classes/{self.training_class.pk}/finalize", {})
        self.assertEqual(response.status_code, 404)
        activity = NonClassicalActivity.objects.create(
            employee=self.employee_employee,
            form="coaching",
            title="Coaching",
            started_on=dt.date(2026, 1, 1),
            ended_on=dt.date(2026, 1, 1),
            jp_claimed=2,
            evidence_url="https://example.org",
        )
        self.assertEqual(self.post(f"{BASE}/activities/{activity.pk}/verify", {}).status_code, 404)
        self.assertEqual(self.client.get(f"{BASE}/activities/pending").json(), [])
        self.assertFalse(Attendance.objects.exists())
        self.assertFalse(Certificate.objects.exists())
        activity.refresh_from_db()
        self.assertEqual(activity.status, "submitted")
