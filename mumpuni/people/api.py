"""People API (/api/v1/): units, positions and employees — read through selectors, written through services.

Access is the caller's scope (mumpuni.people.scopes): an object outside it is a 404 for reads, so its
existence never leaks; an object the caller may see but not change is a 403. Device accounts (kiosk,
display) have no business with personnel data and get 403 everywhere here.
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints

from mumpuni.common.api import ErrorOut, PagePagination
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.people import selectors, services
from mumpuni.people.models import Employee, Position, Role, Unit
from mumpuni.people.scopes import Scope, scope_for

router = Router()

DEVICE_ROLES = frozenset({Role.KIOSK.value, Role.DISPLAY.value})
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
GET_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

# Shapes of the keys in paths; anything else cannot exist, so it is a 404 without touching the database
# (PostgreSQL refuses NUL bytes in text, which would otherwise surface as a 500).
_NIP_PATH = re.compile(r"^\d{18}$")
_CODE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,39}$")


# --- input types -----------------------------------------------------------------------------------


def _printable(value: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("Tidak boleh memuat karakter kendali (mis. NUL atau baris baru).")
    return value


def _blank_to_none(value: Any) -> Any:
    # HTML forms and hand-written URLs send `?kind=` for "any"; treat it as absent, not as a bad choice.
    return None if isinstance(value, str) and not value.strip() else value


_Clean = AfterValidator(_printable)
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), _Clean]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _Clean]
EmployeeName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150), _Clean]
Search = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), _Clean]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254), _Clean]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20), _Clean]
# The service checks the 18 digits and names the failing segment; this only bounds the input.
Nip = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), _Clean]
OptionalCode = Annotated[Code | None, BeforeValidator(_blank_to_none)]


# The models' choices as literal types: inline in the OpenAPI schema, so Unit.Kind and Position.Kind do not
# collide as two components called "Kind". test_api_positions checks they match the models.
UnitKind = Literal["pemda", "sekretariat", "dinas", "badan", "kecamatan", "kelurahan", "mpp", "lainnya"]
PositionKind = Literal["jpt", "administrator", "pengawas", "pelaksana", "fungsional"]
PositionLevel = Literal[
    "",
    "utama",
    "madya",
    "pratama",
    "ahli_utama",
    "ahli_madya",
    "ahli_muda",
    "ahli_pertama",
    "penyelia",
    "mahir",
    "terampil",
    "pemula",
]
EmploymentType = Literal["pns", "pppk"]
Sex = Literal["L", "P"]


class WriteSchema(Schema):
    """Unknown fields are refused, so a typo (`nama` for `name`) is a 422 instead of a silent no-op."""

    model_config = ConfigDict(extra="forbid")


# --- output schemas --------------------------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str


class UnitOut(Schema):
    code: str
    name: str
    kind: str = Field(description="pemda, sekretariat, dinas, badan, kecamatan, kelurahan, mpp, lainnya")
    parent: UnitRef | None
    active: bool


class PositionRef(Schema):
    code: str
    name: str
    kind: str
    level: str


class PositionOut(Schema):
    code: str
    name: str
    kind: str = Field(description="jpt, administrator, pengawas, pelaksana, fungsional")
    level: str = Field(description="Jenjang; kosong untuk administrator, pengawas dan pelaksana.")
    unit: UnitRef
    is_front_line: bool


class EmployeeOut(Schema):
    nip: str
    name: str
    employment_type: str = Field(description="pns atau pppk (dari NIP)")
    sex: str = Field(description="L atau P (dari NIP)")
    birth_date: dt.date
    unit: UnitRef
    position: PositionRef | None
    supervisor_nip: str | None
    email: str
    phone: str
    active: bool

    @staticmethod
    def resolve_supervisor_nip(obj: Employee) -> str | None:
        return obj.supervisor.nip if obj.supervisor_id and obj.supervisor else None


# --- filters ---------------------------------------------------------------------------------------


class UnitFilters(Schema):
    search: Search = Field("", description="Sebagian nama atau awal kode unit.")
    kind: Annotated[UnitKind | None, BeforeValidator(_blank_to_none)] = None
    parent: OptionalCode = Field(None, description="Kode unit induk: hanya anak langsungnya.")


class PositionFilters(Schema):
    search: Search = Field("", description="Sebagian nama atau awal kode jabatan.")
    unit: OptionalCode = Field(None, description="Kode unit; termasuk unit di bawahnya.")
    kind: Annotated[PositionKind | None, BeforeValidator(_blank_to_none)] = None


class EmployeeFilters(Schema):
    q: Search = Field("", description="Nama (sebagian) atau awal NIP.")
    unit: OptionalCode = Field(
        None, description="Kode unit; termasuk unit di bawahnya kecuali include_subunits=false."
    )
    include_subunits: bool = True
    kind: Annotated[PositionKind | None, BeforeValidator(_blank_to_none)] = Field(
        None, description="Jenis jabatan."
    )
    employment_type: Annotated[EmploymentType | None, BeforeValidator(_blank_to_none)] = None
    active: Annotated[bool | None, BeforeValidator(_blank_to_none)] = None


# --- write schemas ---------------------------------------------------------------------------------


class PositionIn(WriteSchema):
    code: Code
    name: Name
    kind: PositionKind
    level: PositionLevel = ""
    unit: Code = Field(description="Kode unit tempat jabatan berada.")
    is_front_line: bool = False


class PositionPatch(WriteSchema):
    code: Code | None = None
    name: Name | None = None
    kind: PositionKind | None = None
    level: PositionLevel | None = None
    unit: Code | None = None
    is_front_line: bool | None = None


class EmployeeIn(WriteSchema):
    nip: Nip = Field(description="NIP PNS atau NI PPPK, 18 angka (spasi boleh).")
    name: EmployeeName
    unit: Code = Field(description="Kode unit kerja.")
    position: OptionalCode = Field(None, description="Kode jabatan.")
    supervisor_nip: Annotated[Nip | None, BeforeValidator(_blank_to_none)] = None
    email: Email = ""
    phone: Phone = ""
    active: bool = True
    sex: Sex | None = Field(None, description="Bila diisi, harus sesuai dengan NIP.")
    birth_date: dt.date | None = Field(None, description="Bila diisi, harus sesuai dengan NIP.")


class EmployeePatch(WriteSchema):
    """Only the fields sent change. `position` and `supervisor_nip` may be null to clear them."""

    nip: Nip | None = None
    name: EmployeeName | None = None
    unit: Code | None = None
    position: Code | None = None
    supervisor_nip: Nip | None = None
    email: Email | None = None
    phone: Phone | None = None
    active: bool | None = None


# --- helpers ---------------------------------------------------------------------------------------


def _reader_scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if scope.roles and scope.roles <= DEVICE_ROLES:
        raise PermissionDeniedError(
            "Akun perangkat (kios/papan antrean) tidak dapat mengakses data kepegawaian."
        )
    return scope


def _writer_scope(request: HttpRequest) -> Scope:
    scope = _reader_scope(request)
    if not (scope.city_manager or scope.manage_unit_paths or scope.own_employee_id):
        raise PermissionDeniedError("Akun ini hanya dapat membaca data kepegawaian.")
    return scope


class _References:
    """Resolves codes and NIPs in a request body through the caller's scope, collecting every miss."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = request.user
        self.errors: dict[str, list[str]] = {}

    def unit(self, field: str, code: str) -> Unit | None:
        unit = selectors.unit_get(user=self.user, code=code.upper())
        if unit is None:
            self.errors[field] = [f"Unit dengan kode '{code}' tidak ditemukan."]
        return unit

    def position(self, field: str, code: str) -> Position | None:
        position = selectors.position_get(user=self.user, code=code.upper())
        if position is None:
            self.errors[field] = [f"Jabatan dengan kode '{code}' tidak ditemukan."]
        return position

    def employee(self, field: str, nip: str) -> Employee | None:
        nip = nip.replace(" ", "")
        employee = selectors.employee_get(user=self.user, nip=nip) if _NIP_PATH.match(nip) else None
        if employee is None:
            self.errors[field] = [f"Pegawai dengan NIP '{nip}' tidak ditemukan."]
        return employee

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(next(iter(self.errors.values()))[0], fields=self.errors)


def _null_refused(fields: set[str], changes: dict[str, Any], nullable: set[str]) -> None:
    errors = {name: ["Tidak boleh kosong (null)."] for name in fields if changes.get(name) is None}
    errors = {name: messages for name, messages in errors.items() if name not in nullable}
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


@contextmanager
def _api_field_names(renames: dict[str, str]) -> Iterator[None]:
    """Services speak in model field names; clients sent API names (`supervisor_nip`)."""
    try:
        yield
    except ValidationFailed as exc:
        exc.fields = {renames.get(name, name): messages for name, messages in exc.fields.items()}
        raise


def _filter_unit(request: HttpRequest, code: str | None, field: str) -> Unit | None:
    if code is None:
        return None
    unit = selectors.unit_get(user=request.user, code=code.upper())
    if unit is None:
        # Same answer for "does not exist" and "outside your scope".
        message = f"Unit dengan kode '{code}' tidak ditemukan."
        raise ValidationFailed(message, fields={field: [message]})
    return unit


def _path_code(code: str) -> str:
    if not _CODE_PATH.match(code):
        raise Http404
    return code.upper()


def _path_nip(nip: str) -> str:
    if not _NIP_PATH.match(nip):
        raise Http404
    return nip


# --- units -----------------------------------------------------------------------------------------


@router.get("/units", response={200: list[UnitOut], **READ_ERRORS}, tags=["unit"], summary="Daftar unit")
@paginate(PagePagination)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    _reader_scope(request)
    parent = _filter_unit(request, filters.parent, "parent")
    return selectors.unit_list(
        user=request.user, search=filters.search, kind=filters.kind or "", parent=parent
    )


@router.get("/units/{code}", response={200: UnitOut, **GET_ERRORS}, tags=["unit"], summary="Satu unit")
def unit_detail(request: HttpRequest, code: str) -> Any:
    _reader_scope(request)
    unit = selectors.unit_get(user=request.user, code=_path_code(code))
    if unit is None:
        raise Http404
    return unit


# --- positions -------------------------------------------------------------------------------------


@router.get(
    "/positions", response={200: list[PositionOut], **READ_ERRORS}, tags=["jabatan"], summary="Daftar jabatan"
)
@paginate(PagePagination)
def position_list(request: HttpRequest, filters: Query[PositionFilters]) -> Any:
    _reader_scope(request)
    unit = _filter_unit(request, filters.unit, "unit")
    return selectors.position_list(
        user=request.user, search=filters.search, unit=unit, kind=filters.kind or ""
    )


@router.get(
    "/positions/{code}", response={200: PositionOut, **GET_ERRORS}, tags=["jabatan"], summary="Satu jabatan"
)
def position_detail(request: HttpRequest, code: str) -> Any:
    _reader_scope(request)
    position = selectors.position_get(user=request.user, code=_path_code(code))
    if position is None:
        raise Http404
    return position


def _require_structure_manager(scope: Scope) -> None:
    if not scope.can_manage_structure:
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mengubah struktur unit dan jabatan.")


@router.post(
    "/positions",
    response={201: PositionOut, **WRITE_ERRORS},
    tags=["jabatan"],
    summary="Tambah jabatan (BKPP)",
)
def position_create(request: HttpRequest, payload: PositionIn) -> Any:
    _require_structure_manager(_writer_scope(request))
    refs = _References(request)
    unit = refs.unit("unit", payload.unit)
    refs.raise_if_any()
    assert unit is not None
    position = services.position_create(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        level=payload.level,
        unit=unit,
        is_front_line=payload.is_front_line,
    )
    return Status(201, position)


@router.patch(
    "/positions/{code}",
    response={200: PositionOut, **WRITE_ERRORS},
    tags=["jabatan"],
    summary="Ubah jabatan (BKPP)",
)
def position_update(request: HttpRequest, code: str, payload: PositionPatch) -> Any:
    scope = _reader_scope(request)
    position = selectors.position_get(user=request.user, code=_path_code(code))
    if position is None:
        raise Http404
    _require_structure_manager(scope)
    changes = payload.model_dump(exclude_unset=True)
    _null_refused(set(changes), changes, nullable=set())
    refs = _References(request)
    if "unit" in changes:
        changes["unit"] = refs.unit("unit", changes["unit"])
    refs.raise_if_any()
    if "code" in changes:
        changes["code"] = changes["code"].upper()
    position = services.position_update(actor=request.user, position=position, **changes)
    return position


# --- employees -------------------------------------------------------------------------------------


@router.get(
    "/employees", response={200: list[EmployeeOut], **READ_ERRORS}, tags=["pegawai"], summary="Daftar pegawai"
)
@paginate(PagePagination)
def employee_list(request: HttpRequest, filters: Query[EmployeeFilters]) -> Any:
    _reader_scope(request)
    unit = _filter_unit(request, filters.unit, "unit")
    return selectors.employee_list(
        user=request.user,
        search=filters.q,
        unit=unit,
        include_subunits=filters.include_subunits,
        position_kind=filters.kind or "",
        employment_type=filters.employment_type or "",
        active=filters.active,
    )


@router.get(
    "/employees/{nip}", response={200: EmployeeOut, **GET_ERRORS}, tags=["pegawai"], summary="Satu pegawai"
)
def employee_detail(request: HttpRequest, nip: str) -> Any:
    _reader_scope(request)
    employee = selectors.employee_get(user=request.user, nip=_path_nip(nip))
    if employee is None:
        raise Http404
    return employee


@router.post(
    "/employees", response={201: EmployeeOut, **WRITE_ERRORS}, tags=["pegawai"], summary="Tambah pegawai"
)
def employee_create(request: HttpRequest, payload: EmployeeIn) -> Any:
    scope = _writer_scope(request)
    if not (scope.city_manager or scope.manage_unit_paths):
        raise PermissionDeniedError("Anda tidak berwenang menambah pegawai.")
    refs = _References(request)
    unit = refs.unit("unit", payload.unit)
    position = refs.position("position", payload.position) if payload.position else None
    supervisor = refs.employee("supervisor_nip", payload.supervisor_nip) if payload.supervisor_nip else None
    refs.raise_if_any()
    assert unit is not None
    if not scope.can_place_in_unit(unit):
        raise PermissionDeniedError("Anda tidak berwenang menambah pegawai di unit ini.")
    with _api_field_names({"supervisor": "supervisor_nip"}):
        employee = services.employee_create(
            actor=request.user,
            nip=payload.nip,
            name=payload.name,
            unit=unit,
            position=position,
            supervisor=supervisor,
            email=payload.email,
            phone=payload.phone,
            active=payload.active,
            sex=payload.sex,
            birth_date=payload.birth_date,
        )
    return Status(201, employee)


@router.patch(
    "/employees/{nip}", response={200: EmployeeOut, **WRITE_ERRORS}, tags=["pegawai"], summary="Ubah pegawai"
)
def employee_update(request: HttpRequest, nip: str, payload: EmployeePatch) -> Any:
    scope = _reader_scope(request)
    employee = selectors.employee_get(user=request.user, nip=_path_nip(nip))
    if employee is None:
        raise Http404
    changes = payload.model_dump(exclude_unset=True)
    allowed = scope.can_change_employee(employee) or (
        set(changes) <= services.CONTACT_FIELDS and scope.can_change_own_contact(employee)
    )
    if not allowed:
        raise PermissionDeniedError("Anda tidak berwenang mengubah data pegawai ini.")
    _null_refused(set(changes), changes, nullable={"position", "supervisor_nip"})
    refs = _References(request)
    if "unit" in changes:
        changes["unit"] = refs.unit("unit", changes["unit"])
    if changes.get("position"):
        changes["position"] = refs.position("position", changes["position"])
    if "supervisor_nip" in changes:
        supervisor_nip = changes.pop("supervisor_nip")
        changes["supervisor"] = refs.employee("supervisor_nip", supervisor_nip) if supervisor_nip else None
    refs.raise_if_any()
    if "nip" in changes:
        changes["nip"] = changes["nip"].replace(" ", "")
    with _api_field_names({"supervisor": "supervisor_nip"}):
        return services.employee_update(actor=request.user, employee=employee, **changes)
