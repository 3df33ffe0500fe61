"""Trainer pages: test scores and finalisation."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from mumpuni.learning.models import Certificate, Enrollment
from mumpuni.learning.services import attendance
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase


class ScoresViewTests(ProgressTestCase):
    def test_the_trainer_enters_scores(self) -> None:
        self.login(self.trainer)
        url = reverse("learning:scores", args=[self.training_class.pk])
        self.assertContains(self.client.get(url), self.officer_employee.name)
        response = self.client.post(
            url,
            {
                f"pre-{self.enrollment.pk}": "40",
                f"post-{self.enrollment.pk}": "85,5",
                f"pre-{self.officer_enrollment.pk}": "",
                f"post-{self.officer_enrollment.pk}": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.post_test_score, Decimal("85.50"))

    def test_it_shows_row_errors(self) -> None:
        self.login(self.trainer)
        url = reverse("learning:scores", args=[self.training_class.pk])
        response = self.client.post(url, {f"post-{self.enrollment.pk}": "120"})
        self.assertContains(response, "di antara 0 dan 100")
        self.enrollment.refresh_from_db()
        self.assertIsNone(self.enrollment.post_test_score)

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)
        url = reverse("learning:scores", args=[self.training_class.pk])
        self.assertEqual(self.client.post(url, {f"post-{self.enrollment.pk}": "90"}).status_code, 404)
        self.enrollment.refresh_from_db()
        self.assertIsNone(self.enrollment.post_test_score)


class FinalizeViewTests(ProgressTestCase):
    def test_the_trainer_finalizes(self) -> None:
        for session in self.sessions:
            attendance.attendance_mark(actor=self.trainer, session=session, enrollment=self.enrollment)
        attendance.scores_record(actor=self.trainer, enrollment=self.enrollment, post_test_score=90)
        self.login(self.trainer)
        url = reverse("learning:finalize", args=[self.training_class.pk])
        response = self.client.get(url)
        self.assertContains(response, "Nilai post-test belum diisi")  # the officer
        response = self.client.post(url)
        self.assertEqual(response.status_code, 302)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, Enrollment.Status.COMPLETED)
        self.assertTrue(Certificate.objects.filter(enrollment=self.enrollment).exists())
        self.assertContains(self.client.get(url), "sertifikat")

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.other):
            self.login(user)
            response = self.client.post(reverse("learning:finalize", args=[self.training_class.pk]))
            self.assertEqual(response.status_code, 404)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, Enrollment.Status.ENROLLED)
