"""Demo data of `planning` (called by seed_demo after the earlier apps).

Funding sources (APBD, partner-funded, free LAN/e-learning); the budget of this year (APBD Rp 1,5 M, with
spend already read from the learning seed's enrolments) and of next year (APBD Rp 1,6 M), 60 % of APBD split
over the top-level units by headcount; partner funding for the programmes of BPSDM Jawa Tengah and
universities; competency importances (service competencies weigh more); one demo scenario for next year
over four kecamatan — run at seed time (small: a few hundred employees, a few seconds).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Program
from mumpuni.people.models import Employee, Unit
from mumpuni.planning import selectors
from mumpuni.planning.models import (
    Budget,
    CompetencyImportance,
    FundingSource,
    ProgramFunding,
    Scenario,
    UnitBudget,
    WeightSettings,
)

APBD_BUDGETS = {0: 1_500_000_000, 1: 1_600_000_000}  # this year, next year
PARTNER_BUDGET = 250_000_000
UNIT_SHARE = Decimal("0.60")
IMPORTANCE = {
    "T.PRIMA": "2.0",
    "T.ADK": "1.8",
    "T.ADUAN": "1.8",
    "T.KOMPUB": "1.5",
    "M.05": "1.5",
    "T.DIGITAL": "1.2",
}
DEMO_KECAMATAN = ("33.74.10", "33.74.11", "33.74.01", "33.74.02")


def _sources() -> dict[str, FundingSource]:
    specs = [
        ("APBD", "APBD Kota Semarang", FundingSource.Kind.APBD),
        ("MITRA", "Dibiayai mitra (BPSDM Jateng, perguruan tinggi)", FundingSource.Kind.PARTNER),
        ("GRATIS", "Gratis: e-learning LAN/ASN Unggul", FundingSource.Kind.FREE),
    ]
    out = {}
    for code, name, kind in specs:
        out[code], _created = FundingSource.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
    return out


def _spend_by_top_unit(year: int, source: FundingSource, tops: list[Unit]) -> dict[int, int]:
    """Committed + realised spend of `source` in `year` per top-level unit (from the learning seed)."""
    rows = selectors.spend_rows(year)
    programs = {
        p.pk: p for p in Program.objects.filter(pk__in={r["training_class__program_id"] for r in rows})
    }
    funding = selectors.program_sources(programs.values())
    spent: dict[int, int] = dict.fromkeys((u.pk for u in tops), 0)
    for r in rows:
        if funding.get(r["training_class__program_id"]) != source:
            continue
        for unit in tops:
            if r["employee__unit__path"].startswith(unit.path):
                spent[unit.pk] += programs[r["training_class__program_id"]].cost_per_participant * r["n"]
                break
    return spent


def _split(year: int, source: FundingSource, total: int, rng: random.Random) -> int:
    """Unit shares of `total` in proportion to this year's spend per top-level unit plus a headcount part
    (units plan what they used, with room to grow), at most UNIT_SHARE of the total; BKPP keeps the rest."""
    root = Unit.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        return 0
    tops = list(Unit.objects.filter(parent=root, active=True).order_by("code"))
    heads = dict(
        Employee.objects.filter(active=True).values_list("unit__path").annotate(n=Count("pk")).order_by()
    )
    counts = {u.pk: sum(n for path, n in heads.items() if path.startswith(u.path)) for u in tops}
    spent = _spend_by_top_unit(timezone.localdate().year, source, tops)
    staff, used = sum(counts.values()) or 1, sum(spent.values()) or 1
    share = {u.pk: 0.8 * spent[u.pk] / used + 0.2 * counts[u.pk] / staff for u in tops}
    this_year = year == timezone.localdate().year
    pool = int(Decimal(total) * UNIT_SHARE)
    rows = []
    for unit in tops:
        if not counts[unit.pk]:
            continue
        if this_year:
            # This year's shares already hold this year's spend, with 10-40 % left over.
            amount = max(spent[unit.pk] * rng.uniform(1.1, 1.4), pool * share[unit.pk] * 0.2)
        else:
            amount = pool * share[unit.pk] * rng.uniform(0.95, 1.05)
        amount = int(amount) // 1_000_000 * 1_000_000 + 1_000_000  # whole Rp 1 juta
        rows.append(UnitBudget(year=year, unit=unit, source=source, amount=amount))
    allocated = sum(r.amount for r in rows)
    if allocated > total:  # never more than the city total (services enforce the same)
        for r in rows:
            r.amount = r.amount * total // allocated // 1_000_000 * 1_000_000
    UnitBudget.objects.bulk_create(rows)
    return len(rows)


def seed_demo(*, seed: int, log: Callable[[str], None] | None = None) -> str:
    rng = random.Random(seed)
    year = timezone.localdate().year
    with transaction.atomic():
        sources = _sources()
        WeightSettings.current()
        partner_providers = (Program.Provider.BPSDM_PROVINSI, Program.Provider.UNIVERSITY)
        for program in Program.objects.filter(provider__in=partner_providers, cost_per_participant__gt=0):
            ProgramFunding.objects.get_or_create(program=program, defaults={"source": sources["MITRA"]})
        units = 0
        for offset, amount in APBD_BUDGETS.items():
            y = year + offset
            if Budget.objects.filter(year=y).exists():
                continue
            Budget.objects.create(
                year=y, source=sources["APBD"], amount=amount, note="APBD BKPP, belanja diklat"
            )
            Budget.objects.create(
                year=y, source=sources["MITRA"], amount=PARTNER_BUDGET, note="hibah/kerja sama"
            )
            Budget.objects.create(year=y, source=sources["GRATIS"], amount=0, note="tanpa biaya")
            units += _split(y, sources["APBD"], amount, rng)
        for competency in Competency.objects.filter(code__in=IMPORTANCE):
            CompetencyImportance.objects.get_or_create(
                competency=competency, defaults={"importance": Decimal(IMPORTANCE[competency.code])}
            )
        scenario = Scenario.objects.filter(name__startswith="Demo: rencana").first()
        if scenario is None:
            scenario = Scenario.objects.create(
                name=f"Demo: rencana {year + 1} layanan kecamatan",
                year=year + 1,
                budget=150_000_000,
                max_jp_per_employee=60,
                default_seats=40,
                time_limit_seconds=20,
            )
            scenario.units.set(Unit.objects.filter(code__in=DEMO_KECAMATAN))
    ran = _run_demo(scenario)
    return (
        f"planning: {len(sources)} funding sources, budgets {year} and {year + 1} "
        f"({units} unit budgets), {len(IMPORTANCE)} competency importances, demo scenario {ran}"
    )


def _run_demo(scenario: Scenario) -> str:
    """Run the demo scenario once (inline: no broker is needed at seed time)."""
    from mumpuni.planning.models import ScenarioRun
    from mumpuni.planning.runner import execute_run

    if scenario.runs.exists():
        return "already run"
    try:
        from mumpuni.planning.solver import solve  # noqa: F401
    except ImportError:
        return "not run (solver missing)"
    run = ScenarioRun.objects.create(scenario=scenario, message="Demo")
    execute_run(run.pk)
    run.refresh_from_db()
    return f"run #{run.pk}: {run.status}/{run.outcome or '-'} {run.message}"
