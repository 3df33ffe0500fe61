"""Historical tickets from an existing queue machine (manage.py import_tickets): all or nothing.

Columns: point (unit code, e.g. 33.74.10), service (service code), counter (counter number at the point),
officer_nip, issued_at, called_at, started_at, finished_at, outcome (done/incomplete/referred/no_show);
optional note. Timestamps without a zone are Asia/Jakarta.

Every row is checked first; any error refuses the whole file (row errors in the style of people/imports).
A row equal to an existing ticket or an earlier row (same point, service, issued_at and counter) is a
duplicate: importing a file twice therefore fails on its second run instead of doubling the history.

Numbers: imported tickets take the next numbers of the day's own TicketSequence row (locked with SELECT …
FOR UPDATE, like the kiosk), in issued_at order. We chose this over a separate letter range so that an
imported day and a live day look alike in every report; the price is that numbers reflect import order
when a day is imported after live tickets were issued on it (only their number, never their times).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from mumpuni.lib.tabular import ColumnNote, TabularError, read_table
from mumpuni.people.imports.base import RowError
from mumpuni.people.models import Employee
from mumpuni.queueing.models import Counter, Service, ServicePoint, Ticket, TicketEvent, TicketSequence

JAKARTA = ZoneInfo("Asia/Jakarta")
REQUIRED = (
    "point",
    "service",
    "counter",
    "officer_nip",
    "issued_at",
    "called_at",
    "started_at",
    "finished_at",
    "outcome",
)
OPTIONAL = ("note",)
OUTCOMES = ("done", "incomplete", "referred", "no_show")
NOTES = (
    ColumnNote("point", True, "Kode tempat pelayanan (kode unit).", "33.74.10"),
    ColumnNote("service", True, "Kode layanan.", "KTP-REKAM"),
    ColumnNote("counter", True, "Nomor loket di tempat itu; boleh kosong untuk tidak hadir.", "3"),
    ColumnNote("officer_nip", True, "NIP petugas; boleh kosong untuk tidak hadir.", "199001012015031001"),
    ColumnNote("issued_at", True, "Waktu ambil nomor (WIB bila tanpa zona).", "2026-05-04 08:12:30"),
    ColumnNote("called_at", True, "Waktu dipanggil.", "2026-05-04 08:31:02"),
    ColumnNote("started_at", True, "Waktu mulai dilayani; kosong untuk tidak hadir.", "2026-05-04 08:32:00"),
    ColumnNote(
        "finished_at",
        True,
        "Waktu selesai (tidak hadir: waktu dilewati, boleh kosong).",
        "2026-05-04 08:41:45",
    ),
    ColumnNote("outcome", True, "done, incomplete, referred atau no_show.", "done"),
)
TIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M")


@dataclass
class ImportResult:
    total_rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Parsed:
    row: int
    point: ServicePoint
    service: Service
    counter: Counter | None
    officer: Employee | None
    issued: dt.datetime
    called: dt.datetime | None
    started: dt.datetime | None
    finished: dt.datetime | None
    outcome: str
    note: str


def parse_time(text: str) -> dt.datetime:
    """ISO 8601 (with space or T, optional offset) or dd/mm/yyyy hh:mm[:ss]; naive times are WIB."""
    value: dt.datetime | None = None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        for fmt in TIME_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if value is None:
        raise ValueError(text)
    return value.replace(tzinfo=JAKARTA) if value.tzinfo is None else value


def import_tickets(data: bytes, file_name: str, *, dry_run: bool = False) -> ImportResult:
    """Check every row, then (unless dry_run) create the tickets and their events in one transaction."""
    result = ImportResult()
    try:
        table = read_table(data, file_name, required=REQUIRED, optional=OPTIONAL)
    except TabularError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    result.total_rows = len(table.rows)

    points = {p.unit.code: p for p in ServicePoint.objects.select_related("unit")}
    services = {s.code: s for s in Service.objects.all()}
    counters = {(c.point_id, c.number): c for c in Counter.objects.all()}
    nips = {r.get("officer_nip") for r in table.rows if r.get("officer_nip")}
    officers = {e.nip: e for e in Employee.objects.filter(nip__in=nips)} if nips else {}

    parsed: list[_Parsed] = []
    for row in table.rows:
        errors: list[RowError] = []

        def err(
            column: str, message: str, row_number: int = row.number, errs: list[RowError] = errors
        ) -> None:
            errs.append(RowError(row_number, column, message))

        point = points.get(row.get("point"))
        if point is None:
            err("point", f"Tempat pelayanan {row.get('point')!r} tidak dikenal.")
        service = services.get(row.get("service"))
        if service is None:
            err("service", f"Layanan {row.get('service')!r} tidak dikenal.")
        outcome = row.get("outcome").lower()
        if outcome not in OUTCOMES:
            err("outcome", f"Hasil harus salah satu dari: {', '.join(OUTCOMES)}.")
        served = outcome != "no_show"

        counter = None
        counter_text = row.get("counter")
        if counter_text:
            if not counter_text.isdigit():
                err("counter", "Nomor loket harus angka.")
            elif point is not None:
                counter = counters.get((point.pk, int(counter_text)))
                if counter is None:
                    err("counter", f"Loket {counter_text} tidak ada di {point.name}.")
        elif served:
            err("counter", "Wajib diisi untuk tiket yang dilayani.")

        officer = None
        nip = row.get("officer_nip")
        if nip:
            officer = officers.get(nip)
            if officer is None:
                err("officer_nip", f"Petugas dengan NIP {nip} tidak dikenal.")
        elif served:
            err("officer_nip", "Wajib diisi untuk tiket yang dilayani.")

        times: dict[str, dt.datetime | None] = {}
        for column in ("issued_at", "called_at", "started_at", "finished_at"):
            text = row.get(column)
            times[column] = None
            if not text:
                continue
            try:
                times[column] = parse_time(text)
            except ValueError:
                err(column, "Waktu tidak dikenali; gunakan YYYY-MM-DD HH:MM:SS.")
        if not row.get("issued_at"):
            err("issued_at", "Wajib diisi.")
        if served:
            for column in ("called_at", "started_at", "finished_at"):
                if not row.get(column):
                    err(column, "Wajib diisi untuk tiket yang dilayani.")
        elif row.get("started_at"):
            err("started_at", "Harus kosong untuk tiket tidak hadir.")
        sequence = [
            (c, times[c]) for c in ("issued_at", "called_at", "started_at", "finished_at") if times[c]
        ]
        for (_, earlier), (later_column, later) in zip(sequence, sequence[1:], strict=False):
            if later is not None and earlier is not None and later < earlier:
                err(later_column, "Urutan waktu salah: ambil nomor ≤ dipanggil ≤ mulai ≤ selesai.")
                break
        if errors:
            result.errors.extend(errors)
            continue
        assert point is not None and service is not None and times["issued_at"] is not None
        parsed.append(
            _Parsed(
                row.number,
                point,
                service,
                counter,
                officer,
                times["issued_at"],
                times["called_at"],
                times["started_at"],
                times["finished_at"],
                outcome,
                row.get("note")[:255] if table.has("note") else "",
            )
        )

    _check_duplicates(parsed, result)
    if result.errors or dry_run:
        return result
    try:
        result.created = _create(parsed)
    except IntegrityError as exc:  # a concurrent kiosk raced us for a number: refuse, nothing written
        result.errors.append(RowError(0, "", f"Gagal menyimpan, coba lagi: {exc}"))
    return result


def _check_duplicates(parsed: list[_Parsed], result: ImportResult) -> None:
    if not parsed:
        return

    def key(p: _Parsed) -> tuple[int, int, dt.datetime, int | None]:
        return (p.point.pk, p.service.pk, p.issued, p.counter.pk if p.counter else None)

    days = [p.issued.astimezone(JAKARTA).date() for p in parsed]
    existing = set(
        Ticket.objects.filter(
            point__in={p.point.pk for p in parsed}, service_date__gte=min(days), service_date__lte=max(days)
        ).values_list("point_id", "service_id", "issued_at", "counter_id")
    )
    seen: dict[tuple[int, int, dt.datetime, int | None], int] = {}
    for p in parsed:
        k = key(p)
        if k in existing:
            result.errors.append(
                RowError(p.row, "issued_at", "Tiket ini sudah ada (tempat, layanan, waktu, loket).")
            )
        elif k in seen:
            result.errors.append(RowError(p.row, "issued_at", f"Sama dengan baris {seen[k]}."))
        else:
            seen[k] = p.row


def _allocate(point: ServicePoint, day: dt.date, letter: str, count: int) -> int:
    """Reserve `count` numbers on the day's sequence row (locked); returns the first one."""
    rows = TicketSequence.objects.select_for_update()
    row = rows.filter(point=point, service_date=day, group_letter=letter).first()
    if row is None:
        try:
            with transaction.atomic():
                TicketSequence.objects.create(point=point, service_date=day, group_letter=letter)
        except IntegrityError:
            pass  # a kiosk created it meanwhile: lock theirs
        row = rows.get(point=point, service_date=day, group_letter=letter)
    first = row.last_value + 1
    row.last_value += count
    row.save(update_fields=["last_value"])
    return first


def _create(parsed: list[_Parsed]) -> int:
    groups: dict[tuple[ServicePoint, dt.date, str], list[_Parsed]] = defaultdict(list)
    for p in sorted(parsed, key=lambda p: p.issued):
        groups[(p.point, p.issued.astimezone(JAKARTA).date(), p.service.group_letter)].append(p)
    with transaction.atomic():
        tickets: list[Ticket] = []
        for (point, day, letter), items in sorted(
            groups.items(), key=lambda kv: (kv[0][0].pk, kv[0][1], kv[0][2])
        ):
            first = _allocate(point, day, letter, len(items))
            for offset, p in enumerate(items):
                seq = first + offset
                tickets.append(
                    Ticket(
                        point=point,
                        service=p.service,
                        service_date=day,
                        group_letter=letter,
                        sequence=seq,
                        number=f"{letter}-{seq:03d}",
                        source=Ticket.Source.IMPORT,
                        status=p.outcome,
                        queue_at=p.issued,
                        issued_at=p.issued,
                        called_at=p.called,
                        started_at=p.started,
                        finished_at=p.finished,
                        call_count=1 if p.called else 0,
                        counter=p.counter,
                        officer=p.officer,
                        note=p.note,
                    )
                )
        created = Ticket.objects.bulk_create(tickets, batch_size=1000)
        if any(t.pk is None for t in created):  # backends without RETURNING: read the ids back
            by_key = {
                (t.point_id, t.service_date, t.group_letter, t.sequence): t.pk
                for t in Ticket.objects.filter(source=Ticket.Source.IMPORT, pk__isnull=False).only(
                    "pk", "point_id", "service_date", "group_letter", "sequence"
                )
            }
            for t in created:
                t.pk = by_key[(t.point_id, t.service_date, t.group_letter, t.sequence)]
        TicketEvent.objects.bulk_create(_events(created), batch_size=2000)
    return len(created)


def _events(tickets: list[Ticket]) -> list[TicketEvent]:
    events: list[TicketEvent] = []
    for t in tickets:
        events.append(TicketEvent(ticket_id=t.pk, kind="issued", at=t.issued_at, data={"source": "import"}))
        if t.called_at:
            events.append(
                TicketEvent(
                    ticket_id=t.pk, kind="called", at=t.called_at, counter=t.counter, officer=t.officer
                )
            )
        if t.status == Ticket.Status.NO_SHOW:
            at = t.called_at or t.issued_at
            events.append(
                TicketEvent(ticket_id=t.pk, kind="skipped", at=at, counter=t.counter, officer=t.officer)
            )
            continue
        if t.started_at:
            events.append(
                TicketEvent(
                    ticket_id=t.pk, kind="started", at=t.started_at, counter=t.counter, officer=t.officer
                )
            )
        if t.finished_at:
            events.append(
                TicketEvent(
                    ticket_id=t.pk,
                    kind="finished",
                    at=t.finished_at,
                    counter=t.counter,
                    officer=t.officer,
                    data={"outcome": t.status},
                )
            )
    return events
