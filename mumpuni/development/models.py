"""Individual development plans (IDP, after Moodle's learning plans): one plan per employee per year with
goals (a competency gap or a unit's service problem), planned programmes and activities with their JP,
and a comment on every step of draft → proposed → agreed → in progress → completed. A completed plan is
frozen: the services refuse every change to it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mumpuni.common.models import TimeStampedModel
from mumpuni.competencies.models import Competency
from mumpuni.learning.models import JpEntry, Program
from mumpuni.people.models import Employee


class DevelopmentPlan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PROPOSED = "proposed", _("Diajukan ke atasan")
        AGREED = "agreed", _("Disetujui")
        IN_PROGRESS = "in_progress", _("Berjalan")
        COMPLETED = "completed", _("Selesai")

    # Statuses in which the plan counts as agreed (coverage: "has an agreed plan").
    AGREED_STATUSES = ("agreed", "in_progress", "completed")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="development_plans")
    year = models.PositiveSmallIntegerField("tahun")
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.DRAFT)
    generated = models.BooleanField("disusun dari kesenjangan", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "employee__name"]
        verbose_name = "rencana pengembangan"
        verbose_name_plural = "rencana pengembangan"
        indexes = [models.Index(fields=["year", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="one_plan_per_employee_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="plan_year_plausible"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="completed_plan_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"IDP {self.year} {self.employee_id} ({self.status})"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_editable(self) -> bool:
        """Goals and items change only while the plan is a draft (a returned plan is a draft again)."""
        return self.status == self.Status.DRAFT


class PlanGoal(models.Model):
    """What the employee wants to reach this year, and why (a gap, a service problem at their unit)."""

    class Source(models.TextChoices):
        GAP = "gap", _("Kesenjangan kompetensi")
        SERVICE = "service", _("Masalah pelayanan unit")
        OTHER = "other", _("Lainnya")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_level = models.PositiveSmallIntegerField(
        "level saat ini", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    target_level = models.PositiveSmallIntegerField(
        "level sasaran", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    source = models.CharField("dasar", max_length=8, choices=Source.choices, default=Source.OTHER)
    reason = models.CharField("alasan", max_length=300, blank=True)
    description = models.CharField("sasaran", max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_level__isnull=True) | Q(target_level__gte=1, target_level__lte=5),
                name="goal_target_level_1_5",
            ),
            models.CheckConstraint(
                condition=Q(competency__isnull=False) | Q(target_level__isnull=True),
                name="goal_level_needs_competency",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class PlanItem(models.Model):
    """A programme of the catalogue or a free-text (nonklasikal) activity, with its target date and JP."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        DONE = "done", _("Terlaksana")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    goal = models.ForeignKey(PlanGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    activity = models.CharField("kegiatan", max_length=200, blank=True)
    target_date = models.DateField("target tanggal", null=True, blank=True)
    planned_jp = models.DecimalField(
        "JP direncanakan", max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    # Why it is in the plan, when it came from the recommender (the score parts that counted).
    reason = models.CharField("alasan rekomendasi", max_length=600, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # The ledger line that proves it, when there is one (a completed class or a verified activity).
    jp_entry = models.OneToOneField(
        JpEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_item"
    )

    class Meta:
        ordering = ["plan", "target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__isnull=False) | ~Q(activity=""), name="item_program_or_activity"
            ),
            models.CheckConstraint(condition=Q(planned_jp__gte=Decimal("0.5")), name="item_jp_positive"),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(done_at__isnull=False), name="done_item_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.program.name if self.program_id and self.program else self.activity


class PlanComment(models.Model):
    """A comment on a step of the plan (every transition writes one, with the reviewer's words if any)."""

    class Step(models.TextChoices):
        CREATED = "created", _("Dibuat")
        PROPOSED = "proposed", _("Diajukan")
        AGREED = "agreed", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
        STARTED = "started", _("Mulai dilaksanakan")
        COMPLETED = "completed", _("Diselesaikan")
        COMMENT = "comment", _("Komentar")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    step = models.CharField(max_length=10, choices=Step.choices)
    status = models.CharField(max_length=12, choices=DevelopmentPlan.Status.choices)  # plan status after it
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.step}"
