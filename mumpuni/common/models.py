"""Base model and the audit log shared by every domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who changed what and when, with old and new values (NIK and secrets masked before storage)."""

    ACTION_CREATE = "create"
    ACTION_UPDATE = "update"
    ACTION_DELETE = "delete"
    ACTION_IMPORT = "import"
    ACTION_LOGIN = "login"
    ACTION_OTHER = "other"
    ACTIONS = [
        (ACTION_CREATE, "buat"),
        (ACTION_UPDATE, "ubah"),
        (ACTION_DELETE, "hapus"),
        (ACTION_IMPORT, "impor"),
        (ACTION_LOGIN, "masuk"),
        (ACTION_OTHER, "lainnya"),
    ]

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)  # kept when the account is gone
    # One of ACTIONS, or an app's own step name such as "talent.application_verify" (up to 64 characters).
    action = models.CharField(max_length=64, choices=ACTIONS)
    object_type = models.CharField(max_length=64, db_index=True)  # e.g. "people.employee"
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {field: [old, new]}
    note = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"


class CollectiveLeave(models.Model):
    """A *cuti bersama* day set by joint ministerial decree (SKB 3 Menteri): not a working day for deadlines,
    and service points are closed unless they open for the day. National holidays come from `holidays`."""

    date = models.DateField("tanggal", unique=True)
    name = models.CharField("keterangan", max_length=150)

    class Meta:
        ordering = ["date"]
        verbose_name = "cuti bersama"
        verbose_name_plural = "cuti bersama"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Notification(models.Model):
    """A message to one user, shown under the bell in the navigation bar (and e-mailed when they have an
    address). Made by `mumpuni.common.notifications.notify`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField("judul", max_length=200)
    body = models.TextField("isi", blank=True)
    link = models.CharField("tautan", max_length=255, blank=True)  # a path inside the platform
    kind = models.CharField("jenis", max_length=40, blank=True)  # e.g. "complaint_overdue"
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title
