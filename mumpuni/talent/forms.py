"""Forms of the talent pages (labels in Indonesian, gettext-wrapped)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mumpuni.talent import ninebox
from mumpuni.talent.eligibility import GRADES
from mumpuni.talent.models import ApplicationDocument, Performance, Predikat


class RatingForm(forms.Form):
    nip = forms.CharField(label=_("NIP"), max_length=18, min_length=18)
    year = forms.IntegerField(label=_("Tahun SKP"), min_value=2000, max_value=2100)
    predikat = forms.ChoiceField(label=_("Predikat kinerja"), choices=Predikat.choices)
    grade = forms.ChoiceField(
        label=_("Golongan (opsional)"), choices=[("", "—"), *[(g, g) for g in GRADES]], required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Alasan mengikuti program"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(label=_("Berkas PDF (paling besar 5 MB)"))


class StepForm(forms.Form):
    comment = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    on = forms.DateField(label=_("Tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SettingsForm(forms.Form):
    """The talent settings as a form: numbering as nine numbers, the SKP map as five choices."""

    potential_high = forms.FloatField(label=_("Skor potensi Tinggi (≥)"), min_value=0, max_value=100)
    potential_mid = forms.FloatField(label=_("Skor potensi Menengah (≥)"), min_value=0, max_value=100)
    min_assessed = forms.IntegerField(label=_("Paling sedikit kompetensi dinilai"), min_value=1, max_value=50)
    pool_boxes = forms.CharField(label=_("Kotak kelompok talenta (mis. 7,8,9)"), max_length=40)
    bond_multiplier = forms.IntegerField(
        label=_("Ikatan dinas tugas belajar: pengali masa studi"), min_value=0, max_value=5
    )
    bond_extra_months = forms.IntegerField(
        label=_("Ikatan dinas tugas belajar: tambahan bulan"), min_value=0, max_value=120
    )
    izin_bond_months = forms.IntegerField(
        label=_("Ikatan dinas izin belajar (bulan)"), min_value=0, max_value=120
    )
    retirement_age = forms.IntegerField(label=_("Batas usia pensiun (tahun)"), min_value=50, max_value=70)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for potential in ninebox.POTENTIALS:
            for performance in ninebox.PERFORMANCES:
                key = ninebox.cell_key(potential, performance)
                self.fields[f"box_{potential}_{performance}"] = forms.IntegerField(
                    label=f"{ninebox.POTENTIAL_LABELS[potential]} / {ninebox.PERFORMANCE_LABELS[performance]}",
                    min_value=1,
                    max_value=9,
                )
                self.fields[f"box_{potential}_{performance}"].cell = key  # type: ignore[attr-defined]
        for predikat in ninebox.PREDIKATS:
            self.fields[f"skp_{predikat}"] = forms.ChoiceField(
                label=ninebox.PREDIKAT_LABELS[predikat], choices=Performance.choices
            )

    def clean_pool_boxes(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["pool_boxes"].split(",") if p.strip()]
        if not parts or not all(p.isdigit() and 1 <= int(p) <= 9 for p in parts):
            raise forms.ValidationError(_("Tuliskan nomor kotak 1–9 dipisah koma."))
        return sorted({int(p) for p in parts})

    def values(self) -> dict[str, object]:
        data = self.cleaned_data
        numbering = {
            ninebox.cell_key(p, k): data[f"box_{p}_{k}"]
            for p in ninebox.POTENTIALS
            for k in ninebox.PERFORMANCES
        }
        skp_map = {p: data[f"skp_{p}"] for p in ninebox.PREDIKATS}
        plain = {
            name: data[name]
            for name in (
                "potential_high",
                "potential_mid",
                "min_assessed",
                "pool_boxes",
                "bond_multiplier",
                "bond_extra_months",
                "izin_bond_months",
                "retirement_age",
            )
        }
        return {**plain, "numbering": numbering, "skp_map": skp_map}

    @classmethod
    def initial_from(cls, conf: object) -> dict[str, object]:
        initial: dict[str, object] = {
            name: getattr(conf, name)
            for name in (
                "potential_high",
                "potential_mid",
                "min_assessed",
                "bond_multiplier",
                "bond_extra_months",
                "izin_bond_months",
                "retirement_age",
            )
        }
        initial["pool_boxes"] = ",".join(str(b) for b in conf.pool_boxes)  # type: ignore[attr-defined]
        for key, number in conf.numbering.items():  # type: ignore[attr-defined]
            potential, performance = key.split("/")
            initial[f"box_{potential}_{performance}"] = number
        for predikat, performance in conf.skp_map.items():  # type: ignore[attr-defined]
            initial[f"skp_{predikat}"] = performance
        return initial
