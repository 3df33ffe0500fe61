"""Reads of talent management: the 9-box counts and people (scoped), the talent pool, one placement
explained, eligibility facts, the ranked shortlist of a programme and the report per institution.

The grid reads the `TalentPlacement` snapshot only (one aggregate query), so it stays fast at 15,000
employees; the snapshot is rebuilt by `services.placements_refresh` (task `talent.refresh_placements`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from mumpuni.lib.nip import parse_nip
from mumpuni.people.models import Employee, Role, Unit
from mumpuni.people.scopes import Scope, scope_for
from mumpuni.talent import ninebox
from mumpuni.talent.eligibility import Facts, Rules, Verdict, check, whole_years
from mumpuni.talent.models import (
    Application,
    EmployeeGrade,
    FurtherEducationProgram,
    PartnerInstitution,
    PerformanceRating,
    ServiceBond,
    TalentPlacement,
    TalentSettings,
)

PREDIKAT_RANK = {code: len(ninebox.PREDIKATS) - i for i, code in enumerate(ninebox.PREDIKATS)}


# --- years and roots -----------------------------------------------------------------------------------


def placement_years() -> list[int]:
    years = set(TalentPlacement.objects.values_list("year", flat=True).distinct())
    years |= set(PerformanceRating.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def default_year() -> int:
    latest = TalentPlacement.objects.aggregate(y=Max("year"))["y"]
    return int(latest) if latest else timezone.localdate().year - 1


def default_root(scope: Scope) -> Unit | None:
    """City-wide users start at the city; a unit head at their (first) subtree; a supervisor at none."""
    if scope.city_wide:
        return Unit.objects.filter(parent__isnull=True).order_by("code").first()
    if Role.UNIT_HEAD in scope.roles and scope.manage_unit_paths:
        return Unit.objects.filter(path=sorted(scope.manage_unit_paths, key=len)[0]).first()
    return None


def can_view_root(scope: Scope, unit: Unit) -> bool:
    return scope.city_wide or (
        Role.UNIT_HEAD in scope.roles and any(unit.path.startswith(p) for p in scope.manage_unit_paths)
    )


# --- the grid ------------------------------------------------------------------------------------------


def placements_in_view(user: Any, year: int, root: Unit | None) -> QuerySet[TalentPlacement]:
    """Placements of active employees the user may see as a leader, under `root` (or the team without one)."""
    scope = scope_for(user)
    qs = TalentPlacement.objects.filter(year=year, employee__active=True)
    if root is not None:
        if not can_view_root(scope, root):
            return qs.none()
        return qs.filter(employee__unit__path__startswith=root.path)
    if scope.city_wide:
        return qs
    ids = scope.team_ids
    return qs.filter(employee_id__in=ids) if ids else qs.none()


@dataclass
class Cell:
    box: int
    potential: str
    performance: str
    count: int
    pool: bool

    @property
    def potential_label(self) -> str:
        return ninebox.POTENTIAL_LABELS[self.potential]

    @property
    def performance_label(self) -> str:
        return ninebox.PERFORMANCE_LABELS[self.performance]


@dataclass
class Grid:
    year: int
    root: Unit | None
    rows: list[list[Cell]]  # potensi Tinggi first; kinerja Di Bawah → Di Atas
    placed: int
    unplaced: int
    pool: int
    children: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.placed + self.unplaced

    def counts(self) -> dict[int, int]:
        return {cell.box: cell.count for row in self.rows for cell in row}


def grid(user: Any, year: int, root: Unit | None, *, with_children: bool = True) -> Grid:
    conf = TalentSettings.load()
    qs = placements_in_view(user, year, root)
    counts = dict(qs.values_list("box").annotate(n=Count("pk")).order_by())
    unplaced = counts.pop(None, 0)
    rows = []
    for potential in reversed(ninebox.POTENTIALS):
        row = []
        for performance in ninebox.PERFORMANCES:
            box = ninebox.box_for(potential, performance, conf.numbering)
            row.append(Cell(box, potential, performance, counts.get(box, 0), box in conf.pool_boxes))
        rows.append(row)
    placed = sum(counts.values())
    pool = sum(n for box, n in counts.items() if box in conf.pool_boxes)
    result = Grid(year=year, root=root, rows=rows, placed=placed, unplaced=unplaced, pool=pool)
    if with_children and root is not None:
        result.children = _children(qs, root, conf)
    return result


def _children(qs: QuerySet[TalentPlacement], root: Unit, conf: TalentSettings) -> list[dict[str, Any]]:
    """Per child unit of the root (each with its subtree): employees placed, unplaced and in the pool."""
    children = list(Unit.objects.filter(parent=root).order_by("code"))
    if not children:
        return []
    by_path: dict[str, dict[str, Any]] = {
        c.path: {"unit": c, "placed": 0, "unplaced": 0, "pool": 0} for c in children
    }
    for path, box, n in qs.values_list("employee__unit__path", "box").annotate(n=Count("pk")).order_by():
        prefix = "/".join(path.split("/")[: root.path.count("/") + 1]) + "/"
        row = by_path.get(prefix)
        if row is None:
            continue  # placed directly in the root
        if box is None:
            row["unplaced"] += n
        else:
            row["placed"] += n
            if box in conf.pool_boxes:
                row["pool"] += n
    return [r for r in by_path.values() if r["placed"] or r["unplaced"]]


def box_people(user: Any, year: int, root: Unit | None, box: int | None) -> QuerySet[TalentPlacement]:
    qs = placements_in_view(user, year, root).select_related("employee__unit", "employee__position")
    qs = qs.filter(box__isnull=True) if box is None else qs.filter(box=box)
    return qs.order_by("-potential_score", "employee__name")


def talent_pool(user: Any, year: int, root: Unit | None) -> QuerySet[TalentPlacement]:
    conf = TalentSettings.load()
    return (
        placements_in_view(user, year, root)
        .filter(box__in=conf.pool_boxes)
        .select_related("employee__unit", "employee__position")
        .order_by("-box", "-potential_score", "employee__name")
    )


def placement_of(employee: Employee, year: int) -> TalentPlacement | None:
    return TalentPlacement.objects.filter(employee=employee, year=year).select_related("unit").first()


def latest_placement(employee: Employee) -> TalentPlacement | None:
    return TalentPlacement.objects.filter(employee=employee).order_by("-year").first()


# --- eligibility -------------------------------------------------------------------------------------


def service_start(nip: str) -> dt.date | None:
    """TMT CPNS from the NIP (PPPK: 1 January of the appointment year)."""
    try:
        parsed = parse_nip(nip)
    except ValueError:
        return None
    return dt.date(parsed.appointment_year, parsed.appointment_month or 1, 1)


def rules_of(program: FurtherEducationProgram) -> Rules:
    return Rules(
        max_age=program.max_age,
        min_grade=program.min_grade or None,
        min_years_of_service=program.min_years_of_service,
        allowed_boxes=tuple(program.allowed_boxes or ()),
        no_ongoing_bond=program.no_ongoing_bond,
    )


def _facts_bulk(employee_ids: list[int], program: FurtherEducationProgram) -> dict[int, Facts]:
    employees = Employee.objects.filter(pk__in=employee_ids).values_list("pk", "nip", "birth_date")
    grades = dict(
        EmployeeGrade.objects.filter(employee_id__in=employee_ids).values_list("employee_id", "grade")
    )
    boxes: dict[int, int | None] = {}
    for employee_id, _year, box in (
        TalentPlacement.objects.filter(employee_id__in=employee_ids).order_by("employee_id", "-year")
    ).values_list("employee_id", "year", "box"):
        boxes.setdefault(employee_id, box)
    bonds = dict(
        ServiceBond.objects.filter(employee_id__in=employee_ids)
        .values_list("employee_id")
        .annotate(until=Max("ends_on"))
        .order_by()
    )
    studies: dict[int, str] = {}
    for employee_id, name in (
        Application.objects.filter(employee_id__in=employee_ids, status__in=("selected", "enrolled"))
        .exclude(program=program)
        .values_list("employee_id", "program__name")
    ):
        studies.setdefault(employee_id, name)
    return {
        pk: Facts(
            birth_date=birth,
            service_start=service_start(nip),
            grade=grades.get(pk),
            box=boxes.get(pk),
            bond_until=bonds.get(pk),
            ongoing_study=studies.get(pk),
        )
        for pk, nip, birth in employees
    }


def eligibility_for(employee: Employee, program: FurtherEducationProgram) -> Verdict:
    facts = _facts_bulk([employee.pk], program)[employee.pk]
    return check(facts, rules_of(program), program.closes_on)


@dataclass
class Candidate:
    employee: Employee
    verdict: Verdict
    box: int | None
    predikat: str
    potential_score: float | None
    years_to_retirement: int
    application: Application | None = None
    reasons: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            not self.verdict.eligible,
            -(self.box or 0),
            -PREDIKAT_RANK.get(self.predikat, 0),
            -(self.potential_score or 0.0),
            -self.years_to_retirement,
            self.employee.name,
        )


def shortlist(
    program: FurtherEducationProgram, *, include_non_applicants: bool = False, limit: int = 200
) -> list[Candidate]:
    """Applicants (still open) ranked: eligible first, then by box, SKP predikat, potential score and years
    to retirement (more years of service left to repay the study ranks higher). With
    `include_non_applicants`, the eligible members of the talent pool who have not applied are added."""
    conf = TalentSettings.load()
    on = program.closes_on
    applications = {
        a.employee_id: a
        for a in Application.objects.filter(program=program, status__in=("applied", "verified", "selected"))
    }
    ids = set(applications)
    if include_non_applicants:
        latest_year = TalentPlacement.objects.aggregate(y=Max("year"))["y"]
        pool = TalentPlacement.objects.filter(
            year=latest_year, box__in=conf.pool_boxes, employee__active=True
        )
        if program.allowed_boxes:
            pool = pool.filter(box__in=program.allowed_boxes)
        ids |= set(pool.values_list("employee_id", flat=True)[:2000])
        ids -= set(
            Application.objects.filter(program=program)
            .exclude(employee_id__in=applications)
            .values_list("employee_id", flat=True)
        )
    id_list = sorted(ids)
    facts = _facts_bulk(id_list, program)
    employees = Employee.objects.filter(pk__in=id_list).select_related("unit", "position")
    latest: dict[int, TalentPlacement] = {}
    for p in TalentPlacement.objects.filter(employee_id__in=id_list).order_by("employee_id", "-year"):
        latest.setdefault(p.employee_id, p)
    rules = rules_of(program)
    result: list[Candidate] = []
    for employee in employees:
        verdict = check(facts[employee.pk], rules, on)
        if not verdict.eligible and employee.pk not in applications:
            continue
        placement = latest.get(employee.pk)
        retire = whole_years(
            on, dt.date(employee.birth_date.year + conf.retirement_age, employee.birth_date.month, 1)
        )
        candidate = Candidate(
            employee=employee,
            verdict=verdict,
            box=placement.box if placement else None,
            predikat=placement.predikat if placement else "",
            potential_score=placement.potential_score if placement else None,
            years_to_retirement=max(0, retire),
            application=applications.get(employee.pk),
        )
        reasons = []
        if placement and placement.box:
            reasons.append(
                f"Kotak {placement.box} ({ninebox.box_label(placement.box, conf.numbering)}, {placement.year})"
            )
        else:
            reasons.append("Belum ada penempatan 9-box")
        if placement and placement.predikat:
            reasons.append(f"SKP {placement.year}: {ninebox.PREDIKAT_LABELS[placement.predikat]}")
        if placement and placement.potential_score is not None:
            reasons.append(f"skor potensi {placement.potential_score:g}")
        reasons.append(f"{candidate.years_to_retirement} tahun menuju batas usia pensiun")
        reasons.extend(f"Tidak memenuhi — {r.label}: {r.reason}" for r in verdict.failed)
        if candidate.application is None:
            reasons.append("Belum melamar")
        candidate.reasons = reasons
        result.append(candidate)
    result.sort(key=Candidate.sort_key)
    return result[:limit]


# --- further education lists and report ---------------------------------------------------------------


def programs_open(on: dt.date | None = None) -> QuerySet[FurtherEducationProgram]:
    on = on or timezone.localdate()
    return FurtherEducationProgram.objects.filter(opens_on__lte=on, closes_on__gte=on).select_related(
        "institution", "agreement"
    )


def programs_all() -> QuerySet[FurtherEducationProgram]:
    return FurtherEducationProgram.objects.select_related("institution", "agreement").annotate(
        applicants=Count("applications"),
        seats_taken=Count("applications", filter=Q(applications__status__in=Application.SEAT_STATUSES)),
    )


def applications_in_view(user: Any) -> QuerySet[Application]:
    scope = scope_for(user)
    qs = Application.objects.select_related("program__institution", "employee__unit").order_by("-created_at")
    if scope.city_wide:
        return qs
    q = Q(employee_id=scope.own_employee_id) if scope.own_employee_id else Q(pk__in=[])
    if Role.UNIT_HEAD in scope.roles:
        for path in scope.manage_unit_paths:
            q |= Q(employee__unit__path__startswith=path)
    if scope.roles & {Role.SUPERVISOR, Role.UNIT_HEAD} and scope.team_ids:
        q |= Q(employee_id__in=scope.team_ids)
    return qs.filter(q)


def institution_report(on: dt.date | None = None) -> list[dict[str, Any]]:
    """Per institution: applicants, selected, enrolled, graduated (ever) and service bonds running on `on`."""
    on = on or timezone.localdate()
    counts = {
        row["program__institution_id"]: row
        for row in Application.objects.values("program__institution_id")
        .annotate(
            applicants=Count("pk"),
            selected=Count("pk", filter=Q(status__in=Application.SEAT_STATUSES)),
            enrolled=Count("pk", filter=Q(status="enrolled")),
            graduated=Count("pk", filter=Q(status="graduated")),
        )
        .order_by()
    }
    bonds = dict(
        ServiceBond.objects.filter(starts_on__lte=on, ends_on__gte=on)
        .values_list("application__program__institution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for institution in PartnerInstitution.objects.annotate(programs_count=Count("programs")).order_by("name"):
        c = counts.get(institution.pk, {})
        rows.append(
            {
                "institution": institution,
                "programs": institution.programs_count,
                "applicants": c.get("applicants", 0),
                "selected": c.get("selected", 0),
                "enrolled": c.get("enrolled", 0),
                "graduated": c.get("graduated", 0),
                "bonds": bonds.get(institution.pk, 0),
            }
        )
    return rows
