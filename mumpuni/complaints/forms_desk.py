"""Forms of the staff complaint desk: inbox filters, one form per handling step, answer templates, routing
rules and the figures period. Forms only parse input; the workflow services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mumpuni.complaints.models import AnswerTemplate, Complaint, RoutingRule
from mumpuni.people.models import Unit
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import Service, ServicePoint


def _lazy(label: str) -> Any:
    """A model choice label translated when rendered (its English is in the catalogue)."""
    return _(label)


def _translated(choices: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    return [(value, _lazy(label)) for value, label in choices]


# The models' choice labels are plain Indonesian; marking them here puts them in the catalogue so templates
# can show them in English with `|tr`.
CHOICE_LABELS = [
    gettext_noop("Pengaduan"),
    gettext_noop("Aspirasi"),
    gettext_noop("Permintaan informasi"),
    gettext_noop("Kualitas pelayanan"),
    gettext_noop("Perilaku petugas"),
    gettext_noop("Waktu tunggu"),
    gettext_noop("Persyaratan / biaya"),
    gettext_noop("Sarana dan prasarana"),
    gettext_noop("Lainnya"),
    gettext_noop("Diterima"),
    gettext_noop("Terverifikasi"),
    gettext_noop("Ditolak"),
    gettext_noop("Diteruskan ke unit"),
    gettext_noop("Ditindaklanjuti"),
    gettext_noop("Dijawab"),
    gettext_noop("Dibuka kembali"),
    gettext_noop("Selesai"),
    gettext_noop("Bukan kewenangan Pemerintah Kota"),
    gettext_noop("Duplikat laporan lain"),
    gettext_noop("Tidak jelas / tidak dapat ditindaklanjuti"),
    gettext_noop("Formulir web"),
    gettext_noop("Open311"),
    gettext_noop("Dicatat petugas"),
    gettext_noop("Diverifikasi"),
    gettext_noop("Diteruskan"),
    gettext_noop("Dialihkan ke unit lain"),
    gettext_noop("Ditutup"),
    gettext_noop("Disanggah pelapor"),
    gettext_noop("Dinilai pelapor"),
    gettext_noop("Catatan internal"),
    gettext_noop("Eskalasi karena lewat batas waktu"),
]

STATUS_CHOICES = [
    ("", _("Semua status")),
    ("open", _("Semua yang masih terbuka")),
    *[(value, _lazy(label)) for value, label in Complaint.Status.choices],
]


def scoped_units(user: Any) -> QuerySet[Unit]:
    """Units a user may filter the inbox by: all for city-wide readers and the desk, else their subtrees."""
    from mumpuni.complaints import access

    scope = scope_for(user)
    qs = Unit.objects.filter(active=True).order_by("code")
    if access.is_desk(user) or scope.city_wide:
        return qs
    q = Q(pk__in=[])
    for path in scope.manage_unit_paths:
        q |= Q(path__startswith=path)
    return qs.filter(q)


def scoped_points(user: Any) -> QuerySet[ServicePoint]:
    from mumpuni.complaints import access

    scope = scope_for(user)
    qs = ServicePoint.objects.select_related("unit").order_by("unit__code")
    if access.is_desk(user) or scope.city_wide:
        return qs
    q = Q(pk__in=[])
    for path in scope.manage_unit_paths:
        q |= Q(unit__path__startswith=path)
    return qs.filter(q)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari kode lacak / judul"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    category = forms.ChoiceField(
        label=_("Kategori"),
        choices=[("", _("Semua kategori")), *_translated(Complaint.Category.choices)],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=[("", _("Semua jenis")), *_translated(Complaint.Kind.choices)],
        required=False,
    )
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Semua unit")
    )
    point = forms.ModelChoiceField(
        label=_("Tempat layanan"),
        queryset=ServicePoint.objects.none(),
        required=False,
        empty_label=_("Semua tempat"),
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.fields["unit"].queryset = scoped_units(user)  # type: ignore[attr-defined]
        self.fields["point"].queryset = scoped_points(user)  # type: ignore[attr-defined]
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select-sm"


class StepForm(forms.Form):
    """Small widgets: the steps sit side by side in a narrow column."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            small = "form-select-sm" if isinstance(field.widget, forms.Select) else "form-control-sm"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {small}".strip()


class MessageForm(StepForm):
    """Verify, close, start progress: an optional message (public on the tracking page)."""

    message = forms.CharField(
        label=_("Pesan untuk pelapor (opsional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )


class RejectForm(StepForm):
    reason = forms.ChoiceField(
        label=_("Alasan penolakan"), choices=_translated(Complaint.RejectionReason.choices)
    )
    duplicate_of = forms.CharField(
        label=_("Duplikat dari (kode lacak)"),
        required=False,
        max_length=16,
        help_text=_("Wajib bila alasannya duplikat, mis. ADU-7K3M-9QXP."),
    )
    message = forms.CharField(
        label=_("Pesan untuk pelapor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Kosong: alasan penolakan yang ditampilkan."),
    )

    def clean_duplicate_of(self) -> Complaint | None:
        code = (self.cleaned_data.get("duplicate_of") or "").strip().upper()
        if not code:
            return None
        original = Complaint.objects.filter(tracking_code=code).first()
        if original is None:
            raise forms.ValidationError(_("Kode lacak itu tidak ditemukan."))
        return original


class ForwardForm(StepForm):
    unit = UnitChoiceField(label=_("Unit tujuan"), queryset=Unit.objects.none())
    message = forms.CharField(
        label=_("Pesan (opsional)"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active=True).order_by("code")  # type: ignore[attr-defined]


class ReassignForm(ForwardForm):
    pass


class AnswerForm(StepForm):
    template = forms.ModelChoiceField(
        label=_("Templat jawaban"),
        queryset=AnswerTemplate.objects.none(),
        required=False,
        empty_label=_("— tanpa templat —"),
    )
    text = forms.CharField(
        label=_("Jawaban untuk pelapor"), widget=forms.Textarea({"rows": 6}), max_length=8000
    )

    def __init__(self, *args: Any, templates: QuerySet[AnswerTemplate] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class NoteForm(StepForm):
    text = forms.CharField(
        label=_("Catatan internal (tidak tampil ke pelapor)"),
        widget=forms.Textarea({"rows": 2}),
        max_length=4000,
    )


class AnswerTemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["title", "category", "body", "active"]
        labels = {
            "title": _("Judul"),
            "category": _("Kategori (kosong: semua)"),
            "body": _("Isi jawaban"),
            "active": _("Aktif"),
        }
        widgets = {"body": forms.Textarea({"rows": 6})}


class RoutingRuleForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Unit tujuan"), queryset=Unit.objects.none())

    class Meta:
        model = RoutingRule
        fields = ["category", "service", "point", "unit", "active"]
        labels = {
            "category": _("Kategori (kosong: semua)"),
            "service": _("Layanan (kosong: semua)"),
            "point": _("Tempat layanan (kosong: semua)"),
            "active": _("Aktif"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active=True).order_by("code")  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["point"].queryset = ServicePoint.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("category") or cleaned.get("service") or cleaned.get("point")):
            raise forms.ValidationError(
                _("Isi sedikitnya satu syarat: kategori, layanan atau tempat layanan.")
            )
        return cleaned


MAX_FIGURE_DAYS = 731


class FiguresFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Dari"), required=False, widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Sampai"), required=False, widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )

    def period(self, default_days: int) -> tuple[dt.date, dt.date]:
        """The valid period (default: the last `default_days` days up to today); errors stay on the form."""
        today = timezone.localdate()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - dt.timedelta(days=default_days - 1)
        if date_from > date_to:
            self.add_error("date_from", _("Tanggal awal harus sebelum tanggal akhir."))
            date_from = date_to - dt.timedelta(days=default_days - 1)
        if (date_to - date_from).days > MAX_FIGURE_DAYS:
            self.add_error("date_from", _("Rentang paling lama dua tahun."))
            date_from = date_to - dt.timedelta(days=MAX_FIGURE_DAYS)
        return date_from, date_to
