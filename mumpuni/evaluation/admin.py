"""Admin: the evaluation policy (the configurable defaults) and read-only lists of forms and requests."""

from django.contrib import admin

from mumpuni.evaluation.models import BehaviourRequest, EvaluationPolicy


@admin.register(EvaluationPolicy)
class EvaluationPolicyAdmin(admin.ModelAdmin):
    list_display = ("l1_window_days", "l3_delay_days", "l3_window_days", "min_group_size")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return not EvaluationPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(BehaviourRequest)
class BehaviourRequestAdmin(admin.ModelAdmin):
    # L1 answers are not listed here on purpose: they are anonymous to everyone but the participant.
    list_display = ("enrollment", "employee", "reviewer", "status", "requested_on", "expires_on")
    list_filter = ("status",)
    raw_id_fields = ("enrollment", "employee", "reviewer", "submitted_by")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
