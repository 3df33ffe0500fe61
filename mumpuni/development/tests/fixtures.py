"""Shared data for the plan tests: the personas, four competencies the employee is assessed in (gaps 3, 2,
1 and none), programmes that raise them, and helpers to build a plan through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mumpuni.competencies.models import Competency, PositionRequirement
from mumpuni.competencies.services import assessment_record
from mumpuni.development import services
from mumpuni.development.models import DevelopmentPlan
from mumpuni.learning.models import Program, ProgramCompetency
from mumpuni.testing import BaseTestCase


def make_competency(code: str, name: str) -> Competency:
    return Competency.objects.create(code=code, name=name, kind=Competency.Kind.TECHNICAL)


def make_program(code: str, jp: str, *uplifts: tuple[Competency, int], **extra: Any) -> Program:
    defaults: dict[str, Any] = {
        "name": f"Program {code}",
        "category": Program.Category.CLASSICAL,
        "form": Program.Form.TEKNIS,
        "jp": Decimal(jp),
    }
    defaults.update(extra)
    program = Program.objects.create(code=code, **defaults)
    for competency, uplift in uplifts:
        ProgramCompetency.objects.create(program=program, competency=competency, uplift=uplift)
    return program


class PlanTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        cls.c_adk = make_competency("T.ADK", "Administrasi kependudukan")
        cls.c_ply = make_competency("T.PLY", "Pelayanan prima")
        cls.c_arsip = make_competency("T.ARS", "Kearsipan")
        cls.c_met = make_competency("T.TIK", "Literasi digital")
        cls.c_other = make_competency("T.LAIN", "Kompetensi lain")
        required = {cls.c_adk: 4, cls.c_ply: 3, cls.c_arsip: 3, cls.c_met: 2}
        current = {cls.c_adk: 1, cls.c_ply: 1, cls.c_arsip: 2, cls.c_met: 3}
        for competency, level in required.items():
            PositionRequirement.objects.create(
                position=cls.pos_staff, competency=competency, required_level=level
            )
        for competency, level in current.items():
            assessment_record(
                actor=cls.admin,
                employee=cls.employee_employee,
                competency=competency,
                level=level,
                source="assessment_centre",
                assessed_on=dt.date(cls.year - 1, 11, 1),
            )
        # gaps: ADK 3, PLY 2, ARS 1, TIK none
        cls.p_adk_big = make_program("ADK-1", "8", (cls.c_adk, 2))
        cls.p_adk_small = make_program("ADK-2", "6", (cls.c_adk, 1))
        cls.p_ply = make_program("PLY-1", "4", (cls.c_ply, 1))
        cls.p_arsip = make_program("ARS-1", "10", (cls.c_arsip, 1))
        cls.p_inactive = make_program("ADK-OLD", "30", (cls.c_adk, 3), active=False)
        cls.p_education = make_program(
            "TB-S1",
            "100",
            (cls.c_adk, 4),
            category=Program.Category.EDUCATION,
            form=Program.Form.TUGAS_BELAJAR,
        )
        cls.p_leaders = make_program("PIM-1", "40", (cls.c_adk, 3), target_position_kinds=["administrator"])
        cls.p_unrelated = make_program("LAIN-1", "12", (cls.c_other, 2))
        cls.p_met = make_program("TIK-1", "5", (cls.c_met, 1))

    # --- helpers -------------------------------------------------------------------------------------
    def draft(self, jp: str = "20", employee: Any = None, user: Any = None) -> DevelopmentPlan:
        user = user or self.employee
        employee = employee or self.employee_employee
        plan = services.plan_create(actor=user, employee=employee, year=self.year)
        services.item_add(actor=user, plan=plan, activity="Coaching dengan Kasi Pelayanan", planned_jp=jp)
        return plan

    def proposed(self, jp: str = "20") -> DevelopmentPlan:
        plan = self.draft(jp)
        services.plan_propose(actor=self.employee, plan=plan)
        return plan

    def agreed(self) -> DevelopmentPlan:
        plan = self.proposed()
        services.plan_agree(actor=self.supervisor, plan=plan)
        return plan

    def completed(self) -> DevelopmentPlan:
        plan = self.agreed()
        services.plan_complete(actor=self.supervisor, plan=plan, comment="Tuntas")
        return plan

    def reload(self, plan: DevelopmentPlan) -> DevelopmentPlan:
        return DevelopmentPlan.objects.select_related("employee__unit").get(pk=plan.pk)
