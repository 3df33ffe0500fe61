"""Reads of `insights`: the officer × month panel, each programme's completions as treatment months, the
staggered DiD estimate (`mumpuni.lib.did`) per programme and outcome, and the ROI (Phillips) beside it.

The estimate needs the whole city's officers as the comparison group, so it is always computed city-wide;
what a user may see of it is decided in `insights.access` (no per-officer rows are ever shown)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min

from mumpuni.insights.models import OfficerMonth
from mumpuni.insights.services import months_between
from mumpuni.learning.models import Enrollment, JpEntry, Program
from mumpuni.lib import did

OUTCOMES = ("service_minutes", "wait_minutes", "skm", "complaints")
# Not asked for by the command, but what the ROI needs: service + waiting minutes per ticket in one outcome.
ROI_OUTCOME = "total_minutes"
DEFAULT_HOUR_VALUE = 25_000  # Rp per citizen-hour; see docs/insights.md


def hour_value() -> int:
    return int(getattr(settings, "MUMPUNI_IMPACT_HOUR_VALUE", DEFAULT_HOUR_VALUE))


@dataclass(frozen=True)
class Panel:
    officer_ids: np.ndarray  # row → Employee id
    months: list[dt.date]  # column → first day of the month
    tickets: np.ndarray
    service_sum: np.ndarray
    wait_sum: np.ndarray
    skm_sum: np.ndarray
    skm_count: np.ndarray
    complaints: np.ndarray
    synthetic_share: float

    def outcome(self, name: str) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            served = np.where(self.tickets > 0, self.tickets, np.nan)
            if name == "service_minutes":
                return self.service_sum / served
            if name == "wait_minutes":
                return self.wait_sum / served
            if name == ROI_OUTCOME:
                return (self.service_sum + self.wait_sum) / served
            if name == "skm":
                return self.skm_sum / np.where(self.skm_count > 0, self.skm_count, np.nan)
            if name == "complaints":
                return 100.0 * self.complaints / served
        raise ValueError(f"unknown outcome {name!r}")

    def cohorts(self, completions: dict[int, dt.date]) -> np.ndarray:
        """Treatment month index per officer: NEVER, or the month of completion (before the panel: 0,
        which the estimator leaves out; after it: past the last column, i.e. not yet treated)."""
        index = {m: i for i, m in enumerate(self.months)}
        first, count = self.months[0], len(self.months)
        out = np.full(len(self.officer_ids), did.NEVER, dtype=np.int64)
        for row, officer_id in enumerate(self.officer_ids.tolist()):
            day = completions.get(officer_id)
            if day is None:
                continue
            month = day.replace(day=1)
            if month < first:
                out[row] = 0
            else:
                out[row] = index.get(month, count)
        return out


def load_panel() -> Panel | None:
    rows = list(
        OfficerMonth.objects.order_by()
        .values_list(
            "officer_id",
            "month",
            "tickets",
            "service_minutes_sum",
            "wait_minutes_sum",
            "skm_sum",
            "skm_count",
            "complaints",
            "synthetic",
        )
        .iterator(chunk_size=10_000)
    )
    if not rows:
        return None
    data = np.array([r[:1] + r[2:] for r in rows], dtype=np.float64)
    month_of_row = [r[1] for r in rows]
    months = months_between(min(month_of_row), max(month_of_row))
    month_index = {m: i for i, m in enumerate(months)}
    officer_ids, row_index = np.unique(data[:, 0].astype(np.int64), return_inverse=True)
    col_index = np.array([month_index[m] for m in month_of_row])
    shape = (len(officer_ids), len(months))

    def matrix(column: int) -> np.ndarray:
        out = np.zeros(shape)
        out[row_index, col_index] = data[:, column]
        return out

    return Panel(
        officer_ids=officer_ids,
        months=months,
        tickets=matrix(1),
        service_sum=matrix(2),
        wait_sum=matrix(3),
        skm_sum=matrix(4),
        skm_count=matrix(5),
        complaints=matrix(6),
        synthetic_share=float(data[:, 7].mean()),
    )


def completions(program_ids: Sequence[int]) -> dict[int, dt.date]:
    """Each officer's first completion of any of the programmes: a completed enrolment, or a line in the
    JP ledger for the programme (class completions and imported history from `import_completions`)."""
    first: dict[int, dt.date] = {}
    for per_person in completions_by_program(program_ids).values():
        for employee_id, day in per_person.items():
            if employee_id not in first or day < first[employee_id]:
                first[employee_id] = day
    return first


def completions_by_program(
    program_ids: Sequence[int] | None = None, employee_ids: Iterable[int] | None = None
) -> dict[int, dict[int, dt.date]]:
    """{programme id: {employee id: first completion}} in two grouped queries (None: every programme)."""
    out: dict[int, dict[int, dt.date]] = {}

    def keep(program_id: int, employee_id: int, day: dt.date | None) -> None:
        per_person = out.setdefault(program_id, {})
        if day is not None and (employee_id not in per_person or day < per_person[employee_id]):
            per_person[employee_id] = day

    enrolments = Enrollment.objects.filter(status=Enrollment.Status.COMPLETED)
    ledger = JpEntry.objects.filter(
        program__isnull=False, source__in=(JpEntry.Source.CLASS, JpEntry.Source.IMPORT)
    )
    if program_ids is not None:
        enrolments = enrolments.filter(training_class__program_id__in=program_ids)
        ledger = ledger.filter(program_id__in=program_ids)
    if employee_ids is not None:
        people = list(employee_ids)
        enrolments = enrolments.filter(employee_id__in=people)
        ledger = ledger.filter(employee_id__in=people)
    for program_id, employee_id, completed_on, ends_on in enrolments.values_list(
        "training_class__program_id", "employee_id", "completed_on", "training_class__ends_on"
    ).order_by():
        keep(program_id, employee_id, completed_on or ends_on)
    for row in ledger.values("program_id", "employee_id").annotate(first=Min("occurred_on")).order_by():
        keep(row["program_id"], row["employee_id"], row["first"])
    return out


@dataclass(frozen=True)
class Roi:
    hours_saved: float
    hours_saved_low: float
    hours_saved_high: float
    post_tickets: int
    hour_value: int
    benefit: float
    cost: int
    participants: int
    cost_per_participant: int
    roi_percent: float | None  # (benefit − cost) / cost × 100 (Phillips)
    bcr: float | None  # benefit / cost


@dataclass(frozen=True)
class ProgramImpact:
    programs: list[Program]
    outcome: str
    result: did.Estimate | did.TooThin | None  # None: no roll-up at all
    months: list[dt.date]
    synthetic_share: float
    completions_in_panel: int

    @property
    def codes(self) -> str:
        return ",".join(p.code for p in self.programs)


def programs_by_codes(codes: Iterable[str]) -> list[Program]:
    wanted = [c.strip() for c in codes if c.strip()]
    found = {p.code: p for p in Program.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing or not wanted:
        raise Program.DoesNotExist(", ".join(missing) or "no programme")
    return [found[c] for c in wanted]


def program_impact(
    programs: Sequence[Program],
    outcome: str = "service_minutes",
    *,
    panel: Panel | None = None,
    done: dict[int, dt.date] | None = None,
) -> ProgramImpact:
    if outcome not in (*OUTCOMES, ROI_OUTCOME):
        raise ValueError(f"unknown outcome {outcome!r}")
    panel = panel or load_panel()
    if panel is None:
        return ProgramImpact(list(programs), outcome, None, [], 0.0, 0)
    cohort = panel.cohorts(done if done is not None else completions([p.pk for p in programs]))
    result = did.estimate(panel.outcome(outcome), cohort, tickets=panel.tickets)
    return ProgramImpact(
        programs=list(programs),
        outcome=outcome,
        result=result,
        months=panel.months,
        synthetic_share=panel.synthetic_share,
        completions_in_panel=int((cohort != did.NEVER).sum()),
    )


def program_roi(
    programs: Sequence[Program], *, value_per_hour: int | None = None, panel: Panel | None = None
) -> tuple[did.Estimate | did.TooThin | None, Roi | None]:
    """Citizen-hours saved = −effect on (service + waiting) minutes per ticket × the treated officers'
    tickets from their completion month on, ÷ 60; cost = those officers × cost per participant."""
    panel = panel or load_panel()
    if panel is None:
        return None, None
    cohort = panel.cohorts(completions([p.pk for p in programs]))
    result = did.estimate(panel.outcome(ROI_OUTCOME), cohort, tickets=panel.tickets)
    if not isinstance(result, did.Estimate):
        return result, None
    months = np.arange(len(panel.months))
    treated = (cohort >= 1) & (cohort < len(panel.months))
    post = treated[:, None] & (months[None, :] >= cohort[:, None])
    post_tickets = int(panel.tickets[post].sum())
    participants = int(treated.sum())
    value = value_per_hour if value_per_hour is not None else hour_value()
    per_person = sum(p.cost_per_participant for p in programs)
    cost = participants * per_person
    hours = -result.effect * post_tickets / 60.0
    low = -result.ci95[1] * post_tickets / 60.0
    high = -result.ci95[0] * post_tickets / 60.0
    benefit = hours * value
    return result, Roi(
        hours_saved=hours,
        hours_saved_low=low,
        hours_saved_high=high,
        post_tickets=post_tickets,
        hour_value=value,
        benefit=benefit,
        cost=cost,
        participants=participants,
        cost_per_participant=per_person,
        roi_percent=(benefit - cost) / cost * 100 if cost else None,
        bcr=benefit / cost if cost else None,
    )


def programs_with_completions(
    panel: Panel | None,
) -> list[tuple[Program, dict[int, dt.date]]]:
    """Programmes with at least one officer of the panel who completed them (most such officers first),
    with those officers' completion dates: everything the list page needs, in three queries."""
    if panel is None:
        return []
    by_program = completions_by_program(employee_ids=panel.officer_ids.tolist())
    programs = Program.objects.in_bulk([pid for pid, people in by_program.items() if people])
    return sorted(
        ((programs[pid], by_program[pid]) for pid in programs),
        key=lambda item: (-len(item[1]), item[0].code),
    )


@dataclass(frozen=True)
class ListRow:
    program: Program
    completed: int
    result: did.Estimate | did.TooThin


LIST_CACHE_SECONDS = 600


def _fingerprint() -> str:
    """Changes whenever the roll-up or the completions change: the key of the cached list."""
    rollup = OfficerMonth.objects.aggregate(n=Count("id"), last=Max("refreshed_at"))
    ledger = JpEntry.objects.aggregate(n=Count("id"), last=Max("id"))
    done = Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    raw = "|".join(str(v) for d in (rollup, ledger, done) for v in d.values())
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def program_list_estimates() -> tuple[Panel | None, list[ListRow]]:
    """Every programme with graduates in the panel and its service-minutes estimate (or refusal). The
    estimates are cached per process until the roll-up or the completions change (10 minutes at most)."""
    key = "insights:list:" + _fingerprint()
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    panel = load_panel()
    rows: list[ListRow] = []
    for program, done in programs_with_completions(panel):
        result: did.Estimate | did.TooThin | None
        if len(done) < did.MIN_TREATED:
            result = did.TooThin("few_treated", {"treated": len(done), "needed": did.MIN_TREATED})
        else:
            result = program_impact([program], "service_minutes", panel=panel, done=done).result
        if result is not None:
            rows.append(ListRow(program, len(done), result))
    cache.set(key, (panel, rows), LIST_CACHE_SECONDS)
    return panel, rows
