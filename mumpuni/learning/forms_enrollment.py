"""Forms of the enrolment pages: a request's reason, a nomination (whom, from the nominator's team) and an
approval decision with its note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mumpuni.people.models import Employee
from mumpuni.people.scopes import scope_for


def nominable_employees(user: Any) -> QuerySet[Employee]:
    """Whom the user may nominate: their team (supervisor) and their unit's people (unit head)."""
    scope = scope_for(user)
    if scope.city_manager:
        qs = Employee.objects.filter(active=True)
    else:
        qs = Employee.objects.filter(active=True, pk__in=scope.team_ids)
        if scope.manage_unit_paths:
            qs = qs | scope.employees().filter(active=True)
    if scope.own_employee_id:
        qs = qs.exclude(pk=scope.own_employee_id)
    return qs.select_related("unit").order_by("name")


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan / kebutuhan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NominateForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Anggota tim"), queryset=Employee.objects.none())
    reason = forms.CharField(
        label=_("Alasan usulan"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employee"]
        field.queryset = nominable_employees(user)  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: f"{e.name} — {e.unit.name}"  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Setujui")), ("reject", _("Tolak"))])
    note = forms.CharField(label=_("Catatan"), required=False, max_length=1000)


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Setujui")), ("reject", _("Tolak"))])
    note = forms.CharField(label=_("Catatan"), required=False, max_length=1000)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)

    def __init__(self, *args: Any, allowed_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in allowed_ids]  # type: ignore[attr-defined]
        self.fields["ids"].error_messages["required"] = _("Pilih paling sedikit satu pendaftaran.")
        self.fields["ids"].error_messages["invalid_choice"] = _("Pendaftaran tidak ada dalam antrean Anda.")
