"""Building the optimizer's instance (../shared/docs/domain.md, "Training plan model") from live data.

- Employees: active, in the scenario's units (all units when none is chosen), with a position and a
  positive gap in a competency some candidate programme raises — plus everyone in a mandatory pair.
  Gap gₑₖ = required − current level (never negative; unassessed competencies have no known gap, as on the
  competency pages), minus the uplift of programmes the employee is already committed to this year, so a
  plan does not buy again what is already on its way.
- Weight wₑ = 1 × front-line multiplier (front-line position or counter-officer role) × the multipliers of
  the employee's service unit (their unit's service point, or the nearest one above it) whose figures over
  the look-back window are poor: mean wait above the city median × ratio, IKM below the threshold,
  complaints per 1,000 finished tickets above the threshold. Each part is kept in `meta` with its figures.
- Importance iₖ from CompetencyImportance (default 1).
- Programmes: the scenario's, or every active non-education programme that raises a competency; cost cₚ is
  the cost per participant when the APBD pays for it, else 0 (partners and free courses do not use the
  city's budget); seats sₚ = free seats of its planned/open classes starting in the year, or the
  scenario's assumed seats when it has none (unlimited for self-paced online forms).
- Unit of an employee: the nearest unit with an APBD unit budget of the year, else the top-level unit
  (OPD/kecamatan) they belong to. Unit budgets Bᵤ: the remaining APBD unit budgets when the scenario uses
  them; for the equal-per-unit variant, the budget split into equal shares over those units.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from mumpuni.competencies.models import Competency, CurrentLevel
from mumpuni.competencies.selectors import requirement_table
from mumpuni.complaints.models import Complaint
from mumpuni.learning.models import (
    ANNUAL_JP_TARGET,
    Enrollment,
    JpEntry,
    Program,
    ProgramCompetency,
    TrainingClass,
)
from mumpuni.lib.nip import in_cpns_year
from mumpuni.people.models import Employee, Role, RoleAssignment, Unit
from mumpuni.planning import selectors
from mumpuni.planning.models import CompetencyImportance, FundingSource, Scenario, UnitBudget, WeightSettings
from mumpuni.queueing.models import ServicePoint, Ticket
from mumpuni.surveys.selectors import IkmFilter, compare_units

SELF_PACED_FORMS = (Program.Form.E_LEARNING, Program.Form.BELAJAR_MANDIRI, Program.Form.JARAK_JAUH)
SEAT_STATUSES = (*Enrollment.ACTIVE_STATUSES, *Enrollment.SEATED_STATUSES)


@dataclass
class UnitFigures:
    unit_code: str
    unit_name: str
    wait_mean: float | None = None
    tickets: int = 0
    ikm: float | None = None
    complaints: int = 0

    @property
    def complaint_rate(self) -> float | None:
        return round(self.complaints * 1000 / self.tickets, 2) if self.tickets else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit_code,
            "name": self.unit_name,
            "wait_mean": None if self.wait_mean is None else round(self.wait_mean, 1),
            "tickets": self.tickets,
            "ikm": self.ikm,
            "complaints": self.complaints,
            "complaint_rate": self.complaint_rate,
        }


@dataclass
class Built:
    instance: dict[str, Any]
    meta: dict[str, Any]
    problems: list[str] = field(default_factory=list)  # reasons the instance cannot be feasible


def _fmt(value: float, places: int = 1) -> str:
    return f"{value:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _rp(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


# --- service figures --------------------------------------------------------------------------------


def service_figures(since: dt.date, until: dt.date) -> dict[int, UnitFigures]:
    """{unit id of a service point: its figures} over [since, until] — three grouped queries."""
    points = {p.unit_id: p for p in ServicePoint.objects.select_related("unit")}
    figures = {uid: UnitFigures(p.unit.code, p.unit.name) for uid, p in points.items()}
    waits = (
        Ticket.objects.filter(service_date__gte=since, service_date__lte=until)
        .values("point__unit_id")
        .annotate(
            wait=Avg(F("called_at") - F("issued_at"), filter=Q(called_at__isnull=False)),
            finished=Count("pk", filter=Q(status__in=Ticket.FINISHED_OUTCOMES)),
        )
        .order_by()
    )
    for row in waits:
        fig = figures.get(row["point__unit_id"])
        if fig is None:
            continue
        wait = row["wait"]
        fig.wait_mean = wait.total_seconds() / 60 if isinstance(wait, dt.timedelta) else None
        fig.tickets = row["finished"]
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until, dt.time.max))
    complaints = (
        Complaint.objects.filter(received_at__gte=start, received_at__lte=end, point__isnull=False)
        .values("point__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in complaints:
        if row["point__unit_id"] in figures:
            figures[row["point__unit_id"]].complaints = row["n"]
    ikm = compare_units(IkmFilter(date_from=since, date_to=until), Unit.objects.filter(pk__in=list(points)))
    for group in ikm:
        if group.key in figures and group.result.ikm is not None:
            figures[group.key].ikm = float(group.result.ikm)
    return figures


def weight_parts(
    *,
    front_line: bool,
    figures: UnitFigures | None,
    settings: WeightSettings,
    city_median_wait: float | None,
) -> list[dict[str, Any]]:
    """The multipliers that make an employee's weight (the product of the factors), each with its reason."""
    parts: list[dict[str, Any]] = [{"code": "base", "label": "Bobot dasar", "factor": 1.0, "detail": ""}]
    if front_line:
        parts.append(
            {
                "code": "front_line",
                "label": "Petugas pelayanan langsung",
                "factor": float(settings.front_line_multiplier),
                "detail": "jabatan pelayanan langsung atau peran petugas loket",
            }
        )
    if figures is None:
        return parts
    ratio = float(settings.wait_ratio)
    if (
        figures.wait_mean is not None
        and city_median_wait is not None
        and figures.wait_mean > city_median_wait * ratio
    ):
        parts.append(
            {
                "code": "wait",
                "label": "Waktu tunggu lama",
                "factor": float(settings.wait_multiplier),
                "detail": (
                    f"rata-rata tunggu {figures.unit_name} {_fmt(figures.wait_mean)} menit > "
                    f"median kota {_fmt(city_median_wait)} menit × {_fmt(ratio, 2)}"
                ),
            }
        )
    if figures.ikm is not None and figures.ikm < float(settings.ikm_threshold):
        parts.append(
            {
                "code": "ikm",
                "label": "IKM rendah",
                "factor": float(settings.ikm_multiplier),
                "detail": f"IKM {figures.unit_name} {_fmt(figures.ikm, 2)} < {_fmt(float(settings.ikm_threshold), 2)}",
            }
        )
    rate = figures.complaint_rate
    if rate is not None and rate > float(settings.complaint_rate_threshold):
        parts.append(
            {
                "code": "complaints",
                "label": "Pengaduan banyak",
                "factor": float(settings.complaint_multiplier),
                "detail": (
                    f"{figures.complaints} pengaduan per {figures.tickets} tiket selesai = {_fmt(rate, 2)} per 1.000 "
                    f"> {_fmt(float(settings.complaint_rate_threshold), 2)}"
                ),
            }
        )
    return parts


def weight_of(parts: list[dict[str, Any]]) -> float:
    weight = 1.0
    for part in parts:
        weight *= part["factor"]
    return round(weight, 6)


# --- the instance -----------------------------------------------------------------------------------


def _path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _candidate_programs(scenario: Scenario) -> list[Program]:
    chosen = list(scenario.programs.all())
    qs = (
        Program.objects.filter(pk__in=[p.pk for p in chosen])
        if chosen
        else Program.objects.filter(active=True, competency_uplifts__isnull=False)
        .exclude(category=Program.Category.EDUCATION)
        .distinct()
    )
    programs = {p.pk: p for p in qs}
    for p in scenario.mandatory_programs.all():
        programs.setdefault(p.pk, p)
    return sorted(programs.values(), key=lambda p: p.code)


def _seats(programs: list[Program], year: int, default: int) -> dict[int, int | None]:
    """Free seats per programme in the year; None (no limit) for self-paced forms without classes."""
    classes = (
        TrainingClass.objects.filter(
            program_id__in=[p.pk for p in programs],
            starts_on__year=year,
            status__in=(TrainingClass.Status.PLANNED, TrainingClass.Status.OPEN),
        )
        .annotate(taken=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES)))
        .values_list("program_id", "capacity", "taken")
    )
    seats: dict[int, int | None] = {}
    for program_id, capacity, taken in classes:
        seats[program_id] = (seats.get(program_id) or 0) + max(0, capacity - taken)
    for p in programs:
        if p.pk not in seats:
            seats[p.pk] = None if p.form in SELF_PACED_FORMS else default
    return seats


def build_instance(scenario: Scenario) -> Built:
    """The solver's input for `scenario` from today's data, with the explanation material in `meta`."""
    year = scenario.year
    settings = WeightSettings.current()
    today = timezone.localdate()
    since = today - dt.timedelta(days=settings.lookback_days)

    # Employees in the selection.
    chosen_units = list(scenario.units.all())
    employees_qs = Employee.objects.filter(active=True)
    if chosen_units:
        employees_qs = employees_qs.filter(
            reduce(or_, (Q(unit__path__startswith=u.path) for u in chosen_units))
        )
    people = list(
        employees_qs.values_list(
            "pk",
            "nip",
            "name",
            "unit_id",
            "unit__path",
            "position_id",
            "position__kind",
            "position__level",
            "position__is_front_line",
            "user_id",
        )
    )
    population = len(people)
    ids = [p[0] for p in people]
    # The selection as a subquery, not an IN list of thousands of ids (SQLite binds each one).
    selection = employees_qs.values("pk")

    # Programmes, their uplifts and funding.
    programs = _candidate_programs(scenario)
    by_program: dict[int, dict[int, int]] = defaultdict(dict)
    for program_id, competency_id, uplift in ProgramCompetency.objects.filter(
        program_id__in=[p.pk for p in programs]
    ).values_list("program_id", "competency_id", "uplift"):
        by_program[program_id][competency_id] = uplift
    coverable = {k for uplifts in by_program.values() for k in uplifts}
    competencies = {c.pk: c for c in Competency.objects.filter(pk__in=coverable)}
    importance = {
        cid: float(value)
        for cid, value in CompetencyImportance.objects.filter(competency_id__in=coverable).values_list(
            "competency_id", "importance"
        )
    }
    funding = selectors.program_sources(programs)

    # Gaps of the selection (coverable competencies only), minus what committed enrolments will close.
    table = requirement_table(list({p[5] for p in people if p[5]}))
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for emp_id, comp_id, level in (
        CurrentLevel.objects.filter(employee_id__in=selection, competency_id__in=coverable).values_list(
            "employee_id", "competency_id", "level"
        )
        if ids
        else []
    ):
        current[emp_id][comp_id] = level
    committed_uplift: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    committed_programs: dict[int, list[str]] = defaultdict(list)
    committed_rows = (
        Enrollment.objects.filter(
            employee_id__in=selection,
            status__in=selectors.COMMITTED_STATUSES,
            training_class__starts_on__year=year,
        ).values_list("employee_id", "training_class__program_id", "training_class__program__code")
        if ids
        else []
    )
    all_uplifts: dict[int, dict[int, int]] = defaultdict(dict)
    for program_id, competency_id, uplift in ProgramCompetency.objects.filter(
        program_id__in={r[1] for r in committed_rows}
    ).values_list("program_id", "competency_id", "uplift"):
        all_uplifts[program_id][competency_id] = uplift
    for emp_id, program_id, code in committed_rows:
        committed_programs[emp_id].append(code)
        for comp_id, uplift in all_uplifts[program_id].items():
            committed_uplift[emp_id][comp_id] += uplift

    # Front line: a front-line position or the counter-officer role.
    officer_users = set(
        RoleAssignment.objects.filter(role=Role.COUNTER_OFFICER).values_list("user_id", flat=True)
    )

    # Service figures and units.
    figures = service_figures(since, today)
    waits = [f.wait_mean for f in figures.values() if f.wait_mean is not None]
    median_wait = statistics.median(waits) if waits else None
    units = {u.pk: u for u in Unit.objects.only("pk", "code", "name", "path", "parent_id")}
    apbd = selectors.apbd_source()
    apbd_unit_budgets: dict[int, int] = {}
    if apbd is not None:
        apbd_unit_budgets = dict(
            UnitBudget.objects.filter(year=year, source=apbd).values_list("unit_id", "amount")
        )

    def budget_unit(path: str) -> Unit:
        chain = _path_ids(path)
        for uid in reversed(chain):
            if uid in apbd_unit_budgets:
                return units[uid]
        return units[chain[1] if len(chain) > 1 else chain[0]]

    def service_unit(path: str) -> UnitFigures | None:
        for uid in reversed(_path_ids(path)):
            if uid in figures:
                return figures[uid]
        return None

    # Earned JP of the year (for JP coverage).
    earned: dict[int, Decimal] = (
        dict(
            JpEntry.objects.filter(employee_id__in=selection, year=year)
            .values("employee_id")
            .annotate(t=Sum("jp"))
            .order_by()
            .values_list("employee_id", "t")
        )
        if ids
        else {}
    )
    reached_before = sum(1 for v in earned.values() if v >= ANNUAL_JP_TARGET)

    # Mandatory pairs: the mandatory programmes' target group, then the explicit pairs.
    by_nip = {p[1]: p for p in people}
    program_by_code = {p.code: p for p in programs}
    completed_pairs = (
        set(
            Enrollment.objects.filter(
                employee_id__in=selection,
                training_class__program__in=scenario.mandatory_programs.all(),
                status=Enrollment.Status.COMPLETED,
            ).values_list("employee_id", "training_class__program_id")
        )
        if ids
        else set()
    )
    committed_pairs = {(emp_id, program_id) for emp_id, program_id, _code in committed_rows}
    mandatory: list[tuple[str, str]] = []
    problems: list[str] = []
    for program in scenario.mandatory_programs.all():
        for p in people:
            emp_id, _nip, _n, _u, _path, position_id, kind, _lvl, is_front, user_id = p
            front = bool(is_front) or user_id in officer_users
            if program.front_line_only and not front:
                continue
            if program.target_position_kinds and kind not in program.target_position_kinds:
                continue
            if program.cpns_only and not in_cpns_year(p[1], today):
                continue
            if (emp_id, program.pk) in completed_pairs or (emp_id, program.pk) in committed_pairs:
                continue
            mandatory.append((p[1], program.code))
    for pair in scenario.mandatory_pairs or []:
        nip, code = str(pair.get("employee", "")), str(pair.get("program", ""))
        if nip not in by_nip:
            problems.append(f"Pegawai wajib {nip} tidak aktif atau di luar unit skenario.")
            continue
        if code not in program_by_code:
            extra = Program.objects.filter(code=code).first()
            if extra is None:
                problems.append(f"Program wajib {code} tidak ada di katalog.")
                continue
            programs.append(extra)
            program_by_code[code] = extra
            funding.update(selectors.program_sources([extra]))
            for comp_id, up in ProgramCompetency.objects.filter(program=extra).values_list(
                "competency_id", "uplift"
            ):
                by_program[extra.pk][comp_id] = up
        mandatory.append((nip, code))
    mandatory = list(dict.fromkeys(mandatory))
    mandatory_nips = {nip for nip, _code in mandatory}

    # Employees of the instance.
    inst_employees: list[dict[str, Any]] = []
    emp_meta: dict[str, dict[str, Any]] = {}
    total_weighted_gap = 0.0
    for p in people:
        emp_id, nip, name, unit_id, path, position_id, kind, position_level, is_front, user_id = p
        gaps: dict[str, int] = {}
        raw_gaps: dict[str, int] = {}
        if position_id:
            required = table.for_position(position_id, kind, position_level)
            for comp_id in coverable:
                if comp_id not in required or comp_id not in current[emp_id]:
                    continue
                gap = max(0, required[comp_id] - current[emp_id][comp_id])
                if gap <= 0:
                    continue
                code = competencies[comp_id].code
                raw_gaps[code] = gap
                left = max(0, gap - committed_uplift[emp_id].get(comp_id, 0))
                if left > 0:
                    gaps[code] = min(4, left)
        if not gaps and nip not in mandatory_nips:
            continue
        front = bool(is_front) or user_id in officer_users
        parts = weight_parts(
            front_line=front, figures=service_unit(path), settings=settings, city_median_wait=median_wait
        )
        weight = weight_of(parts)
        unit = budget_unit(path)
        inst_employees.append({"id": nip, "weight": weight, "unit": unit.code, "gaps": gaps})
        total_weighted_gap += weight * sum(
            importance.get(comp_id, 1.0) * gaps.get(c.code, 0) for comp_id, c in competencies.items()
        )
        emp_meta[nip] = {
            "pk": emp_id,
            "name": name,
            "unit": units[unit_id].name,
            "unit_code": units[unit_id].code,
            "budget_unit": unit.code,
            "front_line": front,
            "weight_parts": parts,
            "earned_jp": float(earned.get(emp_id, 0)),
            "raw_gaps": raw_gaps,
            "committed": committed_programs.get(emp_id, []),
        }

    # Programmes of the instance.
    seats = _seats(programs, year, scenario.default_seats)
    with_class = set(
        TrainingClass.objects.filter(
            program_id__in=[p.pk for p in programs],
            starts_on__year=year,
            status__in=(TrainingClass.Status.PLANNED, TrainingClass.Status.OPEN),
        ).values_list("program_id", flat=True)
    )
    inst_programs = []
    prog_meta: dict[str, dict[str, Any]] = {}
    for program in sorted(programs, key=lambda p: p.code):
        raises = {competencies[c].code: u for c, u in by_program[program.pk].items() if c in competencies}
        if not raises and program.code not in {c for _n, c in mandatory}:
            continue
        source = funding.get(program.pk)
        pays = source is not None and source.kind == FundingSource.Kind.APBD
        cost = int(program.cost_per_participant) if pays else 0
        jp = float(program.jp)
        entry: dict[str, Any] = {
            "code": program.code,
            "cost": cost,
            "jp": int(jp) if jp == int(jp) else jp,
            "uplift": raises,
        }
        if seats[program.pk] is not None:
            entry["seats"] = seats[program.pk]
        inst_programs.append(entry)
        prog_meta[program.code] = {
            "pk": program.pk,
            "name": program.name,
            "source": source.name if source else "",
            "full_cost": int(program.cost_per_participant),
            "has_class": program.pk in with_class,
        }

    # Unit budgets.
    unit_codes = sorted({e["unit"] for e in inst_employees})
    unit_budgets: dict[str, int] = {}
    code_to_unit = {u.code: u for u in units.values()}
    if scenario.variant == Scenario.Variant.EQUAL_PER_UNIT and unit_codes:
        share = scenario.budget // len(unit_codes)
        unit_budgets = dict.fromkeys(unit_codes, share)
    elif scenario.use_unit_budgets and apbd is not None:
        spent = selectors.unit_spend(year, apbd)
        for code in unit_codes:
            uid = code_to_unit[code].pk
            if uid in apbd_unit_budgets:
                unit_budgets[code] = max(0, apbd_unit_budgets[uid] - spent.get(uid, 0))

    instance: dict[str, Any] = {
        "budget": int(scenario.budget),
        "max_jp_per_employee": int(scenario.max_jp_per_employee),
        "competencies": [
            {"code": c.code, "importance": importance.get(c.pk, 1.0)}
            for c in sorted(competencies.values(), key=lambda c: c.code)
        ],
        "programs": inst_programs,
        "employees": inst_employees,
        "mandatory": [{"employee": n, "program": c} for n, c in mandatory],
        "unit_budgets": unit_budgets,
    }
    problems.extend(diagnose(instance))
    meta = {
        "built_at": timezone.now().isoformat(),
        "year": year,
        "since": since.isoformat(),
        "until": today.isoformat(),
        "weights": {
            "front_line_multiplier": float(settings.front_line_multiplier),
            "wait_ratio": float(settings.wait_ratio),
            "wait_multiplier": float(settings.wait_multiplier),
            "ikm_threshold": float(settings.ikm_threshold),
            "ikm_multiplier": float(settings.ikm_multiplier),
            "complaint_rate_threshold": float(settings.complaint_rate_threshold),
            "complaint_multiplier": float(settings.complaint_multiplier),
            "lookback_days": settings.lookback_days,
        },
        "city_median_wait": median_wait,
        "service_figures": {f.unit_code: f.as_dict() for f in figures.values()},
        "employees": emp_meta,
        "programs": prog_meta,
        "competencies": {c.code: c.name for c in competencies.values()},
        "units": {code: code_to_unit[code].name for code in unit_codes},
        "jp_population": population,
        "jp_reached_before": reached_before,
        "jp_target": ANNUAL_JP_TARGET,
        "total_weighted_gap": round(total_weighted_gap, 6),
    }
    return Built(instance=instance, meta=meta, problems=problems)


def diagnose(instance: dict[str, Any]) -> list[str]:
    """Plain reasons why no plan can satisfy the mandatory pairs (the solver only says 'infeasible')."""
    problems: list[str] = []
    programs = {p["code"]: p for p in instance["programs"]}
    employees = {e["id"]: e for e in instance["employees"]}
    cost = 0
    per_unit: dict[str, int] = defaultdict(int)
    per_employee_jp: dict[str, float] = defaultdict(float)
    per_program: dict[str, int] = defaultdict(int)
    for pair in instance["mandatory"]:
        program = programs.get(pair["program"])
        employee = employees.get(pair["employee"])
        if program is None or employee is None:
            continue
        cost += program["cost"]
        per_unit[employee["unit"]] += program["cost"]
        per_employee_jp[pair["employee"]] += float(program["jp"])
        per_program[pair["program"]] += 1
    if cost > instance["budget"]:
        problems.append(
            f"Program wajib saja sudah butuh {_rp(cost)}, melebihi anggaran skenario {_rp(instance['budget'])}."
        )
    for unit, amount in sorted(per_unit.items()):
        limit = instance["unit_budgets"].get(unit)
        if limit is not None and amount > limit:
            problems.append(
                f"Program wajib unit {unit} butuh {_rp(amount)}, melebihi pagu unit {_rp(limit)}."
            )
    cap = instance["max_jp_per_employee"]
    over = sorted(nip for nip, jp in per_employee_jp.items() if jp > cap)
    if over:
        problems.append(
            f"{len(over)} pegawai wajib mengikuti program melebihi batas {cap} JP per pegawai "
            f"(mis. {over[0]}: {_fmt(per_employee_jp[over[0]])} JP)."
        )
    for code, n in sorted(per_program.items()):
        if programs[code].get("seats") is not None and n > programs[code]["seats"]:
            problems.append(
                f"Program wajib {code} untuk {n} pegawai, padahal kursinya hanya {programs[code]['seats']}."
            )
    return problems
