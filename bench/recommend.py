"""Recommendations for every active employee of the city (issue 7 §6: 15,000 ASN in ≤ 60 s).

Runs `recommend_for(None)` — load the facts in a constant number of queries, score every candidate
programme of every employee, keep the top 5 — and renders the sentence of every part of every kept
recommendation (what a page or an export would show), several times; prints seconds, ms per employee,
queries, and what the recommendations rest on.

    MUMPUNI_SQLITE_PATH=/tmp/rec.sqlite3 .venv/bin/python bench/recommend.py [--repeat 3]
(without a seeded database at MUMPUNI_SQLITE_PATH it seeds the city demo data first, a few minutes)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ["MUMPUNI_DEBUG"] = "0"
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MUMPUNI_LOG_LEVEL", "WARNING")
os.environ.setdefault("MUMPUNI_ALLOWED_HOSTS", "testserver,localhost")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("MUMPUNI_SQLITE_PATH", "/tmp/mumpuni-bench-city.sqlite3")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from mumpuni.development.recommend import recommend_for  # noqa: E402
from mumpuni.people.models import Unit  # noqa: E402

TARGET_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    if not Unit.objects.exists():
        print("seeding the city demo data (a few minutes)…", flush=True)
        call_command("seed_demo", verbosity=0)
    translation.activate("id")
    times = []
    result = {}
    queries = 0
    sentences = 0
    for _ in range(args.repeat):
        started = time.monotonic()
        with CaptureQueriesContext(connection) as captured:
            result = recommend_for(None, limit=5)
        sentences = sum(len(p.explanation) > 0 for recs in result.values() for r in recs for p in r.parts)
        times.append(time.monotonic() - started)
        queries = len(captured)
    employees = len(result)
    best = min(times)
    median = statistics.median(times)
    recs = [r for rs in result.values() for r in rs]
    leading = Counter(max(r.parts, key=lambda p: p.value * p.weight).key for r in recs)
    print(f"employees: {employees}; recommendations kept: {len(recs)}; part sentences rendered: {sentences}")
    print(f"queries per run: {queries}")
    print(
        f"seconds: best {best:.1f}, median {median:.1f} over {args.repeat} runs (target ≤ {TARGET_SECONDS:.0f})"
    )
    print("runs (s): " + ", ".join(f"{t:.1f}" for t in times) + " (the first renders every sentence cold)")
    print(f"per employee: {best * 1000 / max(1, employees):.2f} ms (best run)")
    with_gap = sum(1 for rs in result.values() if any(r.parts[0].value > 0 for r in rs))
    with_service = sum(1 for rs in result.values() if any(r.parts[1].value > 0 for r in rs))
    print(
        f"employees with a gap-closing recommendation: {with_gap}; with a service-driven one: {with_service}"
    )
    print(
        "largest part of each kept recommendation: " + ", ".join(f"{k} {v}" for k, v in leading.most_common())
    )
    return 0 if best <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
