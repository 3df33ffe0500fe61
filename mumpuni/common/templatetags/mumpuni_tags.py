"""Template helpers of the staff pages: NIP formatting, translated choice labels, safe links to other apps."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.translation import gettext, gettext_noop

from mumpuni.lib.nip import NipError, parse_nip

register = template.Library()

# Choice labels live in the models as plain Indonesian strings (the models are not ours to change). Marking
# them here puts them in the message catalogue, so `{{ value|tr }}` can show them in English.
CHOICE_LABELS = [
    gettext_noop("Pemerintah Daerah"),
    gettext_noop("Sekretariat"),
    gettext_noop("Dinas"),
    gettext_noop("Badan"),
    gettext_noop("Kecamatan"),
    gettext_noop("Kelurahan"),
    gettext_noop("Mal Pelayanan Publik"),
    gettext_noop("Unit lain"),
    gettext_noop("Jabatan Pimpinan Tinggi"),
    gettext_noop("Administrator"),
    gettext_noop("Pengawas"),
    gettext_noop("Pelaksana"),
    gettext_noop("Fungsional"),
    gettext_noop("Utama"),
    gettext_noop("Madya"),
    gettext_noop("Pratama"),
    gettext_noop("Ahli Utama"),
    gettext_noop("Ahli Madya"),
    gettext_noop("Ahli Muda"),
    gettext_noop("Ahli Pertama"),
    gettext_noop("Penyelia"),
    gettext_noop("Mahir"),
    gettext_noop("Terampil"),
    gettext_noop("Pemula"),
    gettext_noop("Tanpa jabatan"),
    gettext_noop("Laki-laki"),
    gettext_noop("Perempuan"),
    gettext_noop("Admin BKPP"),
    gettext_noop("Kepala unit / camat"),
    gettext_noop("Atasan langsung"),
    gettext_noop("Pegawai"),
    gettext_noop("Petugas loket"),
    gettext_noop("Pelatih / widyaiswara"),
    gettext_noop("Pimpinan (baca saja)"),
    gettext_noop("Perangkat kios"),
    gettext_noop("Papan antrean"),
    gettext_noop("Sistem mitra"),
    gettext_noop("Diunggah"),
    gettext_noop("Diperiksa"),
    gettext_noop("Ada kesalahan"),
    gettext_noop("Siap diterapkan"),
    gettext_noop("Sedang diterapkan"),
    gettext_noop("Selesai"),
    gettext_noop("Gagal"),
    gettext_noop("Unit"),
    gettext_noop("Jabatan"),
    gettext_noop("buat"),
    gettext_noop("ubah"),
    gettext_noop("hapus"),
    gettext_noop("impor"),
    gettext_noop("masuk"),
    gettext_noop("lainnya"),
]


@register.filter
def tr(value: Any) -> str:
    """Translate a label computed at run time (a model choice's display value)."""
    if value in (None, ""):
        return ""
    return gettext(str(value))


@register.filter
def nip(value: Any) -> str:
    """A NIP with the customary spaces (19900101 201503 1 001); anything unparsable is shown as stored."""
    raw = str(value or "")
    try:
        return parse_nip(raw).formatted
    except NipError:
        return raw


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if not mapping:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(part: Any, whole: Any) -> int:
    """Whole-number percentage for progress bars; 0 when the whole is empty."""
    try:
        return round(100 * float(part) / float(whole)) if whole else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def minutes(delta: Any) -> int:
    """Whole minutes of a timedelta (the lockout cool-off), rounded up."""
    try:
        return max(1, -(-int(delta.total_seconds()) // 60))
    except AttributeError:
        return 0


@register.filter
def bootstrap(bound_field: Any) -> str:
    """Render a form field's widget with Bootstrap's classes, marked invalid when it has errors."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs: dict[str, Any] = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}-errors"
    elif bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}-help"
    return bound_field.as_widget(attrs=attrs)


def object_type_label(object_type: str) -> str:
    """'people.employee' → 'Pegawai': the model's verbose name, or the raw label for unknown types."""
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()


register.filter("object_type_label", object_type_label)
