"""Pages of learning progress: attendance grid and QR check-in, test scores, finalisation, my JP,
certificates, nonklasikal activities and the 20-JP compliance (with XLSX export).

Thin views: reads through selectors/progress.py and the services' access helpers, writes through the
services; a class the user does not run answers 404, so its existence is not revealed.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.forms import add_service_errors
from mumpuni.learning.models import (
    Attendance,
    Certificate,
    Enrollment,
    NonClassicalActivity,
    Session,
    TrainingClass,
)
from mumpuni.learning.pdf import certificate_data, render_certificate
from mumpuni.learning.selectors import progress as selectors
from mumpuni.learning.services import activities as activity_services
from mumpuni.learning.services import attendance as attendance_services
from mumpuni.learning.services import certificates as certificate_services
from mumpuni.learning.services.completion import class_finalize, outcome_of
from mumpuni.lib.tabular import write_xlsx
from mumpuni.people.models import Employee, Unit
from mumpuni.people.scopes import scope_for


def _class_or_404(request: HttpRequest, pk: int) -> TrainingClass:
    training_class = get_object_or_404(TrainingClass.objects.select_related("program"), pk=pk)
    if not attendance_services.can_run_class(request.user, training_class):
        raise Http404("Kelas tidak ditemukan.")
    return training_class


def _url_or(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse(fallback) if fallback else ""


# --- trainer: my classes ---------------------------------------------------------------------------


@login_required
@require_GET
def teaching(request: HttpRequest) -> HttpResponse:
    """Classes the user runs (trainer) or, for BKPP, all classes not cancelled."""
    scope = scope_for(request.user)
    classes = TrainingClass.objects.select_related("program").exclude(status=TrainingClass.Status.CANCELLED)
    if not scope.city_manager:
        classes = classes.filter(trainers=request.user)
    # What needs the trainer now first: running classes, then the most recently finished, then upcoming.
    today = timezone.localdate()
    rows = sorted(
        classes[:500],
        key=lambda c: (
            0 if c.starts_on <= today <= c.ends_on else 1 if c.ends_on < today else 2,
            -c.ends_on.toordinal() if c.ends_on < today else c.starts_on.toordinal(),
        ),
    )
    return render(request, "learning/progress/teaching.html", {"classes": rows[:200]})


# --- attendance ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = _class_or_404(request, pk)
    sessions = list(training_class.sessions.all())
    enrollments = list(
        training_class.enrollments.filter(status__in=Enrollment.SEATED_STATUSES)
        .select_related("employee")
        .order_by("employee__name")
    )
    if request.method == "POST":
        present: set[tuple[int, int]] = set()
        for key in request.POST.getlist("present"):
            enrollment_id, _, session_id = key.partition("-")
            if enrollment_id.isdigit() and session_id.isdigit():
                present.add((int(enrollment_id), int(session_id)))
        try:
            changed = attendance_services.attendance_grid_save(
                actor=request.user, training_class=training_class, present=present
            )
        except (ValidationFailed, PermissionDeniedError) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Kehadiran disimpan ({changed} perubahan).")
        return redirect("learning:attendance", pk=training_class.pk)
    marks = {
        f"{a.enrollment_id}-{a.session_id}": a
        for a in Attendance.objects.filter(enrollment__in=enrollments, session__in=sessions)
    }
    rows = [
        (
            e,
            [(s, marks.get(f"{e.pk}-{s.pk}")) for s in sessions],
            e.status == Enrollment.Status.ENROLLED,
        )
        for e in enrollments
    ]
    return render(
        request,
        "learning/progress/attendance.html",
        {
            "training_class": training_class,
            "sessions": sessions,
            "rows": rows,
            "current": attendance_services.current_session(training_class),
        },
    )


@login_required
@require_GET
def session_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The big QR code shown in the room; the page reloads itself so the code follows the time window."""
    session = get_object_or_404(Session.objects.select_related("training_class__program"), pk=pk)
    if not attendance_services.can_run_class(request.user, session.training_class):
        raise Http404("Sesi tidak ditemukan.")
    now = timezone.now()
    is_open = attendance_services.checkin_open(session, now)
    svg = ""
    url = ""
    if is_open:
        token = attendance_services.checkin_token(session, now)
        url = request.build_absolute_uri(reverse("learning:checkin", args=[session.pk, token]))
        svg = segno.make(url, error="m").svg_inline(scale=10, border=2, dark="#000", light="#fff")
    present = Attendance.objects.filter(session=session, present=True).count()
    enrolled = session.training_class.enrollments.filter(status=Enrollment.Status.ENROLLED).count()
    return render(
        request,
        "learning/progress/session_qr.html",
        {
            "session": session,
            "is_open": is_open,
            "svg": svg,
            "url": url,
            "present": present,
            "enrolled": enrolled,
            "opens_at": session.starts_at - attendance_services.CHECKIN_EARLY,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """What the participant's phone opens from the QR code: one button to record their presence."""
    session = get_object_or_404(Session.objects.select_related("training_class__program"), pk=pk)
    context: dict[str, Any] = {"session": session, "token": token}
    if request.method == "POST":
        try:
            result = attendance_services.attendance_checkin(user=request.user, session=session, token=token)
        except (ValidationFailed, PermissionDeniedError) as exc:
            context["error"] = exc.message
            return render(request, "learning/progress/checkin.html", context, status=exc.status_code)
        context["done"] = True
        context["already"] = result.already
        context["enrollment"] = result.enrollment
    return render(request, "learning/progress/checkin.html", context)


# --- scores and finalisation -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = _class_or_404(request, pk)
    enrollments = list(
        training_class.enrollments.filter(status__in=Enrollment.SEATED_STATUSES)
        .select_related("employee")
        .order_by("employee__name")
    )
    errors: dict[int, str] = {}
    if request.method == "POST":
        saved = 0
        for enrollment in enrollments:
            if enrollment.status == Enrollment.Status.COMPLETED:
                continue
            pre = request.POST.get(f"pre-{enrollment.pk}")
            post = request.POST.get(f"post-{enrollment.pk}")
            if pre is None and post is None:
                continue
            try:
                attendance_services.scores_record(
                    actor=request.user, enrollment=enrollment, pre_test_score=pre, post_test_score=post
                )
                saved += 1
            except (ValidationFailed, PermissionDeniedError) as exc:
                errors[enrollment.pk] = exc.message
        if not errors:
            messages.success(request, f"Nilai {saved} peserta disimpan.")
            return redirect("learning:scores", pk=training_class.pk)
        messages.error(request, "Sebagian nilai tidak disimpan; periksa baris yang ditandai.")
    rows = [(e, errors.get(e.pk, "")) for e in enrollments]
    return render(
        request,
        "learning/progress/scores.html",
        {"training_class": training_class, "rows": rows, "posted": request.POST if errors else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def finalize(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = _class_or_404(request, pk)
    if request.method == "POST":
        try:
            result = class_finalize(actor=request.user, training_class=training_class)
        except (ValidationFailed, PermissionDeniedError) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Kelulusan ditetapkan: {len(result.completed)} lulus, {len(result.not_completed)} tidak lulus.",
            )
        return redirect("learning:finalize", pk=training_class.pk)
    enrollments = list(
        training_class.enrollments.filter(status__in=Enrollment.SEATED_STATUSES)
        .select_related("employee", "certificate")
        .order_by("employee__name")
    )
    rows = [(e, outcome_of(e)) for e in enrollments]
    return render(
        request,
        "learning/progress/finalize.html",
        {
            "training_class": training_class,
            "rows": rows,
            "can_finalize": training_class.ends_on <= timezone.localdate()
            and training_class.status != TrainingClass.Status.CANCELLED,
        },
    )


# --- certificates ----------------------------------------------------------------------------------


def _with_verification(certificates: Any) -> list[Any]:
    """Each certificate with the public verification link (the same one its QR code carries)."""
    result = list(certificates)
    for certificate in result:
        certificate.verify_path = certificate_services.verification_path(certificate)
    return result


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "enrollment__employee__unit", "enrollment__training_class__program"
        ),
        pk=pk,
    )
    if not certificate_services.can_download(request.user, certificate):
        raise Http404("Sertifikat tidak ditemukan.")
    verify_url = request.build_absolute_uri(certificate_services.verification_path(certificate))
    pdf = render_certificate(certificate_data(certificate, verify_url))
    filename = f"sertifikat-{certificate.number.replace('/', '-')}.pdf"
    return FileResponse(io.BytesIO(pdf), content_type="application/pdf", filename=filename)


# --- my JP -----------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("tahun", "")
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year


@login_required
@require_GET
def my(request: HttpRequest) -> HttpResponse:
    employee = activity_services.employee_of(request.user)
    if employee is None:
        raise PermissionDenied("Akun Anda tidak terhubung dengan data pegawai.")
    year = _year(request)
    return render(
        request,
        "learning/progress/my.html",
        {
            "employee": employee,
            "card": selectors.jp_card(employee, year),
            "ledger": list(selectors.jp_ledger(employee, year)),
            "certificates": _with_verification(selectors.certificates_of(employee)),
            "activities": list(selectors.activities_of(employee)[:50]),
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "my_classes_url": _url_or("learning:my_classes", "learning:home"),
        },
    )


# --- nonklasikal activities ------------------------------------------------------------------------


class ActivityForm(forms.Form):
    form = forms.ChoiceField(label="Bentuk kegiatan", choices=activity_services.ACTIVITY_FORMS)
    title = forms.CharField(label="Judul kegiatan", max_length=200)
    provider_name = forms.CharField(label="Penyelenggara", max_length=200, required=False)
    started_on = forms.DateField(label="Mulai", widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(label="Selesai", widget=forms.DateInput(attrs={"type": "date"}))
    jp_claimed = forms.DecimalField(
        label="JP diajukan", min_value=Decimal("0.5"), max_digits=6, decimal_places=1
    )
    evidence_file = forms.FileField(label="Berkas bukti (PDF/JPG/PNG, maks. 5 MB)", required=False)
    evidence_url = forms.URLField(label="atau tautan bukti", required=False, assume_scheme="https")


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    if activity_services.employee_of(request.user) is None:
        raise PermissionDenied("Akun Anda tidak terhubung dengan data pegawai.")
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.activity_submit(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Kegiatan diajukan; menunggu verifikasi atasan atau BKPP.")
            return redirect("learning:my")
    return render(request, "learning/progress/activity_form.html", {"form": form})


@login_required
@require_GET
def activity_queue(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.city_manager or scope.team_ids):
        raise PermissionDenied("Verifikasi kegiatan hanya untuk atasan dan admin BKPP.")
    pending = list(activity_services.activities_to_verify(request.user)[:200])
    return render(request, "learning/progress/activity_queue.html", {"pending": pending})


@login_required
@require_POST
def activity_decide(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(NonClassicalActivity.objects.select_related("employee"), pk=pk)
    if not activity_services.can_verify(request.user, activity):
        raise Http404("Kegiatan tidak ditemukan.")
    try:
        if request.POST.get("decision") == "verify":
            activity_services.activity_verify(
                actor=request.user,
                activity=activity,
                jp_credited=request.POST.get("jp_credited"),
                note=request.POST.get("note", ""),
            )
            messages.success(request, f"Kegiatan '{activity.title}' diverifikasi.")
        else:
            activity_services.activity_reject(
                actor=request.user, activity=activity, note=request.POST.get("note", "")
            )
            messages.success(request, f"Kegiatan '{activity.title}' ditolak.")
    except (ValidationFailed, PermissionDeniedError) as exc:
        messages.error(request, exc.message)
    return redirect("learning:activity_queue")


@login_required
@require_GET
def activity_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(NonClassicalActivity, pk=pk)
    scope = scope_for(request.user)
    allowed = activity.employee_id == scope.own_employee_id or activity_services.can_verify(
        request.user, activity
    )
    if not allowed or not activity.evidence_file:
        raise Http404("Berkas tidak ditemukan.")
    return FileResponse(activity.evidence_file.open("rb"), as_attachment=False)


# --- compliance ------------------------------------------------------------------------------------


def _compliance_for(request: HttpRequest) -> selectors.Compliance:
    if not selectors.can_view_compliance(request.user):
        raise PermissionDenied("Halaman kepatuhan 20 JP hanya untuk BKPP dan kepala unit.")
    unit = None
    code = request.GET.get("unit", "").strip()
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise Http404("Unit tidak ditemukan.")
    try:
        return selectors.compliance(user=request.user, year=_year(request), unit=unit)
    except PermissionDeniedError:
        raise Http404("Unit tidak ditemukan.") from None


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    result = _compliance_for(request)
    return render(
        request,
        "learning/progress/compliance.html",
        {
            "c": result,
            "behind": result.behind[:100],
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "query": request.GET.urlencode(),
            "parent": result.root.parent
            if result.root.parent_id
            and any(result.root.path.startswith(r.path) and r.pk != result.root.pk for r in result.roots)
            else None,
        },
    )


@login_required
@require_GET
def compliance_export(request: HttpRequest) -> HttpResponse:
    result = _compliance_for(request)
    headers = ["nip", "nama", "status", "unit_kode", "unit", f"jp_{result.year}", "memenuhi_20_jp"]
    rows = (
        [
            p.nip,
            p.name,
            p.employment_type.upper(),
            result.units[p.unit_id].code,
            result.units[p.unit_id].name,
            str(p.jp),
            ("ya" if p.jp >= selectors.TARGET else "tidak")
            if p.employment_type == Employee.EmploymentType.PNS
            else "tidak wajib (PPPK)",
        ]
        for p in sorted(result.people, key=lambda p: (result.units[p.unit_id].code, p.name))
    )
    data = write_xlsx(headers, rows, sheet_title=f"Kepatuhan JP {result.year}")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = dt.date.today().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="kepatuhan-jp-{result.root.code}-{result.year}-{stamp}.xlsx"'
    )
    return response


urlpatterns = [
    path("mengajar/", teaching, name="teaching"),
    path("presensi/<int:pk>/", attendance, name="attendance"),
    path("presensi/sesi/<int:pk>/qr/", session_qr, name="session_qr"),
    path("hadir/<int:pk>/<str:token>/", checkin, name="checkin"),
    path("nilai/<int:pk>/", scores, name="scores"),
    path("kelulusan/<int:pk>/", finalize, name="finalize"),
    path("sertifikat/<int:pk>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("jp-saya/", my, name="my"),
    path("kegiatan/baru/", activity_new, name="activity_new"),
    path("kegiatan/verifikasi/", activity_queue, name="activity_queue"),
    path("kegiatan/<int:pk>/putusan/", activity_decide, name="activity_decide"),
    path("kegiatan/<int:pk>/bukti/", activity_evidence, name="activity_evidence"),
    path("kepatuhan-jp/", compliance, name="compliance"),
    path("kepatuhan-jp/ekspor/", compliance_export, name="compliance_export"),
]
