"""Small builders for the progress tests: a programme, a class with sessions, enrolments made with the ORM
(the enrolment services are built elsewhere; fixtures may create rows directly)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Enrollment, Program, ProgramCompetency, Session, TrainingClass
from mumpuni.people.models import Employee, Role
from mumpuni.testing import BaseTestCase, make_account


def make_program(code: str = "PLY-PRIMA", jp: str = "24", **extra: Any) -> Program:
    defaults: dict[str, Any] = {
        "name": "Pelayanan Prima",
        "category": Program.Category.CLASSICAL,
        "form": Program.Form.TEKNIS,
        "jp": Decimal(jp),
    }
    defaults.update(extra)
    return Program.objects.create(code=code, **defaults)


def make_class(
    program: Program,
    *,
    code: str = "PLY-PRIMA-2026-01",
    starts_on: dt.date | None = None,
    days: int = 2,
    sessions: int = 4,
    trainers: tuple[Any, ...] = (),
    **extra: Any,
) -> TrainingClass:
    starts_on = starts_on or timezone.localdate() - dt.timedelta(days=10)
    ends_on = starts_on + dt.timedelta(days=days - 1)
    training_class = TrainingClass.objects.create(
        program=program,
        code=code,
        name=f"{program.name} Angkatan I",
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=30,
        status=TrainingClass.Status.FINISHED
        if ends_on < timezone.localdate()
        else TrainingClass.Status.RUNNING,
        min_attendance_percent=extra.pop("min_attendance_percent", program.min_attendance_percent),
        min_post_test=extra.pop("min_post_test", program.min_post_test),
        **extra,
    )
    training_class.trainers.set(trainers)
    tz = timezone.get_current_timezone()
    for index in range(sessions):
        day = starts_on + dt.timedelta(days=min(index // 2, days - 1))
        hour = 8 if index % 2 == 0 else 13
        start = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz)
        Session.objects.create(
            training_class=training_class,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            topic=f"Materi {index + 1}",
            checkin_secret=secrets.token_hex(16),
        )
    return training_class


def enroll(training_class: TrainingClass, employee: Employee, **extra: Any) -> Enrollment:
    return Enrollment.objects.create(
        training_class=training_class, employee=employee, status=extra.pop("status", "enrolled"), **extra
    )


def make_competency(code: str = "T.PLY", name: str = "Pelayanan prima") -> Competency:
    return Competency.objects.create(code=code, name=name, kind=Competency.Kind.TECHNICAL)


def add_uplift(program: Program, competency: Competency, uplift: int) -> ProgramCompetency:
    return ProgramCompetency.objects.create(program=program, competency=competency, uplift=uplift)


class ProgressTestCase(BaseTestCase):
    """The personas plus a trainer, a programme and a finished class of four sessions in which `employee`
    and `officer` are enrolled."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.trainer = make_account("pelatih", [(Role.TRAINER, None)])
        cls.program = make_program()
        cls.training_class = make_class(cls.program, trainers=(cls.trainer,))
        cls.sessions = list(cls.training_class.sessions.all())
        cls.enrollment = enroll(cls.training_class, cls.employee_employee)
        cls.officer_enrollment = enroll(cls.training_class, cls.officer_employee)
