"""REST API of `talent` under /api/v1/talent/: 9-box counts (scoped), a programme's ranked shortlist
(BKPP admin) and submitting an application (422 with Indonesian field errors).

A unit outside the caller's scope is a 404; a page the caller's role may not read is a 403.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from mumpuni.common.api import ErrorOut
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.people.models import Employee, Unit
from mumpuni.people.scopes import scope_for
from mumpuni.talent import access, selectors, services
from mumpuni.talent.models import FurtherEducationProgram

router = Router(tags=["talenta"])

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class CellOut(Schema):
    box: int
    potential: str
    performance: str
    count: int
    pool: bool


class NineBoxOut(Schema):
    year: int
    unit_code: str | None
    placed: int
    unplaced: int
    pool: int
    cells: list[CellOut]


@router.get("/ninebox", response={200: NineBoxOut, **READ_ERRORS})
def ninebox_counts(request: HttpRequest, year: int | None = None, unit: str | None = None) -> NineBoxOut:
    """Counts per box of the employees the caller leads (city, unit subtree or team)."""
    if not access.can_view_grid(request.user):
        raise PermissionDeniedError("9-box hanya untuk admin BKPP, pimpinan, kepala unit dan atasan.")
    scope = scope_for(request.user)
    if unit:
        root = Unit.objects.filter(code=unit).first()
        if root is None or not selectors.can_view_root(scope, root):
            raise Http404("Unit tidak ditemukan.")
    else:
        root = selectors.default_root(scope)
    year = year or selectors.default_year()
    grid = selectors.grid(request.user, year, root, with_children=False)
    cells = [
        CellOut(box=c.box, potential=c.potential, performance=c.performance, count=c.count, pool=c.pool)
        for row in grid.rows
        for c in row
    ]
    return NineBoxOut(
        year=year,
        unit_code=root.code if root else None,
        placed=grid.placed,
        unplaced=grid.unplaced,
        pool=grid.pool,
        cells=sorted(cells, key=lambda c: c.box),
    )


class RuleOut(Schema):
    code: str
    label: str
    passed: bool
    reason: str


class CandidateOut(Schema):
    rank: int
    nip: str
    name: str
    unit_code: str
    eligible: bool
    box: int | None
    predikat: str
    potential_score: float | None
    years_to_retirement: int
    application_status: str | None
    reasons: list[str]
    rules: list[RuleOut]


@router.get("/programs/{code}/shortlist", response={200: list[CandidateOut], **READ_ERRORS})
def program_shortlist(
    request: HttpRequest, code: str, include_non_applicants: bool = False
) -> list[CandidateOut]:
    if not access.can_manage_education(request.user):
        raise PermissionDeniedError("Daftar pendek hanya untuk admin BKPP.")
    program = FurtherEducationProgram.objects.filter(code=code).first()
    if program is None:
        raise Http404("Program tidak ditemukan.")
    return [
        CandidateOut(
            rank=i,
            nip=c.employee.nip,
            name=c.employee.name,
            unit_code=c.employee.unit.code,
            eligible=c.verdict.eligible,
            box=c.box,
            predikat=c.predikat,
            potential_score=c.potential_score,
            years_to_retirement=c.years_to_retirement,
            application_status=c.application.status if c.application else None,
            reasons=c.reasons,
            rules=[RuleOut(**r.__dict__) for r in c.verdict.results],
        )
        for i, c in enumerate(
            selectors.shortlist(program, include_non_applicants=include_non_applicants), start=1
        )
    ]


class ApplicationIn(Schema):
    program: str  # programme code
    nip: str | None = None  # BKPP may apply for an employee; others apply for themselves
    motivation: str = ""


class ApplicationOut(Schema):
    id: int
    program: str
    nip: str
    status: str
    eligibility: list[RuleOut]


@router.post("/applications", response={201: ApplicationOut, **WRITE_ERRORS})
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status:
    program = FurtherEducationProgram.objects.filter(code=payload.program).first()
    if program is None:
        raise ValidationFailed("Program tidak dikenal.", fields={"program": ["Program tidak dikenal."]})
    scope = scope_for(request.user)
    if payload.nip:
        employee = Employee.objects.select_related("unit").filter(nip=payload.nip).first()
        if employee is None or not (scope.city_manager or employee.pk == scope.own_employee_id):
            raise Http404("Pegawai tidak ditemukan.")
    else:
        if scope.own_employee_id is None:
            raise PermissionDeniedError("Akun ini tidak terhubung dengan data pegawai.")
        employee = Employee.objects.select_related("unit").get(pk=scope.own_employee_id)
    application = services.application_submit(
        actor=request.user, program=program, employee=employee, motivation=payload.motivation
    )
    return Status(
        201,
        ApplicationOut(
            id=application.pk,
            program=program.code,
            nip=employee.nip,
            status=application.status,
            eligibility=[RuleOut(**r) for r in application.eligibility],
        ),
    )
