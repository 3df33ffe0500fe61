"""Facts for the recommender, for one employee or the whole city, in a constant number of queries.

Every read is an aggregate or a flat `values_list` over the tables involved (competency levels and
requirements, the catalogue and its classes, enrolments and the JP ledger, training assessments, tickets,
SKM answers, complaints); the per-employee work happens in Python. With a handful of employees the queries
are narrowed to them (and to colleagues in the same position names); with many they read everything once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum

from mumpuni.competencies.models import Assessment, Competency, CurrentLevel
from mumpuni.competencies.selectors import requirement_table
from mumpuni.complaints.models import Complaint
from mumpuni.development.models import PlanItem
from mumpuni.development.recommend.core import (
    Catalogue,
    ClassFacts,
    EmployeeFacts,
    PeerGain,
    ProgramFacts,
    Signal,
)
from mumpuni.learning.models import (
    ANNUAL_JP_TARGET,
    Enrollment,
    JpEntry,
    Program,
    ProgramCompetency,
    TrainingClass,
)
from mumpuni.lib.nip import in_cpns_year
from mumpuni.people.models import Employee
from mumpuni.queueing.models import Service, ServicePoint, Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse

# Above this many employees the queries read whole tables instead of an IN list.
NARROW_LIMIT = 500
CLASS_HORIZON_DAYS = 365
TICKET_WINDOW_DAYS = 90
SKM_WINDOW_DAYS = 365
COMPLAINT_WINDOW_DAYS = 180
MIN_TICKETS_OWN, MIN_TICKETS_POINT = 20, 50
MIN_SKM_OWN, MIN_SKM_UNIT = 10, 30
SKM_GOOD = 3.4  # an unsur at or above this NRR signals nothing; 0.8 below it is the full signal
UNIT_SIGNAL_FACTOR_BACK_OFFICE = 0.5  # unit figures weigh half for staff who do not serve citizens
SELF_PACED_FORMS = {"e_learning", "belajar_mandiri", "coaching", "mentoring", "komunitas", "bimbingan_kerja"}

# Which competencies a service figure points at (competency codes; configurable).
DEFAULT_SIGNAL_COMPETENCIES: dict[str, tuple[str, ...]] = {
    "service_time": ("T.WAKTU", "T.ADK"),
    "u3": ("T.WAKTU",),
    "u6": ("T.ADK", "T.PRIMA"),
    "u7": ("T.PRIMA", "T.KOMPUB", "M.05"),
    "u8": ("T.ADUAN",),
    "complaint:perilaku": ("T.PRIMA", "T.KOMPUB"),
    "complaint:waktu_tunggu": ("T.WAKTU",),
    "complaint:kualitas": ("T.PRIMA", "T.ADK"),
}


def signal_competencies() -> dict[str, tuple[str, ...]]:
    configured = getattr(settings, "MUMPUNI_RECOMMENDATION_SIGNALS", None)
    return dict(configured) if configured is not None else dict(DEFAULT_SIGNAL_COMPETENCIES)


def _clip(value: float) -> float:
    return max(0.0, min(1.0, value))


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    pk: int
    unit_id: int
    unit_path: str
    position_id: int | None
    position_kind: str
    position_level: str
    position_name: str
    front_line: bool
    nip: str


def _employees(employee_ids: Iterable[int] | None) -> list[EmployeeRow]:
    qs = Employee.objects.filter(active=True)
    if employee_ids is not None:
        qs = qs.filter(pk__in=list(employee_ids))
    return [
        EmployeeRow(pk, unit_id, path, position_id, kind or "", level or "", name or "", bool(front), nip)
        for pk, unit_id, path, position_id, kind, level, name, front, nip in qs.values_list(
            "pk",
            "unit_id",
            "unit__path",
            "position_id",
            "position__kind",
            "position__level",
            "position__name",
            "position__is_front_line",
            "nip",
        ).order_by("pk")
    ]


def _narrow(qs: Any, field: str, ids: list[int], narrow: bool) -> Any:
    return qs.filter(**{f"{field}__in": ids}) if narrow else qs


# --- catalogue -----------------------------------------------------------------------------------------


def load_programs(today: dt.date) -> list[ProgramFacts]:
    uplifts: dict[int, dict[int, int]] = defaultdict(dict)
    for program_id, competency_id, uplift in ProgramCompetency.objects.values_list(
        "program_id", "competency_id", "uplift"
    ):
        uplifts[program_id][competency_id] = uplift
    prerequisites: dict[int, set[int]] = defaultdict(set)
    through = Program.prerequisites.through
    for from_id, to_id in through.objects.values_list("from_program_id", "to_program_id"):
        prerequisites[from_id].add(to_id)
    classes: dict[int, ClassFacts] = {}
    upcoming = (
        TrainingClass.objects.filter(
            status__in=[TrainingClass.Status.PLANNED, TrainingClass.Status.OPEN],
            starts_on__gte=today,
            starts_on__lte=today + dt.timedelta(days=CLASS_HORIZON_DAYS),
        )
        .annotate(seated=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED)))
        .values_list("program_id", "code", "starts_on", "ends_on", "capacity", "seated", "status")
        .order_by("starts_on", "code")
    )
    for program_id, code, starts_on, ends_on, capacity, seated, status in upcoming:
        seats = capacity - seated
        if seats > 0 and program_id not in classes:
            classes[program_id] = ClassFacts(code, starts_on, ends_on, seats, status)
    programs = []
    for row in (
        Program.objects.filter(active=True)
        .exclude(category=Program.Category.EDUCATION)
        .values_list(
            "pk",
            "code",
            "name",
            "category",
            "form",
            "jp",
            "cost_per_participant",
            "target_position_kinds",
            "front_line_only",
            "cpns_only",
        )
        .order_by("code")
    ):
        pk, code, name, category, form, jp, cost, kinds, front_only, cpns_only = row
        programs.append(
            ProgramFacts(
                pk=pk,
                code=code,
                name=name,
                category=category,
                form=form,
                jp=float(jp),
                cost=int(cost),
                uplifts=uplifts.get(pk, {}),
                target_kinds=tuple(kinds or ()),
                front_line_only=front_only,
                cpns_only=cpns_only,
                prerequisites=frozenset(prerequisites.get(pk, ())),
                next_class=classes.get(pk),
                self_paced=category == Program.Category.NONCLASSICAL and form in SELF_PACED_FORMS,
            )
        )
    return programs


def load_peer_gains(peer_keys: set[str] | None) -> dict[tuple[str, int], PeerGain]:
    """For each (position name, programme): colleagues who completed it and their mean rise in level in the
    competencies it targets — the training-completion assessment against the last assessment before it."""
    completions = Enrollment.objects.filter(status=Enrollment.Status.COMPLETED, completed_on__isnull=False)
    training = Assessment.objects.filter(training_enrollment_id__isnull=False, withdrawn_at__isnull=True)
    earlier = Assessment.objects.filter(
        withdrawn_at__isnull=True,
        employee__in=completions.values("employee_id"),
    ).exclude(source=Assessment.Source.SELF)
    if peer_keys is not None:
        completions = completions.filter(employee__position__name__in=peer_keys)
        training = training.filter(employee__position__name__in=peer_keys)
        earlier = earlier.filter(employee__position__name__in=peer_keys)
    enrollment_rows = {
        pk: (employee_id, name or "", program_id)
        for pk, employee_id, name, program_id in completions.values_list(
            "pk", "employee_id", "employee__position__name", "training_class__program_id"
        )
    }
    history: dict[tuple[int, int], list[tuple[dt.date, int]]] = defaultdict(list)
    for employee_id, competency_id, level, assessed_on in earlier.values_list(
        "employee_id", "competency_id", "level", "assessed_on"
    ):
        history[(employee_id, competency_id)].append((assessed_on, level))
    gains: dict[int, list[int]] = defaultdict(list)
    for enrollment_id, employee_id, competency_id, level, assessed_on in training.values_list(
        "training_enrollment_id", "employee_id", "competency_id", "level", "assessed_on"
    ):
        before = [(d, lv) for d, lv in history.get((employee_id, competency_id), ()) if d < assessed_on]
        if before and enrollment_id in enrollment_rows:
            gains[enrollment_id].append(level - max(before)[1])
    per_key: dict[tuple[str, int], list[float]] = defaultdict(list)
    for enrollment_id, values in gains.items():
        _employee, name, program_id = enrollment_rows[enrollment_id]
        per_key[(name, program_id)].append(sum(values) / len(values))
    return {key: PeerGain(len(v), sum(v) / len(v)) for key, v in per_key.items()}


# --- service signals -----------------------------------------------------------------------------------


@dataclass(slots=True)
class ServiceFacts:
    point_of_unit: dict[int, tuple[int, str]]  # unit id -> (point id, point name)
    services: dict[int, tuple[str, int]]  # service id -> (name, target minutes)
    own_time: dict[int, list[tuple[int, int, float]]]  # officer -> [(service, n, mean minutes)]
    point_time: dict[int, list[tuple[int, int, float]]]  # point -> [...]
    own_skm: dict[int, tuple[int, dict[str, float]]]  # officer -> (n, {u1: nrr, ...})
    unit_skm: dict[int, tuple[int, dict[str, float]]]  # point's unit -> (n, {...})
    own_complaints: dict[int, dict[str, int]]  # officer -> {category: n}
    point_complaints: dict[int, dict[str, int]]  # point -> {category: n}


def _minutes(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 60
    return float(value) / 60_000_000  # microseconds (some backends)


def load_service_facts(
    employee_ids: list[int], unit_ids: set[int], narrow: bool, today: dt.date
) -> ServiceFacts:
    points = {
        unit_id: (pk, name) for pk, unit_id, name in ServicePoint.objects.values_list("pk", "unit_id", "name")
    }
    point_ids = [p for u, (p, _n) in points.items() if u in unit_ids] if narrow else list(points)
    services = {
        pk: (name, target)
        for pk, name, target in Service.objects.values_list("pk", "name", "target_service_minutes")
    }
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    finished = Ticket.objects.filter(
        service_date__gte=today - dt.timedelta(days=TICKET_WINDOW_DAYS),
        service_date__lte=today,
        status__in=Ticket.FINISHED_OUTCOMES,
        started_at__isnull=False,
        finished_at__isnull=False,
    )
    own_time: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for officer_id, service_id, n, mean in (
        _narrow(finished.filter(officer__isnull=False), "officer_id", employee_ids, narrow)
        .values("officer_id", "service_id")
        .annotate(n=Count("pk"), mean=Avg(duration))
        .values_list("officer_id", "service_id", "n", "mean")
        .order_by()
    ):
        own_time[officer_id].append((service_id, n, _minutes(mean)))
    point_time: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for point_id, service_id, n, mean in (
        _narrow(finished, "point_id", point_ids, narrow)
        .values("point_id", "service_id")
        .annotate(n=Count("pk"), mean=Avg(duration))
        .values_list("point_id", "service_id", "n", "mean")
        .order_by()
    ):
        point_time[point_id].append((service_id, n, _minutes(mean)))

    answers = SurveyResponse.objects.filter(service_date__gte=today - dt.timedelta(days=SKM_WINDOW_DAYS))
    averages = {f: Avg(f) for f in UNSUR_FIELDS}

    def skm(group: str, qs: Any) -> dict[int, tuple[int, dict[str, float]]]:
        out = {}
        for row in qs.values(group).annotate(n=Count("pk"), **averages).order_by():
            nrr = {f: float(row[f]) for f in UNSUR_FIELDS if row[f] is not None}
            out[row[group]] = (row["n"], nrr)
        return out

    own_skm = skm(
        "officer_id", _narrow(answers.filter(officer__isnull=False), "officer_id", employee_ids, narrow)
    )
    point_unit_ids = [u for u, (p, _n) in points.items() if p in set(point_ids)]
    unit_skm = skm("unit_id", _narrow(answers, "unit_id", point_unit_ids, narrow))

    complaints = Complaint.objects.filter(
        kind=Complaint.Kind.COMPLAINT,
        received_at__date__gte=today - dt.timedelta(days=COMPLAINT_WINDOW_DAYS),
    ).exclude(status=Complaint.Status.REJECTED)
    own_complaints: dict[int, dict[str, int]] = defaultdict(dict)
    for officer_id, category, n in (
        _narrow(complaints.filter(officer__isnull=False), "officer_id", employee_ids, narrow)
        .values("officer_id", "category")
        .annotate(n=Count("pk"))
        .values_list("officer_id", "category", "n")
        .order_by()
    ):
        own_complaints[officer_id][category] = n
    point_complaints: dict[int, dict[str, int]] = defaultdict(dict)
    for point_id, category, n in (
        _narrow(complaints.filter(point__isnull=False), "point_id", point_ids, narrow)
        .values("point_id", "category")
        .annotate(n=Count("pk"))
        .values_list("point_id", "category", "n")
        .order_by()
    ):
        point_complaints[point_id][category] = n
    return ServiceFacts(
        point_of_unit=points,
        services=services,
        own_time=dict(own_time),
        point_time=dict(point_time),
        own_skm=own_skm,
        unit_skm=unit_skm,
        own_complaints=dict(own_complaints),
        point_complaints=dict(point_complaints),
    )


def _point_for(row: EmployeeRow, facts: ServiceFacts) -> tuple[int, int, str] | None:
    """The service point of the employee's unit or the nearest unit above it: (unit id, point id, name)."""
    for part in reversed(row.unit_path.strip("/").split("/")):
        if part and int(part) in facts.point_of_unit:
            point_id, name = facts.point_of_unit[int(part)]
            return int(part), point_id, name
    return None


def employee_signals(
    row: EmployeeRow, facts: ServiceFacts, mapping: Mapping[str, frozenset[int]], today: dt.date
) -> list[Signal]:
    del today
    signals: list[Signal] = []
    factor = 1.0 if row.front_line else UNIT_SIGNAL_FACTOR_BACK_OFFICE
    point = _point_for(row, facts)

    def add(key: str, severity: float, own: bool, data: dict[str, Any]) -> None:
        competencies = mapping.get(key)
        if competencies and severity > 0:
            signals.append(Signal(key, round(severity, 3), competencies, own, data))

    # Service time: the employee's own tickets when they serve enough, else their point's.
    times = [(s, n, m, True) for s, n, m in facts.own_time.get(row.pk, ()) if n >= MIN_TICKETS_OWN]
    if not times and point is not None:
        times = [(s, n, m, False) for s, n, m in facts.point_time.get(point[1], ()) if n >= MIN_TICKETS_POINT]
    worst = None
    for service_id, n, mean, own in times:
        name, target = facts.services.get(service_id, ("", 0))
        if target and mean > target:
            severity = _clip((mean / target - 1) / 0.5) * (1.0 if own else factor)
            if worst is None or severity > worst[0]:
                worst = (severity, own, {"mean": mean, "target": target, "service": name, "n": n})
    if worst is not None:
        data = worst[2] | ({"point": point[2]} if point else {})
        add("service_time", worst[0], worst[1], data)

    # SKM: own answers when there are enough, else the unit's.
    skm = facts.own_skm.get(row.pk)
    own = skm is not None and skm[0] >= MIN_SKM_OWN
    if not own:
        skm = facts.unit_skm.get(point[0]) if point else None
        if skm is not None and skm[0] < MIN_SKM_UNIT:
            skm = None
    if skm is not None:
        n, nrr = skm
        ranked = sorted(nrr, key=lambda f: (nrr[f], f))
        for field in ("u3", "u6", "u7", "u8"):
            if field in nrr:
                rank = ranked.index(field) + 1
                severity = _clip((SKM_GOOD - nrr[field]) / 0.8) * (1.0 if rank <= 3 else 0.5)
                add(
                    field, severity * (1.0 if own else factor), own, {"nrr": nrr[field], "n": n, "rank": rank}
                )

    # Complaints naming the employee, else about their point.
    labels = dict(Complaint.Category.choices)
    mine = facts.own_complaints.get(row.pk, {})
    for category, n in mine.items():
        add(
            f"complaint:{category}",
            _clip(n / 3),
            True,
            {
                "n": n,
                "category_label": str(labels.get(category, category)).lower(),
                "days": COMPLAINT_WINDOW_DAYS,
            },
        )
    if point is not None:
        for category, n in facts.point_complaints.get(point[1], {}).items():
            if category in mine or n < 3:
                continue
            add(
                f"complaint:{category}",
                _clip(n / 15) * factor,
                False,
                {
                    "n": n,
                    "category_label": str(labels.get(category, category)).lower(),
                    "point": point[2],
                    "days": COMPLAINT_WINDOW_DAYS,
                },
            )
    return signals


# --- everything ----------------------------------------------------------------------------------------


def load(
    employee_ids: Iterable[int] | None = None, *, today: dt.date
) -> tuple[Catalogue, dict[int, EmployeeFacts]]:
    """The catalogue and the facts of the given active employees (None: every active employee)."""
    rows = _employees(employee_ids)
    ids = [r.pk for r in rows]
    narrow = employee_ids is not None and len(ids) <= NARROW_LIMIT
    codes = dict(Competency.objects.values_list("code", "pk"))
    names = dict(Competency.objects.values_list("pk", "name"))
    mapping = {
        key: frozenset(codes[c] for c in wanted if c in codes)
        for key, wanted in signal_competencies().items()
    }

    position_ids = {r.position_id for r in rows if r.position_id}
    table = requirement_table(list(position_ids) if narrow else None)
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for employee_id, competency_id, level in _narrow(
        CurrentLevel.objects.all(), "employee_id", ids, narrow
    ).values_list("employee_id", "competency_id", "level"):
        levels[employee_id][competency_id] = level

    taken: dict[int, set[int]] = defaultdict(set)
    completed: dict[int, set[int]] = defaultdict(set)
    for employee_id, program_id, status in _narrow(
        Enrollment.objects.filter(status__in=[*Enrollment.ACTIVE_STATUSES, Enrollment.Status.COMPLETED]),
        "employee_id",
        ids,
        narrow,
    ).values_list("employee_id", "training_class__program_id", "status"):
        taken[employee_id].add(program_id)
        if status == Enrollment.Status.COMPLETED:
            completed[employee_id].add(program_id)
    for employee_id, program_id in (
        _narrow(JpEntry.objects.filter(program__isnull=False), "employee_id", ids, narrow)
        .values_list("employee_id", "program_id")
        .distinct()
    ):
        taken[employee_id].add(program_id)
        completed[employee_id].add(program_id)
    # Programmes already in the employee's plan of the year are not proposed again.
    for employee_id, program_id in _narrow(
        PlanItem.objects.filter(plan__year=today.year, program__isnull=False),
        "plan__employee_id",
        ids,
        narrow,
    ).values_list("plan__employee_id", "program_id"):
        taken[employee_id].add(program_id)
    jp_done = {
        employee_id: float(total or 0)
        for employee_id, total in _narrow(JpEntry.objects.filter(year=today.year), "employee_id", ids, narrow)
        .values("employee_id")
        .annotate(total=Sum("jp"))
        .values_list("employee_id", "total")
        .order_by()
    }

    peer_keys = {r.position_name for r in rows if r.position_name} if narrow else None
    catalogue = Catalogue(
        programs=load_programs(today),
        competency_names=names,
        peer_gains=load_peer_gains(peer_keys),
        today=today,
        jp_target=float(ANNUAL_JP_TARGET),
    )
    service = load_service_facts(ids, {u for r in rows for u in _path_ids(r.unit_path)}, narrow, today)

    facts: dict[int, EmployeeFacts] = {}
    for r in rows:
        required = (
            table.for_position(r.position_id, r.position_kind, r.position_level) if r.position_id else {}
        )
        own_levels = levels.get(r.pk, {})
        gaps = {
            k: (own_levels[k], need)
            for k, need in required.items()
            if k in own_levels and own_levels[k] < need
        }
        facts[r.pk] = EmployeeFacts(
            pk=r.pk,
            position_kind=r.position_kind,
            front_line=r.front_line,
            peer_key=r.position_name,
            gaps=gaps,
            jp_done=jp_done.get(r.pk, 0.0),
            taken=taken.get(r.pk, set()),
            completed=completed.get(r.pk, set()),
            signals=employee_signals(r, service, mapping, today),
            cpns=in_cpns_year(r.nip, today),
        )
    return catalogue, facts


def _path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]
