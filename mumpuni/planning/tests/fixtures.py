"""Shared data for the planning tests: the personas, two competencies with hand-made gaps, three
programmes (APBD, partner-funded, free e-learning), classes of this year and last year, the funding
sources and an APBD budget of Rp 10 juta.

Gaps (required 3 in T.PLY and T.ADK for the staff position):
- employee (Agus, pelaksana): T.PLY 2, T.ADK 1
- officer (Rina, counter officer, front line): T.PLY 1, T.ADK 2
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mumpuni.competencies.models import Competency, PositionRequirement
from mumpuni.competencies.services import assessment_record
from mumpuni.learning.models import Enrollment, Program, ProgramCompetency, TrainingClass
from mumpuni.people.models import Employee
from mumpuni.planning.models import Budget, FundingSource, ProgramFunding
from mumpuni.testing import BaseTestCase


def make_program(code: str, cost: int, jp: str, *uplifts: tuple[Competency, int], **extra: Any) -> Program:
    defaults: dict[str, Any] = {
        "name": f"Program {code}",
        "category": Program.Category.CLASSICAL,
        "form": Program.Form.TEKNIS,
        "jp": Decimal(jp),
        "cost_per_participant": cost,
    }
    defaults.update(extra)
    program = Program.objects.create(code=code, **defaults)
    for competency, uplift in uplifts:
        ProgramCompetency.objects.create(program=program, competency=competency, uplift=uplift)
    return program


def make_class(
    program: Program, code: str, starts_on: dt.date, *, capacity: int = 10, status: str = "open"
) -> TrainingClass:
    return TrainingClass.objects.create(
        program=program,
        code=code,
        name=f"{program.name} {code}",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=2),
        capacity=capacity,
        status=status,
    )


def enrol(training_class: TrainingClass, employee: Employee, status: str) -> Enrollment:
    return Enrollment.objects.create(training_class=training_class, employee=employee, status=status)


class PlanningTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        cls.c_ply = Competency.objects.create(
            code="T.PLY", name="Pelayanan prima", kind=Competency.Kind.TECHNICAL
        )
        cls.c_adk = Competency.objects.create(code="T.ADK", name="Adminduk", kind=Competency.Kind.TECHNICAL)
        for competency in (cls.c_ply, cls.c_adk):
            PositionRequirement.objects.create(
                position=cls.pos_staff, competency=competency, required_level=3
            )
        levels = {
            cls.employee_employee: {cls.c_ply: 1, cls.c_adk: 2},
            cls.officer_employee: {cls.c_ply: 2, cls.c_adk: 1},
        }
        for employee, by_competency in levels.items():
            for competency, level in by_competency.items():
                assessment_record(
                    actor=cls.admin,
                    employee=employee,
                    competency=competency,
                    level=level,
                    source="assessment_centre",
                    assessed_on=dt.date(cls.year - 1, 11, 1),
                )
        cls.apbd = FundingSource.objects.create(code="APBD", name="APBD Kota", kind=FundingSource.Kind.APBD)
        cls.mitra = FundingSource.objects.create(code="MITRA", name="Mitra", kind=FundingSource.Kind.PARTNER)
        cls.free = FundingSource.objects.create(code="GRATIS", name="Gratis", kind=FundingSource.Kind.FREE)
        cls.p_ply = make_program("PLY", 1_000_000, "16", (cls.c_ply, 2))
        cls.p_adk = make_program("ADK", 2_000_000, "24", (cls.c_adk, 1))
        cls.p_keu = make_program(
            "KEU", 3_000_000, "32", (cls.c_adk, 2), provider=Program.Provider.BPSDM_PROVINSI
        )
        ProgramFunding.objects.create(program=cls.p_keu, source=cls.mitra)
        cls.p_online = make_program(
            "ONLINE",
            0,
            "10",
            (cls.c_ply, 1),
            category=Program.Category.NONCLASSICAL,
            form=Program.Form.E_LEARNING,
            provider=Program.Provider.ELEARNING,
        )
        cls.class_ply = make_class(cls.p_ply, "PLY-A", dt.date(cls.year, 12, 10))
        cls.class_adk = make_class(cls.p_adk, "ADK-A", dt.date(cls.year, 12, 15))
        cls.class_keu = make_class(cls.p_keu, "KEU-A", dt.date(cls.year, 12, 20))
        cls.class_old = make_class(cls.p_ply, "PLY-OLD", dt.date(cls.year - 1, 3, 1), status="finished")
        cls.budget = Budget.objects.create(year=cls.year, source=cls.apbd, amount=10_000_000)
