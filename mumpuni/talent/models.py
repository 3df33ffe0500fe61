"""Talent management (PermenPANRB 3/2020) and further education.

- `PerformanceRating`: the SKP predikat of an employee for a year (PermenPANRB 6/2022), imported or entered.
- `EmployeeGrade`: the golongan of a PNS (people.Employee does not carry it yet), needed by the eligibility
  rules; imported with the SKP file or entered with the rating.
- `TalentSettings`: one row — box numbering, SKP → kinerja map, potential thresholds, pool boxes and the
  service-bond rule; every placement stores the parts it was computed from, so a later change of settings
  shows only after the next refresh.
- `TalentPlacement`: the computed 9-box placement per employee and year (snapshot, refreshed by a service
  and the `talent.refresh_placements` task) with its explanation in `parts` (UU 27/2022 PDP: a score of a
  person must be explainable).
- Partner institutions, agreements, programmes (tugas belajar / izin belajar), applications with documents
  and a status flow, and the service bond (ikatan dinas) after graduation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mumpuni.common.models import TimeStampedModel
from mumpuni.people.models import Employee, Unit
from mumpuni.talent import ninebox
from mumpuni.talent.eligibility import GRADES


class Predikat(models.TextChoices):
    SANGAT_BAIK = ninebox.PREDIKAT_SANGAT_BAIK, _("Sangat Baik")
    BAIK = ninebox.PREDIKAT_BAIK, _("Baik")
    BUTUH_PERBAIKAN = ninebox.PREDIKAT_BUTUH_PERBAIKAN, _("Butuh Perbaikan")
    KURANG = ninebox.PREDIKAT_KURANG, _("Kurang")
    SANGAT_KURANG = ninebox.PREDIKAT_SANGAT_KURANG, _("Sangat Kurang")


class Potential(models.TextChoices):
    LOW = ninebox.POTENTIAL_LOW, _("Rendah")
    MID = ninebox.POTENTIAL_MID, _("Menengah")
    HIGH = ninebox.POTENTIAL_HIGH, _("Tinggi")


class Performance(models.TextChoices):
    BELOW = ninebox.PERFORMANCE_BELOW, _("Di Bawah Ekspektasi")
    MEETS = ninebox.PERFORMANCE_MEETS, _("Sesuai Ekspektasi")
    ABOVE = ninebox.PERFORMANCE_ABOVE, _("Di Atas Ekspektasi")


GRADE_CHOICES = [(g, g) for g in GRADES]


def _default_numbering() -> dict[str, int]:
    return dict(ninebox.DEFAULT_NUMBERING)


def _default_skp_map() -> dict[str, str]:
    return dict(ninebox.DEFAULT_SKP_MAP)


def _default_pool() -> list[int]:
    return list(ninebox.DEFAULT_POOL_BOXES)


class TalentSettings(models.Model):
    """The single settings row (pk = 1); `TalentSettings.load()` creates it with the defaults."""

    numbering = models.JSONField("penomoran kotak", default=_default_numbering)
    skp_map = models.JSONField("pemetaan predikat SKP ke kinerja", default=_default_skp_map)
    pool_boxes = models.JSONField("kotak kelompok rencana suksesi", default=_default_pool)
    potential_high = models.FloatField("skor potensi tinggi (≥)", default=ninebox.DEFAULT_POTENTIAL_HIGH)
    potential_mid = models.FloatField("skor potensi menengah (≥)", default=ninebox.DEFAULT_POTENTIAL_MID)
    min_assessed = models.PositiveSmallIntegerField(
        "paling sedikit kompetensi dinilai", default=1, validators=[MinValueValidator(1)]
    )
    # Service bond (ikatan dinas) after tugas belajar: multiplier × study months + extra months.
    bond_multiplier = models.PositiveSmallIntegerField("pengali masa studi ikatan dinas", default=2)
    bond_extra_months = models.PositiveSmallIntegerField("tambahan bulan ikatan dinas", default=12)
    izin_bond_months = models.PositiveSmallIntegerField("ikatan dinas izin belajar (bulan)", default=0)
    retirement_age = models.PositiveSmallIntegerField("batas usia pensiun (tahun)", default=58)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "pengaturan talenta"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="talent_settings_singleton"),
            models.CheckConstraint(
                condition=Q(potential_mid__lte=models.F("potential_high")), name="talent_thresholds_ordered"
            ),
        ]

    def __str__(self) -> str:
        return "Pengaturan talenta"

    @classmethod
    def load(cls) -> TalentSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class PerformanceRating(TimeStampedModel):
    class Source(models.TextChoices):
        IMPORT = "import", _("Impor")
        ENTRY = "entry", _("Isian")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="performance_ratings")
    year = models.PositiveSmallIntegerField(
        "tahun", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    predikat = models.CharField("predikat kinerja", max_length=16, choices=Predikat.choices)
    source = models.CharField("sumber", max_length=8, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "predikat kinerja SKP"
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="one_skp_rating_per_year"),
            models.CheckConstraint(condition=Q(predikat__in=Predikat.values), name="skp_predikat_known"),
        ]
        indexes = [models.Index(fields=["year", "predikat"])]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee_id}: {self.get_predikat_display()}"


class EmployeeGrade(TimeStampedModel):
    """Golongan/ruang of a PNS as last recorded (people.Employee has no such field yet)."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="talent_grade")
    grade = models.CharField("golongan", max_length=5, choices=GRADE_CHOICES)

    class Meta:
        verbose_name = "golongan pegawai"

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.grade}"


class TalentPlacement(models.Model):
    """The 9-box placement of one employee for one SKP year. `box` is null when a part is missing
    (no SKP predikat that year, or too few competencies assessed); `parts` then says which."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="talent_placements")
    year = models.PositiveSmallIntegerField("tahun")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")  # at refresh time
    box = models.PositiveSmallIntegerField(
        "kotak", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    potential = models.CharField("potensi", max_length=10, choices=Potential.choices, blank=True)
    performance = models.CharField("kinerja", max_length=10, choices=Performance.choices, blank=True)
    predikat = models.CharField("predikat", max_length=16, choices=Predikat.choices, blank=True)
    potential_score = models.FloatField("skor potensi", null=True, blank=True)
    parts = models.JSONField("rincian", default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "penempatan 9-box"
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="one_placement_per_year"),
            models.CheckConstraint(
                condition=Q(box__isnull=True) | Q(box__gte=1, box__lte=9), name="placement_box_1_9"
            ),
        ]
        indexes = [models.Index(fields=["year", "box"]), models.Index(fields=["year", "unit"])]

    def __str__(self) -> str:
        return f"9-box {self.year} {self.employee_id}: {self.box or '-'}"


# --- further education -------------------------------------------------------------------------------


class PartnerInstitution(TimeStampedModel):
    class Kind(models.TextChoices):
        UNIVERSITY = "universitas", _("Universitas")
        ISLAMIC = "uin", _("Universitas Islam Negeri")
        POLYTECHNIC = "politeknik", _("Politeknik")
        INSTITUTE = "institut", _("Institut/sekolah tinggi")

    name = models.CharField("nama", max_length=200, unique=True)
    city = models.CharField("kota", max_length=100)
    kind = models.CharField("jenis", max_length=16, choices=Kind.choices)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "institusi mitra"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(TimeStampedModel):
    """A cooperation agreement (perjanjian kerja sama) with a partner institution."""

    institution = models.ForeignKey(PartnerInstitution, on_delete=models.PROTECT, related_name="agreements")
    number = models.CharField("nomor perjanjian", max_length=100, unique=True)
    starts_on = models.DateField("berlaku mulai")
    ends_on = models.DateField("berlaku sampai")
    fields_of_study = models.JSONField("bidang studi", default=list)
    quota = models.PositiveIntegerField("kuota", default=0)

    class Meta:
        verbose_name = "perjanjian kerja sama"
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.institution})"


class FurtherEducationProgram(TimeStampedModel):
    class Kind(models.TextChoices):
        TUGAS_BELAJAR = "tugas_belajar", _("Tugas belajar")
        IZIN_BELAJAR = "izin_belajar", _("Izin belajar")

    class Level(models.TextChoices):
        D4 = "D4", "D4"
        S1 = "S1", "S1"
        S2 = "S2", "S2"
        S3 = "S3", "S3"

    code = models.CharField("kode", max_length=40, unique=True)
    name = models.CharField("nama", max_length=200)
    kind = models.CharField("jenis", max_length=16, choices=Kind.choices)
    institution = models.ForeignKey(PartnerInstitution, on_delete=models.PROTECT, related_name="programs")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="programs"
    )
    field_of_study = models.CharField("bidang studi", max_length=150)
    level = models.CharField("jenjang", max_length=2, choices=Level.choices)
    quota = models.PositiveIntegerField("kuota", validators=[MinValueValidator(1)])
    opens_on = models.DateField("pendaftaran dibuka")
    closes_on = models.DateField("pendaftaran ditutup")
    study_months = models.PositiveSmallIntegerField(
        "lama studi (bulan)", validators=[MinValueValidator(1), MaxValueValidator(96)]
    )
    # eligibility (a blank rule is not applied)
    max_age = models.PositiveSmallIntegerField("usia paling tinggi", null=True, blank=True)
    min_grade = models.CharField("golongan paling rendah", max_length=5, choices=GRADE_CHOICES, blank=True)
    min_years_of_service = models.PositiveSmallIntegerField(
        "masa kerja paling sedikit", null=True, blank=True
    )
    allowed_boxes = models.JSONField("kotak 9-box yang boleh", default=list, blank=True)
    no_ongoing_bond = models.BooleanField("tidak sedang ikatan dinas", default=True)

    class Meta:
        verbose_name = "program pendidikan lanjut"
        ordering = ["-closes_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="program_window"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="program_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"

    def is_open(self, on: object) -> bool:
        return self.opens_on <= on <= self.closes_on  # type: ignore[operator]


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Diajukan")
        VERIFIED = "verified", _("Terverifikasi")
        SELECTED = "selected", _("Terpilih")
        ENROLLED = "enrolled", _("Sedang studi")
        GRADUATED = "graduated", _("Lulus")
        REJECTED = "rejected", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Ditarik")

    OPEN_STATUSES = ("applied", "verified", "selected", "enrolled")
    SEAT_STATUSES = ("selected", "enrolled", "graduated")  # count against the quota

    program = models.ForeignKey(
        FurtherEducationProgram, on_delete=models.PROTECT, related_name="applications"
    )
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="education_applications")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.APPLIED)
    motivation = models.TextField("alasan/motivasi", blank=True)
    eligibility = models.JSONField("hasil pemeriksaan syarat", default=list)
    enrolled_on = models.DateField("mulai studi", null=True, blank=True)
    graduated_on = models.DateField("tanggal lulus", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "lamaran pendidikan lanjut"
        constraints = [
            models.UniqueConstraint(fields=["program", "employee"], name="one_application_per_program"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.program_id} ({self.status})"


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "permohonan", _("Surat permohonan")
        DIPLOMA = "ijazah", _("Ijazah dan transkrip terakhir")
        RECOMMENDATION = "rekomendasi", _("Surat rekomendasi atasan")
        RANK_DECREE = "sk_pangkat", _("SK pangkat terakhir")
        ADMISSION = "penerimaan", _("Surat penerimaan institusi")
        OTHER = "lainnya", _("Lainnya")

    REQUIRED_FOR_VERIFICATION = ("permohonan", "ijazah", "rekomendasi")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("jenis dokumen", max_length=12, choices=Kind.choices)
    file = models.FileField("berkas", upload_to="talent/applications/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dokumen lamaran"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class ApplicationEvent(models.Model):
    """One step of an application: from → to, who, when and the comment."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ServiceBond(models.Model):
    """Ikatan dinas after graduation: from the graduation date for the computed number of months."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="bond")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="service_bonds")
    starts_on = models.DateField("mulai")
    ends_on = models.DateField("berakhir")
    months = models.PositiveSmallIntegerField("lama (bulan)")
    rule = models.CharField("dasar perhitungan", max_length=200)

    class Meta:
        verbose_name = "ikatan dinas"
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="bond_dates"),
        ]
        indexes = [models.Index(fields=["employee", "ends_on"])]

    def __str__(self) -> str:
        return f"Ikatan dinas {self.employee_id} s.d. {self.ends_on}"
