"""Integrated public service: service standards, service points, counters, shifts, tickets and bookings.

Every ticket keeps its timestamps (issued, called, started, finished), the counter and the officer (an
people.Employee) who served it: waiting time = started - issued (or called - issued), service time =
finished - started. Numbers are handed out from TicketSequence rows under a lock, never reused in a day.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from mumpuni.common.models import TimeStampedModel
from mumpuni.people.models import Employee, Unit


def new_public_token() -> str:
    return secrets.token_urlsafe(12)


class Service(TimeStampedModel):
    """A service with its standar pelayanan (UU 25/2009 art. 21; PermenPANRB 15/2014)."""

    code = models.CharField("kode", max_length=30, unique=True)  # e.g. KTP-REKAM
    name = models.CharField("nama layanan", max_length=150)
    group_letter = models.CharField("huruf antrean", max_length=2, default="A")  # ticket prefix: A-012
    icon = models.CharField("ikon", max_length=40, blank=True)  # a Bootstrap Icons name
    requirements = models.JSONField("persyaratan", default=list, blank=True)  # list of strings
    steps = models.JSONField("prosedur", default=list, blank=True)  # list of strings
    target_service_minutes = models.PositiveIntegerField("target waktu layanan di loket (menit)", default=10)
    target_completion = models.CharField("jangka waktu penyelesaian", max_length=100, blank=True)
    fee = models.PositiveBigIntegerField("biaya (Rp)", default=0)
    legal_basis = models.TextField("dasar hukum", blank=True)
    # Online bookings of this service ask for the NIK (stored, only ever shown masked).
    booking_needs_nik = models.BooleanField("booking meminta NIK", default=False)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["group_letter", "name"]
        verbose_name = "layanan"
        verbose_name_plural = "layanan"

    def __str__(self) -> str:
        return self.name


class ServicePoint(TimeStampedModel):
    """A place where citizens are served: a kecamatan office or the MPP. Its code is its unit's code."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="service_point")
    name = models.CharField("nama", max_length=150)
    address = models.CharField("alamat", max_length=255, blank=True)
    services: models.ManyToManyField[Service, PointService] = models.ManyToManyField(
        Service, through="PointService", related_name="points"
    )
    booking_slot_minutes = models.PositiveIntegerField("lama slot booking (menit)", default=30)
    # Opened outside its hours until this moment (extended service day, jemput bola event).
    extended_until = models.DateTimeField("buka tambahan sampai", null=True, blank=True)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["unit__code"]
        verbose_name = "tempat pelayanan"
        verbose_name_plural = "tempat pelayanan"

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return self.unit.code


class OpeningHours(models.Model):
    """Regular opening hours per weekday (0 = Monday); several rows a day allow a lunch break."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField("hari")
    opens_at = models.TimeField("buka")
    closes_at = models.TimeField("tutup")

    class Meta:
        ordering = ["point", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekday_0_6"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.weekday} {self.opens_at}-{self.closes_at}"


class PointClosure(models.Model):
    """A day a point (or, with point empty, every point) is closed: holidays, cuti bersama, events."""

    point = models.ForeignKey(
        ServicePoint, null=True, blank=True, on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField("tanggal")
    reason = models.CharField("keterangan", max_length=150)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["point", "date"], name="one_closure_per_point_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class PointService(models.Model):
    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="point_services")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="point_services")
    daily_quota = models.PositiveIntegerField("kuota harian", null=True, blank=True)  # empty: no limit
    booking_quota = models.PositiveIntegerField("kuota booking harian", null=True, blank=True)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["point", "service"], name="one_row_per_point_service")]

    def __str__(self) -> str:
        return f"{self.point_id}:{self.service_id}"


class Counter(TimeStampedModel):
    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField("nomor loket", validators=[MinValueValidator(1)])
    name = models.CharField("nama", max_length=60)  # "Loket 3"
    services = models.ManyToManyField(Service, related_name="counters", blank=True)
    paused = models.BooleanField("dijeda", default=False)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["point", "number"]
        constraints = [
            models.UniqueConstraint(fields=["point", "number"], name="one_counter_number_per_point")
        ]

    def __str__(self) -> str:
        return self.name


class CounterShift(models.Model):
    """The officer (an ASN) on duty at a counter for a shift."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="shifts")
    officer = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="counter_shifts")
    date = models.DateField("tanggal")
    starts_at = models.TimeField("mulai")
    ends_at = models.TimeField("selesai")

    class Meta:
        ordering = ["date", "counter", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.date} {self.officer_id}"


class TicketSequence(models.Model):
    """The last number handed out per point, day and letter; locked (SELECT … FOR UPDATE) on each issue."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="+")
    service_date = models.DateField()
    group_letter = models.CharField(max_length=2)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["point", "service_date", "group_letter"], name="one_sequence_per_day_letter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.service_date} {self.group_letter}{self.last_value}"


class Booking(TimeStampedModel):
    """An online booking of a time slot. NIK, where asked, is stored but only ever shown masked."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Terpesan"
        CHECKED_IN = "checked_in", "Sudah check-in"
        CANCELLED = "cancelled", "Dibatalkan"
        NO_SHOW = "no_show", "Tidak datang"

    point = models.ForeignKey(ServicePoint, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    slot_start = models.DateTimeField("mulai slot")
    code = models.CharField("kode booking", max_length=12, unique=True)
    name = models.CharField("nama", max_length=150, blank=True)
    phone = models.CharField("telepon", max_length=20, blank=True)
    nik = models.CharField("NIK", max_length=16, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)

    class Meta:
        ordering = ["slot_start"]
        indexes = [models.Index(fields=["point", "service", "slot_start"])]

    def __str__(self) -> str:
        return self.code


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Menunggu"
        CALLED = "called", "Dipanggil"
        SERVING = "serving", "Dilayani"
        DONE = "done", "Selesai"
        INCOMPLETE = "incomplete", "Berkas belum lengkap"
        REFERRED = "referred", "Dirujuk"
        NO_SHOW = "no_show", "Tidak hadir"
        TRANSFERRED = "transferred", "Dialihkan"
        CANCELLED = "cancelled", "Dibatalkan"

    OPEN_STATUSES = ("waiting", "called", "serving")
    FINISHED_OUTCOMES = ("done", "incomplete", "referred")

    class Priority(models.TextChoices):
        NONE = "", "Biasa"
        ELDERLY = "lansia", "Lansia"
        DISABILITY = "disabilitas", "Penyandang disabilitas"
        PREGNANT_NURSING = "ibu_hamil_menyusui", "Ibu hamil/menyusui"
        TRANSFER = "alih", "Dialihkan dari loket lain"

    class Source(models.TextChoices):
        KIOSK = "kiosk", "Kios"
        BOOKING = "booking", "Booking daring"
        API = "api", "API"
        COUNTER = "counter", "Petugas"
        IMPORT = "import", "Impor riwayat"

    point = models.ForeignKey(ServicePoint, on_delete=models.PROTECT, related_name="tickets")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tickets")
    service_date = models.DateField(db_index=True)
    group_letter = models.CharField(max_length=2)
    sequence = models.PositiveIntegerField()
    number = models.CharField("nomor", max_length=10)  # "A-012"
    priority = models.CharField(max_length=20, choices=Priority.choices, blank=True, default="")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.KIOSK)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="ticket"
    )
    # Where a checked-in booking stands in line: its slot start; walk-ins: issued_at.
    queue_at = models.DateTimeField(db_index=True)
    issued_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    officer = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="served_tickets"
    )
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A transfer to a specific counter: only that counter calls it.
    target_counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["service_date", "queue_at", "id"]
        indexes = [
            models.Index(fields=["point", "service_date", "status", "service"]),
            models.Index(fields=["officer", "service_date"]),
            models.Index(fields=["counter", "service_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "service_date", "group_letter", "sequence"],
                name="ticket_number_unique_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.service_date})"

    @property
    def wait_seconds(self) -> float | None:
        end = self.called_at or self.started_at
        return (end - self.issued_at).total_seconds() if end else None

    @property
    def service_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class TicketEvent(models.Model):
    """Every transition of a ticket, with who did it where: the raw log behind the statistics."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        max_length=16
    )  # issued, called, recalled, started, finished, skipped, transferred, …
    at = models.DateTimeField()
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    officer = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at}"
