"""Reads of the staff complaint desk: the inbox with its filters, one complaint with its timeline, the
overdue card of the home page. Every read starts from `access.visible_complaints(user)`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from mumpuni.common.errors import NotFoundError
from mumpuni.complaints import access
from mumpuni.complaints.models import AnswerTemplate, Complaint, ComplaintEvent, RoutingRule
from mumpuni.complaints.services.workflow import due_expression, overdue_q
from mumpuni.people.models import Role, Unit
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import ServicePoint

TRACKING_CODE_RE = re.compile(r"^(?:ADU-?)?(?P<a>[A-Z0-9]{4})-?(?P<b>[A-Z0-9]{4})$")


@dataclass(frozen=True)
class InboxFilter:
    status: str = ""
    category: str = ""
    kind: str = ""
    unit: Unit | None = None
    point: ServicePoint | None = None
    overdue: bool = False
    q: str = ""


def can_use_desk(user: Any) -> bool:
    """Who gets the complaint pages at all: the desk, executives (read-only) and unit heads."""
    scope = scope_for(user)
    if scope.user_id is None:
        return False
    return access.is_desk(user) or scope.city_wide or Role.UNIT_HEAD in scope.roles


def inbox(user: Any, filters: InboxFilter, *, today: dt.date | None = None) -> QuerySet[Complaint]:
    """The complaints the user may see, filtered, newest first, with `due` (the current deadline)."""
    today = today or timezone.localdate()
    qs = access.visible_complaints(
        user,
        Complaint.objects.select_related("assigned_unit", "point", "suggested_unit").only(
            "id",
            "tracking_code",
            "title",
            "kind",
            "category",
            "status",
            "identity",
            "received_at",
            "verify_due",
            "followup_due",
            "answer_due",
            "escalated_at",
            "assigned_unit__name",
            "assigned_unit__code",
            "point__name",
            "suggested_unit__name",
        ),
    )
    if filters.status == "open":
        qs = qs.filter(status__in=Complaint.OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.unit is not None:
        qs = qs.filter(assigned_unit__path__startswith=filters.unit.path)
    if filters.point is not None:
        qs = qs.filter(point=filters.point)
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    text = filters.q.strip()
    if text:
        code = TRACKING_CODE_RE.match(text.upper().replace(" ", ""))
        if code and ("-" in text or text.upper().startswith("ADU")):
            # A whole tracking code (with or without "ADU-"): one unique-index lookup.
            qs = qs.filter(tracking_code=f"ADU-{code['a']}-{code['b']}")
        elif code:  # eight letters could be a code typed without dashes, or a word of the title
            qs = qs.filter(Q(tracking_code=f"ADU-{code['a']}-{code['b']}") | Q(title__icontains=text))
        else:
            qs = qs.filter(Q(title__icontains=text) | Q(tracking_code__icontains=text.upper()))
    return qs.annotate(due=due_expression()).order_by("-received_at", "-id")


def complaint_for(user: Any, tracking_code: str) -> Complaint:
    """One complaint with everything its page shows; NotFoundError when the user may not see it."""
    complaint = (
        access.visible_complaints(user)
        .select_related(
            "assigned_unit",
            "suggested_unit",
            "point__unit",
            "service",
            "ticket",
            "counter",
            "officer",
            "kecamatan",
            "duplicate_of",
            "answered_by",
        )
        .prefetch_related(
            "attachments",
            Prefetch(
                "events",
                queryset=ComplaintEvent.objects.select_related("actor", "unit").order_by("at", "id"),
            ),
        )
        .filter(tracking_code=tracking_code.upper())
        .first()
    )
    if complaint is None:
        raise NotFoundError("Pengaduan tidak ditemukan.")
    return complaint


def answer_templates(category: str = "") -> QuerySet[AnswerTemplate]:
    """Active templates for a category (and those for every category), for the answer form."""
    qs = AnswerTemplate.objects.filter(active=True)
    if category:
        qs = qs.filter(Q(category=category) | Q(category=""))
    return qs.order_by("category", "title")


def routing_rules() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.select_related("service", "point", "unit").order_by(
        "category", "point__name", "service__name", "id"
    )


@dataclass(frozen=True)
class OverdueCard:
    count: int
    items: Sequence[Complaint]


def overdue_for(user: Any, *, limit: int = 5, today: dt.date | None = None) -> OverdueCard | None:
    """The home-page card "Pengaduan lewat batas": for the desk and unit heads (None for everyone else,
    executives included — they read the figures page)."""
    scope = scope_for(user)
    if scope.user_id is None or not (access.is_desk(user) or Role.UNIT_HEAD in scope.roles):
        return None
    today = today or timezone.localdate()
    qs = (
        access.visible_complaints(user)
        .filter(overdue_q(today))
        .select_related("assigned_unit")
        .annotate(due=due_expression())
    )
    items = list(qs.order_by("received_at", "id")[:limit])  # oldest first: walks the received_at index
    count = len(items) if len(items) < limit else qs.count()
    return OverdueCard(count=count, items=items)
