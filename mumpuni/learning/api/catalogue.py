"""API of the catalogue and enrolment under /api/v1/learning/: programmes (/programs), classes (/classes)
and enrolments (/enrollments: request, nominate, approve, reject, cancel).

Handlers call the same selectors and services as the pages; refusals become JSON with Indonesian messages
through common/api.py (422 with field messages, 403, 404). Device and partner accounts are refused.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mumpuni.common.api import ErrorOut, PagePagination
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import Enrollment, Program, TrainingClass
from mumpuni.learning.selectors import catalogue as catalogue_selectors
from mumpuni.learning.selectors import enrollment as enrollment_selectors
from mumpuni.learning.services import catalogue as catalogue_services
from mumpuni.learning.services import enrollment as enrollment_services
from mumpuni.people.models import Role, User
from mumpuni.people.scopes import scope_for

router = Router(tags=["pelatihan: katalog dan pendaftaran"])
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
GET_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**GET_ERRORS, 409: ErrorOut}
SERVICE_ROLES = frozenset({Role.KIOSK.value, Role.DISPLAY.value, Role.PARTNER.value})


def _person(request: HttpRequest) -> None:
    """Catalogue and enrolment are for people: device and partner accounts are refused."""
    scope = scope_for(request.user)
    if getattr(request.user, "is_service_account", False) or (scope.roles and scope.roles <= SERVICE_ROLES):
        raise PermissionDeniedError("Akun layanan tidak dapat mengakses data pelatihan.")


# --- schemas ---------------------------------------------------------------------------------------


class UpliftIO(Schema):
    competency: str = Field(description="Kode kompetensi, mis. T.PRIMA")
    uplift: int = Field(ge=1, le=4, description="Kenaikan level (1–4)")


class ProgramOut(Schema):
    id: int
    code: str
    name: str
    category: str
    form: str
    description: str
    jp: Decimal
    cost_per_participant: int
    provider: str
    provider_name: str
    target_position_kinds: list[str]
    front_line_only: bool
    cpns_only: bool
    min_attendance_percent: int
    min_post_test: Decimal | None
    certificate_valid_years: int | None
    active: bool
    competencies: list[UpliftIO]
    prerequisites: list[str]

    @staticmethod
    def resolve_competencies(obj: Program) -> list[dict[str, Any]]:
        return [{"competency": u.competency.code, "uplift": u.uplift} for u in obj.competency_uplifts.all()]

    @staticmethod
    def resolve_prerequisites(obj: Program) -> list[str]:
        return [p.code for p in obj.prerequisites.all()]


class ProgramIn(Schema):
    code: str = Field(min_length=1, max_length=30)
    name: str = Field(min_length=1, max_length=200)
    category: str
    form: str
    description: str = ""
    jp: Decimal = Field(ge=Decimal("0.5"), le=Decimal("9999"))
    cost_per_participant: int = Field(0, ge=0, le=10**12)
    provider: str = Program.Provider.BKPP.value
    provider_name: str = Field("", max_length=200)
    target_position_kinds: list[str] = []
    front_line_only: bool = False
    cpns_only: bool = False
    min_attendance_percent: int = Field(90, ge=0, le=100)
    min_post_test: Decimal | None = Field(Decimal("70"), ge=0, le=100)
    certificate_valid_years: int | None = Field(None, ge=1, le=50)
    active: bool = True
    competencies: list[UpliftIO] = []
    prerequisites: list[str] = Field([], description="Kode program prasyarat")


class ProgramPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=30)
    name: str | None = Field(None, min_length=1, max_length=200)
    category: str | None = None
    form: str | None = None
    description: str | None = None
    jp: Decimal | None = Field(None, ge=Decimal("0.5"), le=Decimal("9999"))
    cost_per_participant: int | None = Field(None, ge=0, le=10**12)
    provider: str | None = None
    provider_name: str | None = Field(None, max_length=200)
    target_position_kinds: list[str] | None = None
    front_line_only: bool | None = None
    cpns_only: bool | None = None
    min_attendance_percent: int | None = Field(None, ge=0, le=100)
    min_post_test: Decimal | None = Field(None, ge=0, le=100)
    certificate_valid_years: int | None = Field(None, ge=1, le=50)
    active: bool | None = None
    competencies: list[UpliftIO] | None = None
    prerequisites: list[str] | None = None


class ProgramFilters(Schema):
    q: str = ""
    category: str = ""
    form: str = ""
    provider: str = ""
    competency: str = ""


class SessionIO(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    topic: str = Field("", max_length=200)


class ClassOut(Schema):
    id: int
    code: str
    name: str
    program: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    online_url: str
    capacity: int
    status: str
    seated: int = 0
    waiting: int = 0
    trainers: list[str]
    sessions: list[SessionIO]

    @staticmethod
    def resolve_program(obj: TrainingClass) -> str:
        return obj.program.code

    @staticmethod
    def resolve_trainers(obj: TrainingClass) -> list[str]:
        return [u.username for u in obj.trainers.all()]

    @staticmethod
    def resolve_sessions(obj: TrainingClass) -> list[dict[str, Any]]:
        return [
            {"starts_at": s.starts_at, "ends_at": s.ends_at, "topic": s.topic} for s in obj.sessions.all()
        ]


class ClassIn(Schema):
    program: str = Field(description="Kode program")
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    starts_on: dt.date
    ends_on: dt.date
    venue: str = Field("", max_length=200)
    online_url: str = Field("", max_length=200)
    capacity: int = Field(ge=1, le=10000)
    status: str = TrainingClass.Status.PLANNED.value
    trainers: list[str] = Field([], description="Nama pengguna pelatih")
    sessions: list[SessionIO] = []


class ClassFilters(Schema):
    q: str = ""
    status: str = ""
    program: str = ""
    year: int | None = Field(None, ge=2000, le=2100)


class EnrollmentOut(Schema):
    id: int
    class_id: int
    class_code: str
    nip: str
    name: str
    status: str
    reason: str
    decision_note: str
    requested_by: str | None
    unit_approved_by: str | None
    unit_approved_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    waitlisted_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_class_id(obj: Enrollment) -> int:
        return obj.training_class_id

    @staticmethod
    def resolve_class_code(obj: Enrollment) -> str:
        return obj.training_class.code

    @staticmethod
    def resolve_nip(obj: Enrollment) -> str:
        return obj.employee.nip

    @staticmethod
    def resolve_name(obj: Enrollment) -> str:
        return obj.employee.name

    @staticmethod
    def resolve_requested_by(obj: Enrollment) -> str | None:
        return obj.requested_by.username if obj.requested_by else None

    @staticmethod
    def resolve_unit_approved_by(obj: Enrollment) -> str | None:
        return obj.unit_approved_by.username if obj.unit_approved_by else None

    @staticmethod
    def resolve_approved_by(obj: Enrollment) -> str | None:
        return obj.approved_by.username if obj.approved_by else None


class EnrollmentFilters(Schema):
    status: str = ""
    class_id: int | None = Field(None, ge=1)


class RequestIn(Schema):
    class_id: int = Field(ge=1)
    reason: str = Field("", max_length=1000)


class NominateIn(Schema):
    class_id: int = Field(ge=1)
    nip: str = Field(min_length=18, max_length=18)
    reason: str = Field("", max_length=1000)


class NoteIn(Schema):
    note: str = Field("", max_length=1000)


# --- helpers ---------------------------------------------------------------------------------------


def _program(request: HttpRequest, program_id: int) -> Program:
    try:
        return catalogue_selectors.program_get(user=request.user, pk=program_id)
    except Program.DoesNotExist as exc:
        raise Http404 from exc


def _class(request: HttpRequest, class_id: int) -> TrainingClass:
    try:
        return catalogue_selectors.class_get(user=request.user, pk=class_id)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


def _enrollment(request: HttpRequest, enrollment_id: int) -> Enrollment:
    try:
        return enrollment_selectors.enrollment_get(user=request.user, pk=enrollment_id)
    except Enrollment.DoesNotExist as exc:
        raise Http404 from exc


def _program_refs(
    competencies: list[UpliftIO] | None, prerequisites: list[str] | None
) -> tuple[dict[str, int] | None, list[Program] | None]:
    errors: dict[str, list[str]] = {}
    uplifts = None if competencies is None else {u.competency.upper(): u.uplift for u in competencies}
    programs = None
    if prerequisites is not None:
        wanted = {code.upper() for code in prerequisites}
        programs = list(Program.objects.filter(code__in=wanted))
        missing = wanted - {p.code for p in programs}
        if missing:
            errors["prerequisites"] = [f"Program {code} tidak ditemukan." for code in sorted(missing)]
    if errors:
        raise ValidationFailed("Data tidak valid.", fields=errors)
    return uplifts, programs


# --- programmes ------------------------------------------------------------------------------------


@router.get("/programs", response={200: list[ProgramOut], **READ_ERRORS}, summary="Daftar program")
@paginate(PagePagination)
def program_list(request: HttpRequest, filters: Query[ProgramFilters]) -> Any:
    _person(request)
    return catalogue_selectors.program_list(user=request.user, **filters.model_dump())


@router.get("/programs/{program_id}", response={200: ProgramOut, **GET_ERRORS}, summary="Satu program")
def program_detail(request: HttpRequest, program_id: int) -> Any:
    _person(request)
    program = _program(request, program_id)
    if not program.active and not scope_for(request.user).city_manager:
        raise Http404
    return program


@router.post("/programs", response={201: ProgramOut, **WRITE_ERRORS}, summary="Tambah program (BKPP)")
def program_create(request: HttpRequest, payload: ProgramIn) -> Any:
    _person(request)
    data = payload.model_dump()
    uplifts, prerequisites = _program_refs(payload.competencies, payload.prerequisites)
    data.pop("competencies")
    data.pop("prerequisites")
    program = catalogue_services.program_create(
        actor=request.user, uplifts=uplifts, prerequisites=prerequisites or [], **data
    )
    return Status(201, _program(request, program.pk))


@router.patch(
    "/programs/{program_id}", response={200: ProgramOut, **WRITE_ERRORS}, summary="Ubah program (BKPP)"
)
def program_update(request: HttpRequest, program_id: int, payload: ProgramPatch) -> Any:
    _person(request)
    program = _program(request, program_id)
    changes = payload.model_dump(exclude_unset=True)
    nullable = {"min_post_test", "certificate_valid_years"}
    refused = {
        k: ["Tidak boleh kosong (null)."] for k, v in changes.items() if v is None and k not in nullable
    }
    if refused:
        raise ValidationFailed("Data tidak valid.", fields=refused)
    uplifts, prerequisites = _program_refs(payload.competencies, payload.prerequisites)
    changes.pop("competencies", None)
    changes.pop("prerequisites", None)
    catalogue_services.program_update(
        actor=request.user, program=program, uplifts=uplifts, prerequisites=prerequisites, **changes
    )
    return _program(request, program.pk)


# --- classes ---------------------------------------------------------------------------------------


@router.get("/classes", response={200: list[ClassOut], **READ_ERRORS}, summary="Daftar kelas")
@paginate(PagePagination)
def class_list(request: HttpRequest, filters: Query[ClassFilters]) -> Any:
    _person(request)
    qs = catalogue_selectors.class_list(
        user=request.user, q=filters.q, status=filters.status, year=filters.year
    )
    if filters.program:
        qs = qs.filter(program__code=filters.program.upper())
    return qs.prefetch_related("trainers", "sessions")


@router.get("/classes/{class_id}", response={200: ClassOut, **GET_ERRORS}, summary="Satu kelas")
def class_detail(request: HttpRequest, class_id: int) -> Any:
    _person(request)
    return _class(request, class_id)


@router.post("/classes", response={201: ClassOut, **WRITE_ERRORS}, summary="Buat kelas (BKPP)")
def class_create(request: HttpRequest, payload: ClassIn) -> Any:
    _person(request)
    if not scope_for(request.user).city_manager:
        raise PermissionDeniedError(catalogue_services.NOT_ALLOWED)
    errors: dict[str, list[str]] = {}
    program = Program.objects.filter(code=payload.program.upper()).first()
    if program is None:
        errors["program"] = [f"Program {payload.program} tidak ditemukan."]
    trainers = list(User.objects.filter(username__in=payload.trainers))
    missing = set(payload.trainers) - {u.username for u in trainers}
    if missing:
        errors["trainers"] = [f"Akun {name} tidak ditemukan." for name in sorted(missing)]
    if errors:
        raise ValidationFailed("Data tidak valid.", fields=errors)
    data = payload.model_dump(exclude={"program", "trainers", "sessions"})
    training_class = catalogue_services.class_create(
        actor=request.user,
        program=program,
        trainers=trainers,
        sessions=[catalogue_services.SessionInput(s.starts_at, s.ends_at, s.topic) for s in payload.sessions],
        **data,
    )
    return Status(201, _class(request, training_class.pk))


# --- enrolments ------------------------------------------------------------------------------------


@router.get("/enrollments", response={200: list[EnrollmentOut], **READ_ERRORS}, summary="Daftar pendaftaran")
@paginate(PagePagination)
def enrollment_list(request: HttpRequest, filters: Query[EnrollmentFilters]) -> Any:
    _person(request)
    return enrollment_selectors.enrollment_list(
        user=request.user, status=filters.status, training_class=filters.class_id
    ).select_related("unit_approved_by", "approved_by")


@router.post(
    "/enrollments/request",
    response={201: EnrollmentOut, **WRITE_ERRORS},
    summary="Ajukan kursi untuk diri sendiri",
)
def enrollment_request(request: HttpRequest, payload: RequestIn) -> Any:
    _person(request)
    training_class = _class(request, payload.class_id)
    enrollment = enrollment_services.enrollment_request(
        actor=request.user, training_class=training_class, reason=payload.reason
    )
    return Status(201, enrollment)


@router.post(
    "/enrollments/nominate", response={201: EnrollmentOut, **WRITE_ERRORS}, summary="Usulkan anggota tim"
)
def enrollment_nominate(request: HttpRequest, payload: NominateIn) -> Any:
    _person(request)
    training_class = _class(request, payload.class_id)
    employee = scope_for(request.user).employees().filter(nip=payload.nip).select_related("unit").first()
    if employee is None:
        raise ValidationFailed(
            "Data tidak valid.", fields={"nip": ["Pegawai dengan NIP ini tidak ditemukan."]}
        )
    enrollment = enrollment_services.enrollment_nominate(
        actor=request.user, training_class=training_class, employee=employee, reason=payload.reason
    )
    return Status(201, enrollment)


@router.get(
    "/enrollments/{enrollment_id}", response={200: EnrollmentOut, **GET_ERRORS}, summary="Satu pendaftaran"
)
def enrollment_detail(request: HttpRequest, enrollment_id: int) -> Any:
    _person(request)
    return _enrollment(request, enrollment_id)


@router.post(
    "/enrollments/{enrollment_id}/approve",
    response={200: EnrollmentOut, **WRITE_ERRORS},
    summary="Setujui (kepala unit atau BKPP)",
)
def enrollment_approve(request: HttpRequest, enrollment_id: int, payload: NoteIn) -> Any:
    _person(request)
    enrollment = _enrollment(request, enrollment_id)
    return enrollment_services.decide(
        actor=request.user, enrollment=enrollment, approve=True, note=payload.note
    )


@router.post(
    "/enrollments/{enrollment_id}/reject",
    response={200: EnrollmentOut, **WRITE_ERRORS},
    summary="Tolak (kepala unit atau BKPP)",
)
def enrollment_reject(request: HttpRequest, enrollment_id: int, payload: NoteIn) -> Any:
    _person(request)
    enrollment = _enrollment(request, enrollment_id)
    return enrollment_services.decide(
        actor=request.user, enrollment=enrollment, approve=False, note=payload.note
    )


@router.post(
    "/enrollments/{enrollment_id}/cancel",
    response={200: EnrollmentOut, **WRITE_ERRORS},
    summary="Batalkan pendaftaran",
)
def enrollment_cancel(request: HttpRequest, enrollment_id: int, payload: NoteIn) -> Any:
    _person(request)
    enrollment = _enrollment(request, enrollment_id)
    return enrollment_services.enrollment_cancel(actor=request.user, enrollment=enrollment, note=payload.note)
