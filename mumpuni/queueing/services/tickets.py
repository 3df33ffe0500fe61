"""Tickets and counters: issuing numbers and every state transition of a ticket at a counter.

The state machine (each transition timestamped, with the counter and officer, and one TicketEvent row):

    waiting --call_next--> called --start--> serving --finish--> done | incomplete | referred
                           called --recall--> called (call_count + 1)
                           called --skip--> no_show
               called|serving --transfer--> waiting (priority "alih", same number, new service/counter)

Numbers come from TicketSequence rows, one per point, day and group letter, incremented with UPDATE …
RETURNING, whose row lock lasts until the ticket is committed, so two kiosks never get the same number and
no number is reused within the day. Calling the next ticket locks the counter row (one call at a time per
counter) and picks with FOR UPDATE SKIP LOCKED on PostgreSQL, so two counters calling at once never take the
same ticket. SQLite serialises writers anyway.

These functions are the hot path of the queue API (bench/queue_load.py), so they avoid repeat reads: the
actor's employee id comes from the request's scope (already loaded for the access check), the number is
taken with one UPDATE … RETURNING, and rows the caller already loaded (point, service, counter) are reused
once the lock has confirmed they still belong to the ticket.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import ApplicationError, PermissionDeniedError, ValidationFailed
from mumpuni.people.models import Employee
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import (
    Booking,
    Counter,
    CounterShift,
    PointService,
    Service,
    ServicePoint,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from mumpuni.queueing.services.points import point_is_open

SEQUENCE_RETRIES = 3


class PointClosedError(ApplicationError):
    status_code = 409


class ServiceNotOfferedError(ApplicationError):
    status_code = 422


class QuotaExhaustedError(ApplicationError):
    status_code = 409


class TransitionError(ApplicationError):
    """A transition the ticket's current state does not allow (e.g. finishing a waiting ticket)."""

    status_code = 409


class CounterPausedError(ApplicationError):
    status_code = 409


class NotAtCounterError(PermissionDeniedError):
    """The actor is neither the officer on shift at the counter nor the point's head nor BKPP."""


# --- access ----------------------------------------------------------------------------------------


def _employee_id_of(actor: Any) -> int | None:
    """The actor's employee id from their scope, which the access check has loaded already (no query)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return scope_for(actor).own_employee_id


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path.startswith(root) for root in roots)


def is_on_shift(counter: Counter, employee: Employee | int | None, at: dt.datetime | None = None) -> bool:
    """Whether `employee` (a record or its id) is on shift at `counter` at `at`."""
    if employee is None:
        return False
    local = timezone.localtime(at or timezone.now())
    return CounterShift.objects.filter(
        counter=counter,
        officer_id=employee if isinstance(employee, int) else employee.pk,
        date=local.date(),
        starts_at__lte=local.time(),
        ends_at__gt=local.time(),
    ).exists()


def can_manage_point(actor: Any, point: ServicePoint) -> bool:
    """BKPP (city managers) and the head of the point's unit (or a unit above it)."""
    scope = scope_for(actor)
    return scope.city_manager or _under(point.unit.path, scope.manage_unit_paths)


def can_act_at_counter(actor: Any, counter: Counter, at: dt.datetime | None = None) -> bool:
    """The officer on shift there (whose role covers the point), the point's head, or BKPP."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    point = counter.point
    if can_manage_point(actor, point):
        return True
    scope = scope_for(actor)
    if not _under(point.unit.path, scope.view_unit_paths):
        return False  # an officer of another kecamatan, even if someone put them on this shift
    return is_on_shift(counter, _employee_id_of(actor), at)


def _require_counter_actor(actor: Any, counter: Counter, at: dt.datetime) -> int | None:
    """Refuse anyone who may not act at `counter`; returns the actor's employee id (None for a service
    account or BKPP without an employee record)."""
    if not can_act_at_counter(actor, counter, at):
        raise NotAtCounterError(
            f"Anda tidak bertugas di {counter.name} {counter.point.name} saat ini; hanya petugas yang "
            "terjadwal, kepala unit atau BKPP yang boleh melayani di loket ini."
        )
    return _employee_id_of(actor)


# --- issuing ---------------------------------------------------------------------------------------


def _increment_sequence(point: ServicePoint, day: dt.date, letter: str) -> int | None:
    """UPDATE … SET last_value = last_value + 1 … RETURNING last_value: the row lock the UPDATE takes is held
    until the transaction ends, so concurrent kiosks wait for each other and each gets the next value (one
    statement instead of SELECT … FOR UPDATE plus UPDATE). None when the day's row does not exist yet."""
    table = connection.ops.quote_name(TicketSequence._meta.db_table)
    sql = (
        f"UPDATE {table} SET last_value = last_value + 1 "  # noqa: S608 (quoted table name, no user input)
        "WHERE point_id = %s AND service_date = %s AND group_letter = %s RETURNING last_value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [point.pk, connection.ops.adapt_datefield_value(day), letter])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _next_sequence(point: ServicePoint, day: dt.date, letter: str) -> int:
    """The next number for (point, day, letter), with the sequence row locked until the transaction ends."""
    value = _increment_sequence(point, day, letter)
    if value is None:
        try:
            with transaction.atomic():  # a savepoint: losing the creation race must not spoil the outer one
                TicketSequence.objects.create(point=point, service_date=day, group_letter=letter)
        except IntegrityError:
            pass  # another kiosk created it first; take the next value of theirs below
        value = _increment_sequence(point, day, letter)
        if value is None:  # pragma: no cover - the row exists now, by us or by the winner of the race
            raise AssertionError("ticket sequence row missing")
    return value


def offered(point: ServicePoint, service: Service) -> PointService | None:
    return (
        PointService.objects.filter(point=point, service=service, active=True, service__active=True)
        .select_related("service")
        .first()
    )


def ticket_issue(
    *,
    point: ServicePoint,
    service: Service,
    priority: str = "",
    source: str = "kiosk",
    booking: Any = None,
    queue_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
    actor: Any = None,
    point_service: PointService | None = None,
) -> Ticket:
    """Issue the next ticket of `service` at `point`: refuses a closed point, a service the point does not
    offer and an exhausted daily quota. A caller that has loaded the (point, service) PointService row
    already (the API does, in one joined query) passes it as `point_service` to save the lookup."""
    at = at or timezone.now()
    if priority not in Ticket.Priority.values or priority == Ticket.Priority.TRANSFER:
        raise ValidationFailed("Jenis prioritas tidak dikenal.", fields={"priority": ["Tidak dikenal."]})
    if source not in Ticket.Source.values:
        raise ValidationFailed("Sumber tiket tidak dikenal.", fields={"source": ["Tidak dikenal."]})
    if not point.active or not point_is_open(point, at):
        raise PointClosedError(f"{point.name} sedang tutup; tiket hanya dapat diambil pada jam layanan.")
    if not (
        point_service is not None
        and point_service.point_id == point.pk
        and point_service.service_id == service.pk
        and point_service.active
        and service.active
    ):
        point_service = offered(point, service)
    if point_service is None:
        raise ServiceNotOfferedError(
            f"Layanan {service.name} tidak tersedia di {point.name}.",
            fields={"service": ["Layanan tidak tersedia di tempat ini."]},
        )
    day = timezone.localdate(at)
    letter = service.group_letter
    for attempt in range(SEQUENCE_RETRIES):
        try:
            with transaction.atomic():
                sequence = _next_sequence(point, day, letter)
                # Counted under the sequence lock: every ticket of this service takes the same lock first,
                # so two kiosks cannot both take the last place of the quota.
                # A checked-in booking had its place reserved when it was booked; walk-ins may not take
                # the places that today's still-open bookings hold.
                if point_service.daily_quota is not None and booking is None:
                    issued = (
                        Ticket.objects.filter(point=point, service=service, service_date=day)
                        .exclude(source=Ticket.Source.IMPORT)
                        .count()
                    )
                    held = Booking.objects.filter(
                        point=point, service=service, slot_start__date=day, status=Booking.Status.BOOKED
                    ).count()
                    if issued + held >= point_service.daily_quota:
                        raise QuotaExhaustedError(
                            f"Kuota harian layanan {service.name} di {point.name} sudah habis "
                            f"({point_service.daily_quota} tiket). Silakan datang kembali besok atau "
                            "pesan slot secara daring."
                        )
                ticket = Ticket.objects.create(
                    point=point,
                    service=service,
                    service_date=day,
                    group_letter=letter,
                    sequence=sequence,
                    number=f"{letter}-{sequence:03d}",
                    priority=priority,
                    source=source,
                    booking=booking,
                    queue_at=queue_at or at,
                    issued_at=at,
                )
                _event(ticket, "issued", at, actor=actor, data={"source": source, "priority": priority})
                return ticket
        except IntegrityError:
            # Only reachable if a sequence row was changed outside this module; try again with a fresh lock.
            if attempt == SEQUENCE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


# --- counters --------------------------------------------------------------------------------------


def _event(
    ticket: Ticket,
    kind: str,
    at: dt.datetime,
    *,
    counter: Counter | None = None,
    officer: int | None = None,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        at=at,
        counter=counter,
        officer_id=officer,
        actor=actor if getattr(actor, "pk", None) else None,
        data=data or {},
    )


def waiting_for_counter(counter: Counter, day: dt.date) -> QuerySet[Ticket]:
    """Waiting tickets this counter may call, in calling order: targeted at this counter, then priority
    (lansia, disabilitas, ibu hamil/menyusui, transfers), then queue_at (checked-in bookings carry their
    slot time), then id. The counter's services are a subquery, not a separate round trip."""
    service_ids = Counter.services.through.objects.filter(counter_id=counter.pk).values("service_id")
    return (
        Ticket.objects.filter(point_id=counter.point_id, service_date=day, status=Ticket.Status.WAITING)
        .filter(Q(target_counter=counter) | Q(target_counter__isnull=True, service_id__in=service_ids))
        .annotate(
            targeted=Case(
                When(target_counter=counter, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            ordinary=Case(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by("targeted", "ordinary", "queue_at", "id")
    )


def _open_at_counter(counter: Counter, day: dt.date) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        counter=counter, service_date=day, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
    )


def current_ticket(counter: Counter, day: dt.date | None = None) -> Ticket | None:
    day = day or timezone.localdate()
    return _open_at_counter(counter, day).select_related("service").order_by("-called_at", "-id").first()


def counter_call_next(*, counter: Counter, actor: Any, at: dt.datetime | None = None) -> Ticket | None:
    """Call the next waiting ticket at `counter`; None when nobody waits."""
    at = at or timezone.now()
    officer = _require_counter_actor(actor, counter, at)
    day = timezone.localdate(at)
    with transaction.atomic():
        # One call at a time per counter: a double click must not call two citizens. Only the two flags
        # that may have changed are read under the lock; the rest of the row is the caller's.
        state = Counter.objects.select_for_update().filter(pk=counter.pk).values_list("active", "paused")
        counter.active, counter.paused = state.get()
        if not counter.active:
            raise CounterPausedError(f"{counter.name} tidak aktif.")
        if counter.paused:
            raise CounterPausedError(f"{counter.name} sedang dijeda; lanjutkan loket terlebih dahulu.")
        busy = _open_at_counter(counter, day).order_by("-called_at", "-id").values_list("number", "status")
        busy_row = busy.first()
        if busy_row is not None:
            number, status = busy_row
            raise TransitionError(
                f"Tiket {number} masih {Ticket.Status(status).label.lower()} di {counter.name}; "
                "selesaikan, alihkan atau tandai tidak hadir terlebih dahulu."
            )
        queue = waiting_for_counter(counter, day).select_related("service")
        if connection.features.has_select_for_update_skip_locked:
            queue = queue.select_for_update(skip_locked=True, of=("self",))
        else:
            queue = queue.select_for_update()
        ticket = queue.first()
        if ticket is None:
            return None
        ticket.status = Ticket.Status.CALLED
        ticket.called_at = at
        ticket.call_count = 1
        ticket.counter = counter
        ticket.officer_id = officer
        ticket.target_counter = None
        ticket.save(
            update_fields=["status", "called_at", "call_count", "counter", "officer", "target_counter"]
        )
        if Counter.point.is_cached(counter):
            ticket.point = counter.point  # the queue is the counter's point: no need to load it again
        _event(ticket, "called", at, counter=counter, officer=officer, actor=actor)
        return ticket


def _locked_ticket(ticket: Ticket) -> Ticket:
    """The ticket row re-read under its row lock. Related rows the caller loaded (the API loads point, unit,
    service and counter with the ticket) are kept when the locked row still points at them; otherwise they
    are loaded with the lock."""
    relations = (Ticket.point, Ticket.service, Ticket.counter)
    # Lock only the ticket row: the counter is a nullable join, which PostgreSQL cannot lock.
    rows = Ticket.objects.select_for_update(of=("self",))
    if not all(relation.is_cached(ticket) for relation in relations):
        return rows.select_related("point__unit", "counter", "service").get(pk=ticket.pk)
    locked = rows.get(pk=ticket.pk)
    for relation in relations:
        related = relation.field.get_cached_value(ticket)
        if related is not None and related.pk == getattr(locked, relation.field.attname):
            relation.field.set_cached_value(locked, related)
    counter = locked.counter if Ticket.counter.is_cached(locked) else None
    if counter is not None and counter.point_id == locked.point_id and not Counter.point.is_cached(counter):
        counter.point = locked.point  # the access check reads the counter's point and unit
    return locked


def _transition(
    ticket: Ticket, *, allowed: tuple[str, ...], actor: Any, at: dt.datetime, verb: str
) -> tuple[Ticket, int | None]:
    locked = _locked_ticket(ticket)
    if locked.status not in allowed or locked.counter is None:
        raise TransitionError(
            f"Tiket {locked.number} berstatus {locked.get_status_display().lower()}; tidak dapat {verb}."
        )
    officer = _require_counter_actor(actor, locked.counter, at)
    return locked, officer


def ticket_recall(*, ticket: Ticket, actor: Any, at: dt.datetime | None = None) -> Ticket:
    at = at or timezone.now()
    with transaction.atomic():
        ticket, officer = _transition(ticket, allowed=("called",), actor=actor, at=at, verb="dipanggil ulang")
        ticket.call_count += 1
        ticket.save(update_fields=["call_count"])
        _event(
            ticket,
            "recalled",
            at,
            counter=ticket.counter,
            officer=officer,
            actor=actor,
            data={"call_count": ticket.call_count},
        )
        return ticket


def ticket_skip(*, ticket: Ticket, actor: Any, at: dt.datetime | None = None) -> Ticket:
    """The citizen did not come to the counter: no-show."""
    at = at or timezone.now()
    with transaction.atomic():
        ticket, officer = _transition(ticket, allowed=("called",), actor=actor, at=at, verb="dilewati")
        ticket.status = Ticket.Status.NO_SHOW
        ticket.finished_at = at
        ticket.save(update_fields=["status", "finished_at"])
        _event(ticket, "skipped", at, counter=ticket.counter, officer=officer, actor=actor)
        return ticket


def ticket_start(*, ticket: Ticket, actor: Any, at: dt.datetime | None = None) -> Ticket:
    at = at or timezone.now()
    with transaction.atomic():
        ticket, officer = _transition(ticket, allowed=("called",), actor=actor, at=at, verb="mulai dilayani")
        ticket.status = Ticket.Status.SERVING
        ticket.started_at = at
        ticket.officer_id = officer or ticket.officer_id
        ticket.save(update_fields=["status", "started_at", "officer"])
        _event(ticket, "started", at, counter=ticket.counter, officer=officer, actor=actor)
        return ticket


def ticket_finish(*, ticket: Ticket, outcome: str, actor: Any, at: dt.datetime | None = None) -> Ticket:
    """Finish service with an outcome: done, incomplete (documents missing) or referred."""
    at = at or timezone.now()
    if outcome not in Ticket.FINISHED_OUTCOMES:
        raise ValidationFailed(
            "Hasil layanan harus salah satu dari: selesai, berkas belum lengkap, dirujuk.",
            fields={"outcome": ["Harus salah satu dari: done, incomplete, referred."]},
        )
    with transaction.atomic():
        ticket, officer = _transition(ticket, allowed=("serving",), actor=actor, at=at, verb="diselesaikan")
        ticket.status = outcome
        ticket.finished_at = at
        ticket.save(update_fields=["status", "finished_at"])
        _event(
            ticket,
            "finished",
            at,
            counter=ticket.counter,
            officer=officer,
            actor=actor,
            data={"outcome": outcome},
        )
        return ticket


def ticket_transfer(
    *,
    ticket: Ticket,
    actor: Any,
    service: Service | None = None,
    counter: Counter | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """Send a called or served ticket to another service or counter of the same point. The same ticket (same
    number, so the citizen keeps their slip) goes back to waiting with priority "alih"; the first visit's
    times stay in the TicketEvent log."""
    at = at or timezone.now()
    if (service is None) == (counter is None):
        raise ValidationFailed(
            "Pilih tepat satu tujuan: layanan lain atau loket lain.",
            fields={"__all__": ["Pilih layanan atau loket tujuan."]},
        )
    with transaction.atomic():
        ticket, officer = _transition(
            ticket, allowed=("called", "serving"), actor=actor, at=at, verb="dialihkan"
        )
        from_counter = ticket.counter
        data: dict[str, Any] = {
            "from_service": ticket.service.code,
            "from_counter": from_counter.pk if from_counter else None,
            "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
            "started_at": ticket.started_at.isoformat() if ticket.started_at else None,
        }
        if service is not None:
            if offered(ticket.point, service) is None:
                raise ServiceNotOfferedError(
                    f"Layanan {service.name} tidak tersedia di {ticket.point.name}.",
                    fields={"service": ["Layanan tidak tersedia di tempat ini."]},
                )
            ticket.service = service
            ticket.target_counter = None
            data["to_service"] = service.code
        else:
            assert counter is not None
            if counter.point_id != ticket.point_id or not counter.active:
                raise ValidationFailed(
                    "Loket tujuan harus loket aktif di tempat pelayanan yang sama.",
                    fields={"counter": ["Loket tidak valid."]},
                )
            if from_counter is not None and counter.pk == from_counter.pk:
                raise ValidationFailed(
                    "Loket tujuan sama dengan loket saat ini.", fields={"counter": ["Pilih loket lain."]}
                )
            ticket.target_counter = counter
            data["to_counter"] = counter.pk
        ticket.status = Ticket.Status.WAITING
        ticket.priority = Ticket.Priority.TRANSFER
        ticket.counter = None
        ticket.officer_id = None
        ticket.called_at = None
        ticket.started_at = None
        ticket.call_count = 0
        ticket.save(
            update_fields=[
                "service",
                "target_counter",
                "status",
                "priority",
                "counter",
                "officer",
                "called_at",
                "started_at",
                "call_count",
            ]
        )
        _event(ticket, "transferred", at, counter=from_counter, officer=officer, actor=actor, data=data)
        return ticket


def counter_set_paused(
    *, counter: Counter, paused: bool, actor: Any, at: dt.datetime | None = None
) -> Counter:
    """Pause (break, system down) or resume a counter; a paused counter calls nobody."""
    at = at or timezone.now()
    _require_counter_actor(actor, counter, at)
    with transaction.atomic():
        locked = Counter.objects.select_for_update().get(pk=counter.pk)
        if locked.paused != paused:
            locked.paused = paused
            locked.save(update_fields=["paused", "updated_at"])
            audit_entry(
                actor=actor,
                action="update",
                instance=locked,
                changes={"paused": [not paused, paused]},
                note="Loket dijeda" if paused else "Loket dilanjutkan",
            )
        return locked
