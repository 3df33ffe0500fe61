"""Forms of the surveys app: the questionnaire as the public pages render it, and the paper-import upload.

The questionnaire is validated by the service (`services.clean_answers` / `clean_profile`); here it is only
laid out: per unsur the regulation's question and four answers, per profile field its choices, each with
what the respondent chose and the error to show next to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mumpuni.lib import tabular
from mumpuni.people.models import Unit
from mumpuni.surveys.imports import importable_units
from mumpuni.surveys.models import QUESTIONS, UNSUR_FIELDS, SurveyResponse

UPLOAD_MAX_BYTES = 2 * 1024 * 1024  # a paper survey is hundreds of rows; the file waits in the session


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Question:
    field: str
    number: int
    text: str
    options: tuple[Option, ...]
    errors: tuple[str, ...]


@dataclass(frozen=True)
class ProfileField:
    field: str
    label: str
    options: tuple[Option, ...]
    errors: tuple[str, ...]


PROFILE_LABELS = {
    "age_band": gettext_lazy("Usia"),
    "sex": gettext_lazy("Jenis kelamin"),
    "education": gettext_lazy("Pendidikan terakhir"),
    "occupation": gettext_lazy("Pekerjaan"),
}
PROFILE_CHOICES = {
    "age_band": SurveyResponse.AgeBand.choices,
    "sex": SurveyResponse.Sex.choices,
    "education": SurveyResponse.Education.choices,
    "occupation": SurveyResponse.Occupation.choices,
}


def questionnaire(
    data: Mapping[str, Any] | None = None, errors: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """The questions, profile fields and suggestion as templates/surveys/public/_questionnaire.html uses them."""
    data = data or {}
    errors = errors or {}
    questions = tuple(
        Question(
            field=f,
            number=i,
            text=QUESTIONS[f][0],
            options=tuple(
                Option(str(v), label, str(data.get(f, "")) == str(v))
                for v, label in enumerate(QUESTIONS[f][1], start=1)
            ),
            errors=tuple(errors.get(f, ())),
        )
        for i, f in enumerate(UNSUR_FIELDS, start=1)
    )
    profile = tuple(
        ProfileField(
            field=f,
            label=str(PROFILE_LABELS[f]),
            options=tuple(
                Option(v, str(label), str(data.get(f, "")) == v) for v, label in PROFILE_CHOICES[f]
            ),
            errors=tuple(errors.get(f, ())),
        )
        for f in PROFILE_CHOICES
    )
    return {
        "questions": questions,
        "profile": profile,
        "profile_open": any(data.get(f) for f in PROFILE_CHOICES)
        or any(f in errors for f in PROFILE_CHOICES),
        "suggestion": str(data.get("suggestion", ""))[:2000],
        "general_errors": tuple(errors.get("__all__", ())),
    }


def _unit_label(unit: Unit) -> str:
    return f"{unit.code} · {unit.name}"


class ImportForm(forms.Form):
    """Upload of a paper-survey file for one unit of the user's scope."""

    unit = forms.ModelChoiceField(label=gettext_lazy("Unit pelayanan"), queryset=Unit.objects.none())
    default_date = forms.DateField(
        label=gettext_lazy("Tanggal survei"),
        help_text=gettext_lazy("Dipakai untuk baris tanpa kolom tanggal."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=gettext_lazy("Berkas"),
        help_text=gettext_lazy("XLSX atau CSV (UTF-8, pemisah ';' atau ','), baris 1 berisi nama kolom."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = importable_units(user).order_by("code")
        field.label_from_instance = _unit_label  # type: ignore[method-assign,assignment]
        self.fields["default_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_default_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["default_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal survei tidak boleh di masa depan."))
        return value

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size).1f MB); batasnya %(limit).0f MB.")
                % {"size": upload.size / 1_048_576, "limit": UPLOAD_MAX_BYTES / 1_048_576}
            )
        head = upload.read(8)
        upload.seek(0)
        try:
            tabular.detect_format(upload.name, head)
        except tabular.TabularError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload
