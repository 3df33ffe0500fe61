"""API of `reports` under /api/v1/reports/: the archive (scoped, paginated), asking for a report (201 with
the job), a job's status (for polling) and its files. Same selectors and services as the pages; refusals
are JSON with Indonesian messages (common/api.py). A job or unit outside the caller's scope is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mumpuni.common.api import ErrorOut, PagePagination
from mumpuni.common.errors import NotFoundError, PermissionDeniedError
from mumpuni.queueing.models import ServicePoint
from mumpuni.reports import access, selectors, services
from mumpuni.reports.models import ReportJob

router = Router(tags=["laporan resmi"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class JobOut(Schema):
    id: int
    kind: str
    year: int
    quarter: int | None
    unit: str | None = Field(description="Kode unit; null: seluruh kota.")
    point: int | None
    status: str
    progress: int
    message: str
    error: str
    title: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    pdf_url: str | None
    xlsx_url: str | None
    pdf_sha256: str
    xlsx_sha256: str

    @staticmethod
    def resolve_unit(job: ReportJob) -> str | None:
        return job.unit.code if job.unit is not None else None

    @staticmethod
    def resolve_point(job: ReportJob) -> int | None:
        return job.point_id

    @staticmethod
    def resolve_pdf_url(job: ReportJob) -> str | None:
        return _url(job, "pdf")

    @staticmethod
    def resolve_xlsx_url(job: ReportJob) -> str | None:
        return _url(job, "xlsx")


class JobIn(Schema):
    kind: str = Field(description="competency_quarterly | skm | service_point")
    year: int
    quarter: int | None = Field(
        None, description="1–4; kosong: setahun penuh (wajib untuk laporan triwulanan)."
    )
    unit: str | None = Field(None, description="Kode unit; kosong: seluruh kota (admin BKPP saja).")
    point: int | None = Field(None, description="Id tempat layanan (laporan kinerja pelayanan).")


def _url(job: ReportJob, fmt: str) -> str | None:
    if job.status != ReportJob.Status.DONE:
        return None
    return reverse("api:report_download", args=[job.pk, fmt])


def _reader(request: HttpRequest) -> None:
    if not access.can_read(request.user):
        raise PermissionDeniedError("Laporan resmi hanya untuk BKPP, pimpinan dan kepala unit.")


def _job(request: HttpRequest, job_id: int) -> ReportJob:
    _reader(request)
    job = selectors.jobs_for(request.user).filter(pk=job_id).first()
    if job is None:
        raise NotFoundError("Laporan tidak ditemukan.")
    return job


@router.get("/jobs", response={200: list[JobOut], **ERRORS}, summary="Arsip laporan (sesuai cakupan)")
@paginate(PagePagination)
def job_list(
    request: HttpRequest, kind: str = "", year: int | None = None, quarter: int | None = None
) -> Any:
    _reader(request)
    services.fail_stale_jobs()
    return selectors.archive(request.user, kind=kind, year=year, quarter=quarter)


@router.post("/jobs", response={201: JobOut, **ERRORS}, summary="Minta laporan (dibuat di latar belakang)")
def job_request(request: HttpRequest, payload: JobIn) -> Any:
    if not access.can_request(request.user):
        raise PermissionDeniedError("Hanya admin BKPP dan kepala unit yang dapat meminta laporan resmi.")
    unit = None
    if payload.unit:
        unit = access.requestable_units(request.user).filter(code=payload.unit).first()
        if unit is None:
            raise NotFoundError("Unit tidak ditemukan dalam cakupan Anda.")
    point: ServicePoint | None = None
    if payload.point is not None:
        point = access.requestable_points(request.user).filter(pk=payload.point).first()
        if point is None:
            raise NotFoundError("Tempat layanan tidak ditemukan dalam cakupan Anda.")
    job = services.request_report(
        actor=request.user,
        kind=payload.kind,
        year=payload.year,
        quarter=payload.quarter,
        unit=unit,
        point=point,
    )
    job.refresh_from_db()
    return Status(201, job)


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, summary="Status satu laporan")
def job_status(request: HttpRequest, job_id: int) -> Any:
    return _job(request, job_id)


@router.get(
    "/jobs/{job_id}/{fmt}",
    response={200: None, **ERRORS},
    url_name="report_download",
    summary="Unduh berkas laporan (pdf atau xlsx)",
)
def job_download(request: HttpRequest, job_id: int, fmt: str) -> Any:
    from mumpuni.reports.views import CONTENT_TYPES

    job = _job(request, job_id)
    if fmt not in CONTENT_TYPES or job.status != ReportJob.Status.DONE:
        raise NotFoundError("Berkas laporan tidak ditemukan.")
    field = job.pdf if fmt == "pdf" else job.xlsx
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFoundError("Berkas laporan tidak ditemukan.") from exc
    return FileResponse(
        handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1], content_type=CONTENT_TYPES[fmt]
    )
