"""Trainer pages: the attendance grid, the room's QR page and the participant's check-in page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.urls import reverse

from mumpuni.learning.models import Attendance
from mumpuni.learning.services import attendance as services
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase


class AttendanceGridViewTests(ProgressTestCase):
    def test_the_trainer_saves_the_grid(self) -> None:
        self.login(self.trainer)
        url = reverse("learning:attendance", args=[self.training_class.pk])
        response = self.client.get(url)
        self.assertContains(response, self.employee_employee.name)
        cells = [f"{self.enrollment.pk}-{s.pk}" for s in self.sessions]
        response = self.client.post(url, {"present": cells})
        self.assertEqual(response.status_code, 302)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.attendance_percent, Decimal("100.00"))

    def test_the_teaching_list_shows_own_classes(self) -> None:
        self.login(self.trainer)
        self.assertContains(self.client.get(reverse("learning:teaching")), self.training_class.code)
        self.login(self.employee)
        self.assertNotContains(self.client.get(reverse("learning:teaching")), self.training_class.code)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.other, self.employee, self.camat):
            self.login(user)
            url = reverse("learning:attendance", args=[self.training_class.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(
                self.client.post(
                    url, {"present": [f"{self.enrollment.pk}-{self.sessions[0].pk}"]}
                ).status_code,
                404,
            )
            self.assertEqual(
                self.client.get(reverse("learning:session_qr", args=[self.sessions[0].pk])).status_code, 404
            )
        self.assertFalse(Attendance.objects.exists())
        self.client.logout()
        self.assertEqual(
            self.client.get(reverse("learning:attendance", args=[self.training_class.pk])).status_code, 302
        )


class QrAndCheckinViewTests(ProgressTestCase):
    def test_the_qr_page_shows_a_code_only_during_the_session(self) -> None:
        session = self.sessions[0]
        self.login(self.trainer)
        url = reverse("learning:session_qr", args=[session.pk])
        with mock.patch(
            "django.utils.timezone.now", return_value=session.starts_at + dt.timedelta(minutes=10)
        ):
            response = self.client.get(url)
        self.assertContains(response, "<svg")
        self.assertContains(response, "Hadir: 0 dari 2 peserta")
        response = self.client.get(url)  # now: the class ended days ago
        self.assertNotContains(response, "<svg")
        self.assertContains(response, "hanya dibuka selama sesi")

    def test_the_participant_checks_in_from_the_code(self) -> None:
        session = self.sessions[0]
        now = session.starts_at + dt.timedelta(minutes=10)
        token = services.checkin_token(session, now)
        url = reverse("learning:checkin", args=[session.pk, token])
        self.login(self.employee)
        with mock.patch("django.utils.timezone.now", return_value=now):
            self.assertContains(self.client.get(url), "Catat kehadiran saya")
            response = self.client.post(url)
        self.assertContains(response, "kehadiran Anda sudah dicatat")
        self.assertTrue(Attendance.objects.get(enrollment=self.enrollment, session=session).present)

    def test_it_explains_a_closed_session(self) -> None:
        session = self.sessions[0]
        token = services.checkin_token(session)
        self.login(self.employee)
        response = self.client.post(reverse("learning:checkin", args=[session.pk, token]))
        self.assertContains(response, "sudah berakhir", status_code=422)
        self.assertFalse(Attendance.objects.exists())

    def test_it_refuses_outsiders(self) -> None:
        session = self.sessions[0]
        now = session.starts_at + dt.timedelta(minutes=10)
        url = reverse("learning:checkin", args=[session.pk, services.checkin_token(session, now)])
        self.login(self.other)
        with mock.patch("django.utils.timezone.now", return_value=now):
            response = self.client.post(url)
        self.assertContains(response, "tidak terdaftar", status_code=403)
        self.assertFalse(Attendance.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.post(url).status_code, 302)  # to the login page
