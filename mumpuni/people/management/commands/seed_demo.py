"""`manage.py seed_demo [--scale city|national] [--seed N] [--employees N] [--tickets N] [--answers N]
[--if-empty] [--accounts]`.

city: Kota Semarang's real units, ~15,000 synthetic ASN and one demo account per role (see
people/seeding/). national: ~4.3 million synthetic ASN for benchmarks (people/seeding/national.py), then kecamatan and MPP
service points with ~50 million tickets, ~5 million SKM answers, ~300,000 complaints and a JP ledger
(people/seeding/national_services.py; PostgreSQL, or SQLite with small --tickets/--answers).
Seeds only an empty database (no units): on one with data it stops with an error, or with --if-empty it
says so and exits 0 (scripts/demo uses that). --accounts only prints the demo account table.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.module_loading import import_string

from mumpuni.people.models import Unit
from mumpuni.people.seeding import (
    CITY_EMPLOYEES,
    DEFAULT_SEED,
    NATIONAL_EMPLOYEES,
    demo_accounts_table,
    format_accounts_table,
    seed_city,
    seed_national,
)
from mumpuni.people.seeding.national_services import (
    NATIONAL_ANSWERS,
    NATIONAL_TICKETS,
    SQLITE_MAX_TICKETS,
    seed_national_services,
)

DOMAIN_SEEDERS = [
    "mumpuni.competencies.seeding.seed_demo",
    "mumpuni.learning.seeding.seed_demo",
    "mumpuni.queueing.seeding.seed_demo",
    "mumpuni.complaints.seeding.seed_demo",
    "mumpuni.surveys.seeding.seed_demo",
    "mumpuni.development.seeding.seed_demo",
    "mumpuni.evaluation.seeding.seed_demo",
    "mumpuni.talent.seeding.seed_demo",
    "mumpuni.planning.seeding.seed_demo",
    "mumpuni.nudges.seeding.seed_demo",
    "mumpuni.insights.seeding.seed_demo",
]


class Command(BaseCommand):
    help = "Isi basis data kosong dengan data demo Kota Semarang (city) atau data tolok ukur nasional (national)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["city", "national"], default="city")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="same seed, same data")
        parser.add_argument(
            "--employees",
            type=int,
            default=None,
            help=f"number of ASN (default {CITY_EMPLOYEES:,} for city, {NATIONAL_EMPLOYEES:,} for national)",
        )
        parser.add_argument(
            "--tickets",
            type=int,
            default=None,
            help=f"national: number of tickets (default {NATIONAL_TICKETS:,} at {NATIONAL_EMPLOYEES:,} ASN, "
            "in proportion to --employees; 0 skips the service data)",
        )
        parser.add_argument(
            "--answers",
            type=int,
            default=None,
            help=f"national: number of SKM answers (default {NATIONAL_ANSWERS:,}, in proportion like --tickets)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="on a database that already has data, skip and exit 0"
        )
        parser.add_argument("--accounts", action="store_true", help="only print the demo accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["accounts"]:
            self._print_accounts()
            return
        units = Unit.objects.count()
        if units:
            if options["if_empty"]:
                self.stdout.write(f"database already has data ({units} units); skipping seed_demo.")
                self._print_accounts()
                return
            raise CommandError(
                f"The database already has data ({units} units); seed_demo only fills an empty database. "
                "Use a fresh database (e.g. MUMPUNI_SQLITE_PATH=/tmp/demo.sqlite3), or pass --if-empty to skip."
            )
        employees = options["employees"]
        if employees is not None and employees < 1:
            raise CommandError("--employees must be a positive number.")
        log = self.stdout.write if options["verbosity"] >= 1 else None
        if options["scale"] == "national":
            self._national(options, employees, log)
            return
        city = seed_city(seed=options["seed"], employees=employees or CITY_EMPLOYEES, log=log)
        self.stdout.write(
            self.style.SUCCESS(
                f"city: {city.units} units, {city.positions:,} positions, {city.employees:,} employees, "
                f"{city.accounts} accounts in {city.seconds:.1f} s (seed {options['seed']})."
            )
        )
        # Each domain app seeds its own demo data on top of the people (in this order: later ones use
        # earlier ones' rows). A seeder is `seed_demo(*, seed: int, log) -> str` returning a summary line.
        for dotted in DOMAIN_SEEDERS:
            seeder = import_string(dotted)
            summary = seeder(seed=options["seed"], log=log)
            self.stdout.write(self.style.SUCCESS(summary))
        self._print_accounts()

    def _national(self, options: dict[str, Any], employees: int | None, log: Any) -> None:
        share = (employees or NATIONAL_EMPLOYEES) / NATIONAL_EMPLOYEES
        tickets = options["tickets"] if options["tickets"] is not None else round(NATIONAL_TICKETS * share)
        answers = options["answers"] if options["answers"] is not None else round(NATIONAL_ANSWERS * share)
        if tickets < 0 or answers < 0:
            raise CommandError("--tickets and --answers must not be negative.")
        if connection.vendor != "postgresql" and tickets > SQLITE_MAX_TICKETS:
            raise CommandError(
                f"{tickets:,} tickets need PostgreSQL (set DATABASE_URL); on SQLite pass at most "
                f"--tickets {SQLITE_MAX_TICKETS:,} (and a small --answers and --employees)."
            )
        if answers > tickets:
            raise CommandError("--answers cannot exceed --tickets (an answer belongs to a served ticket).")
        result = seed_national(seed=options["seed"], employees=employees or NATIONAL_EMPLOYEES, log=log)
        self.stdout.write(
            self.style.SUCCESS(
                f"national: {result.units:,} units, {result.positions:,} positions, {result.employees:,} "
                f"employees in {result.seconds:.1f} s (load {result.load_seconds:.1f} s, "
                f"{result.employees / max(result.load_seconds, 1e-9):,.0f} employees/s)."
            )
        )
        if tickets:
            services = seed_national_services(seed=options["seed"], tickets=tickets, answers=answers, log=log)
            rows, seconds = services.phases["tickets+answers+complaints"]
            jp_rows, jp_seconds = services.phases["jp_ledger"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"national services: {services.points:,} points, {services.employees:,} kecamatan/MPP "
                    f"employees, {services.tickets:,} tickets, {services.answers:,} SKM answers, "
                    f"{services.complaints:,} complaints in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} "
                    f"rows/s incl. index rebuild), {jp_rows:,} JP lines in {jp_seconds:.1f} s; "
                    f"total {services.seconds:.1f} s."
                )
            )
        self._print_accounts()

    def _print_accounts(self) -> None:
        rows = demo_accounts_table()
        if not rows:
            return
        self.stdout.write("\nAkun demo (demo accounts):")
        self.stdout.write(format_accounts_table(rows))
