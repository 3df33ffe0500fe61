"""insights.rollups: the daily roll-ups equal a direct aggregation of the raw rows (randomised), and the
incremental refresh picks up every kind of change the dashboards depend on (and equals a full rebuild)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from mumpuni.common.locks import exclusive_run, lock_key
from mumpuni.complaints.models import Complaint
from mumpuni.development.models import DevelopmentPlan
from mumpuni.insights import rollups, tasks
from mumpuni.insights.models import (
    WAIT_BUCKETS,
    ComplaintDay,
    ImpactSnapshot,
    QueueDay,
    QueueMonth,
    RollupState,
    SpendYear,
    SurveyDay,
    SurveyMonth,
    TrainingMonth,
    UnitYear,
)
from mumpuni.insights.tests.fixtures import make_program, seed_history
from mumpuni.learning.models import Enrollment, JpEntry, TrainingClass
from mumpuni.lib import ikm
from mumpuni.people import services as people_services
from mumpuni.people.models import Employee
from mumpuni.queueing.models import Service, ServicePoint, Ticket
from mumpuni.queueing.tests.stats_factory import make_point, make_service
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse
from mumpuni.testing import BaseTestCase, make_employee

JAKARTA = ZoneInfo("Asia/Jakarta")
FINISHED = set(Ticket.FINISHED_OUTCOMES)
STATUSES = [s.value for s in Ticket.Status]
ROLLUP_MODELS: tuple[type[Model], ...] = (
    QueueDay,
    QueueMonth,
    SurveyDay,
    SurveyMonth,
    ComplaintDay,
    TrainingMonth,
    UnitYear,
    SpendYear,
)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every roll-up row without its id, floats rounded: equal snapshots mean equal roll-ups."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in ROLLUP_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows = model.objects.values_list(*fields)  # type: ignore[attr-defined]
        out[model.__name__] = sorted(
            tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows
        )
    return out


@contextmanager
def holding_lock(name: str) -> Iterator[None]:
    """Hold the run lock `name` as another process would: on PostgreSQL from a second database session (an
    advisory lock is re-entrant within one session), elsewhere the process-local lock itself."""
    if connection.vendor != "postgresql":
        with exclusive_run(name) as acquired:
            assert acquired
            yield
        return
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(name)])
        yield
    finally:
        other.close()  # ends the session, which releases its advisory locks


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=JAKARTA)


class CityData:
    """Randomised raw rows for the cast's units, with exact bucket edges and service targets mixed in."""

    def __init__(self, case: BaseTestCase, seed: int) -> None:
        self.case = case
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.points = [
            make_point(case.tembalang, "Kantor Kecamatan Tembalang"),
            make_point(case.banyumanik, "Kantor Kecamatan Banyumanik"),
        ]
        # A 45-minute target: its microseconds overflow a 32-bit integer (PostgreSQL must compute in bigint).
        self.services = [
            make_service("KTP-REKAM", "A", 10),
            make_service("KK", "B", 7),
            make_service("IMB", "C", 45),
        ]
        self.units = [case.tembalang, case.bulusan, case.banyumanik, case.srondol, case.bkpp]
        self._seq = 0

    # --- tickets ---
    def tickets(self, n: int, days_back: int = 45) -> list[Ticket]:
        rng, out = self.rng, []
        for _ in range(n):
            day = self.today - dt.timedelta(days=rng.randint(0, days_back))
            point, service = rng.choice(self.points), rng.choice(self.services)
            out.append(self.ticket(point, service, day))
        return Ticket.objects.bulk_create(out)

    def ticket(
        self, point: ServicePoint, service: Service, day: dt.date, status: str | None = None
    ) -> Ticket:
        rng = self.rng
        self._seq += 1
        status = status or rng.choice(STATUSES)
        issued = local(
            day, rng.randint(7, 15), rng.randint(0, 59), rng.randint(0, 59), rng.choice([0, 0, 417])
        )
        wait_kind = rng.random()
        if wait_kind < 0.15:
            wait = None
        elif wait_kind < 0.45:
            wait = dt.timedelta(minutes=rng.choice(WAIT_BUCKETS))  # exactly on an edge
        elif wait_kind < 0.5:
            wait = dt.timedelta(minutes=-1)  # a booking called before its issue time
        else:
            wait = dt.timedelta(seconds=rng.randint(0, 240 * 60), microseconds=rng.choice([0, 1, 999_999]))
        called = started = finished = None
        if wait is not None:
            end = issued + wait
            if rng.random() < 0.2:
                started = end  # started without a call: the wait runs to the start
            else:
                called = end
                started = end + dt.timedelta(seconds=rng.randint(0, 90)) if rng.random() < 0.8 else None
            if started is not None and rng.random() < 0.85:
                target = service.target_service_minutes
                length = rng.choice(
                    [
                        dt.timedelta(minutes=target),  # exactly the target: within
                        dt.timedelta(minutes=target, microseconds=1),  # just over
                        dt.timedelta(seconds=rng.randint(30, 40 * 60)),
                    ]
                )
                finished = started + length
        return Ticket(
            point=point,
            service=service,
            service_date=day,
            group_letter=service.group_letter,
            sequence=self._seq,
            number=f"{service.group_letter}-{self._seq:03d}",
            status=status,
            queue_at=issued,
            issued_at=issued,
            called_at=called,
            started_at=started,
            finished_at=finished,
        )

    # --- SKM ---
    def answers(self, n: int) -> list[SurveyResponse]:
        rng, out = self.rng, []
        for _ in range(n):
            values = {f: (None if rng.random() < 0.15 else rng.randint(1, 4)) for f in UNSUR_FIELDS}
            out.append(
                SurveyResponse(
                    unit=rng.choice(self.units[:4]),
                    service_date=self.today - dt.timedelta(days=rng.randint(0, 70)),
                    channel=SurveyResponse.Channel.COUNTER,
                    **values,
                )
            )
        return SurveyResponse.objects.bulk_create(out)

    # --- complaints ---
    def complaint(self, day: dt.date, hour: int, **extra: Any) -> Complaint:
        values: dict[str, Any] = {
            "category": Complaint.Category.WAITING_TIME,
            "title": "Antrean lama",
            "description": "Menunggu lama sekali.",
            "received_at": local(day, hour, 30),
            "verify_due": day + dt.timedelta(days=3),
            "answer_due": day + dt.timedelta(days=14),
            **extra,
        }
        return Complaint.objects.create(**values)

    def complaints(self, n: int) -> None:
        rng = self.rng
        for _ in range(n):
            day = self.today - dt.timedelta(days=rng.randint(0, 40))
            status = rng.choice([s.value for s in Complaint.Status])
            answered_at = None
            if status in ("answered", "closed", "reopened") or rng.random() < 0.1:
                answered_at = local(day, 10) + dt.timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 13))
            where = rng.random()
            extra: dict[str, Any] = {}
            if where < 0.4:
                extra["assigned_unit"] = rng.choice(self.units)
            elif where < 0.7:
                extra["point"] = rng.choice(self.points)
            elif where < 0.8:
                extra["suggested_unit"] = rng.choice(self.units)
            elif where < 0.9:
                extra["kecamatan"] = rng.choice(self.units[:4])
            # Hours 0 and 23 sit on the other side of midnight in UTC: the local day must win.
            self.complaint(day, rng.choice([0, 9, 14, 23]), status=status, answered_at=answered_at, **extra)

    # --- JP, plans, spend ---
    def people(self, n: int) -> list[Employee]:
        staff = [
            make_employee(f"Pegawai {i}", self.rng.choice(self.units), active=(i % 7 != 0)) for i in range(n)
        ]
        return staff + [self.case.officer_employee, self.case.camat_employee, self.case.other_employee]

    def ledger(self, staff: list[Employee], n: int) -> None:
        rng, out = self.rng, []
        for _ in range(n):
            day = dt.date(self.today.year - rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
            day = min(day, self.today)
            out.append(
                JpEntry(
                    employee=rng.choice(staff),
                    occurred_on=day,
                    year=day.year,
                    jp=Decimal(rng.choice(["2", "4", "8", "12.5", "20"])),
                    source=rng.choice([s.value for s in JpEntry.Source]),
                )
            )
        JpEntry.objects.bulk_create(out)

    def plans(self, staff: list[Employee]) -> None:
        for i, person in enumerate(staff[:8]):
            status = ["draft", "proposed", "agreed", "in_progress"][i % 4]
            DevelopmentPlan.objects.create(employee=person, year=self.today.year, status=status)

    def seats(self, staff: list[Employee]) -> None:
        program = make_program("PLY-SEAT", cost=500_000)
        other = make_program("PLY-SEAT-2", cost=125_000)
        for k, (prog, start) in enumerate(
            ((program, self.today.replace(day=1) - dt.timedelta(days=40)), (other, self.today.replace(day=2)))
        ):
            klass = TrainingClass.objects.create(
                program=prog,
                code=f"SEAT-{k}",
                name=f"Kelas {k}",
                starts_on=start,
                ends_on=start + dt.timedelta(days=1),
                capacity=30,
            )
            for i, person in enumerate(staff[:10]):
                status = ["completed", "not_completed", "enrolled", "cancelled"][i % 4]
                Enrollment.objects.create(training_class=klass, employee=person, status=status)


# --- direct aggregations of the raw rows (the definitions of queueing.selectors.stats etc.) -------------------


def expected_queue() -> dict[tuple[Any, ...], dict[str, Any]]:
    targets = dict(Service.objects.values_list("id", "target_service_minutes"))
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for t in Ticket.objects.all():
        cell = out.setdefault(
            (t.service_date, t.point_id, t.service_id),
            {
                "issued": 0,
                "served": 0,
                "no_show": 0,
                "wait_count": 0,
                "wait": 0.0,
                "service_count": 0,
                "service": 0.0,
                "within": 0,
                "hist": [0] * (len(WAIT_BUCKETS) + 1),
            },
        )
        cell["issued"] += 1
        if t.status == Ticket.Status.NO_SHOW:
            cell["no_show"] += 1
        elif t.status in FINISHED:
            cell["served"] += 1
        end = t.called_at or t.started_at
        if end is not None:
            wait = (end - t.issued_at).total_seconds() / 60
            cell["wait_count"] += 1
            cell["wait"] += wait
            bucket = next((i for i, edge in enumerate(WAIT_BUCKETS) if wait <= edge), len(WAIT_BUCKETS))
            cell["hist"][bucket] += 1
        if t.status in FINISHED and t.started_at and t.finished_at:
            minutes = (t.finished_at - t.started_at).total_seconds() / 60
            cell["service_count"] += 1
            cell["service"] += minutes
            cell["within"] += minutes <= targets[t.service_id]
    return out


def expected_complaints(today: dt.date, root_id: int) -> dict[tuple[Any, ...], dict[str, Any]]:
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for c in Complaint.objects.select_related("point"):
        unit = c.assigned_unit_id or (c.point.unit_id if c.point else None)
        unit = unit or c.suggested_unit_id or c.kecamatan_id or root_id
        key = (c.received_at.astimezone(JAKARTA).date(), unit)
        cell = out.setdefault(key, defaultdict(float))
        cell["received"] += 1
        is_open = c.status in Complaint.OPEN_STATUSES
        if c.answered_at is not None:
            cell["answered"] += 1
            cell["on_time"] += c.answered_at.astimezone(JAKARTA).date() <= c.answer_due
            cell["days"] += (c.answered_at - c.received_at).total_seconds() / 86400
        cell["open"] += is_open
        cell["overdue"] += is_open and c.answered_at is None and c.answer_due < today
    return out


class RollupsEqualRawAggregatesTests(BaseTestCase):
    """Property-style: on randomised raw rows every roll-up equals a direct aggregation in Python."""

    def check_city(self, seed: int) -> None:
        data = CityData(self, seed)
        data.tickets(260)
        data.answers(220)
        data.complaints(90)
        staff = data.people(14)
        data.ledger(staff, 120)
        data.plans(staff)
        data.seats(staff)
        figures = rollups.refresh_all(full=True)
        self.assertEqual(set(figures), set(rollups.ROLLUPS))
        self.check_queue()
        self.check_survey()
        self.check_complaints(data.today)
        self.check_training()
        self.check_unit_years(data.today)
        self.check_spend()
        # Idempotence: running again (incremental, then full) changes nothing.
        before = snapshot()
        rollups.refresh_all()
        self.assertEqual(snapshot(), before)
        rollups.refresh_all(full=True)
        self.assertEqual(snapshot(), before)

    def test_random_city_seed_1(self) -> None:
        self.check_city(1)

    def test_random_city_seed_2(self) -> None:
        self.check_city(2)

    def check_spend(self) -> None:
        from mumpuni.planning.selectors import spend_rows

        years = set(Enrollment.objects.values_list("training_class__starts_on__year", flat=True))
        self.assertTrue(years)
        for year in years:
            live = sorted(tuple(sorted(r.items())) for r in spend_rows(year))
            kept = sorted(tuple(sorted(r.items())) for r in rollups.rollup_spend_rows(year))
            self.assertTrue(live)
            self.assertEqual(kept, live)
            paths = (self.srondol.path,)
            self.assertEqual(
                sorted(tuple(sorted(r.items())) for r in rollups.rollup_spend_rows(year, paths)),
                sorted(tuple(sorted(r.items())) for r in spend_rows(year, paths)),
            )
        self.assertEqual(rollups.rollup_spend_rows(min(years), ()), [])

    def check_queue(self) -> None:
        expected = expected_queue()
        rows = {(r.day, r.point_id, r.service_id): r for r in QueueDay.objects.all()}
        self.assertEqual(set(rows), set(expected))
        units = dict(ServicePoint.objects.values_list("id", "unit_id"))
        for key, cell in expected.items():
            row = rows[key]
            self.assertEqual(row.unit_id, units[key[1]])
            self.assertEqual(
                (row.issued, row.served, row.no_show, row.wait_count, row.service_count, row.within_standard),
                (
                    cell["issued"],
                    cell["served"],
                    cell["no_show"],
                    cell["wait_count"],
                    cell["service_count"],
                    cell["within"],
                ),
                key,
            )
            self.assertAlmostEqual(row.wait_minutes_sum, cell["wait"], places=6)
            self.assertAlmostEqual(row.service_minutes_sum, cell["service"], places=6)
            self.assertEqual(row.wait_hist, cell["hist"], key)
        # Month rows: the same tickets summed per point and month.
        months: dict[tuple[Any, ...], dict[str, Any]] = {}
        for (day, point, _service), cell in expected.items():
            acc = months.setdefault((day.replace(day=1), point), {"issued": 0, "wait": 0.0, "hist": [0] * 11})
            acc["issued"] += cell["issued"]
            acc["wait"] += cell["wait"]
            acc["hist"] = [a + b for a, b in zip(acc["hist"], cell["hist"], strict=True)]
        got = {(m.month, m.point_id): m for m in QueueMonth.objects.all()}
        self.assertEqual(set(got), set(months))
        for key, acc in months.items():
            self.assertEqual(got[key].issued, acc["issued"])
            self.assertAlmostEqual(got[key].wait_minutes_sum, acc["wait"], places=6)
            self.assertEqual(got[key].wait_hist, acc["hist"])

    def check_survey(self) -> None:
        raw: dict[tuple[Any, ...], list[dict[str, int | None]]] = defaultdict(list)
        for r in SurveyResponse.objects.all():
            raw[(r.service_date, r.unit_id)].append({f.upper(): getattr(r, f) for f in UNSUR_FIELDS})
        rows = {(r.day, r.unit_id): r for r in SurveyDay.objects.all()}
        self.assertEqual(set(rows), set(raw))
        for key, answers in raw.items():
            row = rows[key]
            self.assertEqual(row.responses, len(answers))
            for f in UNSUR_FIELDS:
                given = [a[f.upper()] for a in answers if a[f.upper()] is not None]
                self.assertEqual((getattr(row, f"{f}_sum"), getattr(row, f"{f}_n")), (sum(given), len(given)))
        # The exact IKM of a unit from its month rows' sums equals the IKM from its raw answers.
        per_unit: dict[int, list[dict[str, int | None]]] = defaultdict(list)
        for (_day, unit), answers in raw.items():
            per_unit[unit].extend(answers)
        for unit, answers in per_unit.items():
            months = SurveyMonth.objects.filter(unit_id=unit)
            sums = {f.upper(): sum(getattr(m, f"{f}_sum") for m in months) for f in UNSUR_FIELDS}
            counts = {f.upper(): sum(getattr(m, f"{f}_n") for m in months) for f in UNSUR_FIELDS}
            from_rollup = ikm.compute(sums, counts, sum(m.responses for m in months))
            from_raw = ikm.compute_from_answers(answers)
            self.assertEqual(from_rollup.ikm, from_raw.ikm)
            self.assertEqual(from_rollup.nrr, from_raw.nrr)
            self.assertEqual(from_rollup.respondents, from_raw.respondents)

    def check_complaints(self, today: dt.date) -> None:
        expected = expected_complaints(today, self.city.pk)
        rows = {(r.day, r.unit_id): r for r in ComplaintDay.objects.all()}
        self.assertEqual(set(rows), set(expected))
        for key, cell in expected.items():
            row = rows[key]
            self.assertEqual(
                (row.received, row.answered, row.answered_on_time, row.open, row.open_overdue),
                (cell["received"], cell["answered"], cell["on_time"], cell["open"], cell["overdue"]),
                key,
            )
            self.assertAlmostEqual(row.answer_days_sum, cell["days"], places=6)

    def check_training(self) -> None:
        units = dict(Employee.objects.values_list("id", "unit_id"))
        expected: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(
            lambda: {"jp": Decimal(0), "n": 0, "spend": Decimal(0)}
        )
        for e in JpEntry.objects.all():
            cell = expected[(e.occurred_on.replace(day=1), units[e.employee_id])]
            cell["jp"] += e.jp
            cell["n"] += e.source in ("class", "import")
        for s in Enrollment.objects.select_related("training_class__program"):
            if s.status in ("completed", "not_completed"):
                key = (s.training_class.starts_on.replace(day=1), units[s.employee_id])
                expected[key]["spend"] += s.training_class.program.cost_per_participant
        rows = {(r.month, r.unit_id): r for r in TrainingMonth.objects.all()}
        self.assertEqual(set(rows), set(expected))
        for key, cell in expected.items():
            self.assertEqual(
                (rows[key].jp_sum, rows[key].completions, rows[key].realised_spend),
                (cell["jp"], cell["n"], cell["spend"]),
                key,
            )

    def check_unit_years(self, today: dt.date) -> None:
        years = set(JpEntry.objects.values_list("year", flat=True)) | {today.year}
        years |= set(DevelopmentPlan.objects.values_list("year", flat=True))
        expected: dict[tuple[int, int], list[Any]] = {}
        plans = {(p.employee_id, p.year): p.status for p in DevelopmentPlan.objects.all()}
        for year in years:
            for person in Employee.objects.filter(active=True):
                jp = sum((e.jp for e in JpEntry.objects.filter(employee=person, year=year)), Decimal(0))
                cell = expected.setdefault((year, person.unit_id), [0, 0, Decimal(0), 0, 0])
                cell[0] += 1
                cell[1] += jp >= 20
                cell[2] += jp
                status = plans.get((person.pk, year))
                cell[3] += status is not None
                cell[4] += status in DevelopmentPlan.AGREED_STATUSES
        rows = {
            (r.year, r.unit_id): [r.employees, r.compliant, r.jp_sum, r.with_plan, r.plan_agreed]
            for r in UnitYear.objects.all()
        }
        self.assertEqual(rows, expected)


class IncrementalRefreshTests(BaseTestCase):
    """What the 15-minute refresh must pick up, and that it then equals a full rebuild."""

    def setUp(self) -> None:
        super().setUp()
        self.data = CityData(self, 7)
        self.data.tickets(80)
        self.data.answers(40)
        self.data.complaints(20)
        self.staff = self.data.people(6)
        self.data.ledger(self.staff, 30)
        self.today = self.data.today
        rollups.refresh_all(full=True)

    def assert_full_equals_incremental(self) -> None:
        incremental = snapshot()
        rollups.refresh_all(full=True)
        self.assertEqual(snapshot(), incremental)

    def test_imported_ticket_on_an_old_day_is_picked_up(self) -> None:
        old = self.today - dt.timedelta(days=30)
        point, service = self.data.points[0], self.data.services[0]
        before = QueueDay.objects.filter(day=old, point=point, service=service).first()
        ticket = self.data.ticket(point, service, old, status="done")
        ticket.source = Ticket.Source.IMPORT
        ticket.save()
        figures = rollups.refresh_queue()
        self.assertFalse(figures["full"])
        self.assertGreaterEqual(figures["days"], 4)  # the old day + today and the two days before
        row = QueueDay.objects.get(day=old, point=point, service=service)
        self.assertEqual(row.issued, (before.issued if before else 0) + 1)
        month = QueueMonth.objects.get(month=old.replace(day=1), point=point)
        self.assertEqual(
            month.issued,
            Ticket.objects.filter(
                point=point, service_date__year=old.year, service_date__month=old.month
            ).count(),
        )
        self.assert_full_equals_incremental()

    def test_status_change_today_is_picked_up(self) -> None:
        point, service = self.data.points[1], self.data.services[1]
        ticket = self.data.ticket(point, service, self.today, status="waiting")
        ticket.called_at = ticket.started_at = ticket.finished_at = None
        ticket.save()
        rollups.refresh_queue()
        row = QueueDay.objects.get(day=self.today, point=point, service=service)
        served, waits = row.served, row.wait_count
        # Called, served and finished at the counter (Ticket has no updated_at: the recent window finds it).
        Ticket.objects.filter(pk=ticket.pk).update(
            status="done",
            called_at=ticket.issued_at + dt.timedelta(minutes=12),
            started_at=ticket.issued_at + dt.timedelta(minutes=13),
            finished_at=ticket.issued_at + dt.timedelta(minutes=20),
        )
        rollups.refresh_queue()
        row = QueueDay.objects.get(day=self.today, point=point, service=service)
        self.assertEqual((row.served, row.wait_count), (served + 1, waits + 1))
        self.assert_full_equals_incremental()

    def test_late_complaint_answer_moves_its_received_day(self) -> None:
        day = self.today - dt.timedelta(days=20)
        complaint = self.data.complaint(day, 23, assigned_unit=self.tembalang, status="in_progress")
        rollups.refresh_complaints()
        row = ComplaintDay.objects.get(day=day, unit=self.tembalang)
        on_time, answered, still_open = row.answered_on_time, row.answered, row.open
        complaint.status = Complaint.Status.ANSWERED
        complaint.answered_at = timezone.make_aware(
            dt.datetime.combine(day + dt.timedelta(days=10), dt.time(9))
        )
        complaint.save()
        rollups.refresh_complaints()
        row = ComplaintDay.objects.get(day=day, unit=self.tembalang)  # rows are replaced, not updated
        self.assertEqual(
            (row.answered_on_time, row.answered, row.open), (on_time + 1, answered + 1, still_open - 1)
        )
        self.assert_full_equals_incremental()

    def test_complaint_closed_without_updated_at_is_picked_up(self) -> None:
        day = self.today - dt.timedelta(days=35)
        complaint = self.data.complaint(day, 9, assigned_unit=self.srondol, status="forwarded")
        rollups.refresh_complaints()
        self.assertEqual(ComplaintDay.objects.get(day=day, unit=self.srondol).open, 1)
        # A bulk update leaves updated_at alone: the day is recomputed because it had open complaints.
        Complaint.objects.filter(pk=complaint.pk).update(status="closed")
        rollups.refresh_complaints()
        self.assertEqual(ComplaintDay.objects.get(day=day, unit=self.srondol).open, 0)

    def test_new_jp_entry_makes_an_employee_compliant(self) -> None:
        person = make_employee("Pegawai Baru", self.bulusan)
        rollups.refresh_all()
        row = UnitYear.objects.get(year=self.today.year, unit=self.bulusan)
        compliant, jp_sum = row.compliant, row.jp_sum
        JpEntry.objects.create(
            employee=person, occurred_on=self.today, year=self.today.year, jp=Decimal("21"), source="activity"
        )
        figures = rollups.refresh_all()
        self.assertGreaterEqual(figures["unit_year"]["units"], 1)
        row = UnitYear.objects.get(year=self.today.year, unit=self.bulusan)
        self.assertEqual((row.compliant, row.jp_sum), (compliant + 1, jp_sum + Decimal("21")))
        month = TrainingMonth.objects.get(month=self.today.replace(day=1), unit=self.bulusan)
        self.assertGreaterEqual(month.jp_sum, Decimal("21"))
        self.assert_full_equals_incremental()

    def test_employee_moving_unit_moves_their_figures(self) -> None:
        person = make_employee("Pegawai Pindah", self.srondol)
        JpEntry.objects.create(
            employee=person, occurred_on=self.today, year=self.today.year, jp=Decimal("30"), source="activity"
        )
        rollups.refresh_all()
        old_row = UnitYear.objects.get(year=self.today.year, unit=self.srondol)
        old_count, old_compliant = old_row.employees, old_row.compliant
        new_before = UnitYear.objects.filter(year=self.today.year, unit=self.bkpp).first()
        people_services.employee_update(actor=None, employee=person, unit=self.bkpp)
        rollups.refresh_all()
        old_row = UnitYear.objects.filter(year=self.today.year, unit=self.srondol).first()
        self.assertEqual(old_row.employees if old_row else 0, old_count - 1)
        self.assertEqual(old_row.compliant if old_row else 0, old_compliant - 1)
        new_row = UnitYear.objects.get(year=self.today.year, unit=self.bkpp)
        self.assertEqual(new_row.employees, (new_before.employees if new_before else 0) + 1)
        self.assertTrue(
            TrainingMonth.objects.filter(
                month=self.today.replace(day=1), unit=self.bkpp, jp_sum__gte=30
            ).exists()
        )
        self.assert_full_equals_incremental()

    def test_enrolment_changes_move_the_spend(self) -> None:
        self.data.seats(self.staff)
        rollups.refresh_all()
        seat = Enrollment.objects.filter(status="enrolled").select_related("training_class").first()
        year = seat.training_class.starts_on.year

        def cell(status: str, unit: Any) -> int:
            row = SpendYear.objects.filter(
                year=year, unit=unit, program=seat.training_class.program, status=status
            ).first()
            return row.participants if row else 0

        unit = seat.employee.unit
        enrolled, completed = cell("enrolled", unit), cell("completed", unit)
        seat.status = "completed"
        seat.save()
        figures = rollups.refresh_spend()
        self.assertFalse(figures["full"])
        self.assertEqual(cell("enrolled", unit), enrolled - 1)
        self.assertEqual(cell("completed", unit), completed + 1)
        # A unit move moves the seat's spend to the new unit.
        people_services.employee_update(actor=None, employee=seat.employee, unit=self.bkpp)
        self.assertFalse(rollups.refresh_all()["spend"]["full"])
        self.assertEqual(cell("completed", unit), completed)
        self.assertGreaterEqual(cell("completed", self.bkpp), 1)
        self.assert_full_equals_incremental()

    def test_many_changed_units_recompute_every_unit(self) -> None:
        person = make_employee("Pegawai Pindah", self.srondol)
        rollups.refresh_all()
        people_services.employee_update(actor=None, employee=person, unit=self.bkpp)
        original = rollups.MAX_UNITS_LISTED
        rollups.MAX_UNITS_LISTED = 0
        try:
            figures = rollups.refresh_unit_years()
        finally:
            rollups.MAX_UNITS_LISTED = original
        self.assertGreater(figures["rows"], 2)  # every unit's row, not only the two touched
        self.assert_full_equals_incremental()

    def test_new_survey_answers_move_the_ikm_of_their_day(self) -> None:
        day = self.today - dt.timedelta(days=50)
        SurveyResponse.objects.create(
            unit=self.srondol, service_date=day, channel="paper", **dict.fromkeys(UNSUR_FIELDS, 1)
        )
        rollups.refresh_survey()
        row = SurveyDay.objects.get(day=day, unit=self.srondol)
        self.assertGreaterEqual(row.u1_n, 1)
        self.assertEqual(
            row.responses, SurveyResponse.objects.filter(unit=self.srondol, service_date=day).count()
        )
        self.assert_full_equals_incremental()

    def test_a_sequence_of_changes_then_full_equals_incremental(self) -> None:
        self.data.tickets(15, days_back=60)
        self.data.answers(10)
        self.data.complaints(5)
        rollups.refresh_all()
        # Answers to complaints, a late ticket import, more JP, a unit move, a plan agreed, a deactivation.
        for complaint in Complaint.objects.filter(status__in=Complaint.OPEN_STATUSES)[:3]:
            complaint.status = Complaint.Status.ANSWERED
            complaint.answered_at = timezone.now()
            complaint.save()
        self.data.tickets(10, days_back=80)
        self.data.ledger(self.staff, 5)
        people_services.employee_update(actor=None, employee=self.staff[0], unit=self.srondol)
        DevelopmentPlan.objects.create(employee=self.staff[1], year=self.today.year, status="agreed")
        leaver = self.staff[2]
        leaver.active = False
        leaver.save()
        rollups.refresh_all()
        after = snapshot()
        rollups.refresh_all()
        self.assertEqual(snapshot(), after)  # idempotent
        self.assert_full_equals_incremental()

    def test_watermark_moves_only_on_success(self) -> None:
        state = RollupState.objects.get(name="queue")
        cursor, before = state.cursor, snapshot()
        Ticket.objects.bulk_create([self.data.ticket(self.data.points[0], self.data.services[0], self.today)])
        original = rollups._rebuild_queue_months

        def broken(*args: Any, **kwargs: Any) -> int:  # the day rows are written, then the process dies
            raise RuntimeError("disk full")

        rollups._rebuild_queue_months = broken  # type: ignore[assignment]
        try:
            with self.assertRaises(RuntimeError):
                rollups.refresh_queue()
        finally:
            rollups._rebuild_queue_months = original  # type: ignore[assignment]
        state.refresh_from_db()
        self.assertEqual(state.cursor, cursor)
        self.assertEqual(snapshot(), before)  # the half-written day rows were rolled back
        figures = rollups.refresh_queue()
        self.assertFalse(figures["full"])
        self.assertNotEqual(snapshot(), before)
        self.assert_full_equals_incremental()

    def test_changed_service_target_rebuilds_the_queue(self) -> None:
        service = self.data.services[0]
        service.target_service_minutes = 30
        service.save()
        figures = rollups.refresh_queue()
        self.assertTrue(figures["full"])
        self.assert_full_equals_incremental()

    def test_tasks_run_eagerly(self) -> None:
        figures = tasks.refresh_rollups.delay().get()
        self.assertEqual(set(figures), set(rollups.ROLLUPS))
        self.assertFalse(figures["queue"]["full"])
        self.assertEqual(RollupState.objects.count(), len(rollups.ROLLUPS))
        result = tasks.refresh_impact_snapshots.delay().get()
        self.assertEqual(result["written"], 0)  # no programme has graduates in the officer panel

    def test_nightly_rebuild_takes_in_a_deleted_ticket(self) -> None:
        """The incremental refresh cannot see a deleted row (no id above the cursor, no timestamp); the
        nightly full rebuild puts the day right."""
        old = self.today - dt.timedelta(days=40)
        point, service = self.data.points[0], self.data.services[0]
        ticket = self.data.ticket(point, service, old, status="done")
        ticket.save()
        rollups.refresh_all(full=True)
        issued = QueueDay.objects.get(day=old, point=point, service=service).issued
        ticket.delete()
        rollups.refresh_queue()
        self.assertEqual(QueueDay.objects.get(day=old, point=point, service=service).issued, issued)
        figures = tasks.rebuild_rollups.delay().get()
        self.assertTrue(all(f["full"] and not f.get("skipped") for f in figures.values()))
        row = QueueDay.objects.filter(day=old, point=point, service=service).first()
        self.assertEqual(row.issued if row else 0, issued - 1)
        self.assertEqual(
            row.issued if row else 0,
            Ticket.objects.filter(point=point, service=service, service_date=old).count(),
        )

    def test_nightly_rebuild_is_scheduled(self) -> None:
        from celery.schedules import crontab
        from django.conf import settings

        entry = settings.CELERY_BEAT_SCHEDULE["rebuild-rollups"]
        self.assertEqual(entry["task"], "insights.rebuild_rollups")
        self.assertIsInstance(entry["schedule"], crontab)
        self.assertEqual(entry["schedule"].hour, {1})

    def test_a_refresh_skips_a_roll_up_another_run_is_refreshing(self) -> None:
        """The 15-minute refresh and the nightly rebuild (or a run outlasting its interval) must not both
        delete and re-insert the same days: the later one skips that roll-up and leaves it untouched."""
        before = snapshot()
        point, service = self.data.points[1], self.data.services[0]
        self.data.ticket(point, service, self.today - dt.timedelta(days=10), status="done").save()
        with holding_lock("rollup:queue"):
            figures = rollups.refresh_all(only=["queue", "survey"])
            self.assertTrue(figures["queue"]["skipped"])
            self.assertFalse(figures["survey"].get("skipped"))
            self.assertEqual(snapshot()["QueueDay"], before["QueueDay"])  # nothing written by the skipper
            out = StringIO()
            call_command("refresh_rollups", "--only", "queue", stdout=out)
            self.assertIn("dilewati", out.getvalue())
        figures = rollups.refresh_all(only=["queue"])
        self.assertFalse(figures["queue"].get("skipped"))
        self.assertNotEqual(snapshot()["QueueDay"], before["QueueDay"])
        self.assert_full_equals_incremental()

    def test_command_prints_a_table(self) -> None:
        out = StringIO()
        call_command("refresh_rollups", "--full", "--only", "queue,survey", stdout=out)
        text = out.getvalue()
        self.assertIn("queue", text)
        self.assertIn("survey", text)
        self.assertNotIn("complaint", text)
        self.assertIn("penuh", text)


class ImpactSnapshotTests(BaseTestCase):
    def test_snapshots_store_the_estimate_or_the_refusal(self) -> None:
        program = make_program()
        seed_history(self.tembalang, program, officers=40, months=18)
        thin = make_program("PLY-TIPIS")
        person = Employee.objects.filter(unit=self.tembalang).exclude(officer_months=None).first()
        JpEntry.objects.create(
            employee=person,
            occurred_on=dt.date(2025, 6, 10),
            year=2025,
            jp=Decimal("24"),
            source="import",
            program=thin,
        )
        result = rollups.refresh_impact_snapshots()
        self.assertEqual(result["written"], 8)
        self.assertEqual(result["refused"], 4)
        snapshot = ImpactSnapshot.objects.get(program=program, outcome="service_minutes")
        self.assertTrue(snapshot.proven)
        self.assertLess(snapshot.effect, 0)
        self.assertGreater(snapshot.officers_treated, 0)
        refused = ImpactSnapshot.objects.get(program=thin, outcome="skm")
        self.assertIsNone(refused.effect)
        self.assertFalse(refused.proven)
        self.assertIn("terlalu sedikit", refused.refused)
        # Upsert: running again keeps one row per programme and outcome.
        rollups.refresh_impact_snapshots()
        self.assertEqual(ImpactSnapshot.objects.count(), 8)
