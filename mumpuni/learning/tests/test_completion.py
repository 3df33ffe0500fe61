"""Completion rule and finalisation: JP, competency evidence and certificate on completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.competencies.models import Assessment, CurrentLevel
from mumpuni.competencies.services import assessment_record
from mumpuni.learning.models import Certificate, Enrollment, JpEntry
from mumpuni.learning.services import attendance
from mumpuni.learning.services.completion import class_finalize, enrollment_finalize, evaluate
from mumpuni.learning.tests.progress_fixtures import (
    ProgressTestCase,
    add_uplift,
    enroll,
    make_class,
    make_competency,
)
from mumpuni.testing import BaseTestCase


class EvaluateTests(BaseTestCase):
    def rule(self, attendance: str | None, post: str | None, min_post: str | None = "70") -> bool:
        return evaluate(
            attendance_percent=Decimal(attendance) if attendance is not None else None,
            post_test_score=Decimal(post) if post is not None else None,
            min_attendance_percent=90,
            min_post_test=Decimal(min_post) if min_post is not None else None,
        ).completed

    def test_it_accepts_exactly_the_thresholds(self) -> None:
        self.assertTrue(self.rule("90.00", "70.00"))

    def test_it_refuses_just_below(self) -> None:
        self.assertFalse(self.rule("89.99", "100"))
        self.assertFalse(self.rule("100", "69.99"))

    def test_it_ignores_the_test_when_the_class_has_none(self) -> None:
        self.assertTrue(self.rule("95", None, min_post=None))
        self.assertFalse(self.rule("80", None, min_post=None))

    def test_it_refuses_missing_data_with_reasons(self) -> None:
        outcome = evaluate(
            attendance_percent=None,
            post_test_score=None,
            min_attendance_percent=90,
            min_post_test=Decimal(70),
        )
        self.assertFalse(outcome.completed)
        self.assertEqual(len(outcome.reasons), 2)


class FinalizeTests(ProgressTestCase):
    def attend(self, enrollment: Enrollment, count: int) -> None:
        for session in self.sessions[:count]:
            attendance.attendance_mark(actor=self.trainer, session=session, enrollment=enrollment)

    def test_it_completes_and_credits_everything_once(self) -> None:
        competency = make_competency()
        add_uplift(self.program, competency, 2)
        self.attend(self.enrollment, 4)
        attendance.scores_record(actor=self.trainer, enrollment=self.enrollment, post_test_score=70)
        self.attend(self.officer_enrollment, 3)  # 75 %
        attendance.scores_record(actor=self.trainer, enrollment=self.officer_enrollment, post_test_score=95)

        result = class_finalize(actor=self.trainer, training_class=self.training_class)
        self.assertEqual([e.pk for e in result.completed], [self.enrollment.pk])
        self.enrollment.refresh_from_db()
        self.officer_enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, Enrollment.Status.COMPLETED)
        self.assertEqual(self.enrollment.completed_on, self.training_class.ends_on)
        self.assertEqual(self.officer_enrollment.status, Enrollment.Status.NOT_COMPLETED)
        self.assertIsNone(self.officer_enrollment.completed_on)

        entry = JpEntry.objects.get(enrollment=self.enrollment)
        self.assertEqual(
            (entry.jp, entry.source, entry.year), (Decimal("24.0"), "class", entry.occurred_on.year)
        )
        self.assertTrue(Certificate.objects.filter(enrollment=self.enrollment).exists())
        self.assertFalse(Certificate.objects.filter(enrollment=self.officer_enrollment).exists())
        assessment = Assessment.objects.get(training_enrollment_id=self.enrollment.pk)
        self.assertEqual((assessment.level, assessment.source), (3, "training"))  # none before: 1 + 2
        self.assertEqual(CurrentLevel.objects.get(employee=self.employee_employee).level, 3)

        # Finalising again changes nothing.
        class_finalize(actor=self.trainer, training_class=self.training_class)
        self.assertEqual(JpEntry.objects.count(), 1)
        self.assertEqual(Certificate.objects.count(), 1)
        self.assertEqual(Assessment.objects.count(), 1)

    def test_it_raises_from_the_current_level_and_caps_at_5(self) -> None:
        competency = make_competency()
        add_uplift(self.program, competency, 3)
        assessment_record(
            actor=self.supervisor,
            employee=self.employee_employee,
            competency=competency,
            level=4,
            source="supervisor",
            assessed_on=self.training_class.starts_on - dt.timedelta(days=30),
        )
        self.attend(self.enrollment, 4)
        attendance.scores_record(actor=self.trainer, enrollment=self.enrollment, post_test_score=88)
        enrollment_finalize(actor=self.trainer, enrollment=self.enrollment)
        self.assertEqual(Assessment.objects.get(training_enrollment_id=self.enrollment.pk).level, 5)

    def test_it_treats_69_99_as_failing_and_lets_a_remedial_test_pass(self) -> None:
        self.attend(self.enrollment, 4)
        attendance.scores_record(actor=self.trainer, enrollment=self.enrollment, post_test_score="69.99")
        outcome = enrollment_finalize(actor=self.trainer, enrollment=self.enrollment)
        self.assertFalse(outcome.completed)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, Enrollment.Status.NOT_COMPLETED)
        attendance.scores_record(actor=self.trainer, enrollment=self.enrollment, post_test_score="70")
        self.assertTrue(enrollment_finalize(actor=self.trainer, enrollment=self.enrollment).completed)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, Enrollment.Status.COMPLETED)

    def test_it_accepts_exactly_90_percent_attendance(self) -> None:
        ten = make_class(
            self.program,
            code="PLY-PRIMA-2026-10",
            days=5,
            sessions=10,
            trainers=(self.trainer,),
            min_post_test=None,
        )
        enrollment = enroll(ten, self.employee_employee)
        for session in list(ten.sessions.all())[:9]:
            attendance.attendance_mark(actor=self.trainer, session=session, enrollment=enrollment)
        enrollment.refresh_from_db()
        self.assertEqual(enrollment.attendance_percent, Decimal("90.00"))
        self.assertTrue(enrollment_finalize(actor=self.trainer, enrollment=enrollment).completed)

    def test_it_waits_for_the_class_to_end(self) -> None:
        running = make_class(
            self.program,
            code="PLY-PRIMA-2026-11",
            starts_on=timezone.localdate(),
            days=3,
            trainers=(self.trainer,),
        )
        with self.assertRaisesMessage(ValidationFailed, "sesudah kelas selesai"):
            class_finalize(actor=self.trainer, training_class=running)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.other, self.camat):
            with self.assertRaises(PermissionDeniedError):
                class_finalize(actor=user, training_class=self.training_class)
        self.enrollment.refresh_from_db()
        self.assertEqual(self.enrollment.status, Enrollment.Status.ENROLLED)
