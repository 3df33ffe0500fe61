"""Models of `reports`: one ReportJob per request of an official report (issue 9 §3).

A job is never regenerated in place: asking again makes a new job, and every finished job stays in the archive
with its PDF and XLSX (under MEDIA_ROOT/reports/<year>/<month>/) and their SHA-256 checksums.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from mumpuni.common.models import TimeStampedModel


def _upload_to(job: ReportJob, filename: str) -> str:
    created = job.created_at
    return f"reports/{created:%Y}/{created:%m}/{filename}"


class ReportJob(TimeStampedModel):
    class Kind(models.TextChoices):
        COMPETENCY_QUARTERLY = "competency_quarterly", "Laporan triwulanan pengembangan kompetensi"
        SKM = "skm", "Laporan Survei Kepuasan Masyarakat (SKM)"
        SERVICE_POINT = "service_point", "Laporan kinerja pelayanan per tempat layanan"

    class Status(models.TextChoices):
        QUEUED = "queued", "Dalam antrean"
        RUNNING = "running", "Sedang dibuat"
        DONE = "done", "Selesai"
        FAILED = "failed", "Gagal"

    kind = models.CharField("jenis laporan", max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("tahun")
    quarter = models.PositiveSmallIntegerField("triwulan", null=True, blank=True)  # None: the whole year
    # The unit the report covers (its subtree); None: the whole city. A service-point report has the point
    # and its unit both set, so one scope filter on unit serves every kind.
    unit = models.ForeignKey(
        "people.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="unit"
    )
    point = models.ForeignKey(
        "queueing.ServicePoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tempat layanan",
    )
    title = models.CharField("judul", max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    message = models.CharField("langkah", max_length=300, blank=True)
    error = models.TextField("alasan gagal", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to=_upload_to, max_length=255, blank=True)
    xlsx = models.FileField(upload_to=_upload_to, max_length=255, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    xlsx_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "laporan"
        verbose_name_plural = "laporan"
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind", "year", "quarter"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_0_100"),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter_1_4",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="report_year_plausible"),
            models.CheckConstraint(
                condition=~Q(kind="service_point") | Q(point__isnull=False), name="report_point_has_point"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(pdf="") & ~Q(xlsx="")), name="report_done_has_files"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def period_label(self) -> str:
        if self.quarter:
            return f"Triwulan {['I', 'II', 'III', 'IV'][self.quarter - 1]} {self.year}"
        return f"Tahun {self.year}"

    @property
    def scope_label(self) -> str:
        if self.point is not None:
            return self.point.name
        return self.unit.name if self.unit is not None else "Kota Semarang"
