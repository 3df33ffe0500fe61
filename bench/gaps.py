"""City-wide competency gap analysis at city scale (issue 3, section 1: 15,000 ASN × ~25 competencies ≤ 2 s).

On first use it migrates and seeds its own SQLite file (MUMPUNI_SQLITE_PATH, default
/tmp/mumpuni-bench-gaps.sqlite3) with `seed_city()` and the competencies demo seed; with DATABASE_URL set it
uses that database (seeding it if it has no units). Then it times, over several runs:
- the live gap computation (`selectors.gap_matrix` for the whole city, as the BKPP pages use it),
- the heat-map page and the overview page for a BKPP admin (whole request, test Client, DEBUG off),
- the rollup job (`refresh_gap_rollups`) and the page reading the rollups instead.

    .venv/bin/python bench/gaps.py [--repeat 7] [--employees 15000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ["MUMPUNI_DEBUG"] = "0"
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ["MUMPUNI_ALLOWED_HOSTS"] = "testserver,localhost"
os.environ.setdefault("MUMPUNI_LOG_LEVEL", "WARNING")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("MUMPUNI_SQLITE_PATH", "/tmp/mumpuni-bench-gaps.sqlite3")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from mumpuni.competencies import seeding as competency_seeding  # noqa: E402
from mumpuni.competencies import selectors  # noqa: E402
from mumpuni.competencies.models import Assessment, Competency, CurrentLevel  # noqa: E402
from mumpuni.competencies.tasks import refresh_gap_rollups  # noqa: E402
from mumpuni.people.models import Employee, Role, Unit, User  # noqa: E402
from mumpuni.people.scopes import scope_for  # noqa: E402
from mumpuni.people.seeding import seed_city  # noqa: E402

TARGET_SECONDS = 2.0


def ensure_data(employees: int) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not Unit.objects.exists():
        started = time.monotonic()
        result = seed_city(employees=employees)
        print(f"seeded city: {result.employees:,} employees in {time.monotonic() - started:.1f} s")
    if not Competency.objects.exists():
        print(competency_seeding.seed_demo(seed=20260101))


def timed(label: str, repeat: int, run: Callable[[], object], *, target: bool = True) -> list[float]:
    run()  # warm caches (templates, first connection) once, uncounted
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    p50 = statistics.median(times)
    verdict = ("OK" if max(times) <= TARGET_SECONDS else "OVER TARGET") if target else "no target"
    print(f"{label:<48} p50 {p50 * 1000:8.1f} ms   max {max(times) * 1000:8.1f} ms   [{verdict}]")
    return times


def main() -> int:
    # Static URLs without the collectstatic manifest (as bench/list_pages.py); everything else as deployed.
    with override_settings(
        STORAGES={
            **django.conf.settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        return run()


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--employees", type=int, default=15_000)
    args = parser.parse_args()
    ensure_data(args.employees)

    admin = User.objects.filter(role_assignments__role=Role.ADMIN).first()
    if admin is None:
        print("no BKPP admin account in the database; run seed_demo first")
        return 1
    scope = scope_for(admin)
    root = selectors.default_root(scope)
    employees = selectors.gap_employees(scope, root).count()
    print(
        f"data: {Employee.objects.count():,} employees ({employees:,} active with a position), "
        f"{Competency.objects.count()} competencies, {Assessment.objects.count():,} assessments, "
        f"{CurrentLevel.objects.count():,} current levels; database {connection.vendor}"
    )
    with CaptureQueriesContext(connection) as queries:
        matrix = selectors.gap_matrix(scope, root, force_live=True)
    print(
        f"matrix: {len(matrix.units)} units × {len(matrix.competencies)} competencies, "
        f"{len(queries.captured_queries)} queries"
    )
    timed(
        "gap analysis, city-wide, live (selector)",
        args.repeat,
        lambda: selectors.gap_matrix(scope, root, force_live=True),
    )

    client = Client()
    client.force_login(admin)
    for label, url in (
        ("heat map page /kompetensi/peta/ (live)", "/kompetensi/peta/"),
        ("overview /kompetensi/ (live)", "/kompetensi/"),
    ):
        timed(label, args.repeat, lambda url=url: client.get(url))
    timed(
        "heat map XLSX export (live)",
        max(3, args.repeat // 2),
        lambda: client.get("/kompetensi/peta/?format=xlsx"),
        target=False,
    )

    timed("refresh_gap_rollups (background job)", 3, refresh_gap_rollups, target=False)
    with override_settings(MUMPUNI_GAP_ROLLUP_THRESHOLD=0):
        timed("heat map page reading GapRollup", args.repeat, lambda: client.get("/kompetensi/peta/"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
