"""Service points: whether a point is open (opening hours, closures, extended hours)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mumpuni.queueing.models import OpeningHours, PointClosure, ServicePoint


def point_is_open(point: ServicePoint, at: dt.datetime | None = None) -> bool:
    """Open if extended past `at`, or `at` falls in the day's opening hours and the day is not closed."""
    at = timezone.localtime(at or timezone.now())
    if not point.active:
        return False
    if point.extended_until and at <= point.extended_until:
        return True
    day = at.date()
    if PointClosure.objects.filter(date=day).filter(point__isnull=True).exists():
        return False
    if PointClosure.objects.filter(date=day, point=point).exists():
        return False
    now = at.time()
    return OpeningHours.objects.filter(
        point=point, weekday=day.weekday(), opens_at__lte=now, closes_at__gt=now
    ).exists()
