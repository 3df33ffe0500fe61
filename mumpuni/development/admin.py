"""Read-only admin of development plans: every change goes through the services (audited, frozen rule)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from mumpuni.development.models import DevelopmentPlan, PlanComment, PlanGoal, PlanItem


class _ReadOnly(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class GoalInline(_ReadOnly):
    model = PlanGoal


class ItemInline(_ReadOnly):
    model = PlanItem


class CommentInline(_ReadOnly):
    model = PlanComment


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(admin.ModelAdmin):
    list_display = ["employee", "year", "status", "agreed_at", "completed_at"]
    list_filter = ["year", "status"]
    search_fields = ["employee__name", "employee__nip"]
    list_select_related = ["employee"]
    inlines = [GoalInline, ItemInline, CommentInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
