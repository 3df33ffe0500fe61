"""The competency standard (SKJ, PermenPANRB 38/2017): dictionary, required levels, assessments.

Levels are 1-5 everywhere. The *current* level of an employee in a competency is kept denormalised in
`CurrentLevel` by the services (see services.recompute_current_level for the precedence rule), so gap
analysis is a join, not a replay of history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mumpuni.common.models import TimeStampedModel
from mumpuni.people.models import Employee, Position, Unit

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Competency(TimeStampedModel):
    class Kind(models.TextChoices):
        TECHNICAL = "teknis", "Teknis"
        MANAGERIAL = "manajerial", "Manajerial"
        SOCIO_CULTURAL = "sosial_kultural", "Sosial kultural"

    code = models.CharField("kode", max_length=20, unique=True)  # M.01..M.08, SK.01, T.ADK, ...
    name = models.CharField("nama", max_length=150)
    kind = models.CharField("jenis", max_length=16, choices=Kind.choices)
    description = models.TextField("definisi", blank=True)
    # Technical competencies belong to the unit that defines them (null: city-wide); managerial and
    # socio-cultural ones are national.
    unit = models.ForeignKey(
        Unit, verbose_name="unit pemilik", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = "kompetensi"
        verbose_name_plural = "kompetensi"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetencyLevel(models.Model):
    """What level N of a competency looks like at work (behavioural description, Indonesian)."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField("level", validators=LEVEL_VALIDATORS)
    title = models.CharField("judul", max_length=150, blank=True)
    description = models.TextField("deskripsi perilaku")

    class Meta:
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="one_description_per_level"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="competency_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level}"


class ManagerialDefault(models.Model):
    """Configurable default required level of managerial and socio-cultural competencies by position kind
    and jenjang (domain facts: JPT Utama/Madya 5, Pratama 4, Administrator 3, Pengawas 2, Pelaksana 1;
    Fungsional Ahli Utama 4, Madya 3, Muda 2, Pertama 1)."""

    position_kind = models.CharField("jenis jabatan", max_length=16, choices=Position.Kind.choices)
    position_level = models.CharField("jenjang", max_length=16, choices=Position.Level.choices, blank=True)
    required_level = models.PositiveSmallIntegerField("level minimal", validators=LEVEL_VALIDATORS)

    class Meta:
        ordering = ["position_kind", "position_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["position_kind", "position_level"], name="one_default_per_jenjang"
            ),
            models.CheckConstraint(
                condition=Q(required_level__gte=1, required_level__lte=5), name="default_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position_kind}/{self.position_level or '-'}: {self.required_level}"


class PositionRequirement(models.Model):
    """An explicit required level of a competency for a position (technical ones, or a managerial override)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="requirements")
    required_level = models.PositiveSmallIntegerField("level minimal", validators=LEVEL_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["position", "competency"], name="one_requirement_per_competency"),
            models.CheckConstraint(
                condition=Q(required_level__gte=1, required_level__lte=5), name="requirement_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position.code} {self.competency.code} ≥ {self.required_level}"


class Assessment(TimeStampedModel):
    """One observation of an employee's level in a competency. Never edited: history is kept; a wrong
    entry is withdrawn (withdrawn_at) and a new one recorded."""

    class Source(models.TextChoices):
        SELF = "self", "Penilaian diri"
        SUPERVISOR = "supervisor", "Penilaian atasan"
        ASSESSMENT_CENTRE = "assessment_centre", "Assessment center"
        TEST = "test", "Uji kompetensi"
        TRAINING = "training", "Penyelesaian pelatihan"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assessments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="assessments")
    level = models.PositiveSmallIntegerField("level", validators=LEVEL_VALIDATORS)
    source = models.CharField("sumber", max_length=20, choices=Source.choices)
    assessed_on = models.DateField("tanggal penilaian")
    valid_until = models.DateField("berlaku sampai", null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("catatan", blank=True)
    evidence_file = models.FileField("berkas bukti", upload_to="evidence/%Y/%m/", blank=True)
    evidence_url = models.URLField("tautan bukti", blank=True)
    # Set when the assessment came from a completed training (learning.Enrollment id), for traceability.
    training_enrollment_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["employee", "competency", "-assessed_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="assessment_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.competency.code} = {self.level} ({self.source}, {self.assessed_on})"


class CurrentLevel(models.Model):
    """The employee's current level in a competency, derived from Assessment by the precedence rule."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="current_levels")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "competency"], name="one_current_level"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.competency_id} = {self.level}"


class GapRollup(models.Model):
    """Pre-aggregated gaps per unit × competency, refreshed by a background job (national scale)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    employees = models.PositiveIntegerField(default=0)  # employees for whom the competency is required
    employees_below = models.PositiveIntegerField(default=0)
    total_gap = models.PositiveIntegerField(default=0)  # sum of (required - current) over assessed employees
    unassessed = models.PositiveIntegerField(default=0)  # required but never assessed: reported apart
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "competency"], name="one_rollup_per_unit_competency")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}×{self.competency_id}: {self.employees_below}/{self.employees}"
