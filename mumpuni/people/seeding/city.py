"""Seeding Kota Semarang: the real units, positions from the catalogue, ~15,000 synthetic ASN, demo accounts.

Rows are bulk-inserted rather than written through services, so there are NO audit entries for the
synthetic people (15,000 "created by the system" entries would only bury real ones); every NIP is checked
with `parse_nip` instead. The demo accounts do go through `services.account_create` (and are audited).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from faker import Faker

from mumpuni.lib.nip import parse_nip
from mumpuni.people.models import Employee, EmployeeAssignment, Position, Unit
from mumpuni.people.seeding.accounts import create_demo_accounts
from mumpuni.people.seeding.catalogue import (
    AGENCIES,
    CITY_CODE,
    KECAMATAN_HEADCOUNT,
    KELURAHAN_HEADCOUNT,
    MPP_HEADCOUNT,
    SEKDA_UNIT_SUFFIX,
    Job,
    agency_jobs,
    kecamatan_jobs,
    kelurahan_jobs,
    mpp_jobs,
)
from mumpuni.people.seeding.people import PPPK_SHARE, IdentityMaker, PersonMaker, age_range

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
WILAYAH_CSV = DATA_DIR / "semarang_wilayah.csv"
DEFAULT_SEED = 3374
CITY_EMPLOYEES = 15_000
EMAIL_DOMAIN = "semarangkota.go.id"

# --- the city plan -------------------------------------------------------------------------------------


@dataclass
class UnitPlan:
    code: str
    name: str
    kind: str
    parent_code: str | None
    jobs: list[Job] = field(default_factory=list)
    headcount: int = 0


def read_wilayah(path: Path = WILAYAH_CSV) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def city_plan() -> list[UnitPlan]:
    """Every unit of the city with its position templates and its headcount at 15,000 ASN, parents first."""
    plans = [UnitPlan(CITY_CODE, "Pemerintah Kota Semarang", Unit.Kind.CITY, None)]
    for agency in AGENCIES:
        plans.append(
            UnitPlan(
                f"{CITY_CODE}.{agency.suffix}",
                agency.name,
                agency.kind,
                CITY_CODE,
                agency_jobs(agency),
                agency.headcount,
            )
        )
    plans.append(
        UnitPlan(
            f"{CITY_CODE}.MPP",
            "Mal Pelayanan Publik Kota Semarang",
            Unit.Kind.MPP,
            CITY_CODE,
            mpp_jobs(),
            MPP_HEADCOUNT,
        )
    )
    rows = read_wilayah()
    kecamatan = sorted({(r["kecamatan_code"], r["kecamatan"]) for r in rows})
    for code, name in kecamatan:
        plans.append(
            UnitPlan(
                code,
                f"Kecamatan {name}",
                Unit.Kind.KECAMATAN,
                CITY_CODE,
                kecamatan_jobs(name),
                KECAMATAN_HEADCOUNT,
            )
        )
    for r in sorted(rows, key=lambda r: r["kelurahan_code"]):
        plans.append(
            UnitPlan(
                r["kelurahan_code"],
                f"Kelurahan {r['kelurahan']}",
                Unit.Kind.KELURAHAN,
                r["kecamatan_code"],
                kelurahan_jobs(r["kelurahan"]),
                KELURAHAN_HEADCOUNT,
            )
        )
    return plans


def staff_counts(plans: Sequence[UnitPlan], employees: int) -> dict[str, int]:
    """Staff (non-manager) headcount per unit so that managers + staff come to about `employees`."""
    managers = sum(1 for p in plans for j in p.jobs if j.is_manager)
    minimums = {p.code: sum(j.minimum for j in p.jobs) for p in plans}
    weights = {p.code: max(0, p.headcount - sum(1 for j in p.jobs if j.is_manager)) for p in plans}
    total_weight = sum(weights.values()) or 1
    factor = max(0, employees - managers) / total_weight
    return {p.code: max(minimums[p.code], round(weights[p.code] * factor)) for p in plans}


# --- seeding the city ----------------------------------------------------------------------------------


@dataclass
class SeedResult:
    units: int
    positions: int
    employees: int
    accounts: int
    seconds: float


def bulk_create_units(plans: Sequence[UnitPlan]) -> dict[str, Unit]:
    """Insert level by level (parents first) so each level knows its parents' ids, then write the paths."""
    units: dict[str, Unit] = {}
    pending = list(plans)
    while pending:
        level = [p for p in pending if p.parent_code is None or p.parent_code in units]
        if not level:
            raise ValueError("unit plan has a parent that is never created")
        objs = [
            Unit(code=p.code, name=p.name, kind=p.kind, parent=units.get(p.parent_code or ""), path="/")
            for p in level
        ]
        Unit.objects.bulk_create(objs, batch_size=500)
        for obj in objs:
            parent_path = obj.parent.path if obj.parent else "/"
            obj.path = f"{parent_path}{obj.pk}/"
            units[obj.code] = obj
        Unit.objects.bulk_update(objs, ["path"], batch_size=500)
        done = {p.code for p in level}
        pending = [p for p in pending if p.code not in done]
    return units


def _head_key(plan: UnitPlan) -> str:
    return plan.jobs[0].key


def seed_city(
    *,
    seed: int = DEFAULT_SEED,
    employees: int = CITY_EMPLOYEES,
    accounts: bool = True,
    log: Callable[[str], None] | None = None,
) -> SeedResult:
    """Seed Kota Semarang into an empty database. `employees` is about the number of ASN (never fewer than
    one per manager position plus each unit's minimum staff)."""
    started = time.monotonic()
    rng = random.Random(seed)
    faker = Faker("id_ID")
    faker.seed_instance(seed)
    identities = IdentityMaker(rng)
    people = PersonMaker(rng, faker)
    say = log or (lambda _message: None)

    plans = city_plan()
    by_code = {p.code: p for p in plans}
    counts = staff_counts(plans, employees)
    with transaction.atomic():
        units = bulk_create_units(plans)
        say(f"unit: {len(units)}")

        positions: dict[tuple[str, str], Position] = {}
        for plan in plans:
            for job in plan.jobs:
                positions[(plan.code, job.key)] = Position(
                    code=f"{plan.code}-{job.key}",
                    name=job.name,
                    kind=job.kind,
                    level=job.level,
                    unit=units[plan.code],
                    is_front_line=job.front_line,
                )
        Position.objects.bulk_create(list(positions.values()), batch_size=1000)
        say(f"jabatan: {len(positions)}")

        staff: list[Employee] = []
        managers: dict[tuple[str, str], Employee] = {}
        job_of: dict[int, Job] = {}  # keyed by id(): the rows have no primary key yet
        appointed: dict[int, dt.date] = {}

        def person(plan: UnitPlan, job: Job) -> Employee:
            low, high = age_range(job)
            ident = identities.make(
                min_age=low, max_age=high, female=job.female, pppk=PPPK_SHARE.get(job.kind, 0.0)
            )
            parse_nip(ident.nip)  # raises if the generator ever produces an invalid number
            name, local = people.name(ident.sex, job.family, job.kind, job.level)
            employee = Employee(
                nip=ident.nip,
                employment_type=ident.employment_type,
                name=name,
                sex=ident.sex,
                birth_date=ident.birth_date,
                unit=units[plan.code],
                position=positions[(plan.code, job.key)],
                email=f"{local}@{EMAIL_DOMAIN}",
                phone=people.phone(),
                active=True,
            )
            job_of[id(employee)] = job
            appointed[id(employee)] = ident.appointed
            return employee

        for plan in plans:
            for job in plan.jobs:
                if job.is_manager:
                    managers[(plan.code, job.key)] = person(plan, job)
            staff_jobs = [j for j in plan.jobs if not j.is_manager]
            if not staff_jobs:
                continue
            chosen: list[Job] = [j for j in staff_jobs for _ in range(j.minimum)]
            extra = max(0, counts[plan.code] - len(chosen))
            chosen += rng.choices(staff_jobs, weights=[j.weight for j in staff_jobs], k=extra)
            for job in chosen:
                employee = person(plan, job)
                employee.supervisor = managers[(plan.code, rng.choice(job.reports_to))]
                staff.append(employee)

        sekda = managers[(f"{CITY_CODE}.{SEKDA_UNIT_SUFFIX}", "KEPALA")]
        for (code, _key), employee in managers.items():
            plan = by_code[code]
            job = job_of[id(employee)]
            if job.reports_to:
                employee.supervisor = managers[(code, rng.choice(job.reports_to))]
            elif employee is sekda:
                employee.supervisor = None
            elif plan.parent_code and plan.parent_code != CITY_CODE:
                employee.supervisor = managers[(plan.parent_code, _head_key(by_code[plan.parent_code]))]
            else:
                employee.supervisor = sekda  # kepala OPD and camat answer to the Sekretaris Daerah

        everyone = list(managers.values()) + staff
        _insert_by_depth(everyone)
        say(f"pegawai: {len(everyone)}")
        EmployeeAssignment.objects.bulk_create(
            [
                EmployeeAssignment(
                    employee=e, unit=e.unit, position=e.position, started_at=_start_of(appointed[id(e)])
                )
                for e in everyone
            ],
            batch_size=2000,
        )
        made = create_demo_accounts() if accounts else []
    return SeedResult(len(units), len(positions), len(everyone), len(made), time.monotonic() - started)


def _start_of(appointed: dt.date) -> dt.datetime:
    return dt.datetime.combine(appointed, dt.time(8, 0), tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _insert_by_depth(employees: list[Employee]) -> None:
    """bulk_create in supervisor order: a row's supervisor already has an id when the row is inserted."""
    depth: dict[int, int] = {}

    def depth_of(e: Employee) -> int:
        key = id(e)
        if key not in depth:
            depth[key] = 0 if e.supervisor is None else depth_of(e.supervisor) + 1
        return depth[key]

    levels: dict[int, list[Employee]] = defaultdict(list)
    for e in employees:
        levels[depth_of(e)].append(e)
    for d in sorted(levels):
        for e in levels[d]:
            if e.supervisor is not None:
                e.supervisor_id = e.supervisor.pk
        Employee.objects.bulk_create(levels[d], batch_size=1000)
