"""Shared data for the evaluation tests: the personas plus two trainers, a programme targeting two
competencies, a finished class taught by `trainer` with four participants of the supervisor's team and
Tembalang (hand-picked scores), and a class of another trainer with a participant from Banyumanik."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mumpuni.competencies.models import Competency
from mumpuni.evaluation import services
from mumpuni.evaluation.models import BehaviourRequest, ReactionResponse
from mumpuni.learning.models import Enrollment, Program, ProgramCompetency, TrainingClass
from mumpuni.people.models import Role
from mumpuni.testing import BaseTestCase, make_account, make_employee

ANSWERS = {
    "relevance": 4,
    "trainer": 5,
    "method": 4,
    "materials": 3,
    "facilities": 2,
    "usefulness": 4,
    "overall": 4,
}
# (pre, post) for employee, officer, extra1, extra2: the hand-worked example of test_stats.
SCORES = [("40", "70"), ("60", "70"), ("80", "95"), ("100", "90")]


def make_class(
    code: str, program: Program, ends_on: dt.date, trainers: list[Any], **extra: Any
) -> TrainingClass:
    defaults: dict[str, Any] = {
        "name": f"Angkatan {code}",
        "starts_on": ends_on - dt.timedelta(days=2),
        "ends_on": ends_on,
        "capacity": 30,
        "status": TrainingClass.Status.FINISHED,
        "min_post_test": Decimal("75"),
    }
    defaults.update(extra)
    training_class = TrainingClass.objects.create(program=program, code=code, **defaults)
    training_class.trainers.set(trainers)
    return training_class


def enrol(
    training_class: TrainingClass, employee: Any, pre: str | None, post: str | None, **extra: Any
) -> Enrollment:
    status = extra.pop("status", Enrollment.Status.COMPLETED)
    return Enrollment.objects.create(
        training_class=training_class,
        employee=employee,
        status=status,
        pre_test_score=Decimal(pre) if pre else None,
        post_test_score=Decimal(post) if post else None,
        completed_on=training_class.ends_on if status == Enrollment.Status.COMPLETED else None,
        **extra,
    )


class EvaluationTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.ended = cls.today - dt.timedelta(days=1)
        cls.trainer_employee = make_employee("Hadi Widyaiswara", cls.bkpp, None)
        cls.trainer = make_account("pelatih", [(Role.TRAINER, None)], cls.trainer_employee)
        cls.other_trainer_employee = make_employee("Lina Widyaiswara", cls.bkpp, None, sex="P")
        cls.other_trainer = make_account("pelatih-lain", [(Role.TRAINER, None)], cls.other_trainer_employee)
        cls.c_ply = Competency.objects.create(
            code="T.PLY", name="Pelayanan prima", kind=Competency.Kind.TECHNICAL
        )
        cls.c_kom = Competency.objects.create(code="M.03", name="Komunikasi", kind=Competency.Kind.MANAGERIAL)
        cls.program = Program.objects.create(
            code="PLY-PRIMA",
            name="Pelayanan Prima",
            category=Program.Category.CLASSICAL,
            form=Program.Form.TEKNIS,
            jp=Decimal("24"),
        )
        ProgramCompetency.objects.create(program=cls.program, competency=cls.c_ply, uplift=1)
        ProgramCompetency.objects.create(program=cls.program, competency=cls.c_kom, uplift=1)
        cls.other_program = Program.objects.create(
            code="ARSIP",
            name="Kearsipan",
            category=Program.Category.CLASSICAL,
            form=Program.Form.TEKNIS,
            jp=Decimal("16"),
            provider=Program.Provider.LAN,
        )
        cls.klass = make_class("PLY-2026-01", cls.program, cls.ended, [cls.trainer])
        cls.extra1 = make_employee("Tono Sugiarto", cls.bulusan, None, supervisor=cls.supervisor_employee)
        cls.extra2 = make_employee(
            "Wati Suryani", cls.bulusan, None, supervisor=cls.supervisor_employee, sex="P"
        )
        cls.extra1_user = make_account("tono", [(Role.EMPLOYEE, None)], cls.extra1)
        cls.extra2_user = make_account("wati", [(Role.EMPLOYEE, None)], cls.extra2)
        people = [cls.employee_employee, cls.officer_employee, cls.extra1, cls.extra2]
        cls.enrollments = [
            enrol(cls.klass, e, pre, post) for e, (pre, post) in zip(people, SCORES, strict=True)
        ]
        cls.other_class = make_class("ARS-2026-01", cls.other_program, cls.ended, [cls.other_trainer])
        cls.other_enrollment = enrol(cls.other_class, cls.other_officer_employee, "50", "80")

    # --- helpers -------------------------------------------------------------------------------------
    def open_l1(self) -> None:
        services.open_due_evaluations(today=self.today)

    def form_of(self, employee: Any) -> ReactionResponse:
        return ReactionResponse.objects.select_related(
            "enrollment__employee", "enrollment__training_class"
        ).get(enrollment__employee=employee, enrollment__training_class=self.klass)

    def open_l3(self) -> None:
        services.open_due_evaluations(today=self.ended + dt.timedelta(days=90))

    def request_of(self, employee: Any) -> BehaviourRequest:
        return BehaviourRequest.objects.select_related("employee__unit", "enrollment").get(
            employee=employee, enrollment__training_class__in=[self.klass, self.other_class]
        )

    def answer_all(self, people: list[Any], users: list[Any]) -> None:
        for employee, user in zip(people, users, strict=True):
            services.reaction_submit(actor=user, response=self.form_of(employee), answers=ANSWERS)
