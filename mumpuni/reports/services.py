"""Writes of `reports`: asking for a report, generating it (the Celery task's body), failing stuck jobs.

- `request_report` validates the parameters (field-level Indonesian messages), checks the scope
  (reports.access) and creates a queued job; the task is sent after the commit.
- `run_report` claims the job (queued → running, a conditional update: a duplicated message runs it once),
  writes progress with single UPDATEs outside any transaction (each commits at once, so the job page that
  polls sees it while the worker runs), stores the PDF and XLSX with their SHA-256, and marks the job failed
  with a readable reason on any exception.
- `fail_stale_jobs` marks jobs that stayed queued or running longer than STALE_MINUTES failed (a worker died,
  the broker lost the message); called by the beat task `reports.fail_stale_jobs` and when the archive or a
  job page is opened.

A job is never regenerated in place: "Minta ulang" makes a new job with the same parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.people.models import Unit
from mumpuni.queueing.models import ServicePoint
from mumpuni.reports import access
from mumpuni.reports.models import ReportJob

logger = logging.getLogger(__name__)

STALE_MINUTES = 30
SYSTEM_ERROR = "Terjadi kesalahan sistem saat membuat laporan; minta ulang atau hubungi admin aplikasi."
MIN_YEAR = 2015


def request_report(
    *,
    actor: Any,
    kind: str,
    year: Any,
    quarter: Any = None,
    unit: Unit | None = None,
    point: ServicePoint | None = None,
    today: dt.date | None = None,
) -> ReportJob:
    """Create a queued job (and send it to the worker after the commit). Raises ValidationFailed with
    messages per field, or PermissionDeniedError when the user may not ask for reports at all."""
    if not access.can_request(actor):
        raise PermissionDeniedError("Hanya admin BKPP dan kepala unit yang dapat meminta laporan resmi.")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in ReportJob.Kind.values:
        errors["kind"] = ["Pilih jenis laporan."]
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not MIN_YEAR <= year <= today.year:
        errors["year"] = [f"Tahun harus antara {MIN_YEAR} dan {today.year}."]
    if quarter in ("", None):
        quarter = None
    else:
        try:
            quarter = int(quarter)
        except (TypeError, ValueError):
            quarter = 0
        if not 1 <= quarter <= 4:
            errors["quarter"] = ["Triwulan harus 1, 2, 3 atau 4."]
            quarter = None
        elif year == today.year and 3 * quarter - 2 > today.month:
            errors["quarter"] = ["Triwulan ini belum dimulai."]
    if kind == ReportJob.Kind.COMPETENCY_QUARTERLY and quarter is None and "quarter" not in errors:
        errors["quarter"] = ["Laporan triwulanan memerlukan triwulan."]
    if kind == ReportJob.Kind.SERVICE_POINT:
        if point is None:
            errors["point"] = ["Pilih tempat layanan."]
        else:
            if unit is not None and unit.pk != point.unit_id:
                errors["unit"] = ["Unit harus unit tempat layanan yang dipilih (atau kosong)."]
            unit = point.unit
    elif point is not None:
        errors["point"] = ["Tempat layanan hanya untuk laporan kinerja pelayanan."]
    if errors:
        raise ValidationFailed("Periksa isian permintaan laporan.", fields=errors)
    if not access.can_cover_unit(actor, unit):
        field = "point" if kind == ReportJob.Kind.SERVICE_POINT else "unit"
        message = (
            "Laporan seluruh kota hanya dapat diminta oleh admin BKPP; pilih unit Anda."
            if unit is None
            else "Unit atau tempat layanan ini di luar cakupan Anda."
        )
        raise ValidationFailed(message, fields={field: [message]})
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind,
            year=year,
            quarter=quarter,
            unit=unit,
            point=point if kind == ReportJob.Kind.SERVICE_POINT else None,
            requested_by=actor if getattr(actor, "pk", None) else None,
            message="Menunggu giliran dibuat…",
        )
        from mumpuni.reports.tasks import generate

        transaction.on_commit(lambda: generate.delay(job.pk))
    return job


def request_again(*, actor: Any, job: ReportJob) -> ReportJob:
    """A new job with the parameters of `job` (the archive keeps the old one as it is)."""
    return request_report(
        actor=actor, kind=job.kind, year=job.year, quarter=job.quarter, unit=job.unit, point=job.point
    )


def set_progress(job_id: int, percent: int, message: str) -> None:
    """One UPDATE in its own (autocommit) transaction: the polling page sees it at once."""
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        progress=max(0, min(99, int(percent))), message=message[:300], updated_at=timezone.now()
    )


def _fail(job_id: int, reason: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
        status=ReportJob.Status.FAILED,
        error=reason,
        message="Gagal",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def run_report(job_id: int) -> None:
    """Generate the files of one queued job (the body of the task `reports.generate`)."""
    from mumpuni.reports.generators import generate

    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now(),
        progress=5,
        message="Mulai membuat laporan…",
        updated_at=timezone.now(),
    )
    if claimed != 1:
        return
    job = ReportJob.objects.select_related("unit", "point__unit", "requested_by").get(pk=job_id)
    try:
        out = generate(job, lambda percent, message: set_progress(job_id, percent, message))
        set_progress(job_id, 90, "Menyimpan berkas ke arsip…")
        job.refresh_from_db(fields=["status"])
        if job.status != ReportJob.Status.RUNNING:  # failed as stale meanwhile: keep that verdict
            return
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().get(pk=job_id)
            if job.status != ReportJob.Status.RUNNING:
                return
            job.pdf.save(f"{out.stem}-{job.pk}.pdf", ContentFile(out.pdf), save=False)
            job.xlsx.save(f"{out.stem}-{job.pk}.xlsx", ContentFile(out.xlsx), save=False)
            job.pdf_sha256 = hashlib.sha256(out.pdf).hexdigest()
            job.xlsx_sha256 = hashlib.sha256(out.xlsx).hexdigest()
            job.pdf_size, job.xlsx_size = len(out.pdf), len(out.xlsx)
            job.title = out.title[:300]
            job.status = ReportJob.Status.DONE
            job.progress = 100
            job.message = "Selesai"
            job.finished_at = timezone.now()
            job.save()
    except Exception as exc:
        logger.exception("report job %s failed", job_id)
        _fail(job_id, _reason(exc))


def _reason(exc: Exception) -> str:
    """A reason people can read: the message of our own errors, else a generic one naming the error type (the
    exception's text may hold data or SQL: it goes to the log, not to the page)."""
    from mumpuni.common.errors import ApplicationError

    if isinstance(exc, ApplicationError):
        return exc.message
    return f"{SYSTEM_ERROR} (kode: {type(exc).__name__})"


def fail_stale_jobs(*, minutes: int = STALE_MINUTES, now: dt.datetime | None = None) -> int:
    """Fail jobs queued or running for longer than `minutes` (their worker died or the message was lost)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=minutes)
    reason = (
        f"Laporan tidak selesai dalam {minutes} menit (proses latar belakang terhenti). "
        "Minta ulang laporan ini; bila terulang, hubungi admin aplikasi."
    )
    stale = ReportJob.objects.filter(status__in=(ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)).filter(
        updated_at__lt=cutoff
    )
    return stale.update(
        status=ReportJob.Status.FAILED, error=reason, message="Gagal", finished_at=now, updated_at=now
    )
