"""Server time and query counts of the employee list and detail pages at city scale (issue 2, section 7).

Runs Django in-process with DEBUG off and drives it with the test Client, so the time is the server's whole
request handling (middleware, view, queries, template) without a network. On first use it migrates and
seeds its own SQLite file (MUMPUNI_SQLITE_PATH, default /tmp/mumpuni-bench-city.sqlite3) with
`seed_city()`; with DATABASE_URL set it uses that database (seeding it if it has no units).

    .venv/bin/python bench/list_pages.py [--repeat 30] [--employees 15000]

Targets: p95 <= 150 ms per page; the list page's query count does not grow with the rows on the page.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ["MUMPUNI_DEBUG"] = "0"
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ["MUMPUNI_ALLOWED_HOSTS"] = "testserver,localhost"
os.environ.setdefault("MUMPUNI_LOG_LEVEL", "WARNING")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("MUMPUNI_SQLITE_PATH", "/tmp/mumpuni-bench-city.sqlite3")

import warnings  # noqa: E402

import django  # noqa: E402

# WhiteNoise warns that STATIC_ROOT was never collected; the bench resolves static URLs without it.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from mumpuni.people.forms import EmployeeFilterForm  # noqa: E402
from mumpuni.people.models import Employee, Unit, User  # noqa: E402
from mumpuni.people.seeding import seed_city  # noqa: E402

TARGET_P95_MS = 150.0


@dataclass
class Case:
    label: str
    user: User
    url: str
    rows: int | None = None  # rows on the page (list pages)
    group: str = ""  # list pages of one filter shape: their query counts must be equal


@dataclass
class Figures:
    case: Case
    times_ms: list[float]
    queries: int
    status: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ensure_data(employees: int) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if Unit.objects.exists():
        return
    started = time.monotonic()
    result = seed_city(employees=employees)
    print(f"seeded city: {result.employees:,} employees in {time.monotonic() - started:.1f} s")


def list_cases(admin: User, camat: User, executive: User | None, list_url: str) -> list[Case]:
    def case(group: str, label: str, user: User, **params: str) -> Case:
        form = EmployeeFilterForm(params, user=user)
        total = form.queryset().count()
        page = int(params.get("page", "1"))
        rows = max(0, min(50, total - 50 * (page - 1)))
        return Case(label, user, f"{list_url}?{urlencode(params)}" if params else list_url, rows, group)

    total = Employee.objects.filter(active=True).count()
    last_page = str((total + 49) // 50)
    some_nip = Employee.objects.order_by("nip").values_list("nip", flat=True)[total // 2]
    return [
        case("all", "admin: all, page 1", admin),
        case("all", "admin: all, page 150", admin, page="150"),
        case("all", f"admin: all, last page ({last_page})", admin, page=last_page),
        case("unit", "admin: unit 33.74.10 with subunits", admin, unit="33.74.10"),
        case("unit", "admin: JPT in 33.74.SETDA", admin, unit="33.74.SETDA", kind="jpt"),
        case(
            "unit", "admin: pengawas of kelurahan 33.74.10.1001", admin, unit="33.74.10.1001", kind="pengawas"
        ),
        case("search", "admin: search name 'sari'", admin, q="sari"),
        case("search", "admin: search NIP prefix 1985", admin, q="1985"),
        case("search", "admin: search one full NIP", admin, q=some_nip),
        case("type+kind", "admin: PPPK fungsional", admin, type="pppk", kind="fungsional"),
        case("camat", "camat.tembalang: own kecamatan, page 1", camat),
        case("camat", "camat.tembalang: search 'a'", camat, q="a"),
        # The Sekda: city-wide, and at the top of the largest reporting tree.
        *([case("exec", "eksekutif (Sekda): all, page 1", executive)] if executive else []),
        *([case("exec", "eksekutif (Sekda): all, page 150", executive, page="150")] if executive else []),
    ]


def detail_cases(admin: User, camat: User, repeat: int) -> list[Case]:
    rng = random.Random(1)
    cases = []
    everyone = list(Employee.objects.values_list("nip", flat=True))
    managers = list(
        Employee.objects.filter(position__kind__in=["jpt", "administrator"]).values_list("nip", flat=True)
    )
    tembalang = Unit.objects.get(code="33.74.10")
    own = list(Employee.objects.filter(unit__path__startswith=tembalang.path).values_list("nip", flat=True))
    for label, user, pool in (
        ("admin: random employee", admin, everyone),
        ("admin: random manager (many reports)", admin, managers),
        ("camat.tembalang: random employee of Tembalang", camat, own),
    ):
        nips = [rng.choice(pool) for _ in range(repeat)]
        cases.append(Case(label, user, "|".join(reverse("employee_detail", kwargs={"nip": n}) for n in nips)))
    return cases


def measure(client: Client, case: Case, repeat: int) -> Figures:
    urls = case.url.split("|")
    urls = urls * (repeat // len(urls) + 1) if len(urls) < repeat else urls
    client.force_login(case.user)
    for url in urls[:3]:  # warm-up: caches, first template compilation
        client.get(url)
    times: list[float] = []
    queries = 0
    status = 0
    for url in urls[:repeat]:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured.captured_queries))
        status = response.status_code
        if status != 200:
            raise SystemExit(f"{case.label}: {url} answered {status}")
    return Figures(case, times, queries, status)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--employees", type=int, default=15_000, help="ASN to seed into an empty database")
    args = parser.parse_args()
    try:
        list_url = reverse("employee_list")
        reverse("employee_detail", kwargs={"nip": "199001012015031001"})
    except NoReverseMatch as exc:
        print(f"the pages are not there yet: {exc}")
        return 2
    ensure_data(args.employees)
    admin = User.objects.get(username="admin")
    camat = User.objects.get(username="camat.tembalang")
    executive = User.objects.filter(username="eksekutif").first()
    database = connection.vendor
    print(
        f"database: {database}; {Employee.objects.count():,} employees; {args.repeat} requests per page; DEBUG off"
    )
    client = Client()
    results: list[Figures] = []
    # Static URLs without the collectstatic manifest (a dict lookup either way); everything else as deployed.
    with override_settings(STORAGES={**django.conf.settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):  # fmt: skip
        print("\nemployee_list (/pegawai/, 50 rows per page)")
        for case in list_cases(admin, camat, executive, list_url):
            figures = measure(client, case, args.repeat)
            results.append(figures)
            print(_line(figures))
        print("\nemployee_detail (/pegawai/<nip>/)")
        for case in detail_cases(admin, camat, args.repeat):
            figures = measure(client, case, args.repeat)
            results.append(figures)
            print(_line(figures))

    print()
    worst = max(results, key=lambda f: f.percentile(95))
    verdict = "PASS" if worst.percentile(95) <= TARGET_P95_MS else "FAIL"
    print(
        f"worst p95: {worst.percentile(95):.1f} ms ({worst.case.label}); target <= {TARGET_P95_MS:.0f} ms: {verdict}"
    )
    constant = True
    groups: dict[str, list[Figures]] = {}
    for f in results:
        if f.case.group:
            groups.setdefault(f.case.group, []).append(f)
    for group, members in groups.items():
        same = len({f.queries for f in members}) == 1
        constant &= same
        detail = ", ".join(f"{f.case.rows} rows -> {f.queries} queries" for f in members)
        print(f"list query count, {group} filters: {detail}: {'constant' if same else 'NOT constant'}")
    return 0 if verdict == "PASS" and constant else 1


def _line(f: Figures) -> str:
    rows = f"rows={f.case.rows:>2}  " if f.case.rows is not None else ""
    return (
        f"  {f.case.label:<48} {rows}queries={f.queries:>2}  p50={f.percentile(50):6.1f} ms  "
        f"p95={f.percentile(95):6.1f} ms  max={max(f.times_ms):6.1f} ms"
    )


if __name__ == "__main__":
    raise SystemExit(main())
