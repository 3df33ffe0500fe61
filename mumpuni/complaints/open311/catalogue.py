"""The Open311 service list: one GeoReport v2 service per complaint category, with its attributes.

A service's `service_code` is the category value (`waktu_tunggu`). Attributes carry what the public web form
asks beyond the spec's own fields: the kind of report, the service point, the queue service, the ticket
number (which ties the complaint to a counter and officer) and whether the identity is confidential.
Values of list attributes come from the database (active service points and services), so the definition
always matches what intake accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mumpuni.complaints.models import Complaint
from mumpuni.queueing.models import Service, ServicePoint

# GeoReport v2 attribute datatypes.
STRING = "string"
DATETIME = "datetime"
SINGLE = "singlevaluelist"


def _kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Complaint.Kind.choices]


def _identities() -> list[tuple[str, str]]:
    return [
        (Complaint.Identity.PUBLIC.value, _("Terbuka: nama terlihat oleh petugas yang menangani")),
        (Complaint.Identity.CONFIDENTIAL.value, _("Rahasia: nama hanya terlihat oleh petugas pengaduan")),
    ]


def _points() -> list[tuple[str, str]]:
    rows = ServicePoint.objects.filter(active=True).select_related("unit").order_by("unit__code")
    return [(point.unit.code, point.name) for point in rows]


def _queue_services() -> list[tuple[str, str]]:
    return list(Service.objects.filter(active=True).order_by("code").values_list("code", "name"))


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    order: int
    description: Any  # a lazy translation
    datatype_description: Any = ""
    values: Callable[[], list[tuple[str, str]]] | None = None

    def as_dict(self, required: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": required,
            "datatype_description": str(self.datatype_description) or None,
            "order": self.order,
            "description": str(self.description),
        }
        if self.values is not None:
            data["values"] = [{"key": key, "name": name} for key, name in self.values()]
        return data


KIND = Attribute(
    "kind",
    SINGLE,
    1,
    gettext_lazy("Jenis laporan: pengaduan, aspirasi, atau permintaan informasi."),
    values=_kinds,
)
POINT = Attribute(
    "point",
    SINGLE,
    2,
    gettext_lazy("Tempat layanan yang dilaporkan (kantor kecamatan atau Mal Pelayanan Publik)."),
    values=_points,
)
QUEUE_SERVICE = Attribute(
    "service",
    SINGLE,
    3,
    gettext_lazy("Layanan yang diurus saat itu (mis. perekaman KTP-el)."),
    values=_queue_services,
)
TICKET_NUMBER = Attribute(
    "ticket_number",
    STRING,
    4,
    gettext_lazy("Nomor tiket antrean (mis. A-012); mengaitkan laporan dengan loket dan petugasnya."),
    datatype_description=gettext_lazy("Huruf, tanda hubung, tiga angka: A-012. Isi juga atribut point."),
)
TICKET_DATE = Attribute(
    "ticket_date",
    DATETIME,
    5,
    gettext_lazy("Tanggal tiket antrean, bila bukan hari ini."),
    datatype_description=gettext_lazy("Tanggal ISO 8601, mis. 2026-11-27."),
)
IDENTITY = Attribute(
    "identity",
    SINGLE,
    6,
    gettext_lazy(
        "Perlakuan identitas pelapor bila nama dan kontak diisi. Tanpa nama dan kontak laporan selalu anonim."
    ),
    values=_identities,
)


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: Any
    description: Any
    group: Any
    keywords: Any
    # (attribute, required) in display order.
    attributes: tuple[tuple[Attribute, bool], ...] = field(default=())

    @property
    def metadata(self) -> bool:
        return bool(self.attributes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "service_code": self.code,
            "service_name": str(self.name),
            "description": str(self.description),
            "metadata": self.metadata,
            "type": "realtime",
            "keywords": str(self.keywords),
            "group": str(self.group),
        }

    def definition(self) -> dict[str, Any]:
        return {
            "service_code": self.code,
            "attributes": [attribute.as_dict(required) for attribute, required in self.attributes],
        }

    def required_codes(self) -> set[str]:
        return {attribute.code for attribute, required in self.attributes if required}


def _at_a_point(*, point_required: bool) -> tuple[tuple[Attribute, bool], ...]:
    return (
        (KIND, point_required),
        (POINT, point_required),
        (QUEUE_SERVICE, False),
        (TICKET_NUMBER, False),
        (TICKET_DATE, False),
        (IDENTITY, False),
    )


C = Complaint.Category
_GROUP_SERVICE = gettext_lazy("Pelayanan di tempat layanan")
_GROUP_OTHER = gettext_lazy("Lainnya")

SERVICES: dict[str, ServiceSpec] = {
    spec.code: spec
    for spec in (
        ServiceSpec(
            C.WAITING_TIME.value,
            gettext_lazy("Waktu tunggu"),
            gettext_lazy("Antrean terlalu lama, nomor dilewati, atau layanan tidak dimulai tepat waktu."),
            _GROUP_SERVICE,
            gettext_lazy("antrean, menunggu, lama, tiket, loket"),
            _at_a_point(point_required=True),
        ),
        ServiceSpec(
            C.OFFICER_BEHAVIOUR.value,
            gettext_lazy("Perilaku petugas"),
            gettext_lazy("Sikap petugas yang tidak ramah, tidak sopan, atau meminta imbalan."),
            _GROUP_SERVICE,
            gettext_lazy("petugas, sikap, pungli, ramah, sopan"),
            _at_a_point(point_required=True),
        ),
        ServiceSpec(
            C.SERVICE_QUALITY.value,
            gettext_lazy("Kualitas pelayanan"),
            gettext_lazy("Hasil layanan salah, tidak selesai, atau tidak sesuai standar pelayanan."),
            _GROUP_SERVICE,
            gettext_lazy("kualitas, hasil, salah, standar pelayanan"),
            _at_a_point(point_required=False),
        ),
        ServiceSpec(
            C.REQUIREMENTS_FEES.value,
            gettext_lazy("Persyaratan / biaya"),
            gettext_lazy("Persyaratan atau biaya yang tidak sesuai standar pelayanan yang diumumkan."),
            _GROUP_SERVICE,
            gettext_lazy("persyaratan, biaya, tarif, berkas, pungutan"),
            _at_a_point(point_required=False),
        ),
        ServiceSpec(
            C.FACILITIES.value,
            gettext_lazy("Sarana dan prasarana"),
            gettext_lazy("Ruang tunggu, toilet, akses difabel, parkir, atau peralatan layanan yang rusak."),
            _GROUP_SERVICE,
            gettext_lazy("sarana, prasarana, fasilitas, ruang tunggu, difabel"),
            _at_a_point(point_required=False),
        ),
        ServiceSpec(
            C.OTHER.value,
            gettext_lazy("Lainnya"),
            gettext_lazy("Pengaduan, aspirasi, atau permintaan informasi lain tentang pelayanan publik."),
            _GROUP_OTHER,
            gettext_lazy("lainnya, aspirasi, informasi, saran"),
            ((KIND, False), (IDENTITY, False)),
        ),
    )
}


def service_list() -> list[dict[str, Any]]:
    return [spec.as_dict() for spec in SERVICES.values()]


def service_name(code: str) -> str:
    spec = SERVICES.get(code)
    return str(spec.name) if spec else code


def parse_attribute(attribute: Attribute, raw: str) -> tuple[Any, str]:
    """(value, error message) for one submitted attribute; list values must be one of the definition's keys."""
    if attribute.values is not None:
        keys = {key for key, _name in attribute.values()}
        if raw not in keys:
            return None, _("Nilai tidak dikenal; pilih salah satu kunci dari definisi layanan.")
        return raw, ""
    if attribute.datatype == DATETIME:
        day: dt.date | None = None
        try:
            day = parse_date(raw)
            if day is None:
                moment = parse_datetime(raw)
                if moment is not None and timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                day = moment.date() if moment is not None else None
        except ValueError:
            day = None
        if day is None:
            return None, _("Tanggal tidak valid; gunakan format ISO 8601 (TTTT-BB-HH).")
        return day, ""
    if len(raw) > 30:
        return None, _("Paling banyak 30 karakter.")
    return raw, ""
