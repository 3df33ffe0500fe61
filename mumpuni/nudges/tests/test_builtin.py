"""The built-in rules: who qualifies on a given day, and whether they acted within 14 days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mumpuni.development.models import DevelopmentPlan, PlanComment
from mumpuni.learning.models import (
    Attendance,
    Certificate,
    Enrollment,
    JpEntry,
    Program,
    Session,
    TrainingClass,
)
from mumpuni.nudges.builtin import (
    CertificateExpiring,
    ClassStartingSoon,
    JpBehindSchedule,
    PlanAwaitingSupervisor,
    PlanCompleted,
)
from mumpuni.nudges.tests.fixtures import WIB, NudgeTestCase

DAY = dt.date(2026, 11, 25)  # Wednesday; 20 JP × 329/365 ≈ 18.0 JP expected
SINCE = dt.datetime(2026, 11, 25, 10, 0, tzinfo=WIB)


class RuleTestCase(NudgeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.program = Program.objects.create(
            code="PLY-1",
            name="Pelayanan Prima",
            category=Program.Category.CLASSICAL,
            form=Program.Form.TEKNIS,
            jp=Decimal("8"),
        )

    def make_class(self, code: str, starts_on: dt.date) -> TrainingClass:
        return TrainingClass.objects.create(
            program=self.program,
            code=code,
            name=f"Angkatan {code}",
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=2),
            capacity=30,
            status=TrainingClass.Status.OPEN,
        )

    def enrol(self, training_class: TrainingClass, employee: object, status: str = "enrolled") -> Enrollment:
        return Enrollment.objects.create(training_class=training_class, employee=employee, status=status)

    def jp(self, employee: object, jp: str, on: dt.date) -> JpEntry:
        return JpEntry.objects.create(
            employee=employee, occurred_on=on, year=on.year, jp=Decimal(jp), source="import"
        )


class JpBehindScheduleTests(RuleTestCase):
    def test_it_nudges_people_below_the_pro_rata_share(self) -> None:
        self.jp(self.employee_employee, "10", dt.date(2026, 3, 1))  # behind (18 − 2 = 16)
        self.jp(self.supervisor_employee, "17", dt.date(2026, 3, 1))  # within the margin
        self.jp(self.camat_employee, "30", dt.date(2026, 12, 20))  # later than the day: does not count yet
        found = {c.user_id: c for c in JpBehindSchedule().candidates(DAY)}
        self.assertIn(self.employee.pk, found)
        self.assertNotIn(self.supervisor.pk, found)
        self.assertIn(self.camat.pk, found)
        self.assertNotIn(self.executive.pk, found)  # no employee record
        self.assertEqual(found[self.employee.pk].key, "2026-11")
        self.assertIn("10", found[self.employee.pk].body)

    def test_nobody_is_behind_in_early_january(self) -> None:
        self.assertEqual(list(JpBehindSchedule().candidates(dt.date(2026, 1, 20))), [])

    def test_a_jp_line_or_an_enrolment_in_the_window_counts(self) -> None:
        rule = JpBehindSchedule()
        self.assertFalse(rule.acted(self.employee.pk, "2026-11", SINCE))
        self.jp(self.employee_employee, "2", dt.date(2026, 12, 20))  # too late
        self.assertFalse(rule.acted(self.employee.pk, "2026-11", SINCE))
        self.jp(self.employee_employee, "2", dt.date(2026, 12, 1))
        self.assertEqual(
            rule.first_action(self.employee.pk, "2026-11", SINCE), dt.datetime(2026, 12, 1, tzinfo=WIB)
        )


class ClassStartingSoonTests(RuleTestCase):
    def test_it_nudges_the_seated_within_three_days(self) -> None:
        soon = self.make_class("A1", DAY + dt.timedelta(days=3))
        later = self.make_class("A2", DAY + dt.timedelta(days=4))
        self.enrol(soon, self.employee_employee)
        self.enrol(soon, self.supervisor_employee, status="waitlisted")
        self.enrol(later, self.camat_employee)
        found = list(ClassStartingSoon().candidates(DAY))
        self.assertEqual([(c.user_id, c.key) for c in found], [(self.employee.pk, f"class:{soon.pk}")])

    def test_acted_means_present_at_the_first_session(self) -> None:
        klass = self.make_class("A1", DAY + dt.timedelta(days=2))
        enrolment = self.enrol(klass, self.employee_employee)
        start = dt.datetime(2026, 11, 27, 8, 0, tzinfo=WIB)
        first = Session.objects.create(
            training_class=klass, starts_at=start, ends_at=start + dt.timedelta(hours=4), checkin_secret="x"
        )
        second = Session.objects.create(
            training_class=klass,
            starts_at=start + dt.timedelta(days=1),
            ends_at=start + dt.timedelta(days=1, hours=4),
            checkin_secret="y",
        )
        rule = ClassStartingSoon()
        key = f"class:{klass.pk}"
        Attendance.objects.create(enrollment=enrolment, session=second, method="qr")
        self.assertFalse(rule.acted(self.employee.pk, key, SINCE))
        Attendance.objects.create(enrollment=enrolment, session=first, method="qr")
        self.assertEqual(rule.first_action(self.employee.pk, key, SINCE), start)


class PlanAwaitingSupervisorTests(RuleTestCase):
    def propose(self, at: dt.datetime) -> DevelopmentPlan:
        return DevelopmentPlan.objects.create(
            employee=self.employee_employee, year=2026, status=DevelopmentPlan.Status.PROPOSED, proposed_at=at
        )

    def test_it_nudges_the_supervisor_after_two_working_days(self) -> None:
        plan = self.propose(dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB))  # Monday
        rule = PlanAwaitingSupervisor()
        self.assertEqual(list(rule.candidates(dt.date(2026, 11, 24))), [])
        found = list(rule.candidates(DAY))
        self.assertEqual([c.user_id for c in found], [self.supervisor.pk])
        self.assertTrue(found[0].key.startswith(f"plan:{plan.pk}:"))

    def test_without_a_supervisor_the_unit_head_is_nudged(self) -> None:
        self.employee_employee.supervisor = None
        self.employee_employee.save(update_fields=["supervisor"])
        self.propose(dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB))
        self.assertEqual([c.user_id for c in PlanAwaitingSupervisor().candidates(DAY)], [self.camat.pk])

    def test_acted_means_the_nudged_reviewer_agreed_or_returned(self) -> None:
        plan = self.propose(dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB))
        key = f"plan:{plan.pk}:x"
        rule = PlanAwaitingSupervisor()
        PlanComment.objects.create(plan=plan, author=self.camat, step="agreed", status="agreed")
        self.assertFalse(rule.acted(self.supervisor.pk, key, timezone.now() - dt.timedelta(days=1)))
        PlanComment.objects.create(plan=plan, author=self.supervisor, step="returned", status="draft")
        self.assertTrue(rule.acted(self.supervisor.pk, key, timezone.now() - dt.timedelta(days=1)))


class CertificateExpiringTests(RuleTestCase):
    def certify(self, employee: object, valid_until: dt.date, code: str = "A0") -> Certificate:
        enrolment = self.enrol(self.make_class(code, dt.date(2024, 1, 8)), employee, status="completed")
        return Certificate.objects.create(
            enrollment=enrolment,
            number=f"800/{code}",
            issued_on=dt.date(2024, 1, 10),
            valid_until=valid_until,
        )

    def test_it_nudges_within_thirty_days(self) -> None:
        cert = self.certify(self.employee_employee, DAY + dt.timedelta(days=30))
        self.certify(self.supervisor_employee, DAY + dt.timedelta(days=31), "A9")
        revoked = self.certify(self.camat_employee, DAY + dt.timedelta(days=5), "A8")
        revoked.revoked_at = SINCE - dt.timedelta(days=1)
        revoked.save()
        found = list(CertificateExpiring().candidates(DAY))
        self.assertEqual([(c.user_id, c.key) for c in found], [(self.employee.pk, f"cert:{cert.pk}")])

    def test_acted_means_enrolled_again_in_the_programme(self) -> None:
        cert = self.certify(self.employee_employee, DAY + dt.timedelta(days=20))
        rule = CertificateExpiring()
        since = timezone.now() - dt.timedelta(days=1)
        self.assertFalse(rule.acted(self.employee.pk, f"cert:{cert.pk}", since))
        self.enrol(self.make_class("B1", dt.date(2027, 1, 4)), self.employee_employee, status="requested")
        self.assertTrue(rule.acted(self.employee.pk, f"cert:{cert.pk}", since))


class PlanCompletedTests(RuleTestCase):
    def test_it_praises_a_plan_completed_this_week_and_measures_nothing(self) -> None:
        plan = DevelopmentPlan.objects.create(
            employee=self.employee_employee,
            year=2026,
            status="completed",
            completed_at=SINCE - dt.timedelta(days=2),
        )
        DevelopmentPlan.objects.create(
            employee=self.supervisor_employee,
            year=2026,
            status="completed",
            completed_at=SINCE - dt.timedelta(days=9),
        )
        found = PlanCompleted().candidates(DAY)
        self.assertEqual(
            [(c.user_id, c.key, c.recognition) for c in found], [(self.employee.pk, f"plan:{plan.pk}", True)]
        )
        self.assertIsNone(PlanCompleted().acted(self.employee.pk, f"plan:{plan.pk}", SINCE))
