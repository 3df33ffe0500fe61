"""Training operations (PP 11/2017 as amended by PP 17/2020; Peraturan LAN 10/2018): catalogue, classes,
sessions, enrolment, attendance, tests, completion, the JP ledger, certificates and nonklasikal activities.

1 JP = 45 minutes; every PNS is owed at least 20 JP a year.
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
from mumpuni.people.models import Employee, Unit

JP_MINUTES = 45
ANNUAL_JP_TARGET = 20


class Program(TimeStampedModel):
    """A programme of the catalogue (pelatihan, pendidikan or a nonklasikal form)."""

    class Category(models.TextChoices):
        EDUCATION = "pendidikan", _("Pendidikan")
        CLASSICAL = "klasikal", _("Pelatihan klasikal")
        NONCLASSICAL = "nonklasikal", _("Pelatihan nonklasikal")

    class Form(models.TextChoices):
        # pendidikan
        TUGAS_BELAJAR = "tugas_belajar", _("Tugas belajar")
        IZIN_BELAJAR = "izin_belajar", _("Izin belajar")
        # pelatihan klasikal
        KEPEMIMPINAN = "kepemimpinan", _("Pelatihan kepemimpinan")
        MANAJERIAL = "manajerial", _("Pelatihan manajerial")
        TEKNIS = "teknis", _("Pelatihan teknis")
        FUNGSIONAL = "fungsional", _("Pelatihan fungsional")
        SOSIAL_KULTURAL = "sosial_kultural", _("Pelatihan sosial kultural")
        SEMINAR = "seminar", _("Seminar/konferensi/sarasehan")
        WORKSHOP = "workshop", _("Workshop/lokakarya")
        KURSUS = "kursus", _("Kursus")
        PENATARAN = "penataran", _("Penataran")
        BIMTEK = "bimtek", _("Bimbingan teknis")
        SOSIALISASI = "sosialisasi", _("Sosialisasi")
        # pelatihan nonklasikal
        COACHING = "coaching", _("Coaching")
        MENTORING = "mentoring", _("Mentoring")
        E_LEARNING = "e_learning", _("E-learning")
        JARAK_JAUH = "jarak_jauh", _("Pelatihan jarak jauh")
        DETASERING = "detasering", _("Detasering (secondment)")
        OUTBOUND = "outbound", _("Pembelajaran alam terbuka (outbound)")
        PATOK_BANDING = "patok_banding", _("Patok banding (benchmarking)")
        PERTUKARAN = "pertukaran", _("Pertukaran PNS dengan swasta")
        BELAJAR_MANDIRI = "belajar_mandiri", _("Belajar mandiri")
        KOMUNITAS = "komunitas", _("Komunitas belajar")
        BIMBINGAN_KERJA = "bimbingan_kerja", _("Bimbingan di tempat kerja")
        MAGANG = "magang", _("Magang/praktik kerja")

    FORMS_BY_CATEGORY: dict[str, set[str]] = {
        "pendidikan": {"tugas_belajar", "izin_belajar"},
        "klasikal": {
            "kepemimpinan",
            "manajerial",
            "teknis",
            "fungsional",
            "sosial_kultural",
            "seminar",
            "workshop",
            "kursus",
            "penataran",
            "bimtek",
            "sosialisasi",
        },
        "nonklasikal": {
            "coaching",
            "mentoring",
            "e_learning",
            "jarak_jauh",
            "detasering",
            "outbound",
            "patok_banding",
            "pertukaran",
            "belajar_mandiri",
            "komunitas",
            "bimbingan_kerja",
            "magang",
        },
    }

    class Provider(models.TextChoices):
        BKPP = "bkpp", _("BKPP Kota Semarang")
        BPSDM_PROVINSI = "bpsdm_provinsi", _("BPSDM Provinsi Jawa Tengah")
        LAN = "lan", _("Lembaga Administrasi Negara")
        UNIVERSITY = "universitas", _("Perguruan tinggi mitra")
        ELEARNING = "e_learning", _("Platform e-learning")
        OTHER = "lainnya", _("Penyelenggara lain")

    code = models.CharField("kode", max_length=30, unique=True)
    name = models.CharField("nama program", max_length=200)
    category = models.CharField("kategori", max_length=12, choices=Category.choices)
    form = models.CharField("bentuk", max_length=20, choices=Form.choices)
    description = models.TextField("deskripsi", blank=True)
    jp = models.DecimalField(
        "JP", max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    cost_per_participant = models.PositiveBigIntegerField("biaya per peserta (Rp)", default=0)
    provider = models.CharField(
        "penyelenggara", max_length=16, choices=Provider.choices, default=Provider.BKPP
    )
    provider_name = models.CharField("nama penyelenggara", max_length=200, blank=True)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    # Position kinds the programme is meant for (empty: everyone); front_line_only narrows to service posts.
    target_position_kinds = models.JSONField("jenis jabatan sasaran", default=list, blank=True)
    front_line_only = models.BooleanField("khusus petugas pelayanan", default=False)
    # Pelatihan Dasar (Latsar) and the like: only for a PNS in the probation year after TMT CPNS (lib/nip).
    cpns_only = models.BooleanField("khusus CPNS (masa percobaan)", default=False)
    # Completion rule defaults, copied to each class (configurable per class).
    min_attendance_percent = models.PositiveSmallIntegerField(
        "kehadiran minimal (%)", default=90, validators=[MaxValueValidator(100)]
    )
    min_post_test = models.DecimalField(
        "nilai post-test minimal",
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        null=True,
        blank=True,
    )
    certificate_valid_years = models.PositiveSmallIntegerField(
        "masa berlaku sertifikat (tahun)", null=True, blank=True
    )
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "program"
        verbose_name_plural = "program"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgramCompetency(models.Model):
    """A competency a programme raises, and by how many levels (the optimizer's uplift u_pk)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="competency_uplifts")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    uplift = models.PositiveSmallIntegerField(
        "kenaikan level", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "competency"], name="one_uplift_per_competency"),
            models.CheckConstraint(condition=Q(uplift__gte=1, uplift__lte=4), name="uplift_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} +{self.uplift} {self.competency_id}"


class TrainingClass(TimeStampedModel):
    """An angkatan (cohort) of a programme."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        OPEN = "open", _("Pendaftaran dibuka")
        RUNNING = "running", _("Berlangsung")
        FINISHED = "finished", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="classes")
    code = models.CharField("kode angkatan", max_length=40, unique=True)
    name = models.CharField("nama angkatan", max_length=200)
    starts_on = models.DateField("mulai")
    ends_on = models.DateField("selesai")
    venue = models.CharField("tempat", max_length=200, blank=True)
    online_url = models.URLField("tautan daring", blank=True)
    capacity = models.PositiveIntegerField("kapasitas", validators=[MinValueValidator(1)])
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.PLANNED)
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="trained_classes")
    organiser_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    min_attendance_percent = models.PositiveSmallIntegerField(default=90, validators=[MaxValueValidator(100)])
    min_post_test = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("70"), null=True, blank=True
    )

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = "kelas"
        verbose_name_plural = "kelas"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="class_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Session(models.Model):
    """One meeting of a class; participants check in with the QR code shown in the room during it."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("mulai")
    ends_at = models.DateTimeField("selesai")
    topic = models.CharField("materi", max_length=200, blank=True)
    checkin_secret = models.CharField(max_length=64)  # random; the QR carries a token signed with it

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Enrollment(TimeStampedModel):
    """A person in a class. Flow: requested/nominated → unit_approved → enrolled or waitlisted → completed /
    not_completed; cancelled and rejected end it. Seats are handed out under a lock (services)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Diajukan pegawai")
        NOMINATED = "nominated", _("Diusulkan atasan")
        UNIT_APPROVED = "unit_approved", _("Disetujui kepala unit")
        ENROLLED = "enrolled", _("Terdaftar")
        WAITLISTED = "waitlisted", _("Daftar tunggu")
        COMPLETED = "completed", _("Lulus")
        NOT_COMPLETED = "not_completed", _("Tidak lulus")
        CANCELLED = "cancelled", _("Dibatalkan")
        REJECTED = "rejected", _("Ditolak")

    ACTIVE_STATUSES = ("requested", "nominated", "unit_approved", "enrolled", "waitlisted")
    SEATED_STATUSES = ("enrolled", "completed", "not_completed")

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="enrollments")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=16, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("alasan", blank=True)
    unit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)  # order of the waiting list
    decision_note = models.TextField("catatan keputusan", blank=True)
    pre_test_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    post_test_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    attendance_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["training_class", "employee__name"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "employee"], name="one_enrollment_per_class"),
            models.CheckConstraint(
                condition=Q(pre_test_score__isnull=True) | Q(pre_test_score__gte=0, pre_test_score__lte=100),
                name="pre_test_0_100",
            ),
            models.CheckConstraint(
                condition=Q(post_test_score__isnull=True)
                | Q(post_test_score__gte=0, post_test_score__lte=100),
                name="post_test_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} @ {self.training_class_id} ({self.status})"


class Attendance(models.Model):
    class Method(models.TextChoices):
        TRAINER = "trainer", _("Dicatat pelatih")
        QR = "qr", _("Pindai QR")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(default=True)
    method = models.CharField(max_length=8, choices=Method.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "session"], name="one_attendance_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}/{self.session_id}: {'hadir' if self.present else 'tidak hadir'}"


class NonClassicalActivity(TimeStampedModel):
    """Learning done elsewhere (e-learning, coaching, seminar, …), submitted with evidence and verified."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        VERIFIED = "verified", _("Diverifikasi")
        REJECTED = "rejected", _("Ditolak")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="nonclassical_activities")
    form = models.CharField("bentuk", max_length=20, choices=Program.Form.choices)
    title = models.CharField("judul kegiatan", max_length=200)
    provider_name = models.CharField("penyelenggara", max_length=200, blank=True)
    started_on = models.DateField("mulai")
    ended_on = models.DateField("selesai")
    jp_claimed = models.DecimalField(
        "JP diajukan", max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    jp_credited = models.DecimalField("JP diakui", max_digits=6, decimal_places=1, null=True, blank=True)
    evidence_file = models.FileField("berkas bukti", upload_to="activities/%Y/%m/", blank=True)
    evidence_url = models.URLField("tautan bukti", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("catatan verifikasi", blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.title}"


class JpEntry(models.Model):
    """The JP ledger: one credited line per completed class, verified activity or imported record."""

    class Source(models.TextChoices):
        CLASS = "class", _("Penyelesaian kelas")
        ACTIVITY = "activity", _("Kegiatan nonklasikal")
        IMPORT = "import", _("Impor riwayat")
        CORRECTION = "correction", _("Koreksi")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="jp_entries")
    occurred_on = models.DateField("tanggal")
    year = models.PositiveSmallIntegerField(db_index=True)
    jp = models.DecimalField(max_digits=6, decimal_places=1)
    source = models.CharField(max_length=12, choices=Source.choices)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enrollment = models.OneToOneField(
        Enrollment, null=True, blank=True, on_delete=models.PROTECT, related_name="jp_entry"
    )
    activity = models.OneToOneField(
        NonClassicalActivity, null=True, blank=True, on_delete=models.PROTECT, related_name="jp_entry"
    )
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["employee", "year"])]
        constraints = [
            # An imported completion is unique per person, programme and date (re-import changes nothing).
            models.UniqueConstraint(
                fields=["employee", "program", "occurred_on"],
                condition=Q(source="import"),
                name="one_import_per_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}: {self.jp} JP ({self.source})"


class Certificate(models.Model):
    """The certificate of a completed enrolment. The public verification link carries the number and an
    HMAC of it (django.core.signing), so a tampered number does not verify."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(max_length=60, unique=True)  # e.g. 800/BKPP/PLY-PRIMA/2026/000123
    issued_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number
