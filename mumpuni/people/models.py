"""Units (OPD, kecamatan, kelurahan, MPP), positions (jabatan), employees (ASN), accounts and roles."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from mumpuni.common.models import TimeStampedModel

unit_code_validator = RegexValidator(
    r"^[A-Z0-9]+(\.[A-Z0-9]+)*$", "Kode unit hanya huruf besar, angka dan titik, misalnya 33.74.10."
)
position_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9.\-_]*$", "Kode jabatan hanya huruf besar, angka, titik, garis dan garis bawah."
)
nip_validator = RegexValidator(r"^\d{18}$", "NIP harus terdiri dari tepat 18 angka.")


class Unit(TimeStampedModel):
    """A node of the organisation tree; `path` holds the ancestors' ids so a subtree is one prefix query."""

    class Kind(models.TextChoices):
        CITY = "pemda", "Pemerintah Daerah"
        SECRETARIAT = "sekretariat", "Sekretariat"
        DINAS = "dinas", "Dinas"
        BADAN = "badan", "Badan"
        KECAMATAN = "kecamatan", "Kecamatan"
        KELURAHAN = "kelurahan", "Kelurahan"
        MPP = "mpp", "Mal Pelayanan Publik"
        OTHER = "lainnya", "Unit lain"

    code = models.CharField("kode", max_length=32, unique=True, validators=[unit_code_validator])
    name = models.CharField("nama", max_length=200)
    kind = models.CharField("jenis", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="induk", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "unit"
        verbose_name_plural = "unit"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Position(TimeStampedModel):
    """A jabatan in a unit. Kind and jenjang drive the default managerial competency level."""

    class Kind(models.TextChoices):
        JPT = "jpt", "Jabatan Pimpinan Tinggi"
        ADMINISTRATOR = "administrator", "Administrator"
        PENGAWAS = "pengawas", "Pengawas"
        PELAKSANA = "pelaksana", "Pelaksana"
        FUNGSIONAL = "fungsional", "Fungsional"

    class Level(models.TextChoices):
        NONE = "", "—"
        UTAMA = "utama", "Utama"
        MADYA = "madya", "Madya"
        PRATAMA = "pratama", "Pratama"
        AHLI_UTAMA = "ahli_utama", "Ahli Utama"
        AHLI_MADYA = "ahli_madya", "Ahli Madya"
        AHLI_MUDA = "ahli_muda", "Ahli Muda"
        AHLI_PERTAMA = "ahli_pertama", "Ahli Pertama"
        PENYELIA = "penyelia", "Penyelia"
        MAHIR = "mahir", "Mahir"
        TERAMPIL = "terampil", "Terampil"
        PEMULA = "pemula", "Pemula"

    # Which jenjang each kind admits (PermenPANRB 38/2017 and the JF rules).
    LEVELS_BY_KIND: dict[str, set[str]] = {
        "jpt": {"utama", "madya", "pratama"},
        "administrator": {""},
        "pengawas": {""},
        "pelaksana": {""},
        "fungsional": {
            "ahli_utama",
            "ahli_madya",
            "ahli_muda",
            "ahli_pertama",
            "penyelia",
            "mahir",
            "terampil",
            "pemula",
        },
    }

    code = models.CharField("kode", max_length=40, unique=True, validators=[position_code_validator])
    name = models.CharField("nama jabatan", max_length=200)
    kind = models.CharField("jenis jabatan", max_length=16, choices=Kind.choices)
    level = models.CharField("jenjang", max_length=16, choices=Level.choices, blank=True, default="")
    unit = models.ForeignKey(Unit, verbose_name="unit", on_delete=models.PROTECT, related_name="positions")
    is_front_line = models.BooleanField("pelayanan langsung", default=False)

    class Meta:
        ordering = ["unit__code", "kind", "name"]
        verbose_name = "jabatan"
        verbose_name_plural = "jabatan"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="jpt", level__in=["utama", "madya", "pratama"])
                    | Q(kind__in=["administrator", "pengawas", "pelaksana"], level="")
                    | Q(
                        kind="fungsional",
                        level__in=[
                            "ahli_utama",
                            "ahli_madya",
                            "ahli_muda",
                            "ahli_pertama",
                            "penyelia",
                            "mahir",
                            "terampil",
                            "pemula",
                        ],
                    )
                ),
                name="position_level_fits_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.level not in self.LEVELS_BY_KIND.get(self.kind, set()):
            raise ValidationError(
                {"level": f"Jenjang '{self.level or '-'}' tidak sesuai dengan jenis jabatan {self.kind}."}
            )


class User(AbstractUser):
    """A login. People accounts link to an Employee; device and partner accounts are service accounts."""

    is_service_account = models.BooleanField("akun layanan", default=False)

    class Meta:
        verbose_name = "akun"
        verbose_name_plural = "akun"


class Employee(TimeStampedModel):
    """An ASN (PNS or PPPK). Sex and birth date always agree with the NIP (checked in services)."""

    class Sex(models.TextChoices):
        MALE = "L", "Laki-laki"
        FEMALE = "P", "Perempuan"

    class EmploymentType(models.TextChoices):
        PNS = "pns", "PNS"
        PPPK = "pppk", "PPPK"

    nip = models.CharField("NIP", max_length=18, unique=True, validators=[nip_validator])
    employment_type = models.CharField("status kepegawaian", max_length=4, choices=EmploymentType.choices)
    name = models.CharField("nama", max_length=150, db_index=True)
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("tanggal lahir")
    unit = models.ForeignKey(Unit, verbose_name="unit", on_delete=models.PROTECT, related_name="employees")
    position = models.ForeignKey(
        Position,
        verbose_name="jabatan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name="atasan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    email = models.EmailField("email", blank=True)
    phone = models.CharField("telepon", max_length=20, blank=True)
    active = models.BooleanField("aktif", default=True)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="employee", verbose_name="akun"
    )

    class Meta:
        ordering = ["name", "nip"]
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"
        indexes = [models.Index(fields=["unit", "active", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("id")), name="employee_not_own_supervisor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"


class EmployeeAssignment(models.Model):
    """History of an employee's unit and position: one row per period; the open row has no end."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["employee", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment_per_employee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.unit_id}/{self.position_id} from {self.started_at:%Y-%m-%d}"


class Role(models.TextChoices):
    ADMIN = "admin", "Admin BKPP"
    UNIT_HEAD = "unit_head", "Kepala unit / camat"
    SUPERVISOR = "supervisor", "Atasan langsung"
    EMPLOYEE = "employee", "Pegawai"
    COUNTER_OFFICER = "counter_officer", "Petugas loket"
    TRAINER = "trainer", "Pelatih / widyaiswara"
    EXECUTIVE = "executive", "Pimpinan (baca saja)"
    COMPLAINT_DESK = "complaint_desk", "Petugas pengaduan"
    KIOSK = "kiosk", "Perangkat kios"
    DISPLAY = "display", "Papan antrean"
    PARTNER = "partner", "Sistem mitra"


CITY_WIDE_ROLES = {Role.ADMIN, Role.EXECUTIVE}
SERVICE_ROLES = {Role.KIOSK, Role.DISPLAY, Role.PARTNER}


class RoleAssignment(models.Model):
    """A role held by a user, optionally limited to a unit and its subtree (the user's scope)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("peran", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_per_unit"),
            models.CheckConstraint(
                condition=Q(
                    role__in=["admin", "executive", "employee", "supervisor", "trainer", "complaint_desk"]
                )
                | Q(unit__isnull=False),
                name="unit_scoped_roles_need_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}" + (f" @ {self.unit.code}" if self.unit else "")


class ApiKey(models.Model):
    """A service account's key. Only a SHA-256 of the key is stored; the key is shown once."""

    name = models.CharField("nama", max_length=100, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        # Keys are 256-bit random tokens, so a fast hash is enough (no dictionary to attack).
        return hashlib.sha256(key.encode()).hexdigest()


class ImportJob(TimeStampedModel):
    """An uploaded file being imported: validated first (preview), applied all-or-nothing on confirm."""

    class Kind(models.TextChoices):
        EMPLOYEES = "employees", "Pegawai"
        UNITS = "units", "Unit"
        POSITIONS = "positions", "Jabatan"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Diunggah"
        VALIDATING = "validating", "Diperiksa"
        INVALID = "invalid", "Ada kesalahan"
        READY = "ready", "Siap diterapkan"
        APPLYING = "applying", "Sedang diterapkan"
        DONE = "done", "Selesai"
        FAILED = "failed", "Gagal"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "column": c, "message": m}]
    summary = models.JSONField(default=dict, blank=True)  # {"created": n, "updated": n, "unchanged": n}
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
