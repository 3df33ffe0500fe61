"""Citizens' complaints (UU 25/2009; Perpres 76/2013 — SP4N-LAPOR!).

Flow: received → verified (or rejected with a reason) → forwarded to the responsible unit → in progress →
answered → closed; an answered complaint is reopened when the complainant disputes within the dispute window.
Deadlines are working days (`mumpuni.lib.workdays`), computed when a step starts and stored as dates, so lists
and dashboards filter on them with one indexed comparison.

Identity: `public` (name visible to the desk and the unit), `confidential` (visible only to the complaint
desk — BKPP admins), `anonymous` (nothing stored). Public pages (tracking, Open311) never show identity,
contact, attachments, internal notes or the officer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mumpuni.common.models import TimeStampedModel
from mumpuni.people.models import Employee, Unit
from mumpuni.queueing.models import Counter, Service, ServicePoint, Ticket

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_tracking_code() -> str:
    """e.g. `ADU-7K3M-9QXP`: 8 random characters of a 32-letter alphabet (40 bits)."""
    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"ADU-{chars[:4]}-{chars[4:]}"


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def secret_digest(raw: str) -> str:
    """SHA-256 of a complainant secret: 144 random bits need no salt or slow hash (nothing to guess)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ComplaintPolicy(models.Model):
    """The configurable numbers (one row, pk=1; defaults from domain.md, editable in Django admin)."""

    verify_working_days = models.PositiveSmallIntegerField("verifikasi (hari kerja)", default=3)
    followup_working_days = models.PositiveSmallIntegerField(
        "tindak lanjut setelah diteruskan (hari kerja)", default=5
    )
    answer_working_days = models.PositiveSmallIntegerField("jawaban sejak diterima (hari kerja)", default=14)
    dispute_days = models.PositiveSmallIntegerField("masa sanggah setelah dijawab (hari)", default=7)
    submissions_per_client_per_hour = models.PositiveSmallIntegerField(
        "batas kiriman per perangkat per jam", default=5
    )
    submissions_per_contact_per_day = models.PositiveSmallIntegerField(
        "batas kiriman per kontak per hari", default=3
    )
    open311_submissions_per_key_per_hour = models.PositiveSmallIntegerField(
        "batas kiriman Open311 per kunci API per jam", default=60
    )
    max_attachment_mb = models.PositiveSmallIntegerField("ukuran lampiran maksimum (MB)", default=5)

    class Meta:
        verbose_name = "kebijakan pengaduan"
        verbose_name_plural = "kebijakan pengaduan"

    def __str__(self) -> str:
        return "Kebijakan pengaduan"

    @classmethod
    def current(cls) -> ComplaintPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class Complaint(TimeStampedModel):
    class Kind(models.TextChoices):
        COMPLAINT = "pengaduan", "Pengaduan"
        ASPIRATION = "aspirasi", "Aspirasi"
        INFORMATION = "informasi", "Permintaan informasi"

    class Category(models.TextChoices):
        SERVICE_QUALITY = "kualitas", "Kualitas pelayanan"
        OFFICER_BEHAVIOUR = "perilaku", "Perilaku petugas"
        WAITING_TIME = "waktu_tunggu", "Waktu tunggu"
        REQUIREMENTS_FEES = "persyaratan_biaya", "Persyaratan / biaya"
        FACILITIES = "sarana", "Sarana dan prasarana"
        OTHER = "lainnya", "Lainnya"

    class Identity(models.TextChoices):
        PUBLIC = "public", "Identitas terbuka"
        CONFIDENTIAL = "confidential", "Rahasia (hanya petugas pengaduan)"
        ANONYMOUS = "anonymous", "Anonim (identitas tidak disimpan)"

    class Status(models.TextChoices):
        RECEIVED = "received", "Diterima"
        VERIFIED = "verified", "Terverifikasi"
        REJECTED = "rejected", "Ditolak"
        FORWARDED = "forwarded", "Diteruskan ke unit"
        IN_PROGRESS = "in_progress", "Ditindaklanjuti"
        ANSWERED = "answered", "Dijawab"
        REOPENED = "reopened", "Dibuka kembali"
        CLOSED = "closed", "Selesai"

    OPEN_STATUSES = ("received", "verified", "forwarded", "in_progress", "reopened")
    ENDED_STATUSES = ("rejected", "closed")

    class RejectionReason(models.TextChoices):
        NOT_OUR_AUTHORITY = "not_authority", "Bukan kewenangan Pemerintah Kota"
        DUPLICATE = "duplicate", "Duplikat laporan lain"
        UNCLEAR = "unclear", "Tidak jelas / tidak dapat ditindaklanjuti"

    class Source(models.TextChoices):
        WEB = "web", "Formulir web"
        OPEN311 = "open311", "Open311"
        DESK = "desk", "Dicatat petugas"

    tracking_code = models.CharField("kode lacak", max_length=16, unique=True, default=new_tracking_code)
    # Given only to the complainant (link after submission): lets them rate and dispute. Never listed.
    # Being replaced by `complainant_secret_hash` (its SHA-256, filled on save): check with secret_matches().
    complainant_secret = models.CharField(max_length=40, unique=True, default=new_secret, editable=False)
    complainant_secret_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    kind = models.CharField("jenis", max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    category = models.CharField("kategori", max_length=20, choices=Category.choices)
    source = models.CharField("sumber", max_length=10, choices=Source.choices, default=Source.WEB)
    title = models.CharField("judul", max_length=150)
    description = models.TextField("uraian")

    # Where and what: all optional; a ticket number ties the complaint to the counter and officer.
    point = models.ForeignKey(
        ServicePoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    officer = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints_about"
    )
    kecamatan = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="kecamatan"
    )
    kelurahan_code = models.CharField("kelurahan", max_length=16, blank=True)  # Kemendagri code 33.74.01.1001
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField("alamat / lokasi", max_length=255, blank=True)

    # Who: empty when anonymous.
    identity = models.CharField("identitas", max_length=12, choices=Identity.choices, default=Identity.PUBLIC)
    name = models.CharField("nama", max_length=150, blank=True)
    email = models.EmailField("email", blank=True)
    phone = models.CharField("telepon", max_length=20, blank=True)
    # sha256 of the normalised contact with SECRET_KEY: the per-contact limit without reading contacts.
    contact_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # No longer written (always ""): per-device limits count SubmissionAttempt rows, which are pruned after
    # the hour, so no lasting device hash can tie an anonymous complaint to a named one.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)

    # Handling.
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    rejection_reason = models.CharField(max_length=16, choices=RejectionReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints", verbose_name="unit"
    )
    received_at = models.DateTimeField("diterima", db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)  # first "in progress"
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    verify_due = models.DateField("batas verifikasi")
    followup_due = models.DateField("batas tindak lanjut", null=True, blank=True)
    answer_due = models.DateField("batas jawaban")
    escalated_at = models.DateTimeField(null=True, blank=True)  # last overdue escalation
    public_answer = models.TextField("jawaban", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The complainant's verdict on the answer.
    rating = models.PositiveSmallIntegerField(
        "penilaian", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField("komentar penilaian", blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "pengaduan"
        verbose_name_plural = "pengaduan"
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["assigned_unit", "status"]),
            models.Index(fields=["point", "received_at"]),
            models.Index(fields=["officer", "received_at"]),
            models.Index(fields=["category", "received_at"]),
        ]
        constraints = [
            # Anonymous: no contact, no device hash and no ticket (a ticket leads to its booking: name, NIK).
            models.CheckConstraint(
                condition=~Q(identity="anonymous")
                | (
                    Q(name="")
                    & Q(email="")
                    & Q(phone="")
                    & Q(contact_hash="")
                    & Q(client_hash="")
                    & Q(ticket__isnull=True)
                ),
                name="complaint_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.complainant_secret and not self.complainant_secret_hash:
            self.complainant_secret_hash = secret_digest(self.complainant_secret)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "complainant_secret_hash"}
        super().save(*args, **kwargs)

    def secret_matches(self, raw: str) -> bool:
        """Whether `raw` is this complaint's complainant secret (compared as digests, in constant time)."""
        if not raw:
            return False
        stored = self.complainant_secret_hash
        if not stored and self.complainant_secret:  # a row written without save() (bulk insert)
            stored = secret_digest(self.complainant_secret)
        return bool(stored) and hmac.compare_digest(secret_digest(raw), stored)

    @property
    def public_title(self) -> str:
        """The title anyone may read: the category and the place, never the citizen's own words.

        Open311 titles are already derived this way when stored (open311/services.py); titles typed on the
        web form or at the desk may name an officer or the citizen, so public pages and feeds show this.
        """
        if self.source == self.Source.OPEN311:
            return self.title
        from mumpuni.complaints.wilayah import kelurahan_index

        place = ""
        if self.point_id is not None and self.point is not None:
            place = self.point.name
        elif self.kelurahan_code and self.kelurahan_code in kelurahan_index():
            place = f"Kelurahan {kelurahan_index()[self.kelurahan_code][1]}"
        elif self.kecamatan_id is not None and self.kecamatan is not None:
            place = self.kecamatan.name
        label = str(self.get_category_display())
        return f"{label} — {place}" if place else label


class SubmissionAttempt(models.Model):
    """One complaint submission that reached the intake service, by device: the per-device limits.

    Counted before any attachment is decoded, refused submissions included, so a device cannot make the
    server decode images for free; stored in the database so every gunicorn process sees the same count.
    `client_hash` is a keyed hash of the address; rows are deleted once older than the counting window, so
    nothing lasting ties a device to an anonymous complaint.
    """

    client_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    accepted = models.BooleanField(default=False)  # a complaint was created

    class Meta:
        indexes = [models.Index(fields=["client_hash", "created_at"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.client_hash[:8]} {self.created_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """An image or PDF, re-encoded without metadata before it is stored. Never on public pages."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/%Y/%m/")
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ComplaintEvent(models.Model):
    """One step in a complaint's life: who, when, from which status to which, and what was said.

    `public` events (status changes with their public message, the answer) show on the tracking page;
    internal notes, reassignments and escalations do not.
    """

    class Action(models.TextChoices):
        RECEIVED = "received", "Diterima"
        VERIFIED = "verified", "Diverifikasi"
        REJECTED = "rejected", "Ditolak"
        FORWARDED = "forwarded", "Diteruskan"
        REASSIGNED = "reassigned", "Dialihkan ke unit lain"
        IN_PROGRESS = "in_progress", "Ditindaklanjuti"
        ANSWERED = "answered", "Dijawab"
        CLOSED = "closed", "Ditutup"
        DISPUTED = "disputed", "Disanggah pelapor"
        RATED = "rated", "Dinilai pelapor"
        NOTE = "note", "Catatan internal"
        ESCALATED = "escalated", "Eskalasi karena lewat batas waktu"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)  # "Pelapor", a name, "Sistem"
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    public = models.BooleanField(default=False)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class AnswerTemplate(TimeStampedModel):
    title = models.CharField("judul", max_length=120)
    category = models.CharField("kategori", max_length=20, choices=Complaint.Category.choices, blank=True)
    body = models.TextField("isi jawaban")
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = "templat jawaban"
        verbose_name_plural = "templat jawaban"

    def __str__(self) -> str:
        return self.title


class RoutingRule(models.Model):
    """Suggests the responsible unit: the most specific matching rule (point + service + category beats
    fewer matches). Without a matching rule the suggestion is the service point's own unit."""

    category = models.CharField("kategori", max_length=20, choices=Complaint.Category.choices, blank=True)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(ServicePoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="unit tujuan")
    active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "aturan penerusan"
        verbose_name_plural = "aturan penerusan"

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.service_id or '*'} / {self.point_id or '*'} → {self.unit_id}"

    @property
    def specificity(self) -> int:
        return (4 if self.point_id else 0) + (2 if self.service_id else 0) + (1 if self.category else 0)


class Open311Submission(models.Model):
    """A POST /open311/v2/requests whose creation is deferred to a background task (GeoReport v2 tokens).

    The request is validated synchronously (400 on bad input); the complaint is created by the task, and
    GET tokens/{token} answers with its service_request_id once it exists.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Menunggu"
        CREATED = "created", "Dibuat"
        FAILED = "failed", "Gagal"

    token = models.CharField(max_length=40, unique=True, default=new_secret)
    api_key = models.ForeignKey("people.ApiKey", on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()  # validated fields, no files
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    complaint = models.OneToOneField(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.token[:8]} {self.status}"
