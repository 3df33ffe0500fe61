"""The SKM (PermenPANRB 14/2017): one response per respondent with answers U1–U9 (1–4, blank allowed),
an optional non-identifying profile and a suggestion. A response made from a ticket keeps the ticket's
point, service, counter, officer and date, never an identity; one response per ticket (unique).
IKM arithmetic lives in `mumpuni/lib/ikm.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mumpuni.people.models import Employee, Unit
from mumpuni.queueing.models import Counter, Service, ServicePoint, Ticket

UNSUR_FIELDS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")

# The regulation's question and its four answer labels (1..4) per unsur (Lampiran PermenPANRB 14/2017).
QUESTIONS: dict[str, tuple[str, tuple[str, str, str, str]]] = {
    "u1": (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "u2": (
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    "u3": (
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    "u4": (
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    "u5": (
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "u6": (
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    "u7": (
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    ),
    "u8": (
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    ),
    "u9": (
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
}


class SurveyResponse(models.Model):
    class Channel(models.TextChoices):
        COUNTER = "counter", "Tablet di loket"
        ONLINE = "online", "Tautan/QR tiket"
        PAPER = "paper", "Kuesioner kertas (impor)"

    class AgeBand(models.TextChoices):
        UNDER_20 = "<20", "< 20 tahun"
        AGE_20_29 = "20-29", "20–29 tahun"
        AGE_30_39 = "30-39", "30–39 tahun"
        AGE_40_49 = "40-49", "40–49 tahun"
        AGE_50_59 = "50-59", "50–59 tahun"
        OVER_60 = "60+", "60 tahun ke atas"

    class Sex(models.TextChoices):
        MALE = "L", "Laki-laki"
        FEMALE = "P", "Perempuan"

    class Education(models.TextChoices):
        SD = "sd", "SD ke bawah"
        SMP = "smp", "SMP"
        SMA = "sma", "SMA/SMK"
        D3 = "d3", "Diploma"
        S1 = "s1", "S1/D4"
        S2 = "s2", "S2 ke atas"

    class Occupation(models.TextChoices):
        PNS = "pns", "PNS/TNI/Polri"
        PRIVATE = "swasta", "Pegawai swasta"
        ENTREPRENEUR = "wirausaha", "Wirausaha"
        STUDENT = "pelajar", "Pelajar/mahasiswa"
        HOUSEHOLD = "rumah_tangga", "Mengurus rumah tangga"
        OTHER = "lainnya", "Lainnya"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_responses")  # answered for
    point = models.ForeignKey(
        ServicePoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    officer = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_response"
    )
    service_date = models.DateField("tanggal layanan", db_index=True)
    channel = models.CharField("cara pengisian", max_length=8, choices=Channel.choices)
    u1 = models.PositiveSmallIntegerField(null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(null=True, blank=True)
    age_band = models.CharField("usia", max_length=6, choices=AgeBand.choices, blank=True)
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField("pendidikan", max_length=4, choices=Education.choices, blank=True)
    occupation = models.CharField("pekerjaan", max_length=12, choices=Occupation.choices, blank=True)
    suggestion = models.TextField("saran", blank=True)
    import_batch = models.ForeignKey(
        "SurveyImport", null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "service_date"]),
            models.Index(fields=["point", "service_date"]),
            models.Index(fields=["officer", "service_date"]),
        ]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 1, f"{f}__lte": 4}),
                    name=f"skm_{f}_1_to_4",
                )
                for f in UNSUR_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"SKM {self.unit_id} {self.service_date}"


class SurveyImport(models.Model):
    """A paper-survey file imported (all or nothing): who, when, for which unit and date."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    default_date = models.DateField()
    file_name = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"
