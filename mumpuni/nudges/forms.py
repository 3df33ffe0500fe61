"""The preference form: channels per category, muted reminders, quiet hours, digest. Field parsing here;
the rules (phone needed for SMS, digest hour outside quiet hours, …) are the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mumpuni.nudges.models import Category, Channel, NotificationPreference

TIME_ERRORS = {
    "invalid": _("Isi jam dengan format JJ:MM, misalnya 21:00."),
    "required": _("Jam wajib diisi."),
}


# HH:MM whatever the language's time format (Indonesian writes 21.00), as <input type="time"> sends it.
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def channel_field(category: str, channel: str) -> str:
    return f"{channel}_{category}"


class PreferenceForm(forms.Form):
    muted_kinds = forms.MultipleChoiceField(
        label=_("Pengingat yang tidak ingin saya terima"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pengingat yang dimatikan tidak dikirim sama sekali, juga tidak di lonceng notifikasi."),
    )
    quiet_start = forms.TimeField(
        label=_("Jam tenang mulai"), input_formats=["%H:%M"], widget=TIME_WIDGET, error_messages=TIME_ERRORS
    )
    quiet_end = forms.TimeField(
        label=_("Jam tenang selesai"), input_formats=["%H:%M"], widget=TIME_WIDGET, error_messages=TIME_ERRORS
    )
    digest_mode = forms.ChoiceField(
        label=_("Cara kirim surel/SMS"),
        choices=NotificationPreference.DigestMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih cara kirim."),
            "invalid_choice": _("Pilih cara kirim yang tersedia."),
        },
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Jam ringkasan harian"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        error_messages={"invalid_choice": _("Jam ringkasan harus antara 00:00 dan 23:00.")},
    )

    def __init__(self, *args: Any, kinds: dict[str, str], sms_available: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["muted_kinds"].choices = sorted(kinds.items(), key=lambda kv: kv[1])
        self.channel_rows: list[tuple[str, list[str]]] = []
        for category, label in Category.choices:
            names = []
            for channel, channel_label in Channel.choices:
                name = channel_field(category, channel)
                self.fields[name] = forms.BooleanField(
                    label=channel_label,
                    required=False,
                    disabled=channel == Channel.SMS and not sms_available,
                )
                names.append(name)
            self.channel_rows.append((str(label), names))

    def channel_table(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[name] for name in names]) for label, names in self.channel_rows]

    def chosen_channels(self) -> dict[str, list[str]]:
        return {
            category: [c for c in Channel.values if self.cleaned_data.get(channel_field(category, c))]
            for category in Category.values
        }

    @staticmethod
    def initial_for(pref: NotificationPreference) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "muted_kinds": list(pref.muted_kinds or []),
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
            "digest_mode": pref.digest_mode,
            "digest_hour": pref.digest_hour,
        }
        for category in Category.values:
            chosen = pref.channels_for(category)
            for channel in Channel.values:
                initial[channel_field(category, channel)] = channel in chosen
        return initial
