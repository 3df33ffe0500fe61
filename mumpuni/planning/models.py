"""Training budget and plan scenarios (issue 8).

Budget: funding sources (APBD, partner-funded, free LAN/e-learning), the city's budget per year and
source, and its split over units. Spend is not stored: it is read from enrolments (selectors.py).

Plans: BKPP sets how much each competency matters (`CompetencyImportance`) and how the service figures of
a unit weigh (`WeightSettings`); a `Scenario` says what to plan (year, budget, units, mandatory
programmes, JP cap, unit budgets, variant); each `ScenarioRun` builds an instance from live data, runs the
optimizer (planning/solver/) in the background and keeps the result, one `PlannedAssignment` per chosen
(employee, programme) with its value and what it closes.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mumpuni.common.models import TimeStampedModel
from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Enrollment, Program
from mumpuni.people.models import Employee, Unit

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        APBD = "apbd", "APBD Kota"
        PARTNER = "mitra", "Dibiayai mitra"
        FREE = "gratis", "Gratis (LAN/e-learning)"

    code = models.CharField("kode", max_length=20, unique=True)
    name = models.CharField("nama", max_length=150)
    kind = models.CharField("jenis", max_length=8, choices=Kind.choices)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = "sumber dana"
        verbose_name_plural = "sumber dana"

    def __str__(self) -> str:
        return self.name

    @property
    def counts_against_budget(self) -> bool:
        """Only the city's own money is planned by the optimizer; partners and free courses cost it nothing."""
        return self.kind == self.Kind.APBD


class ProgramFunding(models.Model):
    """Which source pays for a programme. Without a row: free when the programme costs nothing or is
    e-learning by LAN/a platform, else the APBD source (selectors.program_sources)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="funding")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="programs")

    class Meta:
        verbose_name = "pendanaan program"
        verbose_name_plural = "pendanaan program"

    def __str__(self) -> str:
        return f"{self.program_id} ← {self.source_id}"


class Budget(TimeStampedModel):
    """The city's training budget of a year from one source."""

    year = models.PositiveSmallIntegerField("tahun", validators=YEAR_VALIDATORS)
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="budgets")
    amount = models.PositiveBigIntegerField("pagu (Rp)")
    note = models.CharField("catatan", max_length=255, blank=True)

    class Meta:
        ordering = ["-year", "source__kind", "source__code"]
        verbose_name = "anggaran"
        verbose_name_plural = "anggaran"
        constraints = [
            models.UniqueConstraint(fields=["year", "source"], name="one_budget_per_year_source"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="budget_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source_id}: Rp {self.amount}"


class UnitBudget(TimeStampedModel):
    """A unit's share of a year's budget from one source (covers the unit's subtree)."""

    year = models.PositiveSmallIntegerField("tahun", validators=YEAR_VALIDATORS)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="training_budgets")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="unit_budgets")
    amount = models.PositiveBigIntegerField("pagu unit (Rp)")

    class Meta:
        ordering = ["-year", "unit__code", "source__code"]
        verbose_name = "anggaran unit"
        verbose_name_plural = "anggaran unit"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "source"], name="one_unit_budget_per_source"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="unit_budget_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.source_id}: Rp {self.amount}"


class CompetencyImportance(models.Model):
    """iₖ of the plan model: how much closing one level of this competency is worth (default 1)."""

    competency = models.OneToOneField(Competency, on_delete=models.CASCADE, related_name="importance")
    importance = models.DecimalField(
        "bobot kepentingan",
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["competency__code"]
        verbose_name = "bobot kompetensi"
        verbose_name_plural = "bobot kompetensi"
        constraints = [
            models.CheckConstraint(condition=Q(importance__gte=0, importance__lte=10), name="importance_0_10")
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.importance}"


class WeightSettings(models.Model):
    """How an employee's weight wₑ is made (one row, pk=1): 1 × each multiplier that applies.

    Front-line staff (a front-line position or the counter-officer role) weigh more; so does everyone of
    a unit with a service point whose figures over the look-back window are poor: mean wait above the
    city median × a ratio, IKM below a threshold (76.61 = the lower bound of mutu B), or many complaints per
    1,000 finished tickets. Every part is kept on the run and shown on the assignment's explanation.
    """

    front_line_multiplier = models.DecimalField(
        "pengali petugas pelayanan", max_digits=4, decimal_places=2, default=Decimal("1.50")
    )
    wait_ratio = models.DecimalField(
        "rasio waktu tunggu terhadap median kota",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text="Unit dengan rata-rata tunggu di atas median kota × rasio ini mendapat pengali.",
    )
    wait_multiplier = models.DecimalField(
        "pengali waktu tunggu lama", max_digits=4, decimal_places=2, default=Decimal("1.30")
    )
    ikm_threshold = models.DecimalField(
        "ambang IKM", max_digits=5, decimal_places=2, default=Decimal("76.61")
    )
    ikm_multiplier = models.DecimalField(
        "pengali IKM rendah", max_digits=4, decimal_places=2, default=Decimal("1.50")
    )
    complaint_rate_threshold = models.DecimalField(
        "ambang pengaduan per 1.000 tiket", max_digits=7, decimal_places=2, default=Decimal("35.00")
    )
    complaint_multiplier = models.DecimalField(
        "pengali pengaduan tinggi", max_digits=4, decimal_places=2, default=Decimal("1.20")
    )
    lookback_days = models.PositiveSmallIntegerField(
        "jendela data pelayanan (hari)",
        default=365,
        validators=[MinValueValidator(30), MaxValueValidator(1095)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pengaturan bobot"
        verbose_name_plural = "pengaturan bobot"

    def __str__(self) -> str:
        return "Pengaturan bobot perencanaan"

    @classmethod
    def current(cls) -> WeightSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class Scenario(TimeStampedModel):
    """What to plan. A variant copies its base's settings (services.scenario_derive) and changes one thing:
    the budget (× factor) or the way it is split (equal shares per unit)."""

    class Variant(models.TextChoices):
        OPTIMAL = "optimal", "Optimal"
        EQUAL_PER_UNIT = "equal_per_unit", "Bagi rata per unit"
        BUDGET_SCALED = "budget_scaled", "Anggaran diubah"

    name = models.CharField("nama skenario", max_length=150)
    year = models.PositiveSmallIntegerField("tahun", validators=YEAR_VALIDATORS)
    budget = models.PositiveBigIntegerField("anggaran (Rp)")
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="unit")
    programs = models.ManyToManyField(Program, blank=True, related_name="+", verbose_name="program")
    mandatory_programs = models.ManyToManyField(
        Program, blank=True, related_name="+", verbose_name="program wajib"
    )
    # [{"employee": nip, "program": code}] — extra mandatory pairs beyond the mandatory programmes.
    mandatory_pairs = models.JSONField("pasangan wajib", default=list, blank=True)
    max_jp_per_employee = models.PositiveSmallIntegerField(
        "batas JP per pegawai", default=60, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    use_unit_budgets = models.BooleanField("pakai pagu unit", default=False)
    default_seats = models.PositiveIntegerField(
        "kursi program tanpa kelas",
        default=30,
        help_text="Kursi yang diasumsikan untuk program yang belum punya kelas pada tahun itu.",
    )
    time_limit_seconds = models.PositiveSmallIntegerField(
        "batas waktu solver (detik)", default=60, validators=[MinValueValidator(1), MaxValueValidator(3600)]
    )
    variant = models.CharField("varian", max_length=16, choices=Variant.choices, default=Variant.OPTIMAL)
    base = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="variants",
        verbose_name="dasar",
    )
    budget_factor = models.DecimalField(
        "faktor anggaran", max_digits=4, decimal_places=2, default=Decimal("1.00")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = "skenario"
        verbose_name_plural = "skenario"
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="scenario_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(budget_factor__gt=0, budget_factor__lte=5), name="scenario_factor_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioRun(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Dalam antrean"
        RUNNING = "running", "Berjalan"
        DONE = "done", "Selesai"
        FAILED = "failed", "Gagal"

    class Outcome(models.TextChoices):
        NONE = "", "—"
        OPTIMAL = "optimal", "Optimal"
        FEASIBLE = "feasible", "Layak (belum terbukti optimal)"
        INFEASIBLE = "infeasible", "Tidak layak"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    message = models.CharField(max_length=500, blank=True)
    # The exact input given to the solver, and what we know besides (weight parts, names, earned JP).
    instance = models.JSONField(default=dict, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)  # the solver's answer without the assignments
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    cost = models.BigIntegerField(null=True, blank=True)
    total_weighted_gap = models.FloatField(null=True, blank=True)
    solve_seconds = models.FloatField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "jalannya skenario"
        verbose_name_plural = "jalannya skenario"
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_0_100"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(status="done"), name="only_done_runs_accepted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def has_plan(self) -> bool:
        return self.status == self.Status.DONE and self.outcome in (
            self.Outcome.OPTIMAL,
            self.Outcome.FEASIBLE,
        )

    @property
    def gap_closed_percent(self) -> float | None:
        if self.objective is None or not self.total_weighted_gap:
            return None
        return round(self.objective * 100 / self.total_weighted_gap, 1)


class PlannedAssignment(models.Model):
    """One (employee, programme) of a run's plan, with its value and, once accepted, what became of it."""

    class Acceptance(models.TextChoices):
        PENDING = "", "Belum diterima"
        NOMINATED = "nominated", "Diusulkan ke kelas"
        NEEDS_CLASS = "needs_class", "Perlu kelas"
        REFUSED = "refused", "Tidak dapat diusulkan"

    run = models.ForeignKey(ScenarioRun, on_delete=models.CASCADE, related_name="assignments")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    unit_code = models.CharField(max_length=32)  # the budget unit of the instance
    value = models.FloatField()
    closes = models.JSONField(default=dict)  # {competency code: levels}
    cost = models.BigIntegerField()
    jp = models.DecimalField(max_digits=6, decimal_places=1)
    mandatory = models.BooleanField(default=False)
    acceptance = models.CharField(max_length=12, choices=Acceptance.choices, blank=True, default="")
    acceptance_note = models.CharField(max_length=300, blank=True)
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["run", "unit_code", "employee__name", "program__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee", "program"], name="one_assignment_per_pair"),
        ]
        indexes = [models.Index(fields=["run", "employee"])]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.employee_id} → {self.program_id}"
