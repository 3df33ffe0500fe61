"""Background work of the people app: checking and applying uploaded import files.

Tasks receive job ids and are idempotent: each claims its job with a conditional UPDATE (the status it
expects -> the next one) and does nothing when another run got there first, so a retried or duplicated
message, or a double click on "Terapkan", applies a file once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone, translation

from mumpuni.people import imports
from mumpuni.people.models import ImportJob

logger = logging.getLogger(__name__)

SYSTEM_ERROR = (
    "Terjadi kesalahan sistem saat memproses berkas; tidak ada data yang diubah. "
    "Coba lagi atau hubungi admin aplikasi."
)
STALE_AFTER = dt.timedelta(minutes=15)
STALE_NOTE = (
    "Pemrosesan berhenti tanpa kabar lebih dari 15 menit (mis. pekerja latar belakang mati); tidak ada data "
    'yang diubah. Tekan "Coba lagi" untuk memeriksa berkas ini ulang.'
)
CHANGED_SINCE_CHECK = "Data berubah sejak pemeriksaan; berkas diperiksa ulang dan tidak ada yang diterapkan."


def _claim(job_id: int, expected: str, claimed: str, **extra: Any) -> bool:
    updated = ImportJob.objects.filter(pk=job_id, status=expected).update(
        status=claimed, updated_at=timezone.now(), **extra
    )
    return updated == 1


class ProgressReporter:
    """Writes a job's processed_rows where the progress page can see it while the import is uncommitted.

    On PostgreSQL the figure goes through a second connection in autocommit, outside the import's
    transaction. SQLite lets only one connection write at a time and the import holds that lock, so there
    the figure is written in the import's own transaction and shows at commit (with no broker the import
    runs inside the confirming request anyway, and the next page already shows the result).
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._connection: Any = None
        self._table = connection.ops.quote_name(ImportJob._meta.db_table)
        if connection.vendor == "postgresql":
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, processed: int) -> None:
        # updated_at moves with the progress: a job whose updated_at stands still is stale (see below).
        now = timezone.now()
        if self._connection is None:
            ImportJob.objects.filter(pk=self.job_id).update(processed_rows=processed, updated_at=now)
            return
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self._table} SET processed_rows = %s, updated_at = %s WHERE id = %s",  # noqa: S608 (quoted table name)
                [processed, now, self.job_id],
            )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@shared_task(name="people.validate_import")
def validate_import(job_id: int) -> None:
    """Check an uploaded file: READY with the preview, or INVALID with every row error."""
    if not _claim(job_id, ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            plan = imports.plan_import(job.kind, bytes(job.content), job.file_name, actor=job.created_by)
    except Exception:
        logger.exception("checking import job %s failed", job_id)
        _finish(job, ImportJob.Status.FAILED, errors=[imports.RowError(0, "", SYSTEM_ERROR)])
        return
    job.total_rows = plan.total_rows
    job.summary = plan.summary()
    _finish(job, ImportJob.Status.READY if plan.ok else ImportJob.Status.INVALID, errors=plan.errors)


@shared_task(name="people.apply_import")
def apply_import(job_id: int) -> None:
    """Apply a checked file all or nothing, reporting progress after every batch."""
    if not _claim(job_id, ImportJob.Status.READY, ImportJob.Status.APPLYING, processed_rows=0):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    progress = ProgressReporter(job_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            plan = imports.import_file(
                job.kind, bytes(job.content), job.file_name, actor=job.created_by, progress=progress
            )
    except Exception:
        logger.exception("applying import job %s failed", job_id)
        _finish(job, ImportJob.Status.FAILED, errors=[imports.RowError(0, "", SYSTEM_ERROR)])
        return
    finally:
        progress.close()
    job.total_rows = plan.total_rows
    if not plan.ok:
        # Someone changed the data between the preview and the confirmation; the file no longer fits.
        job.summary = {**job.summary, "note": CHANGED_SINCE_CHECK}
        _finish(job, ImportJob.Status.INVALID, errors=plan.errors)
        return
    job.summary = {**job.summary, **plan.counts(), "applied": True}
    job.processed_rows = plan.total_rows
    _finish(job, ImportJob.Status.DONE, errors=[])


def _finish(job: ImportJob, status: str, *, errors: list[imports.RowError]) -> None:
    job.status = status
    job.errors = [e.as_dict() for e in errors]
    job.updated_at = timezone.now()
    fields = ["status", "errors", "summary", "total_rows", "updated_at"]
    if status == ImportJob.Status.DONE:
        fields.append("processed_rows")
    if status != ImportJob.Status.READY:
        job.finished_at = job.updated_at
        fields.append("finished_at")
    job.save(update_fields=fields)


@shared_task(name="people.fail_stale_import_jobs")
def fail_stale_import_jobs(now: dt.datetime | None = None) -> int:
    """Mark jobs stuck in VALIDATING/APPLYING for over 15 minutes as FAILED; returns how many.

    A worker that dies mid-job leaves its job claimed forever, and the page would poll a progress bar
    that never moves. The import's own transaction rolled back with the worker, so nothing was written;
    the job page then offers "Coba lagi". Run periodically (CELERY_BEAT_SCHEDULE) or by hand.
    """
    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        status__in=[ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING], updated_at__lt=now - STALE_AFTER
    )
    failed = 0
    for job_id, status in stale.values_list("pk", "status"):
        # Conditional, like _claim: a job that finished meanwhile keeps its result.
        failed += ImportJob.objects.filter(pk=job_id, status=status, updated_at__lt=now - STALE_AFTER).update(
            status=ImportJob.Status.FAILED,
            errors=[imports.RowError(0, "", STALE_NOTE).as_dict()],
            updated_at=now,
            finished_at=now,
        )
        logger.warning("import job %s was stuck in %s and is marked failed", job_id, status)
    return failed
