"""A small competency standard on top of the persona cast (mumpuni.testing), with known gap figures.

Requirements: M.01 and SK.01 by the managerial defaults (pelaksana 1, pengawas 2, administrator 3,
fungsional ahli muda 2), except an explicit M.01 ≥ 3 for the Kasi; T.ADK ≥ 3 explicit for the pelaksana.
Levels (all in Tembalang): employee T.ADK 2, M.01 1; officer T.ADK 1; supervisor M.01 2; camat none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mumpuni.competencies.models import Competency, CompetencyLevel, ManagerialDefault, PositionRequirement
from mumpuni.competencies.services import assessment_record

DAY = dt.date(2026, 6, 1)


def make_competency(code: str, name: str, kind: str) -> Competency:
    competency = Competency.objects.create(code=code, name=name, kind=kind, description=f"Definisi {name}.")
    CompetencyLevel.objects.bulk_create(
        [
            CompetencyLevel(competency=competency, level=i, description=f"{name} level {i}.")
            for i in range(1, 6)
        ]
    )
    return competency


def create_standard(cls: Any) -> None:
    cls.m01 = make_competency("M.01", "Integritas", "manajerial")
    cls.sk01 = make_competency("SK.01", "Perekat Bangsa", "sosial_kultural")
    cls.tadk = make_competency("T.ADK", "Administrasi Kependudukan", "teknis")
    for kind, level, required in (
        ("pelaksana", "", 1),
        ("pengawas", "", 2),
        ("administrator", "", 3),
        ("fungsional", "ahli_muda", 2),
    ):
        ManagerialDefault.objects.create(position_kind=kind, position_level=level, required_level=required)
    PositionRequirement.objects.create(position=cls.pos_kasi, competency=cls.m01, required_level=3)
    PositionRequirement.objects.create(position=cls.pos_staff, competency=cls.tadk, required_level=3)


def create_levels(cls: Any) -> None:
    def record(employee: Any, competency: Competency, level: int) -> None:
        assessment_record(
            actor=None,
            employee=employee,
            competency=competency,
            level=level,
            source="supervisor",
            assessed_on=DAY,
        )

    record(cls.employee_employee, cls.tadk, 2)
    record(cls.employee_employee, cls.m01, 1)
    record(cls.officer_employee, cls.tadk, 1)
    record(cls.supervisor_employee, cls.m01, 2)
