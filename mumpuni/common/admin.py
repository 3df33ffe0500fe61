"""The audit log in Django admin: read-only, searchable, for BKPP superusers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mumpuni.common.models import AuditEntry, CollectiveLeave


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id", "object_repr"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    # An audit log that can be edited is not one.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CollectiveLeave)
class CollectiveLeaveAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
