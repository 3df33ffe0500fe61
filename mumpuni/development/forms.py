"""Forms of the plan page: a goal, an item, a comment on a step. Validation of substance is the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mumpuni.competencies.models import Competency
from mumpuni.development.models import DevelopmentPlan, PlanGoal
from mumpuni.learning.models import Program


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Sasaran"), max_length=300)
    source = forms.ChoiceField(
        label=_("Dasar"), choices=PlanGoal.Source.choices, initial=PlanGoal.Source.SERVICE
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=300,
        required=False,
        help_text=_("Misalnya: waktu layanan KTP-el di loket kami rata-rata 40 menit."),
    )
    competency = forms.ModelChoiceField(
        label=_("Kompetensi (opsional)"), queryset=Competency.objects.none(), required=False
    )
    target_level = forms.TypedChoiceField(
        label=_("Level sasaran"),
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(active=True).order_by("kind", "code")


class ItemForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program dari katalog"), queryset=Program.objects.none(), required=False
    )
    activity = forms.CharField(
        label=_("atau kegiatan nonklasikal"),
        max_length=200,
        required=False,
        help_text=_("Misalnya: coaching oleh Kasi Pelayanan, e-learning ASN Unggul."),
    )
    planned_jp = forms.CharField(label=_("JP"), max_length=8, required=False)
    target_date = forms.DateField(
        label=_("Target tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    goal = forms.ModelChoiceField(label=_("Untuk sasaran"), queryset=PlanGoal.objects.none(), required=False)

    def __init__(self, *args: Any, plan: DevelopmentPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = (
            Program.objects.filter(active=True).exclude(category=Program.Category.EDUCATION).order_by("name")
        )
        self.fields["goal"].queryset = plan.goals.all()


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
