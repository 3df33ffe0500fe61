"""Competency API (/api/v1/competencies/): the dictionary, required levels per position, assessments and
gaps — read through the selectors with the caller's scope, written through the services.

Something outside the scope is a 404 (its existence does not leak); something visible that the caller may
not change is a 403; invalid input is a 422 with Indonesian messages per field (common.api).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from mumpuni.common.api import ErrorOut, PagePagination
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.competencies import selectors, services
from mumpuni.competencies.models import Assessment, Competency, PositionRequirement
from mumpuni.people.models import Employee, Unit
from mumpuni.people.scopes import Scope, scope_for

router = Router(tags=["kompetensi"])

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
_NIP = re.compile(r"^\d{18}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,39}$")

Source = Literal["self", "supervisor", "assessment_centre", "test"]


# --- schemas ---------------------------------------------------------------------------------------


class LevelOut(Schema):
    level: int
    title: str
    description: str


class CompetencyOut(Schema):
    code: str
    name: str
    kind: str
    description: str
    unit_code: str | None
    active: bool
    levels: list[LevelOut]


class RequirementOut(Schema):
    competency: str
    name: str
    kind: str
    required_level: int
    explicit: bool = Field(description="true: persyaratan jabatan; false: standar manajerial bawaan.")


class AssessmentOut(Schema):
    id: int
    nip: str
    competency: str
    level: int
    source: str
    assessed_on: dt.date
    valid_until: dt.date | None
    assessor: str | None
    note: str
    evidence_url: str
    withdrawn: bool


class AssessmentIn(Schema):
    nip: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{18}$")]
    competency: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    level: int = Field(ge=1, le=5)
    source: Source = "supervisor"
    assessed_on: dt.date | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] = ""
    evidence_url: Annotated[str, StringConstraints(max_length=200)] = ""


class EmployeeGapOut(Schema):
    competency: str
    name: str
    kind: str
    required_level: int | None
    current_level: int | None
    gap: int | None = Field(
        description="level minimal − level saat ini (tidak negatif); null bila belum dinilai."
    )


class UnitGapOut(Schema):
    competency: str
    name: str
    employees_required: int
    assessed: int
    below: int
    unassessed: int
    mean_gap: float
    percent_below: float


# --- helpers ---------------------------------------------------------------------------------------


def _scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.sees_people:
        raise PermissionDeniedError("Akun ini tidak memiliki akses ke data kompetensi.")
    return scope


def _employee(scope: Scope, nip: str) -> Employee:
    if not _NIP.match(nip):
        raise Http404
    employee = scope.employees(Employee.objects.select_related("unit", "position")).filter(nip=nip).first()
    if employee is None:
        raise Http404
    return employee


def _competency(code: str) -> Competency:
    competency = selectors.competency_by_code(code) if _CODE.match(code) else None
    if competency is None:
        raise Http404
    return competency


def _competency_out(c: Competency) -> CompetencyOut:
    return CompetencyOut(
        code=c.code,
        name=c.name,
        kind=c.kind,
        description=c.description,
        unit_code=c.unit.code if c.unit else None,
        active=c.active,
        levels=[
            LevelOut(level=lv.level, title=lv.title, description=lv.description) for lv in c.levels.all()
        ],
    )


def _assessment_out(a: Assessment, nip: str) -> AssessmentOut:
    return AssessmentOut(
        id=a.pk,
        nip=nip,
        competency=a.competency.code,
        level=a.level,
        source=a.source,
        assessed_on=a.assessed_on,
        valid_until=a.valid_until,
        assessor=a.assessor.username if a.assessor else None,
        note=a.note,
        evidence_url=a.evidence_url,
        withdrawn=a.withdrawn_at is not None,
    )


# --- endpoints -------------------------------------------------------------------------------------


@router.get("", response={200: list[CompetencyOut], **READ_ERRORS}, summary="Kamus kompetensi")
def competency_list(request: HttpRequest, active: bool | None = None) -> list[CompetencyOut]:
    _scope(request)
    qs = selectors.competency_list()
    if active is not None:
        qs = qs.filter(active=active)
    return [_competency_out(c) for c in qs]


@router.get("/positions/{code}/requirements", response={200: list[RequirementOut], **READ_ERRORS})
def position_requirements(request: HttpRequest, code: str) -> list[RequirementOut]:
    """Required levels of a position: explicit requirements and the managerial defaults that apply."""
    scope = _scope(request)
    position = scope.positions().filter(code=code).first() if _CODE.match(code) else None
    if position is None:
        raise Http404
    required = selectors.required_levels(position)
    explicit = set(
        PositionRequirement.objects.filter(position=position).values_list("competency_id", flat=True)
    )
    competencies = Competency.objects.in_bulk(list(required))
    return [
        RequirementOut(
            competency=competencies[pk].code,
            name=competencies[pk].name,
            kind=competencies[pk].kind,
            required_level=level,
            explicit=pk in explicit,
        )
        for pk, level in sorted(
            required.items(), key=lambda i: (competencies[i[0]].kind, competencies[i[0]].code)
        )
    ]


@router.get("/employees/{nip}/assessments", response={200: list[AssessmentOut], **READ_ERRORS})
@paginate(PagePagination)
def employee_assessments(request: HttpRequest, nip: str) -> list[AssessmentOut]:
    """An employee's assessment history, newest first (withdrawn ones included and marked)."""
    employee = _employee(_scope(request), nip)
    return [_assessment_out(a, employee.nip) for a in selectors.assessment_history(employee)]


@router.get("/employees/{nip}/gaps", response={200: list[EmployeeGapOut], **READ_ERRORS})
def employee_gaps(request: HttpRequest, nip: str) -> list[EmployeeGapOut]:
    employee = _employee(_scope(request), nip)
    return [
        EmployeeGapOut(
            competency=row.competency.code,
            name=row.competency.name,
            kind=row.competency.kind,
            required_level=row.required,
            current_level=row.current,
            gap=row.gap if row.current is not None and row.required is not None else None,
        )
        for row in selectors.employee_competencies(employee)
    ]


@router.get("/units/{code}/gaps", response={200: list[UnitGapOut], **READ_ERRORS})
def unit_gaps(request: HttpRequest, code: str) -> list[UnitGapOut]:
    """Gaps per competency of the employees in a unit and the units under it (within the caller's scope)."""
    scope = _scope(request)
    unit = Unit.objects.filter(code=code).first() if _CODE.match(code) else None
    if unit is None or not selectors.can_view_root(scope, unit):
        raise Http404
    matrix = selectors.gap_matrix(scope, unit)
    return [
        UnitGapOut(
            competency=c.code,
            name=c.name,
            employees_required=s.required_for,
            assessed=s.assessed,
            below=s.below,
            unassessed=s.unassessed,
            mean_gap=round(s.mean_gap, 2),
            percent_below=round(s.percent_below, 1),
        )
        for c, s in matrix.ranked
    ]


@router.post("/assessments", response={201: AssessmentOut, **WRITE_ERRORS}, summary="Catat penilaian")
def assessment_create(request: HttpRequest, payload: AssessmentIn) -> Status:
    scope = _scope(request)
    employee = _employee(scope, payload.nip)
    competency = selectors.competency_by_code(payload.competency)
    if competency is None:
        raise ValidationFailed(
            "Kode kompetensi tidak ada di kamus.",
            fields={"competency": ["Kode kompetensi tidak ada di kamus."]},
        )
    assessment = services.assessment_record(
        actor=request.user,
        employee=employee,
        competency=competency,
        level=payload.level,
        source=payload.source,
        assessed_on=payload.assessed_on,
        note=payload.note,
        evidence_url=payload.evidence_url,
    )
    return Status(201, _assessment_out(assessment, employee.nip))


@router.post("/assessments/{assessment_id}/withdraw", response={200: AssessmentOut, **WRITE_ERRORS})
def assessment_withdraw(request: HttpRequest, assessment_id: int) -> AssessmentOut:
    """Withdraw an assessment (the assessor or BKPP): kept in the history, no longer counted."""
    scope = _scope(request)
    assessment = (
        Assessment.objects.filter(pk=assessment_id, employee__in=scope.employees())
        .select_related("employee", "competency", "assessor")
        .first()
    )
    if assessment is None:
        raise Http404
    services.assessment_withdraw(actor=request.user, assessment=assessment)
    return _assessment_out(assessment, assessment.employee.nip)


@router.get("/{code}", response={200: CompetencyOut, **READ_ERRORS}, summary="Satu kompetensi")
def competency_get(request: HttpRequest, code: str) -> CompetencyOut:
    _scope(request)
    competency = _competency(code)
    return _competency_out(
        Competency.objects.select_related("unit").prefetch_related("levels").get(pk=competency.pk)
    )
