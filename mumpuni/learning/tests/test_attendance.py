"""Attendance services: the trainer's marks and grid, QR check-in window and tokens, scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import Attendance, Enrollment
from mumpuni.learning.services import attendance as services
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase, enroll


class AttendanceMarkTests(ProgressTestCase):
    def test_it_marks_and_recomputes_percent(self) -> None:
        services.attendance_mark(actor=self.trainer, session=self.sessions[0], enrollment=self.enrollment)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.attendance_percent, Decimal("25.00"))
        services.attendance_mark(
            actor=self.trainer, session=self.sessions[0], enrollment=self.enrollment, present=False
        )
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.attendance_percent, Decimal("0.00"))

    def test_it_lets_bkpp_mark(self) -> None:
        services.attendance_mark(actor=self.admin, session=self.sessions[1], enrollment=self.enrollment)
        self.assertTrue(Attendance.objects.get(enrollment=self.enrollment, session=self.sessions[1]).present)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.other, self.camat, self.supervisor, self.employee):
            with self.assertRaises(PermissionDeniedError):
                services.attendance_mark(actor=user, session=self.sessions[0], enrollment=self.enrollment)
        self.assertFalse(Attendance.objects.exists())

    def test_it_refuses_a_session_of_another_class(self) -> None:
        from mumpuni.learning.tests.progress_fixtures import make_class

        other_class = make_class(self.program, code="PLY-PRIMA-2026-02", trainers=(self.trainer,))
        with self.assertRaises(ValidationFailed):
            services.attendance_mark(
                actor=self.trainer, session=other_class.sessions.first(), enrollment=self.enrollment
            )

    def test_it_refuses_participants_not_enrolled(self) -> None:
        waiting = enroll(self.training_class, self.supervisor_employee, status="waitlisted")
        with self.assertRaises(ValidationFailed):
            services.attendance_mark(actor=self.trainer, session=self.sessions[0], enrollment=waiting)


class AttendanceGridTests(ProgressTestCase):
    def test_it_saves_the_whole_grid(self) -> None:
        present = {(self.enrollment.pk, s.pk) for s in self.sessions[:3]} | {
            (self.officer_enrollment.pk, self.sessions[0].pk)
        }
        changed = services.attendance_grid_save(
            actor=self.trainer, training_class=self.training_class, present=present
        )
        self.assertEqual(changed, 4)
        self.enrollment.refresh_from_db()
        self.officer_enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.attendance_percent, Decimal("75.00"))
        self.assertEqual(self.officer_enrollment.attendance_percent, Decimal("25.00"))
        # Unticking a marked cell records an absence.
        services.attendance_grid_save(
            actor=self.trainer, training_class=self.training_class, present=set(list(present)[:0])
        )
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.attendance_percent, Decimal("0.00"))
        self.assertEqual(Attendance.objects.filter(present=False).count(), 4)

    def test_it_refuses_cells_of_another_class(self) -> None:
        with self.assertRaises(ValidationFailed):
            services.attendance_grid_save(
                actor=self.trainer,
                training_class=self.training_class,
                present={(999999, self.sessions[0].pk)},
            )


class CheckinTests(ProgressTestCase):
    def test_it_checks_in_during_the_session(self) -> None:
        session = self.sessions[0]
        now = session.starts_at + dt.timedelta(minutes=30)
        token = services.checkin_token(session, now)
        result = services.attendance_checkin(user=self.employee, session=session, token=token, now=now)
        self.assertFalse(result.already)
        row = Attendance.objects.get(enrollment=self.enrollment, session=session)
        self.assertEqual(row.method, Attendance.Method.QR)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.attendance_percent, Decimal("25.00"))
        again = services.attendance_checkin(user=self.employee, session=session, token=token, now=now)
        self.assertTrue(again.already)

    def test_it_opens_fifteen_minutes_before_the_start_and_closes_at_the_end(self) -> None:
        session = self.sessions[0]
        early = session.starts_at - dt.timedelta(minutes=15)
        services.attendance_checkin(
            user=self.employee, session=session, token=services.checkin_token(session, early), now=early
        )
        too_early = session.starts_at - dt.timedelta(minutes=16)
        with self.assertRaisesMessage(ValidationFailed, "belum dibuka"):
            services.attendance_checkin(
                user=self.officer,
                session=session,
                token=services.checkin_token(session, too_early),
                now=too_early,
            )
        end = session.ends_at
        services.attendance_checkin(
            user=self.officer, session=session, token=services.checkin_token(session, end), now=end
        )
        late = session.ends_at + dt.timedelta(seconds=1)
        with self.assertRaisesMessage(ValidationFailed, "sudah berakhir"):
            services.attendance_checkin(
                user=self.officer, session=session, token=services.checkin_token(session, late), now=late
            )

    def test_it_refuses_an_old_token(self) -> None:
        session = self.sessions[0]
        shown = session.starts_at
        later = shown + dt.timedelta(minutes=15)
        with self.assertRaisesMessage(ValidationFailed, "kedaluwarsa"):
            services.attendance_checkin(
                user=self.employee, session=session, token=services.checkin_token(session, shown), now=later
            )
        self.assertFalse(Attendance.objects.exists())

    def test_it_refuses_a_tampered_token_or_another_sessions_token(self) -> None:
        session, other = self.sessions[0], self.sessions[1]
        now = session.starts_at + dt.timedelta(minutes=5)
        token = services.checkin_token(session, now)
        for bad in (
            token[:-2] + ("xy" if token[-2:] != "xy" else "yx"),
            services.checkin_token(other, now),
            "sembarang",
        ):
            with self.assertRaisesMessage(ValidationFailed, "tidak valid"):
                services.attendance_checkin(user=self.employee, session=session, token=bad, now=now)
        self.assertFalse(Attendance.objects.exists())

    def test_it_refuses_outsiders(self) -> None:
        session = self.sessions[0]
        now = session.starts_at + dt.timedelta(minutes=5)
        token = services.checkin_token(session, now)
        for user in (self.supervisor, self.other, self.trainer):
            with self.assertRaisesMessage(PermissionDeniedError, "tidak terdaftar"):
                services.attendance_checkin(user=user, session=session, token=token, now=now)
        self.enrollment.status = Enrollment.Status.CANCELLED
        self.enrollment.save()
        with self.assertRaises(PermissionDeniedError):
            services.attendance_checkin(user=self.employee, session=session, token=token, now=now)
        self.assertFalse(Attendance.objects.exists())

    def test_current_session_follows_the_clock(self) -> None:
        session = self.sessions[1]
        self.assertEqual(
            services.current_session(self.training_class, session.starts_at + dt.timedelta(hours=1)), session
        )
        self.assertIsNone(
            services.current_session(self.training_class, session.ends_at + dt.timedelta(hours=1))
        )


class ScoresTests(ProgressTestCase):
    def test_it_records_scores(self) -> None:
        services.scores_record(
            actor=self.trainer, enrollment=self.enrollment, pre_test_score="55,5", post_test_score=80
        )
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.pre_test_score, Decimal("55.50"))
        self.assertEqual(self.enrollment.post_test_score, Decimal("80.00"))

    def test_it_refuses_scores_outside_0_100(self) -> None:
        for bad in ("101", "-1", "abc", "NaN"):
            with self.assertRaises(ValidationFailed):
                services.scores_record(actor=self.trainer, enrollment=self.enrollment, post_test_score=bad)
        self.enrollment.refresh_from_db()
        self.assertIsNone(self.enrollment.post_test_score)

    def test_it_refuses_outsiders(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.scores_record(actor=self.employee, enrollment=self.enrollment, post_test_score=100)
        self.enrollment.refresh_from_db()
        self.assertIsNone(self.enrollment.post_test_score)
