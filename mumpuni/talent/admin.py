"""Django admin for the reference data BKPP keeps (partner institutions, agreements, programmes): each save
runs the model's validation and leaves an audit entry. Ratings, placements and applications are read-only
here — their writes go through the services (scoped, audited, status flow)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from mumpuni.common.audit import audit_entry
from mumpuni.talent.models import (
    Agreement,
    Application,
    FurtherEducationProgram,
    PartnerInstitution,
    PerformanceRating,
    TalentPlacement,
)


class _Audited(admin.ModelAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        obj.full_clean()
        super().save_model(request, obj, form, change)
        audit_entry(
            actor=request.user,
            action=f"talent.{obj._meta.model_name}_{'update' if change else 'create'}",
            instance=obj,
            changes={name: ["", str(form.cleaned_data.get(name))] for name in form.changed_data},
        )


@admin.register(PartnerInstitution)
class PartnerInstitutionAdmin(_Audited):
    list_display = ("name", "city", "kind", "active")
    search_fields = ("name",)


@admin.register(Agreement)
class AgreementAdmin(_Audited):
    list_display = ("number", "institution", "starts_on", "ends_on", "quota")
    list_select_related = ("institution",)


@admin.register(FurtherEducationProgram)
class FurtherEducationProgramAdmin(_Audited):
    list_display = ("code", "name", "kind", "institution", "level", "opens_on", "closes_on", "quota")
    list_select_related = ("institution",)
    list_filter = ("kind", "level")


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(PerformanceRating)
class PerformanceRatingAdmin(_ReadOnly):
    list_display = ("employee", "year", "predikat", "source")
    list_select_related = ("employee",)
    list_filter = ("year", "predikat")


@admin.register(TalentPlacement)
class TalentPlacementAdmin(_ReadOnly):
    list_display = ("employee", "year", "box", "potential", "performance")
    list_select_related = ("employee",)
    list_filter = ("year", "box")


@admin.register(Application)
class ApplicationAdmin(_ReadOnly):
    list_display = ("employee", "program", "status", "created_at")
    list_select_related = ("employee", "program")
    list_filter = ("status",)
