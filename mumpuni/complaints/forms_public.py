"""The citizen's complaint form and the complainant's rating/dispute forms (public pages, no login).

The form only parses what the browser sends (types, lengths, known choices); the rules that decide whether a
complaint is acceptable (required fields per identity mode, ticket link, kelurahan inside kecamatan,
attachments, rate limits) live in `services/intake.py`, so the web form, Open311 and the desk agree.
Every field is rendered by hand in the template (phone-first layout), so no widgets are configured here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mumpuni.complaints.models import Complaint
from mumpuni.complaints.services.intake import ComplaintInput
from mumpuni.complaints.wilayah import kelurahan_by_kecamatan, kelurahan_index
from mumpuni.people.models import Unit
from mumpuni.queueing.models import PointService, ServicePoint, Ticket

# The invisible field bots fill. Not "website" or "email": browsers and password managers autofill those
# for people, who would then be treated as bots; autofill skips fax fields.
HONEYPOT = "hp_fax"

IDENTITY_HELP: dict[str, Any] = {
    Complaint.Identity.PUBLIC: _(
        "Nama dan kontak Anda terlihat oleh petugas pengaduan dan unit yang menindaklanjuti."
    ),
    Complaint.Identity.CONFIDENTIAL: _(
        "Nama dan kontak Anda hanya terlihat oleh petugas pengaduan kota, tidak oleh unit yang Anda laporkan."
    ),
    Complaint.Identity.ANONYMOUS: _(
        "Kami tidak menyimpan nama maupun kontak Anda; pantau laporan hanya dengan kode lacak."
    ),
}

KIND_HELP: dict[str, Any] = {
    Complaint.Kind.COMPLAINT: _("Layanan tidak sesuai standar, petugas, biaya, atau waktu tunggu."),
    Complaint.Kind.ASPIRATION: _("Saran dan usul untuk memperbaiki layanan."),
    Complaint.Kind.INFORMATION: _("Pertanyaan tentang layanan, persyaratan, atau prosedur."),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to three files in one input (Django's documented pattern); counted and checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def point_choices() -> list[tuple[str, str]]:
    return list(ServicePoint.objects.filter(active=True).order_by("name").values_list("unit__code", "name"))


def point_services() -> dict[str, list[tuple[str, str]]]:
    """Point code → [(service code, name)] of the services it offers (for the dependent select).
    Plain values, not model rows: the standar pelayanan texts are not loaded on every form."""
    offered: dict[str, list[tuple[str, str]]] = {}
    for point, code, name in (
        PointService.objects.filter(active=True, point__active=True, service__active=True)
        .order_by("service__name")
        .values_list("point__unit__code", "service__code", "service__name")
    ):
        offered.setdefault(point, []).append((code, name))
    return offered


def kecamatan_choices() -> list[tuple[str, str]]:
    units = Unit.objects.filter(kind=Unit.Kind.KECAMATAN, active=True).order_by("name")
    return [(u.code, u.name) for u in units]


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(choices=Complaint.Kind.choices, required=False)
    category = forms.ChoiceField(choices=[("", "")] + list(Complaint.Category.choices), required=False)
    point = forms.ChoiceField(required=False)
    service = forms.ChoiceField(required=False)
    ticket_number = forms.CharField(max_length=10, required=False)
    visit_date = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])
    ticket_token = forms.CharField(max_length=40, required=False)
    kecamatan = forms.ChoiceField(required=False)
    kelurahan = forms.ChoiceField(required=False)
    latitude = forms.CharField(max_length=20, required=False)
    longitude = forms.CharField(max_length=20, required=False)
    address = forms.CharField(max_length=255, required=False)
    title = forms.CharField(max_length=150, required=False)
    description = forms.CharField(max_length=4000, required=False)
    attachments = MultipleFileField(required=False)
    identity = forms.ChoiceField(choices=Complaint.Identity.choices, required=False)
    name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(max_length=254, required=False)
    phone = forms.CharField(max_length=20, required=False)
    hp_fax = forms.CharField(required=False)  # honeypot (HONEYPOT): hidden from people and screen readers

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = point_choices()
        self.services_by_point = point_services()
        services: dict[str, str] = {}
        for rows in self.services_by_point.values():
            services.update(dict(rows))
        self.services = sorted(services.items(), key=lambda pair: pair[1])
        self.kecamatans = kecamatan_choices()
        self.kelurahan_groups = kelurahan_by_kecamatan()
        self._choice("point").choices = [("", ""), *self.points]
        self._choice("service").choices = [("", ""), *self.services]
        self._choice("kecamatan").choices = [("", ""), *self.kecamatans]
        self._choice("kelurahan").choices = [("", "")] + [
            (code, name) for code, (_kec, name) in kelurahan_index().items()
        ]
        self.ticket: Ticket | None = None

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def is_spam(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def _coordinate(self, field: str) -> Decimal | None:
        raw = (self.cleaned_data.get(field) or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Koordinat lokasi tidak valid. Tekan lagi “Gunakan lokasi saya”.")
            ) from None
        if not value.is_finite():
            raise forms.ValidationError(_("Koordinat lokasi tidak valid."))
        return value.quantize(Decimal("0.000001"))

    def clean_latitude(self) -> Decimal | None:
        return self._coordinate("latitude")

    def clean_longitude(self) -> Decimal | None:
        return self._coordinate("longitude")

    def clean_ticket_number(self) -> str:
        return (self.cleaned_data.get("ticket_number") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point, service = data.get("point"), data.get("service")
        if point and service and service not in dict(self.services_by_point.get(point, [])):
            self.add_error("service", _("Layanan ini tidak tersedia di tempat layanan yang dipilih."))
        token = data.get("ticket_token") or ""
        if token:
            # The link from the ticket page fills the number; if the citizen changes it, the link no longer holds.
            ticket = (
                Ticket.objects.select_related("point__unit", "service").filter(public_token=token).first()
            )
            if ticket is None or ticket.number != data.get("ticket_number"):
                data["ticket_token"] = ""
            else:
                self.ticket = ticket
        return data

    def to_input(self) -> ComplaintInput:
        """The service's input from whatever parsed; invalid fields become empty."""
        cd = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        anonymous = cd.get("identity") == Complaint.Identity.ANONYMOUS

        def text(key: str) -> str:
            return str(cd.get(key) or "")

        return ComplaintInput(
            kind=text("kind") or Complaint.Kind.COMPLAINT,
            category=text("category"),
            title=text("title"),
            description=text("description"),
            point_code=text("point"),
            service_code=text("service"),
            ticket_number=text("ticket_number"),
            ticket_date=cd.get("visit_date"),
            ticket_token=text("ticket_token"),
            kecamatan_code=text("kecamatan"),
            kelurahan_code=text("kelurahan"),
            latitude=cd.get("latitude"),
            longitude=cd.get("longitude"),
            address_string=text("address"),
            identity=text("identity"),
            name="" if anonymous else text("name"),
            email="" if anonymous else text("email"),
            phone="" if anonymous else text("phone"),
            source=Complaint.Source.WEB,
        )


class TrackLookupForm(forms.Form):
    kode = forms.CharField(max_length=20, required=False)


def normalise_tracking_code(raw: str) -> str:
    """`adu 7k3m9qxp`, `ADU-7K3M-9QXP`, `7K3M-9QXP` → `ADU-7K3M-9QXP` (unchanged if not that shape)."""
    compact = "".join(ch for ch in raw.upper() if ch.isalnum())
    if compact.startswith("ADU") and len(compact) == 11:
        compact = compact[3:]
    if len(compact) == 8:
        return f"ADU-{compact[:4]}-{compact[4:]}"
    return raw.strip().upper()[:20]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={
            "required": _("Pilih nilai 1 sampai 5."),
            "invalid_choice": _("Pilih nilai 1 sampai 5."),
        },
    )
    comment = forms.CharField(max_length=2000, required=False)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        max_length=4000,
        error_messages={"required": _("Tulis alasan sanggahan Anda.")},
    )
