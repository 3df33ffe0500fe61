"""Time of the city-wide 20-JP compliance computation (issue 3: the compliance page at 15,000 ASN).

Uses the city demo database (migrated and seeded on first use, with the learning and progress seeds, in
MUMPUNI_SQLITE_PATH, default /tmp/mumpuni-bench-progress.sqlite3; or DATABASE_URL). Measures the selector
(`learning.selectors.progress.compliance`) for the BKPP admin and for a camat, the whole page through the
test client, and the XLSX export, each `--repeat` times after a warm-up; prints p50/p95 in ms.

    .venv/bin/python bench/compliance.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
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
    os.environ.setdefault("MUMPUNI_SQLITE_PATH", "/tmp/mumpuni-bench-progress.sqlite3")

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from mumpuni.learning.models import JpEntry  # noqa: E402
from mumpuni.learning.selectors.progress import compliance  # noqa: E402
from mumpuni.people.models import Employee, Role, Unit, User  # noqa: E402


def ensure_data() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not Unit.objects.exists():
        started = time.monotonic()
        call_command("seed_demo", "--scale", "city", verbosity=0)
        print(f"seeded the city demo data in {time.monotonic() - started:.1f} s")


def timed(label: str, repeat: int, fn: Callable[[], object]) -> None:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{label:<48} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    ensure_data()
    admin = User.objects.filter(role_assignments__role=Role.ADMIN).first()
    head = User.objects.filter(role_assignments__role=Role.UNIT_HEAD).first()
    if admin is None:
        print("no admin account in the database")
        return 2
    active = Employee.objects.filter(active=True).count()
    print(f"database: {active:,} active ASN, {JpEntry.objects.count():,} JP ledger lines")
    result = compliance(user=admin)
    print(
        f"city {result.year}: {result.total.pns:,} PNS, {result.total.pns_met:,} with >= 20 JP "
        f"({result.total.share}%), {result.total.pppk:,} PPPK apart, {len(result.rows)} top-level units"
    )
    timed("selector, city-wide (admin)", args.repeat, lambda: compliance(user=admin))
    if head is not None:
        timed(f"selector, unit head ({head.username})", args.repeat, lambda: compliance(user=head))
    # Static URLs without the collectstatic manifest (as bench/list_pages.py); everything else as deployed.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        client = Client()
        client.force_login(admin)
        url = reverse("learning:compliance")
        assert client.get(url).status_code == 200
        timed("page /pelatihan/kepatuhan-jp/ (admin)", args.repeat, lambda: client.get(url))
        export = reverse("learning:compliance_export")
        timed("XLSX export, city-wide (admin)", max(3, args.repeat // 3), lambda: client.get(export))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
