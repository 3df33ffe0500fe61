"""Offline evaluation of the recommender on the demo history (issue 7 §2): hit rate at 5 against a
popularity baseline, with a time split.

The evaluation set: every completed class in the history whose training-completion assessment raised the
employee's level in a competency where, just before the completion, they were below the level their
position requires — "the programme that closed the gap". For each such completion (employee e, programme
p, date t) the recommender is run with the data as it stood the day before t:
- competency levels from the assessments dated before t (same precedence rule as the platform);
- programmes already completed before t are not proposed again (p itself is not excluded);
- JP of t's year recorded before t; colleagues' gains from completions before t (not e's own);
- classes of the programme starting after t within a year (seat counts of the time are not kept: capacity);
- no service signals: the demo's ticket, SKM and complaint history starts in late 2026, after most
  completions; using today's figures would leak the future.
A hit is p among the top 5. Baselines over the same candidates (fitting the position, not yet taken,
prerequisites met): popularity (the 5 programmes most completed city-wide before t) and random (expected
5 / candidates). Ablations: the gap part alone, and every part but the gap.

Caveat, stated with the figure: the demo seed enrols people at random and a completion raises every
competency the programme targets, so "closed a gap" is partly defined by the same uplift table the gap part
reads. The figure shows the scoring is consistent with the history, not that it predicts real choices.

    MUMPUNI_SQLITE_PATH=/tmp/rec.sqlite3 .venv/bin/python bench/recommend_eval.py
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ["MUMPUNI_DEBUG"] = "0"
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MUMPUNI_LOG_LEVEL", "WARNING")
os.environ.setdefault("MUMPUNI_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("MUMPUNI_SQLITE_PATH", "/tmp/mumpuni-bench-city.sqlite3")

import datetime as dt  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from mumpuni.competencies.models import Assessment  # noqa: E402
from mumpuni.competencies.selectors import requirement_table  # noqa: E402
from mumpuni.competencies.services import pick_current  # noqa: E402
from mumpuni.development.recommend import configured_weights  # noqa: E402
from mumpuni.development.recommend.core import (  # noqa: E402
    Catalogue,
    ClassFacts,
    EmployeeFacts,
    PeerGain,
    candidates,
    recommend,
)
from mumpuni.development.recommend.loader import load_programs  # noqa: E402
from mumpuni.learning.models import Enrollment, JpEntry, TrainingClass  # noqa: E402
from mumpuni.people.models import Employee, Unit  # noqa: E402

K = 5


@dataclass(slots=True)
class Row:
    """What pick_current reads of an assessment."""

    pk: int
    level: int
    source: str
    assessed_on: dt.date
    valid_until: dt.date | None
    withdrawn_at: None
    training_enrollment_id: int | None


def ensure_data() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not Unit.objects.exists():
        print("seeding the city demo data (a few minutes)…", flush=True)
        call_command("seed_demo", verbosity=0)


def main() -> int:
    ensure_data()
    started = time.monotonic()
    today = timezone.localdate()
    completions = list(
        Enrollment.objects.filter(status=Enrollment.Status.COMPLETED, completed_on__isnull=False).values_list(
            "pk", "employee_id", "training_class__program_id", "completed_on"
        )
    )
    people = {
        pk: (position_id, kind or "", level or "", name or "", bool(front))
        for pk, position_id, kind, level, name, front in Employee.objects.filter(
            pk__in={c[1] for c in completions}
        ).values_list(
            "pk",
            "position_id",
            "position__kind",
            "position__level",
            "position__name",
            "position__is_front_line",
        )
    }
    table = requirement_table()
    history: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for (
        pk,
        employee_id,
        competency_id,
        level,
        source,
        on,
        valid,
        withdrawn,
        enrollment_id,
    ) in Assessment.objects.filter(employee_id__in=list(people)).values_list(
        "pk",
        "employee_id",
        "competency_id",
        "level",
        "source",
        "assessed_on",
        "valid_until",
        "withdrawn_at",
        "training_enrollment_id",
    ):
        if withdrawn is None:
            history[(employee_id, competency_id)].append(
                Row(pk, level, source, on, valid, None, enrollment_id)
            )
    by_employee_competencies: dict[int, set[int]] = defaultdict(set)
    for employee_id, competency_id in history:
        by_employee_competencies[employee_id].add(competency_id)
    jp_lines: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    for employee_id, on, jp in JpEntry.objects.filter(employee_id__in=list(people)).values_list(
        "employee_id", "occurred_on", "jp"
    ):
        jp_lines[employee_id].append((on, float(jp)))
    classes = list(
        TrainingClass.objects.exclude(status=TrainingClass.Status.CANCELLED).values_list(
            "program_id", "code", "starts_on", "ends_on", "capacity"
        )
    )
    programs = [replace(p, next_class=None) for p in load_programs(today)]
    names = dict(Assessment._meta.get_field("competency").related_model.objects.values_list("pk", "name"))
    weights = configured_weights()
    ablations = {
        "recommender": weights,
        "gap part only": {k: (v if k == "gap" else 0.0) for k, v in weights.items()},
        "all parts but the gap": {k: (0.0 if k == "gap" else v) for k, v in weights.items()},
    }

    # Colleagues' gain per completion: the training assessment against the level just before it.
    gain_of: dict[int, float] = {}
    for rows in history.values():
        for row in rows:
            if row.training_enrollment_id is None:
                continue
            before = [r for r in rows if r.assessed_on < row.assessed_on and r.source != "self"]
            if before:
                gain_of.setdefault(row.training_enrollment_id, 0.0)
                prior = max(before, key=lambda r: (r.assessed_on, r.pk))
                gain_of[row.training_enrollment_id] = max(
                    gain_of[row.training_enrollment_id], row.level - prior.level
                )
    peer_records: dict[str, list[tuple[dt.date, int, int, float]]] = defaultdict(list)
    for pk, employee_id, program_id, on in completions:
        if pk in gain_of and employee_id in people:
            peer_records[people[employee_id][3]].append((on, employee_id, program_id, gain_of[pk]))

    # The evaluation set.
    events = []
    for pk, employee_id, program_id, on in completions:
        position_id, kind, level, _name, _front = people.get(employee_id, (None, "", "", "", False))
        if position_id is None:
            continue
        required = table.for_position(position_id, kind, level)
        for competency_id, need in required.items():
            rows = history.get((employee_id, competency_id), [])
            trained = [r for r in rows if r.training_enrollment_id == pk]
            before = pick_current([r for r in rows if r.assessed_on < on], on - dt.timedelta(days=1))  # type: ignore[arg-type]
            if trained and before is not None and before.level < need and trained[0].level > before.level:
                events.append((pk, employee_id, program_id, on))
                break

    hits: Counter[str] = Counter()
    expected_random = 0.0
    rng = random.Random(7)  # noqa: S311 - a reproducible baseline, not a secret
    random_hits = 0
    popularity_sorted = sorted(completions, key=lambda c: c[3])
    for _pk, employee_id, program_id, on in events:
        position_id, kind, level, peer_key, front = people[employee_id]
        required = table.for_position(position_id, kind, level)
        gaps = {}
        for competency_id, need in required.items():
            chosen = pick_current(
                [r for r in history.get((employee_id, competency_id), []) if r.assessed_on < on],  # type: ignore[misc]
                on - dt.timedelta(days=1),
            )
            if chosen is not None and chosen.level < need:
                gaps[competency_id] = (chosen.level, need)
        done_before = {p for q, e, p, d in completions if e == employee_id and d < on}
        facts = EmployeeFacts(
            pk=employee_id,
            position_kind=kind,
            front_line=front,
            peer_key=peer_key,
            gaps=gaps,
            jp_done=sum(jp for d, jp in jp_lines.get(employee_id, []) if d < on and d.year == on.year),
            taken=done_before,
            completed=done_before,
        )
        per_program: dict[int, list[float]] = defaultdict(list)
        for d, other, p, gain in peer_records.get(peer_key, []):
            if d < on and other != employee_id:
                per_program[p].append(gain)
        next_class: dict[int, ClassFacts] = {}
        for p, code, starts, ends, capacity in sorted(classes, key=lambda c: c[2]):
            if on < starts <= on + dt.timedelta(days=365) and p not in next_class:
                next_class[p] = ClassFacts(code, starts, ends, capacity, "open")
        catalogue = Catalogue(
            programs=[replace(p, next_class=next_class.get(p.pk)) for p in programs],
            competency_names=names,
            peer_gains={(peer_key, p): PeerGain(len(v), sum(v) / len(v)) for p, v in per_program.items()},
            today=on - dt.timedelta(days=1),
        )
        for label, w in ablations.items():
            top = [
                r.program.pk for r in recommend(catalogue, facts, w, limit=K, activities=False) if r.program
            ]
            hits[label] += program_id in top
        pool = [p.pk for p in candidates(catalogue, facts)]
        popularity = Counter(p for q, e, p, d in popularity_sorted if d < on and p in pool)
        ranked = sorted(pool, key=lambda p: (-popularity[p], p))[:K]
        hits["popularity"] += program_id in ranked
        if pool:
            expected_random += min(K, len(pool)) / len(pool) if program_id in pool else 0.0
            random_hits += program_id in rng.sample(pool, k=min(K, len(pool)))

    n = len(events)
    seconds = time.monotonic() - started
    print(f"completions in the history: {len(completions)}; gap-closing completions evaluated: {n}")
    if not n:
        print("no evaluation set: the history has no completion that raised a level below the requirement")
        return 2
    print(f"hit@{K} (share of gap-closing completions whose programme is in the top {K}):")
    for label in ("recommender", "popularity", "gap part only", "all parts but the gap"):
        print(f"  {label:<24} {hits[label] / n:6.1%}  ({hits[label]}/{n})")
    print(f"  {'random (expected)':<24} {expected_random / n:6.1%}")
    print(f"  {'random (one draw)':<24} {random_hits / n:6.1%}")
    print(f"evaluated in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
