"""Service points: whether a point is open (opening hours; closed days: its own and every point's
PointClosure rows, national holidays and cuti bersama from common.calendar; opening outside hours overrides
them all), and the audited writes of a point's set-up — services offered and quotas, counters and their
services, shifts, opening outside hours, closed days.

Who may change a point: BKPP (scope.city_manager) and the head of the point's unit (a unit_head whose subtree
holds the point's unit). Everyone else is refused with PermissionDeniedError; actor=None is the system.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from mumpuni.common.audit import audit_entry, diff, snapshot
from mumpuni.common.calendar import holiday_name
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.people.models import Employee
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import (
    Counter,
    CounterShift,
    OpeningHours,
    PointClosure,
    PointService,
    Service,
    ServicePoint,
)

# A point is opened outside its hours for at most half a day at a time (a jemput bola event, a long Saturday).
MAX_EXTENSION_MINUTES = 12 * 60
NOT_ALLOWED = "Anda tidak berwenang mengubah tempat pelayanan ini."


def audit(
    *,
    actor: Any,
    verb: str,
    instance: Any,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
) -> AuditEntry:
    """An audit entry: AuditEntry.action is one of create/update/delete (16 characters at most), so the
    queueing verb (booking_check_in, point_open_extend, …) goes first in the note."""
    if verb.endswith(("_create", "_add", "_install")):
        action = AuditEntry.ACTION_CREATE
    elif verb.endswith("_delete"):
        action = AuditEntry.ACTION_DELETE
    else:
        action = AuditEntry.ACTION_UPDATE
    return audit_entry(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        note=f"queueing.{verb} {note}".strip(),
    )


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def closure_reason(point: ServicePoint, day: dt.date, *, language: str | None = None) -> str | None:
    """Why the point is closed all day on `day`, or None: a closure of this point or of every point (one
    query), else a national holiday or a configured cuti bersama (from memory: common.calendar caches them).
    Opening outside hours (point_open_extend) still opens a point on such a day."""
    reason = (
        PointClosure.objects.filter(Q(point__isnull=True) | Q(point=point), date=day)
        .order_by(F("point_id").asc(nulls_last=True))  # the point's own reason before the city-wide one
        .values_list("reason", flat=True)
        .first()
    )
    return reason if reason is not None else holiday_name(day, language=language)


def is_closed_on(point: ServicePoint, day: dt.date) -> bool:
    return closure_reason(point, day) is not None


def opening_windows(point: ServicePoint, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """The day's regular opening windows (a Friday has two: before and after Friday prayers); none if closed."""
    if not point.active or is_closed_on(point, day):
        return []
    return list(
        OpeningHours.objects.filter(point=point, weekday=day.weekday())
        .order_by("opens_at")
        .values_list("opens_at", "closes_at")
    )


def point_is_open(point: ServicePoint, at: dt.datetime | None = None) -> bool:
    """Open if extended past `at`, or `at` falls in the day's opening hours and the day is not closed
    (closures, national holidays, cuti bersama). Hot path of ticket issue: two queries, holidays in memory."""
    at = timezone.localtime(at or timezone.now())
    if not point.active:
        return False
    if point.extended_until and at <= point.extended_until:
        return True
    if holiday_name(at.date()) is not None:
        return False  # no query at all on a holiday
    now = at.time()
    return any(opens <= now < closes for opens, closes in opening_windows(point, at.date()))


def closed_notice(point: ServicePoint, at: dt.datetime | None = None) -> str | None:
    """What a closed point's pages say ("Tutup: Hari Raya Idul Fitri"), None when open or merely outside
    today's hours with no closure."""
    at = timezone.localtime(at or timezone.now())
    if not point.active:
        return gettext("Tutup: tempat pelayanan tidak aktif")
    if point.extended_until and at <= point.extended_until:
        return None
    reason = closure_reason(point, at.date(), language=get_language())
    return gettext("Tutup: {reason}").format(reason=reason) if reason else None


def closed_days(
    point: ServicePoint, first: dt.date, last: dt.date, *, language: str | None = None
) -> list[tuple[dt.date, str]]:
    """Closed days from `first` to `last` with their reasons: the point's and every point's closures (one
    query), national holidays and cuti bersama. Days merely outside opening hours are not listed."""
    reasons: dict[dt.date, str] = {}
    day = first
    while day <= last:
        name = holiday_name(day, language=language)
        if name:
            reasons[day] = name
        day += dt.timedelta(days=1)
    for date, reason, point_id in (
        PointClosure.objects.filter(Q(point__isnull=True) | Q(point=point), date__gte=first, date__lte=last)
        .order_by("date", "point_id")
        .values_list("date", "reason", "point_id")
    ):
        if point_id is not None or date not in reasons:
            reasons[date] = reason
    return sorted(reasons.items())


def points_open(points: Iterable[ServicePoint], at: dt.datetime | None = None) -> dict[int, bool]:
    """point_is_open for many points in two queries (list pages): {point id: open}."""
    at = timezone.localtime(at or timezone.now())
    points = list(points)
    day, now = at.date(), at.time()
    holiday = holiday_name(day) is not None
    closed_for = set(
        PointClosure.objects.filter(date=day)
        .filter(Q(point__isnull=True) | Q(point__in=points))
        .values_list("point_id", flat=True)
    )
    open_ids = set(
        OpeningHours.objects.filter(
            point__in=points, weekday=day.weekday(), opens_at__lte=now, closes_at__gt=now
        ).values_list("point_id", flat=True)
    )
    result = {}
    for point in points:
        if not point.active:
            result[point.pk] = False
        elif point.extended_until and at <= point.extended_until:
            result[point.pk] = True
        else:
            result[point.pk] = (
                not holiday and None not in closed_for and point.pk not in closed_for and point.pk in open_ids
            )
    return result


def can_manage_point(user: Any, point: ServicePoint) -> bool:
    if user is None:
        return True  # the system (management commands, seeding)
    scope = scope_for(user)
    return scope.city_manager or any(point.unit.path.startswith(p) for p in scope.manage_unit_paths)


def _require_manager(actor: Any, point: ServicePoint) -> None:
    if not can_manage_point(actor, point):
        raise PermissionDeniedError(NOT_ALLOWED)


@transaction.atomic
def point_open_extend(
    *, point: ServicePoint, minutes: int, actor: Any, at: dt.datetime | None = None
) -> dt.datetime:
    """Open the point from `at` for `minutes` (outside its hours too); returns the new extended_until."""
    _require_manager(actor, point)
    if not isinstance(minutes, int) or minutes <= 0:
        raise _invalid("minutes", "Lama buka tambahan harus lebih dari 0 menit.")
    if minutes > MAX_EXTENSION_MINUTES:
        raise _invalid("minutes", f"Lama buka tambahan paling lama {MAX_EXTENSION_MINUTES} menit.")
    at = at or timezone.now()
    point = ServicePoint.objects.select_for_update().get(pk=point.pk)
    before = snapshot(point, ["extended_until"])
    point.extended_until = at + dt.timedelta(minutes=minutes)
    point.save(update_fields=["extended_until", "updated_at"])
    audit(
        actor=actor,
        verb="point_open_extend",
        instance=point,
        changes=diff(before, snapshot(point, ["extended_until"])),
        note=f"buka tambahan {minutes} menit",
    )
    return point.extended_until


@transaction.atomic
def point_service_update(
    *,
    point_service: PointService,
    actor: Any,
    daily_quota: int | None,
    booking_quota: int | None,
    active: bool,
) -> PointService:
    """Quotas (empty = no limit) and whether the point offers the service."""
    _require_manager(actor, point_service.point)
    errors: dict[str, list[str]] = {}
    for name, value in (("daily_quota", daily_quota), ("booking_quota", booking_quota)):
        if value is not None and value < 0:
            errors[name] = ["Kuota tidak boleh negatif."]
    if daily_quota is not None and booking_quota is not None and booking_quota > daily_quota:
        errors["booking_quota"] = ["Kuota booking tidak boleh melebihi kuota harian."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    fields = ["daily_quota", "booking_quota", "active"]
    before = snapshot(point_service, fields)
    point_service.daily_quota = daily_quota
    point_service.booking_quota = booking_quota
    point_service.active = active
    point_service.full_clean()
    point_service.save(update_fields=fields)
    audit(
        actor=actor,
        verb="point_service_update",
        instance=point_service,
        changes=diff(before, snapshot(point_service, fields)),
    )
    return point_service


@transaction.atomic
def point_service_add(
    *, point: ServicePoint, service: Service, actor: Any, daily_quota: int | None = None
) -> PointService:
    _require_manager(actor, point)
    row, created = PointService.objects.get_or_create(
        point=point, service=service, defaults={"daily_quota": daily_quota}
    )
    if not created and not row.active:
        row.active = True
        row.save(update_fields=["active"])
    audit(actor=actor, verb="point_service_add", instance=row, note=service.code)
    return row


@transaction.atomic
def counter_set_services(*, counter: Counter, services: Iterable[Service], actor: Any) -> Counter:
    """The services a counter serves: only services its point offers."""
    _require_manager(actor, counter.point)
    chosen = list(services)
    offered = set(
        PointService.objects.filter(point=counter.point, active=True).values_list("service_id", flat=True)
    )
    stray = [s.name for s in chosen if s.pk not in offered]
    if stray:
        raise _invalid("services", f"Layanan tidak tersedia di tempat ini: {', '.join(stray)}.")
    before = sorted(counter.services.values_list("code", flat=True))
    counter.services.set(chosen)
    after = sorted(s.code for s in chosen)
    audit(
        actor=actor,
        verb="counter_set_services",
        instance=counter,
        changes={"services": [before, after]} if before != after else {},
    )
    return counter


@transaction.atomic
def counter_create(*, point: ServicePoint, number: int, actor: Any, name: str = "") -> Counter:
    _require_manager(actor, point)
    if Counter.objects.filter(point=point, number=number).exists():
        raise _invalid("number", f"Loket {number} sudah ada.")
    counter = Counter(point=point, number=number, name=name or f"Loket {number}")
    counter.full_clean()
    counter.save()
    audit(actor=actor, verb="counter_create", instance=counter)
    return counter


def _officer_allowed(point: ServicePoint, officer: Employee) -> bool:
    """An officer works at the point's unit or below it (a kelurahan), or is posted there (the MPP)."""
    return officer.active and officer.unit.path.startswith(point.unit.path)


@transaction.atomic
def shift_create(
    *,
    counter: Counter,
    officer: Employee,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    actor: Any,
) -> CounterShift:
    _require_manager(actor, counter.point)
    errors: dict[str, list[str]] = {}
    if not _officer_allowed(counter.point, officer):
        errors["officer"] = ["Petugas harus pegawai aktif di unit tempat pelayanan ini."]
    if ends_at <= starts_at:
        errors["ends_at"] = ["Jam selesai harus setelah jam mulai."]
    elif (
        CounterShift.objects.filter(officer=officer, date=date, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(counter=counter, starts_at=starts_at)
        .exists()
    ):
        errors["officer"] = ["Petugas ini sudah bertugas pada jam tersebut."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    shift = CounterShift(counter=counter, officer=officer, date=date, starts_at=starts_at, ends_at=ends_at)
    shift.full_clean()
    shift.save()
    audit(
        actor=actor,
        verb="shift_create",
        instance=shift,
        note=f"{counter.name} {date:%Y-%m-%d} {starts_at:%H:%M}-{ends_at:%H:%M}",
    )
    return shift


@transaction.atomic
def shift_delete(*, shift: CounterShift, actor: Any) -> None:
    _require_manager(actor, shift.counter.point)
    audit(actor=actor, verb="shift_delete", instance=shift, note=str(shift))
    shift.delete()


@transaction.atomic
def opening_hours_set(
    *, point: ServicePoint, weekday: int, windows: list[tuple[dt.time, dt.time]], actor: Any
) -> list[OpeningHours]:
    """Replace one weekday's opening windows (empty list: closed that day). Windows must not overlap."""
    _require_manager(actor, point)
    if not 0 <= weekday <= 6:
        raise _invalid("weekday", "Hari tidak valid.")
    ordered = sorted(windows)
    for opens, closes in ordered:
        if closes <= opens:
            raise _invalid("windows", "Jam tutup harus setelah jam buka.")
    for (_, first_close), (second_open, _) in zip(ordered, ordered[1:], strict=False):
        if second_open < first_close:
            raise _invalid("windows", "Jam buka tidak boleh tumpang tindih.")
    before = [
        f"{o:%H:%M}-{c:%H:%M}"
        for o, c in point.opening_hours.filter(weekday=weekday).values_list("opens_at", "closes_at")
    ]
    OpeningHours.objects.filter(point=point, weekday=weekday).delete()
    rows = OpeningHours.objects.bulk_create(
        OpeningHours(point=point, weekday=weekday, opens_at=o, closes_at=c) for o, c in ordered
    )
    after = [f"{o:%H:%M}-{c:%H:%M}" for o, c in ordered]
    audit(
        actor=actor,
        verb="opening_hours_set",
        instance=point,
        changes={f"hari_{weekday}": [before, after]} if before != after else {},
    )
    return rows


# --- closures (hari tutup) -------------------------------------------------------------------------

CLOSURE_PAST = "Hari tutup yang sudah lewat tidak dapat diubah atau dihapus; ia bagian dari riwayat layanan."


def can_manage_closure(user: Any, closure: PointClosure) -> bool:
    """A point's own closure: its managers; a closure of every point (point empty): BKPP only."""
    if closure.point is None:
        return user is None or scope_for(user).city_manager
    return can_manage_point(user, closure.point)


def _clean_closure(
    *, point: ServicePoint | None, date: Any, reason: str, today: dt.date, exclude_pk: int | None = None
) -> tuple[dt.date, str]:
    errors: dict[str, list[str]] = {}
    reason = " ".join((reason or "").split())
    if not isinstance(date, dt.date):
        errors["date"] = ["Tanggal wajib diisi."]
    elif date < today:
        errors["date"] = ["Tanggal tidak boleh sebelum hari ini."]
    elif PointClosure.objects.filter(point=point, date=date).exclude(pk=exclude_pk or 0).exists():
        errors["date"] = [f"Sudah ada hari tutup pada {date:%d-%m-%Y}."]
    if not reason:
        errors["reason"] = ["Keterangan wajib diisi (mis. Rapat kerja, Pemadaman listrik)."]
    elif len(reason) > 150:
        errors["reason"] = ["Keterangan paling panjang 150 karakter."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return date, reason


def _save_closure(closure: PointClosure, update_fields: list[str] | None = None) -> None:
    """Save under a savepoint: two heads adding the same day at once meet the unique constraint, and the
    loser gets the same field error as the check above rather than a server error."""
    try:
        with transaction.atomic():
            closure.save(update_fields=update_fields)
    except IntegrityError:
        message = f"Sudah ada hari tutup pada {closure.date:%d-%m-%Y}."
        raise ValidationFailed(message, fields={"date": [message]}) from None


@transaction.atomic
def closure_create(
    *, point: ServicePoint, date: dt.date | None, reason: str, actor: Any, today: dt.date | None = None
) -> PointClosure:
    """Close the point for a whole day (from today on). Bookings of that day are left as they are: the
    no-show task cancels them after the day (tasks.mark_booking_no_shows)."""
    _require_manager(actor, point)
    day, reason = _clean_closure(point=point, date=date, reason=reason, today=today or timezone.localdate())
    closure = PointClosure(point=point, date=day, reason=reason)
    closure.full_clean(validate_constraints=False)  # checked above; the constraint still holds in the DB
    _save_closure(closure)
    audit(actor=actor, verb="closure_create", instance=closure, note=f"{point.code} {day:%Y-%m-%d} {reason}")
    return closure


@transaction.atomic
def closure_update(
    *, closure: PointClosure, date: dt.date | None, reason: str, actor: Any, today: dt.date | None = None
) -> PointClosure:
    today = today or timezone.localdate()
    if not can_manage_closure(actor, closure):
        raise PermissionDeniedError(NOT_ALLOWED)
    closure = PointClosure.objects.select_for_update().get(pk=closure.pk)
    if closure.date < today:
        raise ValidationFailed(CLOSURE_PAST, fields={"date": [CLOSURE_PAST]})
    day, reason = _clean_closure(
        point=closure.point, date=date, reason=reason, today=today, exclude_pk=closure.pk
    )
    fields = ["date", "reason"]
    before = snapshot(closure, fields)
    closure.date, closure.reason = day, reason
    closure.full_clean(validate_constraints=False)
    _save_closure(closure, update_fields=fields)
    audit(
        actor=actor, verb="closure_update", instance=closure, changes=diff(before, snapshot(closure, fields))
    )
    return closure


@transaction.atomic
def closure_delete(*, closure: PointClosure, actor: Any, today: dt.date | None = None) -> None:
    if not can_manage_closure(actor, closure):
        raise PermissionDeniedError(NOT_ALLOWED)
    if closure.date < (today or timezone.localdate()):
        raise ValidationFailed(CLOSURE_PAST, fields={"date": [CLOSURE_PAST]})
    audit(
        actor=actor, verb="closure_delete", instance=closure, note=f"{closure.date:%Y-%m-%d} {closure.reason}"
    )
    closure.delete()
