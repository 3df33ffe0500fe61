"""Forms of the catalogue pages: programme filter and edit form, class form (sessions typed one per line)
and the class status form. Forms only parse input; the services decide what is valid."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Program, TrainingClass
from mumpuni.learning.services.catalogue import SessionInput, trainer_users
from mumpuni.people.models import Position

_UPLIFT = re.compile(r"^\s*([A-Za-z0-9._-]+)\s*[=:+]\s*\+?(\d+)\s*$")
_SESSION = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})\s*(.*)$")


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari program"), required=False)
    category = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=[("", _("Semua kategori")), *Program.Category.choices]
    )
    form = forms.ChoiceField(
        label=_("Bentuk"), required=False, choices=[("", _("Semua bentuk")), *Program.Form.choices]
    )
    provider = forms.ChoiceField(
        label=_("Penyelenggara"),
        required=False,
        choices=[("", _("Semua penyelenggara")), *Program.Provider.choices],
    )
    competency = forms.ChoiceField(label=_("Kompetensi"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua kompetensi")),
            *Competency.objects.filter(active=True).order_by("code").values_list("code", "name"),
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ProgramForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=30)
    name = forms.CharField(label=_("Nama program"), max_length=200)
    category = forms.ChoiceField(label=_("Kategori"), choices=Program.Category.choices)
    form = forms.ChoiceField(label=_("Bentuk"), choices=Program.Form.choices)
    description = forms.CharField(
        label=_("Deskripsi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    jp = forms.DecimalField(label=_("JP"), min_value=0.5, max_digits=6, decimal_places=1)
    cost_per_participant = forms.IntegerField(label=_("Biaya per peserta (Rp)"), min_value=0, initial=0)
    provider = forms.ChoiceField(label=_("Penyelenggara"), choices=Program.Provider.choices)
    provider_name = forms.CharField(label=_("Nama penyelenggara"), required=False, max_length=200)
    uplifts = forms.CharField(
        label=_("Kompetensi yang ditingkatkan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu per baris: KODE=kenaikan level, mis. T.PRIMA=2"),
    )
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Prasyarat"), required=False, queryset=Program.objects.none(), widget=forms.SelectMultiple
    )
    target_position_kinds = forms.MultipleChoiceField(
        label=_("Jenis jabatan sasaran"),
        required=False,
        choices=Position.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan bila untuk semua jabatan."),
    )
    front_line_only = forms.BooleanField(label=_("Khusus petugas pelayanan"), required=False)
    cpns_only = forms.BooleanField(
        label=_("Khusus CPNS (masa percobaan)"),
        required=False,
        help_text=_(
            "Mis. Pelatihan Dasar (Latsar): hanya disarankan kepada PNS dalam tahun pertama sejak TMT CPNS."
        ),
    )
    min_attendance_percent = forms.IntegerField(
        label=_("Kehadiran minimal (%)"), min_value=0, max_value=100, initial=90
    )
    min_post_test = forms.DecimalField(
        label=_("Nilai post-test minimal"), required=False, min_value=0, max_value=100, initial=70
    )
    certificate_valid_years = forms.IntegerField(
        label=_("Masa berlaku sertifikat (tahun)"), required=False, min_value=1, max_value=50
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        if program is not None and "initial" not in kwargs:
            kwargs["initial"] = program_initial(program)
        super().__init__(*args, **kwargs)
        qs = Program.objects.order_by("name")
        if program is not None:
            qs = qs.exclude(pk=program.pk)
        self.fields["prerequisites"].queryset = qs  # type: ignore[attr-defined]

    def clean_uplifts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        text = self.cleaned_data.get("uplifts") or ""
        for line in re.split(r"[\n,;]+", text):
            if not line.strip():
                continue
            match = _UPLIFT.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Baris “%(line)s” tidak dikenali; tulis KODE=angka.") % {"line": line.strip()}
                )
            result[match.group(1).upper()] = int(match.group(2))
        return result

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["prerequisites"] = list(data["prerequisites"])
        data["target_position_kinds"] = list(data["target_position_kinds"])
        return data


def program_initial(program: Program) -> dict[str, Any]:
    uplifts = "\n".join(
        f"{pc.competency.code}={pc.uplift}"
        for pc in program.competency_uplifts.select_related("competency").order_by("competency__code")
    )
    return {
        **{
            name: getattr(program, name)
            for name in (
                "code",
                "name",
                "category",
                "form",
                "description",
                "jp",
                "cost_per_participant",
                "provider",
                "provider_name",
                "target_position_kinds",
                "front_line_only",
                "cpns_only",
                "min_attendance_percent",
                "min_post_test",
                "certificate_valid_years",
                "active",
            )
        },
        "uplifts": uplifts,
        "prerequisites": list(program.prerequisites.values_list("pk", flat=True)),
    }


def parse_sessions(text: str) -> list[SessionInput]:
    """'2026-12-01 08:00-12:00 Materi' per line → sessions in the local time zone."""
    sessions: list[SessionInput] = []
    tz = timezone.get_current_timezone()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _SESSION.match(line)
        if not match:
            raise forms.ValidationError(
                _("Baris %(n)d tidak dikenali; tulis TTTT-BB-HH JJ:MM-JJ:MM Materi.") % {"n": number}
            )
        day, start, end, topic = match.groups()
        try:
            date = dt.date.fromisoformat(day)
            start_t = dt.time.fromisoformat(start.replace(".", ":").zfill(5))
            end_t = dt.time.fromisoformat(end.replace(".", ":").zfill(5))
        except ValueError as exc:
            raise forms.ValidationError(
                _("Baris %(n)d: tanggal atau jam tidak valid.") % {"n": number}
            ) from exc
        sessions.append(
            SessionInput(
                starts_at=dt.datetime.combine(date, start_t, tzinfo=tz),
                ends_at=dt.datetime.combine(date, end_t, tzinfo=tz),
                topic=topic.strip(),
            )
        )
    return sessions


def sessions_text(training_class: TrainingClass) -> str:
    return "\n".join(
        f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(s.ends_at):%H:%M} {s.topic}".rstrip()
        for s in training_class.sessions.all()
    )


class ClassForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.filter(active=True))
    code = forms.CharField(label=_("Kode angkatan"), max_length=40)
    name = forms.CharField(label=_("Nama angkatan"), max_length=200)
    starts_on = forms.DateField(
        label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Selesai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    venue = forms.CharField(label=_("Tempat"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Tautan daring"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=1, max_value=10000)
    trainers = forms.ModelMultipleChoiceField(
        label=_("Pelatih"), required=False, queryset=trainer_users().order_by("username")
    )
    sessions = forms.CharField(
        label=_("Sesi"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "2026-12-01 08:00-12:00 Pembukaan dan materi 1"}
        ),
        help_text=_("Satu sesi per baris: TTTT-BB-HH JJ:MM-JJ:MM Materi"),
    )

    def __init__(self, *args: Any, training_class: TrainingClass | None = None, **kwargs: Any) -> None:
        if training_class is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "program": training_class.program_id,
                "code": training_class.code,
                "name": training_class.name,
                "starts_on": training_class.starts_on,
                "ends_on": training_class.ends_on,
                "venue": training_class.venue,
                "online_url": training_class.online_url,
                "capacity": training_class.capacity,
                "trainers": list(training_class.trainers.values_list("pk", flat=True)),
                "sessions": sessions_text(training_class),
            }
        super().__init__(*args, **kwargs)
        self.fields["trainers"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.employee.name} ({u.username})" if hasattr(u, "employee") and u.employee else u.username
        )

    def clean_sessions(self) -> list[SessionInput]:
        return parse_sessions(self.cleaned_data.get("sessions") or "")

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["trainers"] = list(data["trainers"])
        return data


class ClassStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TrainingClass.Status.choices)
    note = forms.CharField(required=False, max_length=255)


class ClassFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari kelas"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *TrainingClass.Status.choices]
    )
    year = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)
