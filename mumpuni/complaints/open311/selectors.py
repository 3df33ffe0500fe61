"""GET requests: complaints as public GeoReport v2 service requests.

What is public: the tracking code, the status (open/closed), the latest public step's message, the category,
a title derived from category and place (`Complaint.public_title`: never the citizen's own title or
description, which may name people), the responsible unit, the dates, the kelurahan/kecamatan and a position
rounded to 3 decimals (about 100 m).

What is listed: the unfiltered list leaves out complaints not yet verified (spam, or a citizen's words nobody
has read yet) and rejected ones. A lookup by service_request_id (`requests/{id}`, or the
`service_request_id` filter) finds any complaint: a GeoReport client must find its own new request, and
knowing a tracking code already means knowing of the complaint. Never the name, contact, officer,
counter, ticket, attachments, internal notes, the exact address text or the complainant's own words of a
dispute or rating. Only these columns are read (`only()`), so personal fields never leave the database here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from mumpuni.complaints.models import Complaint, ComplaintEvent, ComplaintPolicy
from mumpuni.complaints.open311 import catalogue
from mumpuni.complaints.wilayah import kelurahan_index

MAX_ROWS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
# Statuses a GeoReport client sees as `closed`: the city has given its final word (a dispute reopens it).
CLOSED_STATUSES = (Complaint.Status.ANSWERED, Complaint.Status.CLOSED, Complaint.Status.REJECTED)
UNLISTED_STATUSES = (Complaint.Status.RECEIVED, Complaint.Status.REJECTED)
A = ComplaintEvent.Action
# Public steps written by staff (their messages are meant for the public); disputes and ratings carry the
# complainant's own words and are summarised instead.
STAFF_ACTIONS = (
    A.RECEIVED,
    A.VERIFIED,
    A.REJECTED,
    A.FORWARDED,
    A.IN_PROGRESS,
    A.ANSWERED,
    A.CLOSED,
    A.DISPUTED,
)

PUBLIC_COLUMNS = (
    "tracking_code",
    "status",
    "category",
    "source",
    "title",
    "kelurahan_code",
    "latitude",
    "longitude",
    "received_at",
    "answer_due",
    "assigned_unit__name",
    "kecamatan__name",
    "point__name",
)


def public_requests() -> QuerySet[Complaint]:
    latest = ComplaintEvent.objects.filter(
        complaint=OuterRef("pk"), public=True, action__in=STAFF_ACTIONS
    ).order_by("-at", "-id")
    last_public = ComplaintEvent.objects.filter(complaint=OuterRef("pk"), public=True).order_by("-at", "-id")
    return (
        Complaint.objects.select_related("assigned_unit", "kecamatan", "point")
        .only(*PUBLIC_COLUMNS)
        .annotate(
            note_action=Subquery(latest.values("action")[:1]),
            note_message=Subquery(latest.values("message")[:1]),
            last_public_at=Subquery(last_public.values("at")[:1]),
        )
        .order_by("-received_at", "-id")
    )


def search_requests(
    *,
    ids: list[str] | None = None,
    categories: list[str] | None = None,
    statuses: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[Complaint]:
    """At most MAX_ROWS, newest first. `ids` overrides every other filter (as the spec says)."""
    qs = public_requests()
    if ids is not None:
        return list(qs.filter(tracking_code__in=ids)[:MAX_ROWS])
    qs = qs.exclude(status__in=UNLISTED_STATUSES)
    if categories:
        qs = qs.filter(category__in=categories)
    if statuses and set(statuses) != {"open", "closed"}:
        if "closed" in statuses:
            qs = qs.filter(status__in=CLOSED_STATUSES)
        else:
            qs = qs.exclude(status__in=CLOSED_STATUSES)
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    return list(qs[:MAX_ROWS])


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _end_of_day(day: dt.date | None) -> str | None:
    if day is None:
        return None
    return _iso(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))))


def _rounded(value: Decimal | None) -> float | None:
    return float(round(value, 3)) if value is not None else None


def _address(complaint: Complaint) -> str | None:
    parts = []
    if complaint.kelurahan_code and complaint.kelurahan_code in kelurahan_index():
        parts.append(_("Kelurahan %(name)s") % {"name": kelurahan_index()[complaint.kelurahan_code][1]})
    if complaint.kecamatan is not None:
        parts.append(complaint.kecamatan.name)
    if not parts and complaint.point is not None:
        parts.append(complaint.point.name)
    return ", ".join(parts) or None


def _status_notes(complaint: Complaint) -> str:
    action = getattr(complaint, "note_action", None)
    if action == A.DISPUTED:
        return _("Dibuka kembali atas sanggahan pelapor.")
    message = (getattr(complaint, "note_message", None) or "").strip()
    return message or complaint.get_status_display()


def service_notice(policy: ComplaintPolicy | None = None) -> str:
    policy = policy or ComplaintPolicy.current()
    return _(
        "Laporan diverifikasi paling lambat %(verify)s hari kerja dan dijawab paling lambat %(answer)s hari "
        "kerja sejak diterima."
    ) % {"verify": policy.verify_working_days, "answer": policy.answer_working_days}


def as_service_request(complaint: Complaint, notice: str) -> dict[str, Any]:
    closed = complaint.status in CLOSED_STATUSES
    updated = getattr(complaint, "last_public_at", None) or complaint.received_at
    return {
        "service_request_id": complaint.tracking_code,
        "status": "closed" if closed else "open",
        "status_notes": _status_notes(complaint),
        "service_name": catalogue.service_name(complaint.category),
        "service_code": complaint.category,
        "description": complaint.public_title,
        "agency_responsible": complaint.assigned_unit.name if complaint.assigned_unit else None,
        "service_notice": notice,
        "requested_datetime": _iso(complaint.received_at),
        "updated_datetime": _iso(updated),
        "expected_datetime": _end_of_day(complaint.answer_due),
        "address": _address(complaint),
        "address_id": complaint.kelurahan_code or None,
        "zipcode": None,
        "lat": _rounded(complaint.latitude),
        "long": _rounded(complaint.longitude),
        "media_url": None,
    }
