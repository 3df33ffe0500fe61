"""National-scale benchmark data: ~4.3 million synthetic ASN in synthetic kabupaten/kota of 38 provinces.

Shape: 38 province root units (real names and BPS codes), under them synthetic kabupaten/kota ("Wilayah
Sintetis 33.07"), each with eight perangkat daerah that reuse the city's position templates (catalogue.py).
Units and positions go through bulk_create; employees and their assignment rows are streamed per
kabupaten/kota with PostgreSQL COPY (psycopg 3 `cursor.copy`), or with executemany in one transaction per
province on SQLite (slower; fine for small sets). Ids are assigned here so supervisors can point at rows in
the same batch; the sequences are reset afterwards.

Names come from pools built once from Faker's id_ID lists (a Faker call per row would cost minutes), and the
NIPs come from the same IdentityMaker as the city, so they are valid, unique and agree with sex and birth
date. No audit entries (synthetic data); deterministic for a given seed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from faker.providers.person.id_ID import Provider as IndonesianNames

from mumpuni.people import services
from mumpuni.people.models import Employee, EmployeeAssignment, Position, Role, Unit, User
from mumpuni.people.seeding.catalogue import AGENCIES, SEKDA_UNIT_SUFFIX, Job, agency_jobs
from mumpuni.people.seeding.city import DEFAULT_SEED, UnitPlan, bulk_create_units
from mumpuni.people.seeding.people import PHONE_PREFIXES, PPPK_SHARE, IdentityMaker, age_range, ascii_slug

NATIONAL_EMPLOYEES = 4_300_000
KABKOTA_COUNT = 514  # kabupaten + kota in Indonesia
EMPLOYEES_PER_KABKOTA = 8_000  # fewer employees -> fewer regions, so a small test set keeps its shape
PROVINCES = (
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"), ("15", "Jambi"),
    ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"), ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"), ("31", "DKI Jakarta"), ("32", "Jawa Barat"), ("33", "Jawa Tengah"),
    ("34", "Daerah Istimewa Yogyakarta"), ("35", "Jawa Timur"), ("36", "Banten"), ("51", "Bali"),
    ("52", "Nusa Tenggara Barat"), ("53", "Nusa Tenggara Timur"), ("61", "Kalimantan Barat"),
    ("62", "Kalimantan Tengah"), ("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"), ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"), ("74", "Sulawesi Tenggara"),
    ("75", "Gorontalo"), ("76", "Sulawesi Barat"), ("81", "Maluku"), ("82", "Maluku Utara"), ("91", "Papua"),
    ("92", "Papua Barat"), ("93", "Papua Selatan"), ("94", "Papua Tengah"), ("95", "Papua Pegunungan"),
    ("96", "Papua Barat Daya"),
)  # fmt: skip
# The perangkat daerah every synthetic kabupaten/kota gets (templates and relative headcounts from the city).
NATIONAL_AGENCY_SUFFIXES = ("SETDA", "BKPP", "DISDIK", "DINKES", "DISDUKCAPIL", "DPU", "SATPOLPP", "DISHUB")

EMPLOYEE_COLUMNS = (
    "id", "created_at", "updated_at", "nip", "employment_type", "name", "sex", "birth_date", "unit_id",
    "position_id", "supervisor_id", "email", "phone", "active", "user_id",
)  # fmt: skip
ASSIGNMENT_COLUMNS = (
    "id",
    "employee_id",
    "unit_id",
    "position_id",
    "started_at",
    "ended_at",
    "changed_by_id",
)


@dataclass
class NationalResult:
    units: int
    positions: int
    employees: int
    seconds: float
    load_seconds: float  # employees + assignments only


@dataclass
class _Opd:
    unit_id: int
    code: str
    jobs: list[Job]
    position_ids: dict[str, int]
    headcount: int


class _Sink:
    """Writes rows to a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.postgres = connection.vendor == "postgresql"
        # Timestamps as text in each backend's own format (SQLite stores naive UTC).
        self.tz_suffix = "+00" if self.postgres else ""

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        if self.postgres:
            with connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            connection.connection.executemany(  # type: ignore[union-attr]
                f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})",  # noqa: S608 - our names
                rows,
            )

    def finish(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Employee, EmployeeAssignment]):
                cursor.execute(sql)
            if self.postgres:
                for model in (Employee, EmployeeAssignment):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            else:
                cursor.execute("ANALYZE")


@contextmanager
def _bulk_load_mode(tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' foreign keys and secondary indexes, load, then rebuild them (PostgreSQL manual,
    "Populating a Database"). A per-row foreign-key check costs more than the row itself; rebuilding checks
    every row again in one pass, so nothing is left unchecked. Primary keys and unique constraints stay.
    Must run inside a transaction, so a failed load leaves the schema as it was."""
    postgres = connection.vendor == "postgresql"
    restore: list[str] = []
    with connection.cursor() as cursor:
        if postgres:
            # Fire pending deferred checks now: ALTER TABLE refuses a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem TO '512MB'")
            cursor.execute("SET LOCAL synchronous_commit TO OFF")  # synthetic data: no need to wait for disk
        for table in tables:
            if postgres:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                indexes = cursor.fetchall()
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [table],
                )
                foreign_keys = cursor.fetchall()
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [table],
                )
                indexes, foreign_keys = cursor.fetchall(), []  # SQLite cannot drop a foreign key
            quoted = connection.ops.quote_name(table)
            for name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
                restore.append(
                    f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                restore.insert(0, definition)  # indexes before foreign keys: the checks use them
    yield
    with connection.cursor() as cursor:
        for sql in restore:
            cursor.execute(sql)


def _check_columns() -> None:
    # The COPY lists columns by name: fail loudly if the models drift from them.
    for model, columns in ((Employee, EMPLOYEE_COLUMNS), (EmployeeAssignment, ASSIGNMENT_COLUMNS)):
        actual = {f.column for f in model._meta.concrete_fields}
        if actual != set(columns):
            raise RuntimeError(f"{model.__name__} columns changed: {sorted(actual ^ set(columns))}")


def _regions(employees: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(province code, province name, kab/kota code, kab/kota name), spread round-robin over provinces."""
    count = max(2, min(KABKOTA_COUNT, employees // EMPLOYEES_PER_KABKOTA))
    per_province: dict[str, int] = {}
    regions = []
    for i in range(count):
        code, name = PROVINCES[i % len(PROVINCES)]
        per_province[code] = per_province.get(code, 0) + 1
        kab = f"{code}.{per_province[code]:02d}"
        regions.append((code, name, kab, f"Wilayah Sintetis {kab}"))
    rng.shuffle(regions)  # headcounts are drawn in this order; the units are created sorted
    return sorted(regions)


class _RowMaker:
    """Employee and assignment rows of one kabupaten/kota, with ids assigned here (supervisors point at them)."""

    def __init__(self, rng: random.Random, tz_suffix: str, next_employee: int, next_assignment: int) -> None:
        self.rng = rng
        self.identities = IdentityMaker(rng)
        self.first = {
            "L": list(IndonesianNames.first_names_male),
            "P": list(IndonesianNames.first_names_female),
        }
        self.last = {"L": list(IndonesianNames.last_names_male), "P": list(IndonesianNames.last_names_female)}
        self.tz_suffix = tz_suffix
        self.created = f"2026-01-01 00:00:00{tz_suffix}"
        self.next_employee = next_employee
        self.next_assignment = next_assignment

    def kabkota(
        self,
        kab: str,
        opds: Sequence[tuple[UnitPlan, int]],
        units: dict[str, Unit],
        position_ids: dict[str, int],
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng, choice, random_ = self.rng, self.rng.choice, self.rng.random
        employees: list[tuple[Any, ...]] = []
        assignments: list[tuple[Any, ...]] = []
        domain = f"pemda{kab.replace('.', '')}.go.id"
        sekda_id: int | None = None
        for plan, headcount in opds:  # SETDA first: its head is the Sekretaris Daerah
            unit_id = units[plan.code].pk
            manager_ids: dict[str, int] = {}
            managers = [j for j in plan.jobs if j.is_manager]
            staff_jobs = [j for j in plan.jobs if not j.is_manager]
            staff = rng.choices(
                staff_jobs, [j.weight for j in staff_jobs], k=max(0, headcount - len(managers))
            )
            for job in (*managers, *staff):
                low, high = age_range(job)
                ident = self.identities.make(
                    min_age=low, max_age=high, female=job.female, pppk=PPPK_SHARE.get(job.kind, 0.0)
                )
                first, last = choice(self.first[ident.sex]), choice(self.last[ident.sex])
                emp_id = self.next_employee
                self.next_employee += 1
                boss: int | None
                if not job.is_manager or job.reports_to:
                    boss = manager_ids[choice(job.reports_to)]
                elif sekda_id is None:
                    boss, sekda_id = None, emp_id
                else:
                    boss = sekda_id  # kepala OPD answer to the Sekretaris Daerah
                if job.is_manager:
                    manager_ids[job.key] = emp_id
                position_id = position_ids[f"{plan.code}-{job.key}"]
                employees.append((
                    emp_id, self.created, self.created, ident.nip, ident.employment_type, f"{first} {last}",
                    ident.sex, ident.birth_date.isoformat(), unit_id, position_id, boss,
                    f"{ascii_slug(first)}.{ascii_slug(last)}{int(random_() * 100)}@{domain}",
                    f"0{choice(PHONE_PREFIXES)}{int(random_() * 100_000_000):08d}", True, None,
                ))  # fmt: skip
                assignments.append((
                    self.next_assignment, emp_id, unit_id, position_id,
                    f"{ident.appointed.isoformat()} 01:00:00{self.tz_suffix}", None, None,
                ))  # fmt: skip
                self.next_assignment += 1
        return employees, assignments


def _next_id(model: type[Employee] | type[EmployeeAssignment]) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def seed_national(
    *, seed: int = DEFAULT_SEED, employees: int = NATIONAL_EMPLOYEES, log: Callable[[str], None] | None = None
) -> NationalResult:
    """Seed the national-shaped set into an empty database, all in one transaction."""
    started = time.monotonic()
    say = log or (lambda _message: None)
    _check_columns()
    rng = random.Random(seed)
    agencies = sorted(
        (a for a in AGENCIES if a.suffix in NATIONAL_AGENCY_SUFFIXES),
        key=lambda a: a.suffix != SEKDA_UNIT_SUFFIX,
    )
    regions = _regions(employees, rng)
    # Headcount per kabupaten/kota varies (0.3x-2x); within one, agencies keep the city's proportions.
    weights = [rng.uniform(0.3, 2.0) for _ in regions]
    total_weight = sum(weights)
    agency_total = sum(a.headcount for a in agencies)

    plans = [
        UnitPlan(code, f"Provinsi {name}", Unit.Kind.CITY, None)
        for code, name in PROVINCES
        if any(r[0] == code for r in regions)
    ]
    opds: dict[str, list[tuple[UnitPlan, int]]] = {}
    by_province: dict[str, list[str]] = {}
    for (province, _name, kab, kab_name), weight in zip(regions, weights, strict=True):
        plans.append(UnitPlan(kab, f"Pemerintah {kab_name}", Unit.Kind.CITY, province))
        by_province.setdefault(province, []).append(kab)
        region_headcount = employees * weight / total_weight
        opds[kab] = []
        for agency in agencies:
            plan = UnitPlan(f"{kab}.{agency.suffix}", agency.name, agency.kind, kab, agency_jobs(agency))
            plans.append(plan)
            opds[kab].append((plan, round(region_headcount * agency.headcount / agency_total)))

    sink = _Sink()
    total = 0
    with transaction.atomic():
        units = bulk_create_units(plans)
        positions = [
            Position(code=f"{p.code}-{j.key}", name=j.name, kind=j.kind, level=j.level, unit=units[p.code],
                     is_front_line=j.front_line)
            for p in plans for j in p.jobs
        ]  # fmt: skip
        Position.objects.bulk_create(positions, batch_size=2000)
        position_ids = {p.code: p.pk for p in positions}
        say(f"unit: {len(units):,}, jabatan: {len(positions):,} ({time.monotonic() - started:.1f} s)")

        rows = _RowMaker(rng, sink.tz_suffix, _next_id(Employee), _next_id(EmployeeAssignment))
        load_started = time.monotonic()
        with _bulk_load_mode([Employee._meta.db_table, EmployeeAssignment._meta.db_table]):
            for index, (province, kabs) in enumerate(sorted(by_province.items()), 1):
                for kab in kabs:
                    employee_rows, assignment_rows = rows.kabkota(kab, opds[kab], units, position_ids)
                    sink.write(Employee._meta.db_table, EMPLOYEE_COLUMNS, employee_rows)
                    sink.write(EmployeeAssignment._meta.db_table, ASSIGNMENT_COLUMNS, assignment_rows)
                    total += len(employee_rows)
                elapsed = time.monotonic() - load_started
                say(f"provinsi {index}/{len(by_province)} ({province}): {total:,} pegawai, {elapsed:.0f} s")
            say("membangun ulang indeks dan kunci asing …")
        sink.finish()
        load_seconds = time.monotonic() - load_started
        _create_benchmark_admin()
    return NationalResult(len(units), len(positions), total, time.monotonic() - started, load_seconds)


def _create_benchmark_admin() -> None:
    """One city-wide admin so benchmarks can log in (same documented demo password)."""
    if not User.objects.filter(username="admin").exists():
        services.account_create(
            actor=None, username="admin", password=settings.MUMPUNI_DEMO_PASSWORD, roles=[(Role.ADMIN, None)]
        )
