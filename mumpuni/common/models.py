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
    action = models.CharField(max_length=16, choices=ACTIONS)
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
