"""Django admin for BKPP superusers: browse the people registry; change only accounts and their roles.

Units, positions and employees are read-only here on purpose: their writes go through `people.services`
(validation, scope, history, audit) and the staff pages. Account changes made here are audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from mumpuni.common.audit import audit_entry
from mumpuni.people.models import (
    ApiKey,
    Employee,
    EmployeeAssignment,
    ImportJob,
    Position,
    RoleAssignment,
    Unit,
    User,
)

admin.site.site_header = "Mumpuni · Admin BKPP"
admin.site.site_title = "Mumpuni"
admin.site.index_title = "Data induk"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and search only; changes happen through services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "level", "unit", "is_front_line"]
    list_filter = ["kind", "level", "is_front_line"]
    search_fields = ["code", "name", "unit__code"]
    list_select_related = ["unit"]


class AssignmentInline(admin.TabularInline):
    model = EmployeeAssignment
    fields = ("started_at", "ended_at", "unit", "position", "changed_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyAdmin):
    list_display = ["nip", "name", "employment_type", "unit", "position", "active"]
    list_filter = ["employment_type", "active", "sex", "position__kind"]
    search_fields = ["nip", "name", "email"]
    list_select_related = ["unit", "position"]
    inlines = [AssignmentInline]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fields = ["role", "unit"]
    autocomplete_fields = ["unit"]
    extra = 0


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "__iter__"):
        return sorted(str(v) for v in value)  # groups, permissions
    return str(value)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts: activate/deactivate, reset passwords, grant roles — each change audited."""

    list_display = ["username", "first_name", "is_active", "is_service_account", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_service_account", "is_superuser", "role_assignments__role"]
    search_fields = ["username", "first_name", "email", "employee__nip"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Mumpuni", {"fields": ["is_service_account"]}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).distinct()

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = [name for name in form.changed_data if name not in {"password", "password1", "password2"}]
        changes: dict[str, list[Any]] = {
            name: [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))] for name in changed
        }
        if {"password", "password1", "password2"} & set(form.changed_data):
            changes["password"] = ["********", "********"]
        audit_entry(
            actor=request.user,
            action="update" if change else "create",
            instance=obj,
            changes=changes,
            note="Django admin",
        )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        # Django redirects only after a valid form has set (or removed) the password.
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.filter(pk=id).first()
            if user is not None:
                audit_entry(
                    actor=request.user,
                    action="update",
                    instance=user,
                    changes={"password": ["********", "********"]},
                    note="Django admin: ganti kata sandi",
                )
        return response

    def _audit_delete(self, request: HttpRequest, user: User) -> None:
        roles = sorted(str(ra) for ra in user.role_assignments.select_related("unit"))
        audit_entry(
            actor=request.user,
            action="delete",
            instance=user,
            changes={"username": [user.username, None], "roles": [roles, None]},
            note="Django admin",
        )

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        with transaction.atomic():
            self._audit_delete(request, obj)  # before: the entry needs the account's id and roles
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        with transaction.atomic():
            for user in queryset:
                self._audit_delete(request, user)
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: Any, change: bool) -> None:
        before = (
            {str(ra) for ra in form.instance.role_assignments.select_related("unit")} if change else set()
        )
        super().save_formset(request, form, formset, change)
        after = {str(ra) for ra in form.instance.role_assignments.select_related("unit")}
        if before != after:
            audit_entry(
                actor=request.user,
                action="update",
                instance=form.instance,
                changes={"roles": [sorted(before), sorted(after)]},
                note="Django admin",
            )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    list_select_related = ["user", "unit"]


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix"]
    exclude = ["key_hash"]  # only a hash, but there is no reason to show it


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "kind", "status", "created_by", "total_rows", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    exclude = ["content"]
