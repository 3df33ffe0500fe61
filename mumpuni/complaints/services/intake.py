"""Receiving a complaint from the public form, Open311 or the desk: validation, rate limits, the link to a
ticket (its counter and officer), routing suggestion, deadlines and the first event — all or nothing.

Order of work for one submission, cheapest first: field checks and attachment count/size/type (no decoding);
the device's attempt is counted (SubmissionAttempt, in the database so all processes share it) and refused
over the limits; only a submission with no field error and within its limits has its attachments decoded.

Ticket links: a ticket named by its public token (the "Adukan layanan ini" link on the ticket page: the
citizen held the ticket) sets the counter and officer; a ticket typed as number + date is only checked to
exist and kept as a link for the desk — numbers are guessable, so nobody can attribute a complaint to an
officer by guessing one. Anonymous complaints keep no ticket (it leads to the booking's name and NIK), no
device hash, coordinates rounded to 3 decimals (~100 m) and neutral attachment names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.common.errors import ApplicationError, ValidationFailed
from mumpuni.complaints.models import Complaint, ComplaintEvent, ComplaintPolicy, SubmissionAttempt
from mumpuni.complaints.services import attachments as attachment_service
from mumpuni.complaints.services.routing import suggest_unit
from mumpuni.complaints.services.workflow import initial_deadlines, record
from mumpuni.people.models import Unit
from mumpuni.queueing.models import Service, ServicePoint, Ticket


class RateLimited(ApplicationError):
    status_code = 429


ATTEMPT_WINDOW = dt.timedelta(hours=1)
# Attempts (refused ones included) a device may make per hour, as a multiple of the complaints it may file:
# room for a citizen correcting mistakes, none for a script making the server decode images all day.
ATTEMPTS_PER_SUBMISSION = 4
ANONYMOUS_PLACES = Decimal("0.001")  # ~100 m: the street, not the house


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
        if data.email.strip():
            try:
                validate_email(data.email.strip())
            except ValidationError:
                errors.setdefault("email", []).append("Alamat email tidak valid.")
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


def client_hash(client_address: str) -> str:
    """The keyed hash of a client address ("" without one); only SubmissionAttempt rows hold it."""
    return _hash("ip:" + client_address) if client_address else ""


def _too_many_from_device() -> RateLimited:
    return RateLimited(
        "Terlalu banyak laporan dari perangkat ini dalam satu jam terakhir. Coba lagi nanti, "
        "atau hubungi kantor layanan."
    )


def check_rate_limits(policy: ComplaintPolicy, client_hash: str, contact_hash: str, now: dt.datetime) -> None:
    """Refuse (RateLimited) a device over its hourly complaints or a contact over its daily ones."""
    if client_hash:
        accepted = SubmissionAttempt.objects.filter(
            client_hash=client_hash, accepted=True, created_at__gt=now - ATTEMPT_WINDOW
        )
        if accepted.count() >= policy.submissions_per_client_per_hour:
            raise _too_many_from_device()
    if contact_hash:
        recent = Complaint.objects.filter(
            contact_hash=contact_hash, received_at__gte=now - dt.timedelta(days=1)
        )
        if recent.count() >= policy.submissions_per_contact_per_day:
            raise RateLimited(
                "Kontak ini sudah mengirim laporan sebanyak batas harian. Laporan Anda yang lain tetap kami proses."
            )


def register_attempt(policy: ComplaintPolicy, client_hash: str, now: dt.datetime) -> SubmissionAttempt | None:
    """Count this attempt for the device, or refuse it (RateLimited) when the device is over its limit.

    Insert first, then count what is in the window: two concurrent attempts each see the other, so a burst
    is refused rather than let through (no lock needed, on SQLite or PostgreSQL). A refused attempt removes
    its own row, so a device that keeps trying is free again an hour after its last counted attempt. Rows
    older than the window are deleted on the way: the table only ever holds the last hour.
    """
    if not client_hash:
        return None
    SubmissionAttempt.objects.filter(created_at__lte=now - ATTEMPT_WINDOW).delete()
    attempt = SubmissionAttempt.objects.create(client_hash=client_hash, created_at=now)
    window = SubmissionAttempt.objects.filter(client_hash=client_hash, created_at__gt=now - ATTEMPT_WINDOW)
    limit = policy.submissions_per_client_per_hour * ATTEMPTS_PER_SUBMISSION
    if window.count() > limit:
        attempt.delete()
        raise _too_many_from_device()
    return attempt


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
    device = client_hash(client_address)
    # Cheap checks of the files (count, size, first bytes) for every request; decoding only after the limits.
    file_errors = attachment_service.quick_check(files, policy.max_attachment_mb) if files else []
    if file_errors:
        errors["attachments"] = file_errors
    attempt = register_attempt(policy, device, now)
    if errors:
        raise ValidationFailed("Periksa kembali isian yang ditandai.", fields=errors)
    check_rate_limits(policy, device, contact_hash, now)
    prepared: list[attachment_service.Prepared] = []
    if files:
        prepared, file_errors = attachment_service.prepare_attachments(files, policy.max_attachment_mb)
        if file_errors:
            raise ValidationFailed(
                "Periksa kembali isian yang ditandai.", fields={"attachments": file_errors}
            )

    ticket = found["ticket"]
    held = ticket is not None and bool(data.ticket_token)  # the citizen opened the ticket's own page
    latitude, longitude = data.latitude, data.longitude
    if anonymous and latitude is not None and longitude is not None:
        latitude = latitude.quantize(ANONYMOUS_PLACES)
        longitude = longitude.quantize(ANONYMOUS_PLACES)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            kind=data.kind,
            category=data.category,
            source=data.source,
            title=data.title.strip(),
            description=data.description.strip(),
            point=found["point"],
            service=found["service"],
            ticket=None if anonymous else ticket,
            counter=ticket.counter if held and ticket else None,
            officer=ticket.officer if held and ticket else None,
            kecamatan=found["kecamatan"],
            kelurahan_code=data.kelurahan_code,
            latitude=latitude,
            longitude=longitude,
            address_string=data.address_string.strip()[:255],
            identity=data.identity,
            name="" if anonymous else data.name.strip()[:150],
            email="" if anonymous else data.email.strip()[:254],
            phone="" if anonymous else data.phone.strip()[:20],
            contact_hash=contact_hash,
            suggested_unit=suggest_unit(data.category, found["service"], found["point"]),
            received_at=now,
            **initial_deadlines(now, policy, work_calendar()),
        )
        if prepared:
            attachment_service.store_prepared(complaint, prepared)
        if attempt is not None:
            SubmissionAttempt.objects.filter(pk=attempt.pk).update(accepted=True)
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
