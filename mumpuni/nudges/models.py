"""Models of `nudges`: what each user wants (`NotificationPreference`), what was sent to whom (`Message`,
one row per message to one user; `Delivery`, one row per message and external channel, the unit of
sending and retrying), and the nudges with their measured effect (`NudgeLog`).

Idempotency lives in the database: a nudge is logged once per (kind, user, key), a message once per
(user, dedupe key), a delivery once per (message, channel); the send task claims a delivery with a
conditional update before it sends, so a retried or duplicated task never sends twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_QUIET_START = dt.time(21, 0)
DEFAULT_QUIET_END = dt.time(7, 0)


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS/WhatsApp")


class Category(models.TextChoices):
    """What a message is about; preferences choose external channels per category."""

    WORKFLOW = "workflow", _("Urusan kerja (pengaduan, rencana pengembangan, persetujuan)")
    REMINDER = "reminder", _("Pengingat (JP, kelas, evaluasi, sertifikat)")
    RECOGNITION = "recognition", _("Apresiasi")


def default_channels() -> dict[str, list[str]]:
    # E-mail for everything by default; SMS costs money per message, so it is opt-in.
    return {c.value: [Channel.EMAIL.value] for c in Category}


class NotificationPreference(models.Model):
    """One row per user (created on first save of the preference page; absent = the defaults)."""

    class DigestMode(models.TextChoices):
        IMMEDIATE = "immediate", _("Segera (di luar jam tenang)")
        DAILY = "daily", _("Ringkasan harian")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channels = models.JSONField("saluran per kategori", default=default_channels, blank=True)
    muted_kinds = models.JSONField("pengingat yang tidak ingin diterima", default=list, blank=True)
    quiet_start = models.TimeField("jam tenang mulai", default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField("jam tenang selesai", default=DEFAULT_QUIET_END)
    digest_mode = models.CharField(
        "cara kirim", max_length=10, choices=DigestMode.choices, default=DigestMode.IMMEDIATE
    )
    digest_hour = models.PositiveSmallIntegerField(
        "jam ringkasan", default=7, validators=[MaxValueValidator(23)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "preferensi notifikasi"
        verbose_name_plural = "preferensi notifikasi"
        constraints = [
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="digest_hour_0_23"),
            models.CheckConstraint(
                condition=~Q(quiet_start=models.F("quiet_end")), name="quiet_hours_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"preferensi {self.user_id}"

    def channels_for(self, category: str) -> list[str]:
        value = (self.channels or {}).get(category)
        return list(value) if isinstance(value, list) else default_channels()[category]


class Message(models.Model):
    """A message to one user beyond the in-app bell: sent through its deliveries, or held for a digest
    (then `digest` points at the digest message that carried it)."""

    class Status(models.TextChoices):
        ROUTED = "routed", _("Dikirim lewat saluran")
        HELD = "held", _("Menunggu ringkasan")
        DIGESTED = "digested", _("Masuk ringkasan")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, blank=True)
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.WORKFLOW)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=255, blank=True)
    # Unique per user when set: "nudge:<log id>", "digest:2026-11-28", … (insert-or-skip).
    dedupe_key = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ROUTED)
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="digested_messages"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "user"]), models.Index(fields=["user", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="one_message_per_dedupe_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"


class Delivery(models.Model):
    """One message through one external channel. The send task moves PENDING → SENDING with a
    conditional update (only one worker wins), then SENT; a failure goes back to PENDING with a later
    `not_before` (backoff) until MAX attempts, then FAILED. A row left in SENDING (worker died mid-send)
    is never resent: it may have gone out, and a duplicate is worse than a gap."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Dilewati")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=254, blank=True)  # e-mail address or phone at routing time
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    not_before = models.DateTimeField()  # quiet hours and backoff push this later
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "not_before"])]
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="one_delivery_per_message_channel"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.channel} {self.status}"


class NudgeLog(models.Model):
    """A nudge decided for a user (once per kind, user and key), and its effect: did the person do the
    thing within 14 days? `suppressed` rows are people who qualified but had muted that kind — they got
    nothing and form the comparison group."""

    kind = models.CharField(max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    created_at = models.DateTimeField()
    recognition = models.BooleanField(default=False)
    suppressed = models.BooleanField(default=False)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acted = models.BooleanField(null=True, blank=True)  # None: not measured yet or not measurable
    acted_at = models.DateTimeField(null=True, blank=True)
    measured_at = models.DateTimeField(null=True, blank=True)  # final: no more measuring

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "created_at"]),
            models.Index(fields=["measured_at", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "user", "key"], name="one_nudge_per_kind_user_key"),
            models.CheckConstraint(
                condition=Q(acted=True) | Q(acted_at__isnull=True), name="acted_at_only_if_acted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.key}"
