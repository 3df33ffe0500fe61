"""The request form (/laporan/minta/) and the archive filter. Choices are limited to the user's scope;
the service checks the scope again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mumpuni.people.models import Unit
from mumpuni.queueing.models import ServicePoint
from mumpuni.reports import access
from mumpuni.reports.models import ReportJob

QUARTERS = [("", _("Setahun penuh")), ("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")]


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        depth = max(obj.path.count("/") - 2, 0)
        return "\u2003" * min(depth, 4) + f"{obj.name} ({obj.code})"


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportJob.Kind.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2015, max_value=2100)
    quarter = forms.ChoiceField(label=_("Triwulan"), choices=QUARTERS, required=False)
    unit = UnitChoice(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Seluruh Kota Semarang"),
        help_text=_("Laporan kompetensi dan SKM: unit beserta sub-unitnya."),
    )
    point = forms.ModelChoiceField(
        label=_("Tempat layanan"),
        queryset=ServicePoint.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Hanya untuk laporan kinerja pelayanan."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["year"].max_value = today.year  # type: ignore[attr-defined]
        self.fields["quarter"].initial = str((today.month - 1) // 3 + 1)
        self.fields["unit"].queryset = access.requestable_units(user)  # type: ignore[attr-defined]
        self.fields["point"].queryset = access.requestable_points(user)  # type: ignore[attr-defined]
        if not access.can_request_city(user):
            self.fields["unit"].empty_label = _("— pilih unit —")  # type: ignore[attr-defined]
            if not self.initial.get("unit"):  # a unit head's own unit first
                self.initial["unit"] = self.fields["unit"].queryset.values_list("pk", flat=True).first()  # type: ignore[attr-defined]

    def add_service_errors(self, fields: dict[str, list[str]], message: str) -> None:
        placed = False
        for name, messages in fields.items():
            for text in messages:
                self.add_error(name if name in self.fields else None, text)
                placed = True
        if not placed:
            self.add_error(None, message)


class ArchiveFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=[("", _("Semua jenis")), *ReportJob.Kind.choices], required=False
    )
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    quarter = forms.ChoiceField(
        label=_("Triwulan"), choices=[("", _("Semua")), *QUARTERS[1:]], required=False
    )
