"""Forms of the planning pages. They check shape; substance (allocations, limits) is the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mumpuni.learning.models import Program
from mumpuni.people.models import Unit
from mumpuni.planning.models import FundingSource, Scenario, WeightSettings

RUPIAH_HELP = _("Bilangan bulat rupiah tanpa titik, misalnya 1500000000.")


def _years() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(y, y) for y in range(this_year + 2, this_year - 4, -1)]


class BudgetForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=_years)
    source = forms.ModelChoiceField(label=_("Sumber dana"), queryset=FundingSource.objects.none())
    amount = forms.IntegerField(
        label=_("Pagu (Rp)"),
        min_value=0,
        help_text=RUPIAH_HELP,
        error_messages={"invalid": _("Masukkan bilangan bulat rupiah."), "required": _("Pagu wajib diisi.")},
    )
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(active=True)


class UnitBudgetForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=_years)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Pilih unit dari daftar."), "required": _("Unit wajib dipilih.")},
    )
    source = forms.ModelChoiceField(label=_("Sumber dana"), queryset=FundingSource.objects.none())
    amount = forms.IntegerField(
        label=_("Pagu unit (Rp)"),
        min_value=0,
        help_text=_("0 menghapus pagu unit ini."),
        error_messages={"invalid": _("Masukkan bilangan bulat rupiah."), "required": _("Pagu wajib diisi.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active=True, parent__isnull=False).order_by("code")
        self.fields["source"].queryset = FundingSource.objects.filter(active=True)


class WeightsForm(forms.ModelForm):
    class Meta:
        model = WeightSettings
        fields = [
            "front_line_multiplier",
            "wait_ratio",
            "wait_multiplier",
            "ikm_threshold",
            "ikm_multiplier",
            "complaint_rate_threshold",
            "complaint_multiplier",
            "lookback_days",
        ]
        localized_fields = "__all__"


def _program_queryset() -> Any:
    return Program.objects.filter(active=True).exclude(category=Program.Category.EDUCATION).order_by("code")


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Nama skenario"), max_length=150)
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=_years)
    budget = forms.IntegerField(
        label=_("Anggaran (Rp)"),
        min_value=0,
        help_text=_("Awalnya sisa pagu APBD tahun itu (pagu − komitmen − realisasi)."),
        error_messages={"invalid": _("Masukkan bilangan bulat rupiah.")},
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Kosong: seluruh kota. Unit mencakup unit di bawahnya."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Program yang boleh dipilih"),
        queryset=Program.objects.none(),
        required=False,
        help_text=_("Kosong: semua program aktif yang menaikkan kompetensi."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    mandatory_programs = forms.ModelMultipleChoiceField(
        label=_("Program wajib"),
        queryset=Program.objects.none(),
        required=False,
        help_text=_("Wajib bagi setiap pegawai sasaran program itu di unit terpilih yang belum lulus."),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    mandatory_pairs = forms.CharField(
        label=_("Pasangan wajib (NIP dan kode program per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "199001012015031001 PLY-PRIMA"}),
    )
    max_jp_per_employee = forms.IntegerField(
        label=_("Batas JP per pegawai"), min_value=1, max_value=500, initial=60
    )
    use_unit_budgets = forms.BooleanField(label=_("Patuhi pagu APBD per unit"), required=False)
    default_seats = forms.IntegerField(
        label=_("Kursi program tanpa kelas"),
        min_value=0,
        max_value=100000,
        initial=30,
        help_text=_("Dianggap tersedia untuk program yang belum punya kelas pada tahun itu."),
    )
    time_limit_seconds = forms.IntegerField(
        label=_("Batas waktu hitung (detik)"), min_value=1, max_value=3600, initial=60
    )
    variant = forms.ChoiceField(
        label=_("Varian"),
        choices=[
            (Scenario.Variant.OPTIMAL, _("Optimal")),
            (Scenario.Variant.EQUAL_PER_UNIT, _("Bagi rata per unit")),
        ],
        initial=Scenario.Variant.OPTIMAL,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(active=True, parent__isnull=False).order_by(
            "code"
        )
        self.fields["programs"].queryset = _program_queryset()
        self.fields["mandatory_programs"].queryset = _program_queryset()
