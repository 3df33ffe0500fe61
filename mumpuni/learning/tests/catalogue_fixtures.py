"""Shared set-up of the catalogue/class/enrolment tests: the persona cast plus a trainer, two competencies,
a programme and an open class next month with two sessions (all made through the services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Enrollment, Program, TrainingClass
from mumpuni.learning.services import catalogue, enrollment
from mumpuni.people.models import Role
from mumpuni.testing import BaseTestCase, make_account, make_employee


def make_program(code: str = "PLY-PRIMA", **extra: Any) -> Program:
    values: dict[str, Any] = {
        "name": "Pelayanan Prima",
        "category": Program.Category.CLASSICAL,
        "form": Program.Form.TEKNIS,
        "jp": Decimal("24"),
        "cost_per_participant": 750_000,
    }
    values.update(extra)
    return catalogue.program_create(actor=None, code=code, **values)


def sessions_for(start: dt.date, days: int = 2) -> list[catalogue.SessionInput]:
    tz = timezone.get_current_timezone()
    return [
        catalogue.SessionInput(
            dt.datetime.combine(start + dt.timedelta(days=i), dt.time(8), tzinfo=tz),
            dt.datetime.combine(start + dt.timedelta(days=i), dt.time(14), tzinfo=tz),
            f"Materi {i + 1}",
        )
        for i in range(days)
    ]


def make_class(
    program: Program,
    code: str,
    *,
    starts_in: int = 30,
    days: int = 2,
    capacity: int = 20,
    status: str = TrainingClass.Status.OPEN,
    **extra: Any,
) -> TrainingClass:
    start = timezone.localdate() + dt.timedelta(days=starts_in)
    return catalogue.class_create(
        actor=None,
        program=program,
        code=code,
        name=f"{program.name} {code}",
        starts_on=start,
        ends_on=start + dt.timedelta(days=days - 1),
        venue="Aula BKPP",
        capacity=capacity,
        status=status,
        sessions=sessions_for(start, days),
        **extra,
    )


class LearningTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.prima = Competency.objects.create(code="T.PRIMA", name="Pelayanan prima", kind="teknis")
        cls.komunikasi = Competency.objects.create(code="M.03", name="Komunikasi", kind="manajerial")
        cls.trainer_employee = make_employee("Hartono", cls.bkpp, None)
        cls.trainer = make_account("pelatih", [(Role.TRAINER, None)], cls.trainer_employee)
        cls.program = make_program(uplifts={"T.PRIMA": 2})
        cls.klass = make_class(cls.program, "PLY-PRIMA-2099-01", trainers=[cls.trainer])

    def request_and_approve(self, employee_user: Any, training_class: TrainingClass) -> Enrollment:
        """Request as the employee, approve as the camat and BKPP."""
        e = enrollment.enrollment_request(actor=employee_user, training_class=training_class)
        e = enrollment.enrollment_unit_approve(actor=self.camat, enrollment=e)
        return enrollment.enrollment_approve(actor=self.admin, enrollment=e)
