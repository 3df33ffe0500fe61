"""The report generators: each takes a ReportJob and a progress callback and returns the PDF and XLSX.

`generate(job, progress)` dispatches on the job's kind. Progress is reported as (percent, step message);
the service layer writes it to the job in its own transaction so the job page sees it while the worker runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mumpuni.reports.models import ReportJob

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Output:
    title: str
    stem: str  # file name without extension, e.g. "laporan-kompetensi-33-74-2026-q3"
    pdf: bytes
    xlsx: bytes


@dataclass(frozen=True)
class Context:
    """Who asked and when, for the kop of the PDF and the first sheet of the XLSX."""

    generated_by: str
    generated_at: dt.datetime

    @classmethod
    def of(cls, job: ReportJob) -> Context:
        user = job.requested_by
        name = ""
        if user is not None:
            employee = getattr(user, "employee", None)
            name = getattr(employee, "name", "") or user.get_full_name() or user.username
        return cls(name or "sistem", job.started_at or timezone.now())


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "kota"


def generate(job: ReportJob, progress: Progress) -> Output:
    from mumpuni.reports.generators import competency, service_point, skm

    runners: dict[str, Any] = {
        ReportJob.Kind.COMPETENCY_QUARTERLY: competency.generate,
        ReportJob.Kind.SKM: skm.generate,
        ReportJob.Kind.SERVICE_POINT: service_point.generate,
    }
    return runners[job.kind](job, progress)  # type: ignore[no-any-return]
