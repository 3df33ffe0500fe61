"""Django admin: the archive read-only (jobs are made by request_report, never edited or regenerated)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from mumpuni.reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "year", "quarter", "unit", "point", "status", "progress", "created_at")
    list_filter = ("kind", "status", "year")
    search_fields = ("title", "unit__code", "unit__name")
    raw_id_fields = ("unit", "point", "requested_by")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
