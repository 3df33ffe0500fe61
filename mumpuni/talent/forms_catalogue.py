"""Forms of the further-education catalogue (institutions, agreements, programmes). They parse input only;
the rules (dates, quotas, the agreement's window) live in `services_catalogue` and come back as field
errors, so the API and the pages give the same Indonesian messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mumpuni.talent.eligibility import GRADES
from mumpuni.talent.models import Agreement, FurtherEducationProgram, PartnerInstitution

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INT_ERRORS = {"invalid": _("Isi dengan bilangan bulat.")}
DATE_ERRORS = {"invalid": _("Isi tanggal yang valid.")}


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("Nama institusi"), max_length=200)
    city = forms.CharField(label=_("Kota"), max_length=100)
    kind = forms.ChoiceField(label=_("Jenis"), choices=PartnerInstitution.Kind.choices)
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    @staticmethod
    def initial_from(institution: PartnerInstitution) -> dict[str, Any]:
        return {f: getattr(institution, f) for f in ("name", "city", "kind", "active")}


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Nomor perjanjian"), max_length=100)
    starts_on = forms.DateField(label=_("Berlaku mulai"), widget=DATE, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("Berlaku sampai"), widget=DATE, error_messages=DATE_ERRORS)
    fields_of_study = forms.CharField(
        label=_("Bidang studi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu bidang per baris; kosong berarti semua bidang."),
    )
    quota = forms.IntegerField(
        label=_("Kuota"),
        error_messages=INT_ERRORS,
        help_text=_("Jumlah kursi untuk semua program perjanjian ini; 0 berarti tanpa batas."),
    )

    def clean_fields_of_study(self) -> list[str]:
        lines = self.cleaned_data["fields_of_study"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    @staticmethod
    def initial_from(agreement: Agreement) -> dict[str, Any]:
        return {
            "number": agreement.number,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "fields_of_study": "\n".join(agreement.fields_of_study),
            "quota": agreement.quota,
        }


class ProgramForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=40)
    name = forms.CharField(label=_("Nama program"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=FurtherEducationProgram.Kind.choices)
    institution = forms.ModelChoiceField(
        label=_("Institusi mitra"),
        queryset=PartnerInstitution.objects.all(),
        error_messages={"invalid_choice": _("Pilih institusi mitra dari daftar.")},
    )
    agreement = forms.ModelChoiceField(
        label=_("Perjanjian kerja sama"),
        queryset=Agreement.objects.select_related("institution").order_by("institution__name", "number"),
        required=False,
        error_messages={"invalid_choice": _("Pilih perjanjian dari daftar.")},
    )
    field_of_study = forms.CharField(label=_("Bidang studi"), max_length=150)
    level = forms.ChoiceField(label=_("Jenjang"), choices=FurtherEducationProgram.Level.choices)
    quota = forms.IntegerField(label=_("Kuota"), error_messages=INT_ERRORS)
    opens_on = forms.DateField(label=_("Pendaftaran dibuka"), widget=DATE, error_messages=DATE_ERRORS)
    closes_on = forms.DateField(label=_("Pendaftaran ditutup"), widget=DATE, error_messages=DATE_ERRORS)
    study_months = forms.IntegerField(label=_("Lama studi (bulan)"), error_messages=INT_ERRORS)
    max_age = forms.IntegerField(label=_("Usia paling tinggi"), required=False, error_messages=INT_ERRORS)
    min_grade = forms.ChoiceField(
        label=_("Golongan paling rendah"), choices=[("", "—"), *[(g, g) for g in GRADES]], required=False
    )
    min_years_of_service = forms.IntegerField(
        label=_("Masa kerja paling sedikit (tahun)"), required=False, error_messages=INT_ERRORS
    )
    allowed_boxes = forms.CharField(
        label=_("Kotak 9-box yang boleh"),
        required=False,
        max_length=40,
        help_text=_("Nomor kotak dipisah koma, mis. 7,8,9; kosong berarti semua."),
    )
    no_ongoing_bond = forms.BooleanField(
        label=_("Tidak sedang menjalani ikatan dinas atau program lain"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].label_from_instance = lambda i: (  # type: ignore[attr-defined]
            i.name if i.active else f"{i.name} ({_('nonaktif')})"
        )
        self.fields["agreement"].label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.number} — {a.institution.name} ({a.starts_on:%d/%m/%Y} – {a.ends_on:%d/%m/%Y})"
        )

    def clean_allowed_boxes(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["allowed_boxes"].split(",") if p.strip()]
        if not all(p.isdigit() and 1 <= int(p) <= 9 for p in parts):
            raise forms.ValidationError(_("Tuliskan nomor kotak 1–9 dipisah koma."))
        return sorted({int(p) for p in parts})

    @staticmethod
    def initial_from(program: FurtherEducationProgram) -> dict[str, Any]:
        names = [n for n in ProgramForm.base_fields if n not in ("institution", "agreement", "allowed_boxes")]
        initial = {n: getattr(program, n) for n in names}
        initial["institution"] = program.institution_id
        initial["agreement"] = program.agreement_id
        initial["allowed_boxes"] = ",".join(str(b) for b in program.allowed_boxes)
        return initial
