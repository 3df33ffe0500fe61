"""Receiving a complaint from the public form, Open311 or the desk: validation, rate limits, the link to a
ticket (its counter and officer), routing suggestion, deadlines and the first event — all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.common.errors import ApplicationError, ValidationFailed
from mumpuni.complaints.models import Complaint, ComplaintEvent, ComplaintPolicy
from mumpuni.complaints.services import attachments as attachment_service
from mumpuni.complaints.services.routing import suggest_unit
from mumpuni.complaints.services.workflow import initial_deadlines, record
from mumpuni.people.models import Unit
from mumpuni.queueing.models import Service, ServicePoint, Ticket


class RateLimited(ApplicationError):
    status_code = 429


@dataclass
class ComplaintInput:
    category: str
    title: str
    description: str
    kind: str = Complaint.Kind.COMPLAINT
    point_code: str = ""  # the service point's unit code, e.g. 33.74.10
    service_code: str = ""
    ticket_number: str = ""  # "A-012" at that point on `ticket_date`
    ticket_date: dt.date | None = None
    ticket_token: str = ""  # the public token of the ticket page ("Adukan layanan ini")
    kecamatan_code: str = ""
    kelurahan_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address_string: str = ""
    identity: str = Complaint.Identity.PUBLIC
    name: str = ""
    email: str = ""
    phone: str = ""
    source: str = Complaint.Source.WEB
    errors: dict[str, list[str]] = field(default_factory=dict)


def _hash(value: str) -> str:
    if not value:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def normalise_contact(email: str, phone: str) -> str:
    if email.strip():
        return "e:" + email.strip().lower()
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return "p:" + digits if digits else ""


def _kelurahan_codes() -> dict[str, tuple[str, str]]:
    from mumpuni.complaints.wilayah import kelurahan_index

    return kelurahan_index()


def _resolve(data: ComplaintInput, errors: dict[str, list[str]]) -> dict[str, Any]:
    found: dict[str, Any] = {"point": None, "service": None, "ticket": None, "kecamatan": None}
    if data.point_code:
        point = (
            ServicePoint.objects.select_related("unit")
            .filter(unit__code=data.point_code, active=True)
            .first()
        )
        if point is None:
            errors.setdefault("point", []).append("Tempat layanan tidak dikenal.")
        found["point"] = point
    if data.service_code:
        service = Service.objects.filter(code=data.service_code, active=True).first()
        if service is None:
            errors.setdefault("service", []).append("Layanan tidak dikenal.")
        found["service"] = service
    ticket = None
    if data.ticket_token:
        ticket = (
            Ticket.objects.select_related("point__unit", "service")
            .filter(public_token=data.ticket_token)
            .first()
        )
        if ticket is None:
            errors.setdefault("ticket_number", []).append("Tiket tidak ditemukan.")
    elif data.ticket_number:
        if found["point"] is None:
            errors.setdefault("ticket_number", []).append("Pilih tempat layanan untuk nomor tiket ini.")
        else:
            day = data.ticket_date or timezone.localdate()
            ticket = (
                Ticket.objects.select_related("point__unit", "service")
                .filter(point=found["point"], service_date=day, number=data.ticket_number.strip().upper())
                .first()
            )
            if ticket is None:
                errors.setdefault("ticket_number", []).append(
                    f"Nomor tiket {data.ticket_number} tidak ada di tempat itu pada {day:%d-%m-%Y}."
                )
    if ticket is not None:
        found["ticket"] = ticket
        found["point"] = ticket.point
        found["service"] = found["service"] or ticket.service
    if data.kecamatan_code:
        kec = Unit.objects.filter(code=data.kecamatan_code, kind=Unit.Kind.KECAMATAN).first()
        if kec is None:
            errors.setdefault("kecamatan", []).append("Kecamatan tidak dikenal.")
        found["kecamatan"] = kec
    if data.kelurahan_code:
        index = _kelurahan_codes()
        if data.kelurahan_code not in index:
            errors.setdefault("kelurahan", []).append("Kelurahan tidak dikenal.")
        elif found["kecamatan"] is None:
            found["kecamatan"] = Unit.objects.filter(code=index[data.kelurahan_code][0]).first()
        elif index[data.kelurahan_code][0] != found["kecamatan"].code:
            errors.setdefault("kelurahan", []).append("Kelurahan itu tidak berada di kecamatan yang dipilih.")
    if (
        found["kecamatan"] is None
        and found["point"] is not None
        and found["point"].unit.kind == Unit.Kind.KECAMATAN
    ):
        found["kecamatan"] = found["point"].unit
    return found


def validate(data: ComplaintInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in Complaint.Kind.values:
        errors.setdefault("kind", []).append("Pilih jenis laporan.")
    if data.category not in Complaint.Category.values:
        errors.setdefault("category", []).append("Pilih kategori.")
    if data.identity not in Complaint.Identity.values:
        errors.setdefault("identity", []).append("Pilih cara identitas Anda ditangani.")
    title = data.title.strip()
    if len(title) < 5:
        errors.setdefault("title", []).append("Judul minimal 5 karakter.")
    elif len(title) > 150:
        errors.setdefault("title", []).append("Judul maksimal 150 karakter.")
    desc = data.description.strip()
    if len(desc) < 20:
        errors.setdefault("description", []).append("Uraikan laporan Anda minimal 20 karakter.")
    elif len(desc) > 4000:
        errors.setdefault("description", []).append("Uraian maksimal 4.000 karakter.")
    if data.identity != Complaint.Identity.ANONYMOUS:
        if not data.name.strip():
            errors.setdefault("name", []).append("Isi nama Anda, atau pilih anonim.")
        if not (data.email.strip() or data.phone.strip()):
            errors.setdefault("email", []).append(
                "Isi email atau nomor telepon agar kami dapat menghubungi Anda."
            )
        digits = "".join(ch for ch in data.phone if ch.isdigit())
        if data.phone.strip() and not 9 <= len(digits) <= 15:
            errors.setdefault("phone", []).append("Nomor telepon tidak valid.")
    if (data.latitude is None) != (data.longitude is None):
        errors.setdefault("latitude", []).append("Isi lintang dan bujur bersama-sama.")
    if data.latitude is not None and not Decimal(-90) <= data.latitude <= Decimal(90):
        errors.setdefault("latitude", []).append("Lintang harus antara -90 dan 90.")
    if data.longitude is not None and not Decimal(-180) <= data.longitude <= Decimal(180):
        errors.setdefault("longitude", []).append("Bujur harus antara -180 dan 180.")
    return errors


def check(data: ComplaintInput) -> dict[str, list[str]]:
    """Every field error submit_complaint would raise for these fields, without writing anything."""
    errors = validate(data)
    _resolve(data, errors)
    return errors


def contact_hash(email: str, phone: str) -> str:
    """The keyed hash of a normalised contact used for per-contact rate limits ("" without a contact)."""
    normalised = normalise_contact(email, phone)
    return _hash(normalised) if normalised else ""


def check_rate_limits(policy: ComplaintPolicy, client_hash: str, contact_hash: str, now: dt.datetime) -> None:
    if client_hash:
        recent = Complaint.objects.filter(
            client_hash=client_hash, received_at__gte=now - dt.timedelta(hours=1)
        )
        if recent.count() >= policy.submissions_per_client_per_hour:
            raise RateLimited(
                "Terlalu banyak laporan dari perangkat ini dalam satu jam terakhir. Coba lagi nanti, "
                "atau hubungi kantor layanan."
            )
    if contact_hash:
        recent = Complaint.objects.filter(
            contact_hash=contact_hash, received_at__gte=now - dt.timedelta(days=1)
        )
        if recent.count() >= policy.submissions_per_contact_per_day:
            raise RateLimited(
                "Kontak ini sudah mengirim laporan sebanyak batas harian. Laporan Anda yang lain tetap kami proses."
            )


def submit_complaint(
    data: ComplaintInput,
    *,
    files: Sequence[Any] = (),
    client_address: str = "",
    actor: Any = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Create a complaint, or raise ValidationFailed (field messages) / RateLimited. Nothing half-written."""
    now = now or timezone.now()
    policy = ComplaintPolicy.current()
    errors = validate(data)
    found = _resolve(data, errors)
    anonymous = data.identity == Complaint.Identity.ANONYMOUS
    contact_hash = "" if anonymous else _hash(normalise_contact(data.email, data.phone))
    client_hash = _hash("ip:" + client_address) if client_address else ""
    # Before decoding attachments: a client over its limit costs no image or PDF decoding.
    check_rate_limits(policy, client_hash, contact_hash, now)
    file_errors = attachment_service.check_attachments(files, policy.max_attachment_mb) if files else []
    if file_errors:
        errors["attachments"] = file_errors
    if errors:
        raise ValidationFailed("Periksa kembali isian yang ditandai.", fields=errors)

    ticket = found["ticket"]
    with transaction.atomic():
        complaint = Complaint.objects.create(
            kind=data.kind,
            category=data.category,
            source=data.source,
            title=data.title.strip(),
            description=data.description.strip(),
            point=found["point"],
            service=found["service"],
            ticket=ticket,
            counter=ticket.counter if ticket else None,
            officer=ticket.officer if ticket else None,
            kecamatan=found["kecamatan"],
            kelurahan_code=data.kelurahan_code,
            latitude=data.latitude,
            longitude=data.longitude,
            address_string=data.address_string.strip()[:255],
            identity=data.identity,
            name="" if anonymous else data.name.strip()[:150],
            email="" if anonymous else data.email.strip()[:254],
            phone="" if anonymous else data.phone.strip()[:20],
            contact_hash=contact_hash,
            client_hash=client_hash,
            suggested_unit=suggest_unit(data.category, found["service"], found["point"]),
            received_at=now,
            **initial_deadlines(now, policy, work_calendar()),
        )
        if files:
            attachment_service.store_attachments(complaint, files)
        record(
            complaint,
            ComplaintEvent.Action.RECEIVED,
            actor=actor,
            actor_label=None if actor is not None else "Pelapor",
            to_status=Complaint.Status.RECEIVED,
            message="Laporan diterima.",
            public=True,
            at=now,
        )
    return complaint
