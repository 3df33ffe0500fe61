"""Django admin for the complaint configuration (policy, templates, routing) and read-only complaint records.

Complaints change only through the workflow services (every step is an event), so the admin shows them
read-only; identity fields are left out of the list so a glance at the admin does not expose complainants.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mumpuni.complaints.models import (
    AnswerTemplate,
    Complaint,
    ComplaintEvent,
    ComplaintPolicy,
    Open311Submission,
    RoutingRule,
)


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "verify_working_days",
        "followup_working_days",
        "answer_working_days",
        "dispute_days",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ComplaintPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "active", "updated_at"]
    list_filter = ["category", "active"]
    search_fields = ["title", "body"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "service", "point", "unit", "active"]
    list_filter = ["category", "active"]
    raw_id_fields = ["service", "point", "unit"]


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "actor_label", "unit", "public", "message"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "title", "status", "category", "assigned_unit", "received_at"]
    list_filter = ["status", "category", "kind", "identity", "source"]
    search_fields = ["tracking_code", "title"]
    date_hierarchy = "received_at"
    list_select_related = ["assigned_unit"]
    inlines = [ComplaintEventInline]
    exclude = ["contact_hash", "client_hash", "complainant_secret", "complainant_secret_hash"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Complaint._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Open311Submission)
class Open311SubmissionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "api_key", "status", "complaint", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["token", "api_key", "payload", "status", "complaint", "error", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
