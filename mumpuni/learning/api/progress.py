"""API of learning progress under /api/v1/learning/: attendance and QR check-in (/sessions/…,
/attendance/…), test scores and finalisation (/completions/…), the JP ledger (/jp/…), certificates
(/certificates/…, verification public) and nonklasikal activities (/activities/…).

Every handler calls the same services as the pages; refusals become JSON through common/api.py. A class
the caller does not run, or a record outside their reach, answers 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from mumpuni.common.api import ErrorOut
from mumpuni.common.errors import PermissionDeniedError
from mumpuni.learning.models import (
    Attendance,
    Certificate,
    Enrollment,
    NonClassicalActivity,
    Session,
    TrainingClass,
)
from mumpuni.learning.selectors import progress as selectors
from mumpuni.learning.services import activities as activity_services
from mumpuni.learning.services import attendance as attendance_services
from mumpuni.learning.services import certificates as certificate_services
from mumpuni.learning.services.completion import class_finalize
from mumpuni.people.models import Unit
from mumpuni.people.scopes import scope_for

router = Router(tags=["pelatihan: kemajuan"])
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- schemas ---------------------------------------------------------------------------------------


class AttendanceOut(Schema):
    enrollment_id: int
    session_id: int
    nip: str
    name: str
    present: bool | None = Field(description="null: belum dicatat")
    method: str | None


class AttendanceIn(Schema):
    session_id: int
    enrollment_id: int
    present: bool = True


class CheckinIn(Schema):
    token: str = Field(max_length=500, description="Token dari kode QR di ruang kelas.")


class EnrollmentProgressOut(Schema):
    enrollment_id: int
    nip: str
    name: str
    status: str
    attendance_percent: Decimal | None
    pre_test_score: Decimal | None
    post_test_score: Decimal | None
    completed_on: dt.date | None


class ScoresIn(Schema):
    pre_test_score: Decimal | None = Field(None, ge=0, le=100)
    post_test_score: Decimal | None = Field(None, ge=0, le=100)


class FinalizeOut(Schema):
    completed: list[int]
    not_completed: list[dict[str, Any]]


class JpLineOut(Schema):
    occurred_on: dt.date
    year: int
    jp: Decimal
    source: str
    program_code: str | None
    note: str


class JpSummaryOut(Schema):
    year: int
    jp: Decimal
    target: Decimal
    owed: bool = Field(description="true untuk PNS (PP 17/2020); PPPK dicatat tanpa kewajiban")
    lines: list[JpLineOut]


class CertificateOut(Schema):
    id: int
    number: str
    program: str
    issued_on: dt.date
    valid_until: dt.date | None
    validity: str
    verify_url: str
    pdf_url: str


class VerifyOut(Schema):
    valid: bool
    validity: str | None = None
    name: str | None = None
    program: str | None = None
    issued_on: dt.date | None = None


class ActivityIn(Schema):
    form: str
    title: str = Field(max_length=200)
    provider_name: str = Field("", max_length=200)
    started_on: dt.date
    ended_on: dt.date
    jp_claimed: Decimal = Field(gt=0, le=200)
    evidence_url: str = Field(
        max_length=500, description="Tautan bukti (API tidak menerima unggahan berkas)."
    )


class ActivityOut(Schema):
    id: int
    employee_nip: str
    employee_name: str
    form: str
    title: str
    provider_name: str
    started_on: dt.date
    ended_on: dt.date
    jp_claimed: Decimal
    jp_credited: Decimal | None
    status: str
    decision_note: str


class VerifyActivityIn(Schema):
    jp_credited: Decimal | None = Field(None, gt=0, le=200)
    note: str = Field("", max_length=1000)


class RejectActivityIn(Schema):
    note: str = Field(max_length=1000)


# --- helpers ---------------------------------------------------------------------------------------


def _run_class_or_404(request: HttpRequest, training_class: TrainingClass) -> None:
    if not attendance_services.can_run_class(request.user, training_class):
        raise Http404


def _progress(e: Enrollment) -> dict[str, Any]:
    return {
        "enrollment_id": e.pk,
        "nip": e.employee.nip,
        "name": e.employee.name,
        "status": e.status,
        "attendance_percent": e.attendance_percent,
        "pre_test_score": e.pre_test_score,
        "post_test_score": e.post_test_score,
        "completed_on": e.completed_on,
    }


def _activity(a: NonClassicalActivity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "employee_nip": a.employee.nip,
        "employee_name": a.employee.name,
        "form": a.form,
        "title": a.title,
        "provider_name": a.provider_name,
        "started_on": a.started_on,
        "ended_on": a.ended_on,
        "jp_claimed": a.jp_claimed,
        "jp_credited": a.jp_credited,
        "status": a.status,
        "decision_note": a.decision_note,
    }


# --- attendance ------------------------------------------------------------------------------------


@router.get(
    "/sessions/{session_id}/attendance",
    response={200: list[AttendanceOut], **ERRORS},
    summary="Daftar hadir satu sesi",
)
def session_attendance(request: HttpRequest, session_id: int) -> Any:
    session = get_object_or_404(Session.objects.select_related("training_class"), pk=session_id)
    _run_class_or_404(request, session.training_class)
    marks = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    enrollments = (
        session.training_class.enrollments.filter(status__in=Enrollment.SEATED_STATUSES)
        .select_related("employee")
        .order_by("employee__name")
    )
    return [
        {
            "enrollment_id": e.pk,
            "session_id": session.pk,
            "nip": e.employee.nip,
            "name": e.employee.name,
            "present": marks[e.pk].present if e.pk in marks else None,
            "method": marks[e.pk].method if e.pk in marks else None,
        }
        for e in enrollments
    ]


@router.post(
    "/attendance", response={200: EnrollmentProgressOut, **ERRORS}, summary="Catat kehadiran peserta"
)
def attendance_mark(request: HttpRequest, payload: AttendanceIn) -> Any:
    session = get_object_or_404(Session.objects.select_related("training_class"), pk=payload.session_id)
    _run_class_or_404(request, session.training_class)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("employee", "training_class"), pk=payload.enrollment_id
    )
    attendance_services.attendance_mark(
        actor=request.user, session=session, enrollment=enrollment, present=payload.present
    )
    enrollment.refresh_from_db()
    return _progress(enrollment)


@router.post(
    "/sessions/{session_id}/checkin",
    response={200: EnrollmentProgressOut, **ERRORS},
    summary="Presensi peserta dengan token kode QR",
)
def session_checkin(request: HttpRequest, session_id: int, payload: CheckinIn) -> Any:
    session = get_object_or_404(Session.objects.select_related("training_class"), pk=session_id)
    result = attendance_services.attendance_checkin(user=request.user, session=session, token=payload.token)
    result.enrollment.refresh_from_db()
    return _progress(result.enrollment)


# --- scores and completion -------------------------------------------------------------------------


@router.get(
    "/completions/classes/{class_id}",
    response={200: list[EnrollmentProgressOut], **ERRORS},
    summary="Kehadiran, nilai dan status peserta satu kelas",
)
def class_progress(request: HttpRequest, class_id: int) -> Any:
    training_class = get_object_or_404(TrainingClass, pk=class_id)
    _run_class_or_404(request, training_class)
    enrollments = (
        training_class.enrollments.filter(status__in=Enrollment.SEATED_STATUSES)
        .select_related("employee")
        .order_by("employee__name")
    )
    return [_progress(e) for e in enrollments]


@router.put(
    "/completions/enrollments/{enrollment_id}/scores",
    response={200: EnrollmentProgressOut, **ERRORS},
    summary="Isi nilai pre-test dan post-test",
)
def scores_put(request: HttpRequest, enrollment_id: int, payload: ScoresIn) -> Any:
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("employee", "training_class"), pk=enrollment_id
    )
    _run_class_or_404(request, enrollment.training_class)
    attendance_services.scores_record(
        actor=request.user,
        enrollment=enrollment,
        pre_test_score=payload.pre_test_score,
        post_test_score=payload.post_test_score,
    )
    return _progress(enrollment)


@router.post(
    "/completions/classes/{class_id}/finalize",
    response={200: FinalizeOut, **ERRORS},
    summary="Tetapkan kelulusan kelas menurut aturannya",
)
def finalize(request: HttpRequest, class_id: int) -> Any:
    training_class = get_object_or_404(TrainingClass, pk=class_id)
    _run_class_or_404(request, training_class)
    result = class_finalize(actor=request.user, training_class=training_class)
    return {
        "completed": [e.pk for e in result.completed],
        "not_completed": [
            {"enrollment_id": e.pk, "reasons": list(outcome.reasons)} for e, outcome in result.not_completed
        ],
    }


# --- JP --------------------------------------------------------------------------------------------


@router.get("/jp/me", response={200: JpSummaryOut, **ERRORS}, summary="JP saya dalam satu tahun")
def jp_me(request: HttpRequest, year: int | None = None) -> Any:
    employee = activity_services.employee_of(request.user)
    if employee is None:
        raise PermissionDeniedError("Akun ini tidak terhubung dengan data pegawai.")
    year = year or timezone.localdate().year
    card = selectors.jp_card(employee, year)
    assert card is not None
    lines = selectors.jp_ledger(employee, year)
    return {
        "year": year,
        "jp": card.jp,
        "target": card.target,
        "owed": card.owed,
        "lines": [
            {
                "occurred_on": line.occurred_on,
                "year": line.year,
                "jp": line.jp,
                "source": line.source,
                "program_code": line.program.code if line.program else None,
                "note": line.note,
            }
            for line in lines
        ],
    }


class ComplianceRowOut(Schema):
    unit_code: str
    unit_name: str
    pns: int
    pns_met: int = Field(description="PNS dengan JP tahun ini >= 20")
    share: float = Field(description="persentase PNS yang memenuhi")
    pppk: int = Field(description="PPPK dicatat terpisah, tidak wajib 20 JP")


class ComplianceOut(Schema):
    year: int
    unit_code: str
    total: ComplianceRowOut
    rows: list[ComplianceRowOut]


def _compliance_row(row: selectors.GroupRow) -> dict[str, Any]:
    return {
        "unit_code": row.unit.code,
        "unit_name": row.unit.name,
        "pns": row.pns,
        "pns_met": row.pns_met,
        "share": row.share,
        "pppk": row.pppk,
    }


@router.get(
    "/jp/compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="Kepatuhan 20 JP per unit (BKPP dan kepala unit)",
)
def jp_compliance(request: HttpRequest, year: int | None = None, unit: str | None = None) -> Any:
    root = None
    if unit:
        root = Unit.objects.filter(code=unit).first()
        if root is None:
            raise Http404
    try:
        result = selectors.compliance(user=request.user, year=year, unit=root)
    except PermissionDeniedError:
        if root is not None and selectors.can_view_compliance(request.user):
            raise Http404 from None
        raise
    return {
        "year": result.year,
        "unit_code": result.root.code,
        "total": _compliance_row(result.total),
        "rows": [_compliance_row(row) for row in result.rows],
    }


# --- certificates ----------------------------------------------------------------------------------


@router.get("/certificates/mine", response={200: list[CertificateOut], **ERRORS}, summary="Sertifikat saya")
def certificates_mine(request: HttpRequest) -> Any:
    employee = activity_services.employee_of(request.user)
    if employee is None:
        return []
    return [
        {
            "id": c.pk,
            "number": c.number,
            "program": c.enrollment.training_class.program.name,
            "issued_on": c.issued_on,
            "valid_until": c.valid_until,
            "validity": certificate_services.validity(c),
            "verify_url": request.build_absolute_uri(certificate_services.verification_path(c)),
            "pdf_url": request.build_absolute_uri(reverse("learning:certificate_pdf", args=[c.pk])),
        }
        for c in selectors.certificates_of(employee)
    ]


@router.get(
    "/certificates/verify/{token}",
    auth=None,
    response={200: VerifyOut},
    summary="Verifikasi publik sertifikat (tanpa login)",
)
def certificate_verify(request: HttpRequest, token: str) -> Any:
    certificate: Certificate | None = certificate_services.certificate_from_token(token)
    if certificate is None:
        return {"valid": False}
    state = certificate_services.validity(certificate)
    return {
        "valid": state == "valid",
        "validity": state,
        "name": certificate.enrollment.employee.name,
        "program": certificate.enrollment.training_class.program.name,
        "issued_on": certificate.issued_on,
    }


# --- activities ------------------------------------------------------------------------------------


@router.get(
    "/activities/mine", response={200: list[ActivityOut], **ERRORS}, summary="Kegiatan nonklasikal saya"
)
def activities_mine(request: HttpRequest) -> Any:
    employee = activity_services.employee_of(request.user)
    if employee is None:
        return []
    return [_activity(a) for a in selectors.activities_of(employee).select_related("employee")]


@router.post("/activities", response={201: ActivityOut, **ERRORS}, summary="Laporkan kegiatan nonklasikal")
def activity_submit(request: HttpRequest, payload: ActivityIn) -> Any:
    activity = activity_services.activity_submit(actor=request.user, **payload.dict())
    return Status(201, _activity(activity))


@router.get(
    "/activities/pending",
    response={200: list[ActivityOut], **ERRORS},
    summary="Kegiatan yang menunggu verifikasi saya",
)
def activities_pending(request: HttpRequest) -> Any:
    return [_activity(a) for a in activity_services.activities_to_verify(request.user)[:500]]


def _activity_for_decision(request: HttpRequest, activity_id: int) -> NonClassicalActivity:
    activity = get_object_or_404(NonClassicalActivity.objects.select_related("employee"), pk=activity_id)
    own = activity.employee_id == scope_for(request.user).own_employee_id
    if not own and not activity_services.can_verify(request.user, activity):
        raise Http404
    return activity


@router.post(
    "/activities/{activity_id}/verify",
    response={200: ActivityOut, **ERRORS},
    summary="Verifikasi kegiatan (atasan atau BKPP)",
)
def activity_verify(request: HttpRequest, activity_id: int, payload: VerifyActivityIn) -> Any:
    activity = _activity_for_decision(request, activity_id)
    activity = activity_services.activity_verify(
        actor=request.user, activity=activity, jp_credited=payload.jp_credited, note=payload.note
    )
    return _activity(activity)


@router.post(
    "/activities/{activity_id}/reject",
    response={200: ActivityOut, **ERRORS},
    summary="Tolak kegiatan dengan catatan",
)
def activity_reject(request: HttpRequest, activity_id: int, payload: RejectActivityIn) -> Any:
    activity = _activity_for_decision(request, activity_id)
    activity = activity_services.activity_reject(actor=request.user, activity=activity, note=payload.note)
    return _activity(activity)
