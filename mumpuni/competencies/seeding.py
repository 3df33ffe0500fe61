"""Demo data for competencies: the SKJ dictionary, the default and position requirements, and three years of
assessment history for the seeded ASN, with current levels filled by the same precedence as the services.

Deterministic for a seed (one random.Random, fixed reference date) and bulk-inserted: the whole part takes a
few seconds on SQLite for 15,000 ASN.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from mumpuni.competencies.dictionary import DICTIONARY, LEVEL_TITLES, MANAGERIAL_DEFAULTS
from mumpuni.competencies.models import (
    Assessment,
    Competency,
    CompetencyLevel,
    CurrentLevel,
    ManagerialDefault,
    PositionRequirement,
)
from mumpuni.competencies.selectors import requirement_table
from mumpuni.competencies.services import pick_current
from mumpuni.people.models import Employee, Position, Unit

REFERENCE_DATE = dt.date(2026, 1, 1)  # as the people seed: the data does not move with the clock
HISTORY_DAYS = 3 * 365
BATCH = 5000
SOURCE = Assessment.Source


def technical_requirements(
    code: str, kind: str, level: str, unit_kind: str, front_line: bool
) -> dict[str, int]:
    """Technical levels a seeded position requires, from its role in the unit (position code suffix)."""
    key = code.split("-", 1)[1] if "-" in code else code
    manager = kind in ("jpt", "administrator", "pengawas")
    required: dict[str, int] = {"T.DIGITAL": 2 if manager or level.startswith("ahli") else 1}
    adk = 3 if unit_kind == Unit.Kind.MPP or "DISDUKCAPIL" in code else 2
    if front_line:
        required |= {"T.ADK": adk, "T.PRIMA": 2, "T.KOMPUB": 2, "T.WAKTU": 2}
        if key == "PETUGAS-INFO":
            required |= {"T.ADUAN": 2, "T.KOMPUB": 3}
    elif key == "KASI-PEL":
        required |= {"T.ADK": 3, "T.PRIMA": 3, "T.ADUAN": 3, "T.KOMPUB": 3, "T.WAKTU": 2, "T.DIGITAL": 2}
    elif key == "PENGOLAH-PEL":
        required |= {"T.ADK": 2, "T.DATA": 2, "T.WAKTU": 2}
    elif key in ("PENGADM", "KASUBBAG-UMPEG", "KASUBBAG-TU"):
        required |= {"T.ARSIP": 2 if key == "PENGADM" else 3, "T.WAKTU": 2}
    elif key in ("KASUBBAG-PK", "PENATA-LAYANAN"):
        required |= {"T.KEU": 3 if key == "KASUBBAG-PK" else 2, "T.PERENC": 2}
    elif key in ("PENGOLAH-DATA",) or "PRAKOM" in key:
        required |= {"T.DATA": 2}
    elif key in ("TRANTIB", "KASI-TRANTIB"):
        required |= {"T.TRANTIB": 2 if key == "TRANTIB" else 3, "T.KOMPUB": 2}
    elif key in ("CAMAT", "LURAH", "SEKCAM", "SEKLUR"):
        required |= {"T.PRIMA": 3, "T.ADUAN": 3, "T.KOMPUB": 3, "T.PERENC": 2}
    if unit_kind in (Unit.Kind.KECAMATAN, Unit.Kind.KELURAHAN, Unit.Kind.MPP) and manager:
        required.setdefault("T.ADUAN", 2)
    return required


def _seed_dictionary() -> dict[str, Competency]:
    competencies = Competency.objects.bulk_create(
        [Competency(code=e.code, name=e.name, kind=e.kind, description=e.description) for e in DICTIONARY]
    )
    by_code = {c.code: c for c in Competency.objects.filter(code__in=[c.code for c in competencies])}
    CompetencyLevel.objects.bulk_create(
        [
            CompetencyLevel(competency=by_code[e.code], level=i, title=LEVEL_TITLES[i - 1], description=text)
            for e in DICTIONARY
            for i, text in enumerate(e.levels, start=1)
        ]
    )
    ManagerialDefault.objects.bulk_create(
        [
            ManagerialDefault(position_kind=k, position_level=lv, required_level=r)
            for k, lv, r in MANAGERIAL_DEFAULTS
        ]
    )
    return by_code


def _seed_requirements(by_code: dict[str, Competency]) -> int:
    rows = []
    positions = Position.objects.values_list("pk", "code", "kind", "level", "unit__kind", "is_front_line")
    for pk, code, kind, level, unit_kind, front_line in positions.iterator(chunk_size=2000):
        for competency_code, required in technical_requirements(
            code, kind, level, unit_kind, front_line
        ).items():
            rows.append(
                PositionRequirement(
                    position_id=pk, competency_id=by_code[competency_code].pk, required_level=required
                )
            )
    PositionRequirement.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _current_for(rng: random.Random, required: int) -> int:
    """Most people meet the requirement; a good share is one level short, a few two; some exceed it."""
    roll = rng.random()
    delta = 0 if roll < 0.55 else -1 if roll < 0.85 else -2 if roll < 0.92 else 1
    return min(5, max(1, required + delta))


def _day(rng: random.Random, start: int = 0, end: int = HISTORY_DAYS) -> dt.date:
    return REFERENCE_DATE - dt.timedelta(days=rng.randint(start, end))


@dataclass(slots=True)
class SeedAssessment:
    """What `pick_current` reads of an assessment, without a model instance per row (there are ~200,000)."""

    pk: int
    employee_id: int
    competency_id: int
    level: int
    source: str
    assessed_on: dt.date
    valid_until: dt.date | None
    note: str
    withdrawn_at: None = None


def _seed_assessments(rng: random.Random, first_id: int) -> list[SeedAssessment]:
    employees = list(
        Employee.objects.filter(active=True, position__isnull=False)
        .order_by("pk")
        .values_list("pk", "position_id", "position__kind", "position__level")
    )
    table = requirement_table()
    general = set(table.general_ids)
    made: list[SeedAssessment] = []
    next_id = first_id
    for employee_id, position_id, kind, level in employees:
        required = table.for_position(position_id, kind, level)
        manager = kind in ("jpt", "administrator")
        for competency_id, need in required.items():
            if rng.random() < 0.10:
                continue  # never assessed: reported apart in the gap analysis
            current = _current_for(rng, need)
            rows: list[tuple[int, str, dt.date, str, dt.date | None]] = []
            if rng.random() < 0.35:  # an older supervisor assessment, usually a level lower
                rows.append(
                    (max(1, current - rng.choice((0, 1, 1))), SOURCE.SUPERVISOR, _day(rng, 400), "", None)
                )
            rows.append(
                (
                    current,
                    SOURCE.SUPERVISOR,
                    _day(rng, 0, 360),
                    "Penilaian atasan langsung (data demo).",
                    None,
                )
            )
            if rng.random() < 0.20:  # self-assessments run a little high; they count only alone
                rows.append((min(5, current + rng.choice((0, 1))), SOURCE.SELF, _day(rng, 0, 300), "", None))
            if manager and competency_id in general and rng.random() < 0.5:
                day = _day(rng, 200, 700)
                rows.append(
                    (
                        current,
                        SOURCE.ASSESSMENT_CENTRE,
                        day,
                        "Assessment center BKPP.",
                        day + dt.timedelta(days=3 * 365),
                    )
                )
            for level_, source, day, note, valid_until in rows:
                made.append(
                    SeedAssessment(
                        next_id, employee_id, competency_id, level_, source, day, valid_until, note
                    )
                )
                next_id += 1
    return made


def _insert_assessments(rows: list[SeedAssessment]) -> None:
    """Plain executemany: Django's bulk_create spends most of its time building ~200,000 model instances."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Assessment._meta.db_table)
    sql = (
        f"INSERT INTO {table} (id, created_at, updated_at, employee_id, competency_id, level, source, "  # noqa: S608 (table name is ours)
        "assessed_on, valid_until, note, evidence_file, evidence_url) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', '')"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    (
                        r.pk,
                        now,
                        now,
                        r.employee_id,
                        r.competency_id,
                        r.level,
                        r.source,
                        ops.adapt_datefield_value(r.assessed_on),
                        ops.adapt_datefield_value(r.valid_until),
                        r.note,
                    )
                    for r in rows[start : start + BATCH]
                ],
            )


def fill_current_levels(rows: list[SeedAssessment], *, today: dt.date) -> int:
    """CurrentLevel for every (employee, competency) of freshly inserted assessments, by `pick_current`."""
    groups: dict[tuple[int, int], list[SeedAssessment]] = {}
    for a in rows:
        groups.setdefault((a.employee_id, a.competency_id), []).append(a)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values = []
    for (employee_id, competency_id), items in groups.items():
        chosen = pick_current(items, today)  # type: ignore[arg-type]  # duck-typed: reads the same fields
        if chosen is not None:
            values.append((employee_id, competency_id, chosen.level, chosen.pk, now))
    table = connection.ops.quote_name(CurrentLevel._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} (employee_id, competency_id, level, assessment_id, updated_at) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                values[start : start + BATCH],
            )
    return len(values)


@transaction.atomic
def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    started = time.monotonic()
    if Competency.objects.exists():
        return "competencies: dictionary already present; nothing seeded"
    rng = random.Random(f"competencies-{seed}")
    by_code = _seed_dictionary()
    requirements = _seed_requirements(by_code)
    if log:
        log(f"competencies: {len(by_code)} competencies, {requirements:,} position requirements")
    first_id = (Assessment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    assessments = _seed_assessments(rng, first_id)
    _insert_assessments(assessments)
    current = fill_current_levels(assessments, today=REFERENCE_DATE)
    with connection.cursor() as cursor:  # explicit ids: move PostgreSQL's sequences past them
        for statement in connection.ops.sequence_reset_sql(no_style(), [Assessment, CurrentLevel]):
            cursor.execute(statement)
    return (
        f"competencies: {len(by_code)} competencies, {requirements:,} position requirements, "
        f"{len(assessments):,} assessments, {current:,} current levels in {time.monotonic() - started:.1f} s"
    )
