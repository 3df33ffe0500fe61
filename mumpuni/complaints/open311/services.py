"""POST requests: check the key and every field now (400 with field messages), store the validated fields as an
Open311Submission and let a background task create the complaint through the same intake service as the web
form (GeoReport v2's deferred creation with tokens).

Field names in error messages are the spec's (`lat`, `first_name`, `attribute[point]`), so a partner sees
which of its own parameters to fix. Identity: without a name, e-mail and phone the complaint is anonymous;
with them it is public, or confidential when `attribute[identity]=confidential`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mumpuni.common.errors import ApplicationError
from mumpuni.complaints.models import Complaint, ComplaintPolicy, Open311Submission
from mumpuni.complaints.open311 import catalogue
from mumpuni.complaints.services import intake
from mumpuni.complaints.wilayah import kelurahan_index
from mumpuni.people.auth import authenticate_api_key
from mumpuni.people.models import ApiKey, Role, RoleAssignment
from mumpuni.queueing.models import ServicePoint

logger = logging.getLogger(__name__)

MAX_MEDIA_URL = 500
MEDIA_NOTE = "Tautan media dari pelapor (tidak diunduh)"  # stored with the complaint: always Indonesian
SIX_PLACES = Decimal("0.000001")

# intake's field names -> the GeoReport v2 parameter a partner sent.
PARAMETER_OF = {
    "category": "service_code",
    "title": "description",
    "description": "description",
    "kind": "attribute[kind]",
    "identity": "attribute[identity]",
    "name": "first_name",
    "email": "email",
    "phone": "phone",
    "latitude": "lat",
    "longitude": "long",
    "point": "attribute[point]",
    "service": "attribute[service]",
    "ticket_number": "attribute[ticket_number]",
    "kecamatan": "address_id",
    "kelurahan": "address_id",
}


@dataclass
class Open311Refusal(Exception):
    """A request the spec answers with an error list: 400 bad input, 403 bad key, 429 too many."""

    status: int
    descriptions: list[str] = field(default_factory=list)


def api_key_from(raw: str) -> ApiKey:
    """The active partner key (of an active account) named by `api_key`, or a 403 refusal.

    Only partner systems file complaints: a kiosk or display key sits on a device in a public hall, and
    whoever reads it from the device must not be able to file complaints in the city's name.
    """
    raw = (raw or "").strip()
    if not raw:
        raise Open311Refusal(403, [_("api_key wajib diisi untuk membuat laporan.")])
    user = authenticate_api_key(raw)  # checks revocation and the account; notes the last use
    if user is None:
        raise Open311Refusal(403, [_("api_key tidak valid atau sudah dicabut.")])
    if not RoleAssignment.objects.filter(user=user, role=Role.PARTNER).exists():
        raise Open311Refusal(
            403, [_("api_key ini bukan kunci sistem mitra; hanya mitra yang dapat membuat laporan.")]
        )
    return ApiKey.objects.get(key_hash=ApiKey.hash_key(raw))


def _decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP) if value.is_finite() else None


def _derived_title(spec: catalogue.ServiceSpec, point_code: str, kelurahan_code: str) -> str:
    """A title without the citizen's words: GET requests shows the title as the public description.

    Stored data is in Indonesian whatever language the request came in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _title(spec, point_code, kelurahan_code)


def _title(spec: catalogue.ServiceSpec, point_code: str, kelurahan_code: str) -> str:
    place = ""
    if point_code:
        point = ServicePoint.objects.filter(unit__code=point_code).only("name").first()
        place = point.name if point else ""
    if not place and kelurahan_code in kelurahan_index():
        place = _("Kelurahan %(name)s") % {"name": kelurahan_index()[kelurahan_code][1]}
    title = str(spec.name) if not place else f"{spec.name} — {place}"
    return title[:150]


def complaint_input(payload: dict[str, Any]) -> intake.ComplaintInput:
    """The intake input for a stored payload: used to validate now and to create later, so both agree."""
    description = payload["description"]
    if payload.get("media_url"):
        # Stored as text for the desk, never fetched (no network from the server) and never shown publicly.
        description = (
            f"{description}\n\n{_('Tautan media dari pelapor (tidak diunduh)')}: {payload['media_url']}"
        )
    ticket_date = payload.get("ticket_date")
    return intake.ComplaintInput(
        category=payload["service_code"],
        title=payload["title"],
        description=description,
        kind=payload["kind"],
        point_code=payload.get("point_code", ""),
        service_code=payload.get("queue_service_code", ""),
        ticket_number=payload.get("ticket_number", ""),
        ticket_date=dt.date.fromisoformat(ticket_date) if ticket_date else None,
        kelurahan_code=payload.get("kelurahan_code", ""),
        latitude=Decimal(payload["lat"]) if payload.get("lat") else None,
        longitude=Decimal(payload["long"]) if payload.get("long") else None,
        address_string=payload.get("address_string", ""),
        identity=payload["identity"],
        name=payload.get("name", ""),
        email=payload.get("email", ""),
        phone=payload.get("phone", ""),
        source=Complaint.Source.OPEN311,
    )


def _intake_errors(data: intake.ComplaintInput) -> dict[str, list[str]]:
    """Every field error submit_complaint would raise, without writing anything."""
    return intake.check(data)  # the same validation and lookups as submit_complaint


def parse_request(params: QueryDict) -> dict[str, Any]:
    """The validated payload of a POST requests, or Open311Refusal(400) listing every problem."""
    problems: dict[str, list[str]] = {}

    def problem(name: str, message: str) -> None:
        bucket = problems.setdefault(name, [])
        if message not in bucket:
            bucket.append(message)

    def text(name: str) -> str:
        return (params.get(name) or "").strip()

    code = text("service_code")
    spec = catalogue.SERVICES.get(code)
    if not code:
        problem("service_code", _("Wajib diisi."))
    elif spec is None:
        problem("service_code", _("Layanan tidak dikenal; lihat services.json."))
    if spec is None:
        raise Open311Refusal(400, [f"{name}: {' '.join(msgs)}" for name, msgs in problems.items()])

    attributes: dict[str, Any] = {}
    for attribute, required in spec.attributes:
        name = f"attribute[{attribute.code}]"
        raw = text(name)
        if not raw:
            if required:
                problem(name, _("Wajib diisi (lihat definisi layanan)."))
            continue
        value, error = catalogue.parse_attribute(attribute, raw)
        if error:
            problem(name, error)
        else:
            attributes[attribute.code] = value

    lat_raw, long_raw = text("lat"), text("long")
    lat = _decimal(lat_raw) if lat_raw else None
    long = _decimal(long_raw) if long_raw else None
    if lat_raw and lat is None:
        problem("lat", _("Harus berupa angka."))
    if long_raw and long is None:
        problem("long", _("Harus berupa angka."))
    address_string = text("address_string")[:255]
    address_id = text("address_id")
    if not (lat_raw and long_raw) and not address_string and not address_id:
        problem("lat", _("Isi lokasi: lat dan long, address_string, atau address_id (kode kelurahan)."))

    media_url = text("media_url")
    if media_url:
        try:
            if len(media_url) > MAX_MEDIA_URL:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problem("media_url", _("Harus berupa URL http(s) yang valid, paling banyak 500 karakter."))

    name = " ".join(part for part in (text("first_name"), text("last_name")) if part)
    email, phone = text("email"), text("phone")
    identity = Complaint.Identity.ANONYMOUS.value
    if name or email or phone:
        identity = attributes.get("identity") or Complaint.Identity.PUBLIC.value

    payload: dict[str, Any] = {
        "service_code": code,
        "kind": attributes.get("kind") or Complaint.Kind.COMPLAINT.value,
        "title": _derived_title(spec, attributes.get("point", ""), address_id),
        "description": text("description"),
        "point_code": attributes.get("point", ""),
        "queue_service_code": attributes.get("service", ""),
        "ticket_number": attributes.get("ticket_number", ""),
        "ticket_date": attributes["ticket_date"].isoformat() if attributes.get("ticket_date") else "",
        "kelurahan_code": address_id,
        "lat": str(lat) if lat is not None and long is not None else "",
        "long": str(long) if lat is not None and long is not None else "",
        "address_string": address_string,
        "identity": identity,
        "name": name[:150],
        "email": email,
        "phone": phone,
        "media_url": media_url if "media_url" not in problems else "",
    }
    data = complaint_input(payload)
    for field_name, messages in _intake_errors(data).items():
        for message in messages:
            problem(PARAMETER_OF.get(field_name, field_name), message)
    if problems:
        raise Open311Refusal(400, [f"{name}: {' '.join(msgs)}" for name, msgs in problems.items()])

    if identity != Complaint.Identity.ANONYMOUS:
        contact_hash = intake.contact_hash(email, phone)
        try:
            intake.check_rate_limits(ComplaintPolicy.current(), "", contact_hash, timezone.now())
        except intake.RateLimited as exc:
            raise Open311Refusal(429, [exc.message]) from None
    return payload


KEY_WINDOW = dt.timedelta(hours=1)


def submission_create(
    *, api_key: ApiKey, payload: dict[str, Any], now: dt.datetime | None = None
) -> Open311Submission:
    """Store a validated request and queue its creation (after commit; inline when Celery runs eagerly).

    At most `open311_submissions_per_key_per_hour` per key (Open311Refusal 429): anonymous requests have no
    contact to limit, and a leaked or looping partner must not flood the desk. The key's row is locked while
    counting, so concurrent requests of one key are counted one after the other.
    """
    from mumpuni.complaints.open311.tasks import create_complaint_from_submission

    now = now or timezone.now()
    limit = ComplaintPolicy.current().open311_submissions_per_key_per_hour
    with transaction.atomic():
        ApiKey.objects.select_for_update().filter(pk=api_key.pk).first()
        recent = Open311Submission.objects.filter(api_key=api_key, created_at__gt=now - KEY_WINDOW).count()
        if recent >= limit:
            raise Open311Refusal(
                429,
                [
                    _("Kunci API ini sudah mengirim %(n)s laporan dalam satu jam terakhir; coba lagi nanti.")
                    % {"n": limit}
                ],
            )
        submission = Open311Submission.objects.create(api_key=api_key, payload=payload)
        transaction.on_commit(lambda: _enqueue(create_complaint_from_submission, submission.pk))
    return submission


def _enqueue(task: Any, submission_id: int) -> None:
    """Send the creation task; when the broker cannot take it, the submission stays pending (the client still
    gets its token) and `complete_stale_submissions` creates the complaint on its next run."""
    try:
        task.delay(submission_id)
    except Exception as exc:  # kombu/redis connection errors vary by broker
        logger.warning(
            "open311: submission %s not queued (%s); the stale-submission sweep will create it",
            submission_id,
            type(exc).__name__,
        )


STALE_AFTER = dt.timedelta(minutes=5)
STALE_BATCH = 500


def complete_stale_submissions(*, now: dt.datetime | None = None) -> int:
    """Create the complaints of submissions still pending after STALE_AFTER (their task was lost or never
    sent). Idempotent with the regular task: each submission is completed under its row lock, once."""
    now = now or timezone.now()
    ids = list(
        Open311Submission.objects.filter(
            status=Open311Submission.Status.PENDING, created_at__lt=now - STALE_AFTER
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:STALE_BATCH]
    )
    for submission_id in ids:
        submission_complete(submission_id=submission_id)
    return len(ids)


def _redacted(payload: dict[str, Any]) -> dict[str, Any]:
    # Once the complaint exists (or failed) the submission keeps no personal data: purpose limitation (UU PDP).
    return {key: payload.get(key, "") for key in ("service_code", "kind", "point_code")}


def submission_complete(*, submission_id: int) -> Open311Submission | None:
    """Create the complaint of a pending submission once (a repeated or duplicated task does nothing)."""
    with transaction.atomic():
        submission = Open311Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None or submission.status != Open311Submission.Status.PENDING:
            return submission
        try:
            complaint = intake.submit_complaint(
                complaint_input(submission.payload), now=submission.created_at
            )
        except ApplicationError as exc:  # ValidationFailed, RateLimited: the world changed since the POST
            details = "; ".join(
                f"{PARAMETER_OF.get(name, name)}: {' '.join(messages)}"
                for name, messages in (exc.fields or {}).items()
            )
            submission.status = Open311Submission.Status.FAILED
            submission.error = (f"{exc.message} {details}".strip())[:255]
        else:
            submission.status = Open311Submission.Status.CREATED
            submission.complaint = complaint
        submission.payload = _redacted(submission.payload)
        submission.save(update_fields=["status", "complaint", "error", "payload"])
    return submission
