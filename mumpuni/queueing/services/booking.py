"""Online booking of a time slot: free slots, create (under a lock), cancel, and check-in at the point.

Slots lie within the day's opening hours, `point.booking_slot_minutes` long, on days that are not closed.
Each slot takes as many bookings as the point has active counters serving the service (at least one), and a
day takes at most the service's `booking_quota` at that point (empty: only the slots limit it). The NIK,
where the service asks for it, is validated and stored; it is only ever shown masked (lib.nik.mask_nik).
Check-in creates the ticket through tickets.ticket_issue with queue_at = the slot start, so the booking goes
ahead of walk-ins who came after its slot began.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from mumpuni.common.errors import ApplicationError, NotFoundError, ValidationFailed
from mumpuni.lib.nik import NikError, validate_nik
from mumpuni.queueing.models import (
    Booking,
    Counter,
    OpeningHours,
    PointService,
    Service,
    ServicePoint,
    Ticket,
)
from mumpuni.queueing.services.points import audit, closed_days, closure_reason, opening_windows

BOOKING_DAYS_AHEAD = 14
ACTIVE_STATUSES = (Booking.Status.BOOKED, Booking.Status.CHECKED_IN)
# Unambiguous characters for codes read aloud or typed at a kiosk (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# A citizen may check in from an hour before the slot until the slot ends.
CHECK_IN_EARLY = dt.timedelta(hours=1)
# Check-in closes when the slot ends; a booking still unchecked this long after that did not come (the grace
# keeps the periodic task off a citizen who is checking in at the last minute).
NO_SHOW_GRACE = dt.timedelta(minutes=30)
# Booking creation per client (IP): enough for a family, not for a bot hoarding slots.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600


class BookingRefused(ApplicationError):
    status_code = 409


class RateLimited(ApplicationError):
    status_code = 429


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    free: int


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:CODE_LENGTH]


def booking_services(point: ServicePoint) -> list[PointService]:
    """The services a citizen can book at the point (active, offered, booking not switched off by quota 0)."""
    rows = (
        PointService.objects.filter(point=point, active=True, service__active=True)
        .exclude(booking_quota=0)
        .select_related("service")
        .order_by("service__group_letter", "service__name")
    )
    return list(rows)


def booking_days(point: ServicePoint, now: dt.datetime | None = None) -> list[dt.date]:
    """Days from today on which the point opens, up to BOOKING_DAYS_AHEAD ahead: not its closures, national
    holidays or cuti bersama, nor weekdays without opening hours (two queries)."""
    if not point.active:
        return []
    today = timezone.localdate(now or timezone.now())
    last = today + dt.timedelta(days=BOOKING_DAYS_AHEAD)
    closed = {day for day, _ in closed_days(point, today, last)}
    weekdays = set(OpeningHours.objects.filter(point=point).values_list("weekday", flat=True))
    days = [today + dt.timedelta(days=i) for i in range(BOOKING_DAYS_AHEAD + 1)]
    return [d for d in days if d.weekday() in weekdays and d not in closed]


def _slot_capacity(point: ServicePoint, service: Service) -> int:
    counters = Counter.objects.filter(point=point, services=service, active=True).count()
    return max(counters, 1)


def _taken(point: ServicePoint, service: Service, day: dt.date) -> dict[dt.datetime, int]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    taken: dict[dt.datetime, int] = {}
    for slot_start in Booking.objects.filter(
        point=point,
        service=service,
        slot_start__gte=start,
        slot_start__lt=start + dt.timedelta(days=1),
        status__in=ACTIVE_STATUSES,
    ).values_list("slot_start", flat=True):
        taken[slot_start] = taken.get(slot_start, 0) + 1
    return taken


def available_slots(
    *, point: ServicePoint, service: Service, day: dt.date, now: dt.datetime | None = None
) -> list[Slot]:
    """Every slot of the day with its free places; past slots and a full day show none free."""
    now = now or timezone.now()
    point_service = PointService.objects.filter(point=point, service=service, active=True).first()
    if point_service is None or point_service.booking_quota == 0:
        return []
    length = dt.timedelta(minutes=max(point.booking_slot_minutes, 5))
    capacity = _slot_capacity(point, service)
    taken = _taken(point, service, day)
    day_left = None
    if point_service.booking_quota is not None:
        day_left = max(point_service.booking_quota - sum(taken.values()), 0)
    slots = []
    for opens, closes in opening_windows(point, day):
        start = timezone.make_aware(dt.datetime.combine(day, opens))
        window_end = timezone.make_aware(dt.datetime.combine(day, closes))
        while start + length <= window_end:
            free = max(capacity - taken.get(start, 0), 0)
            if start <= now:
                free = 0
            if day_left is not None:
                free = min(free, day_left)
            slots.append(Slot(start=start, end=start + length, free=free))
            start += length
    return slots


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Booking.objects.filter(code=code).exists():
            return code


def rate_limit_hit(client: str) -> bool:
    """Count one booking attempt of `client`; True when it is over the limit (the attempt must be refused)."""
    key = f"queueing:booking-rate:{client}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > RATE_LIMIT


@transaction.atomic
def booking_create(
    *,
    point: ServicePoint,
    service: Service,
    slot_start: dt.datetime,
    name: str = "",
    phone: str = "",
    nik: str = "",
    now: dt.datetime | None = None,
    client: str | None = None,
) -> Booking:
    """Book `slot_start`; refuses a full or past slot, a day beyond the horizon and a missing/invalid NIK."""
    now = now or timezone.now()
    if client is not None and rate_limit_hit(client):
        raise RateLimited(
            "Terlalu banyak booking dari perangkat ini. Silakan coba lagi dalam satu jam, atau ambil "
            "antrean langsung di kios."
        )
    # The point-service row is the lock: two citizens cannot both take the last place of a slot or a day.
    point_service = (
        PointService.objects.select_for_update()
        .filter(point=point, service=service, active=True, service__active=True)
        .first()
    )
    if point_service is None:
        raise ValidationFailed(
            "Layanan ini tidak dapat dipesan di tempat ini.", fields={"service": ["Tidak tersedia."]}
        )
    nik_value = ""
    if service.booking_needs_nik:
        try:
            nik_value = validate_nik(nik)
        except NikError as exc:
            message = str(exc) if nik.strip() else "NIK wajib diisi untuk layanan ini."
            raise ValidationFailed(message, fields={"nik": [message]}) from None
    phone = phone.strip()
    if phone and not all(ch.isdigit() or ch in "+- " for ch in phone):
        raise ValidationFailed(
            "Nomor telepon tidak valid.", fields={"phone": ["Hanya angka, +, - dan spasi."]}
        )
    slot_start = timezone.localtime(slot_start)
    day = slot_start.date()
    last_day = timezone.localdate(now) + dt.timedelta(days=BOOKING_DAYS_AHEAD)
    if day > last_day:
        raise BookingRefused(f"Booking hanya dapat dilakukan paling lama {BOOKING_DAYS_AHEAD} hari ke depan.")
    slot = next(
        (s for s in available_slots(point=point, service=service, day=day, now=now) if s.start == slot_start),
        None,
    )
    if slot is None:
        raise BookingRefused("Slot tersebut tidak tersedia (di luar jam layanan atau hari libur).")
    if slot.free <= 0:
        raise BookingRefused("Slot tersebut sudah penuh atau sudah lewat; silakan pilih slot lain.")
    booking = Booking(
        point=point,
        service=service,
        slot_start=slot_start,
        code=_new_code(),
        name=name.strip()[:150],
        phone=phone[:20],
        nik=nik_value,
    )
    booking.full_clean()
    booking.save()
    audit(actor=None, verb="booking_create", instance=booking, note=f"{point.code} {service.code}")
    return booking


def booking_by_code(code: str) -> Booking:
    booking = (
        Booking.objects.select_related("point__unit", "service").filter(code=normalise_code(code)).first()
    )
    if booking is None:
        raise NotFoundError(
            "Kode booking tidak ditemukan.", fields={"code": ["Kode booking tidak ditemukan."]}
        )
    return booking


@transaction.atomic
def booking_cancel(*, code: str, at: dt.datetime | None = None) -> Booking:
    """Cancel a booking by its code, before its slot begins."""
    at = at or timezone.now()
    found = booking_by_code(code)
    booking = Booking.objects.select_for_update().get(pk=found.pk)
    if booking.status != Booking.Status.BOOKED:
        raise BookingRefused(f"Booking ini tidak dapat dibatalkan (status: {booking.get_status_display()}).")
    if booking.slot_start <= at:
        raise BookingRefused("Slot booking ini sudah dimulai; pembatalan tidak dapat dilakukan lagi.")
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    audit(
        actor=None,
        verb="booking_cancel",
        instance=booking,
        changes={"status": [Booking.Status.BOOKED, Booking.Status.CANCELLED]},
    )
    return booking


@transaction.atomic
def booking_check_in(*, booking: Booking, at: dt.datetime | None = None, actor: Any = None) -> Ticket:
    """Check a booking in at its point (kiosk "Saya sudah booking"): issues its ticket, placed at its slot."""
    from mumpuni.queueing.services.tickets import ticket_issue  # the tickets module imports points, not us

    at = at or timezone.now()
    booking = Booking.objects.select_for_update().select_related("point__unit", "service").get(pk=booking.pk)
    if booking.status == Booking.Status.CHECKED_IN:
        raise BookingRefused("Booking ini sudah check-in; lihat tiket Anda.")
    if booking.status != Booking.Status.BOOKED:
        raise BookingRefused(f"Booking ini tidak berlaku (status: {booking.get_status_display()}).")
    slot_end = booking.slot_start + dt.timedelta(minutes=booking.point.booking_slot_minutes)
    if at < booking.slot_start - CHECK_IN_EARLY:
        local = timezone.localtime(booking.slot_start)
        raise BookingRefused(
            f"Check-in dibuka satu jam sebelum slot Anda ({local:%d-%m-%Y %H:%M}). Silakan kembali nanti."
        )
    if at > slot_end:
        raise BookingRefused("Slot booking Anda sudah lewat. Silakan ambil nomor antrean biasa di kios.")
    ticket = ticket_issue(
        point=booking.point,
        service=booking.service,
        source=Ticket.Source.BOOKING,
        booking=booking,
        queue_at=booking.slot_start,
        at=at,
        actor=actor,
    )
    booking.status = Booking.Status.CHECKED_IN
    booking.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        verb="booking_check_in",
        instance=booking,
        changes={"status": [Booking.Status.BOOKED, Booking.Status.CHECKED_IN]},
        note=ticket.number,
    )
    return ticket


def booking_mark_no_shows(*, now: dt.datetime | None = None, limit: int = 5000) -> dict[str, int]:
    """Close the bookings whose slot ended NO_SHOW_GRACE ago without a check-in (the periodic task).

    Such a booking becomes no_show — or cancelled when the point turned out closed that day (a closure
    added after it was booked): the citizen could not have come. Either way it stops holding a place of the
    day's quotas. Each row is claimed with a conditional UPDATE (status still booked) and gets one audit
    entry, so a second run, or two workers at once, change nothing twice. Returns the counts.
    """
    now = now or timezone.now()
    counts = {"no_show": 0, "cancelled": 0}
    due = (
        Booking.objects.filter(status=Booking.Status.BOOKED, slot_start__lt=now - NO_SHOW_GRACE)
        .select_related("point__unit")
        .order_by("slot_start", "pk")[:limit]
    )
    closed: dict[tuple[int, dt.date], str | None] = {}
    for booking in due:
        slot_end = booking.slot_start + dt.timedelta(minutes=booking.point.booking_slot_minutes)
        if slot_end + NO_SHOW_GRACE > now:
            continue
        day = timezone.localtime(booking.slot_start).date()
        key = (booking.point_id, day)
        if key not in closed:
            closed[key] = closure_reason(booking.point, day)
        reason = closed[key]
        status = Booking.Status.CANCELLED if reason else Booking.Status.NO_SHOW
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
                status=status, updated_at=now
            )
            if claimed != 1:
                continue  # checked in or cancelled meanwhile, or another run got there first
            audit(
                actor=None,
                verb="booking_no_show" if status == Booking.Status.NO_SHOW else "booking_cancel",
                instance=booking,
                changes={"status": [Booking.Status.BOOKED, status]},
                note=f"tempat tutup: {reason}" if reason else "tidak check-in sampai slot berakhir",
            )
        counts["cancelled" if reason else "no_show"] += 1
    return counts
