"""IKM of a unit with 1,000,000 SKM answers in <= 1 s (issue 6, §3; PostgreSQL).

Creates its own database `mumpuni_bench_ikm_<pid>` (createdb -h 127.0.0.1 -U postgres; dropped at the end
unless --keep-db), migrates, creates a kecamatan with a service point and N survey responses for it spread
over one year (default 1,000,000) plus --other answers (default 200,000) for a neighbouring kecamatan, so the
unit filter has something to leave out. The rows are generated inside PostgreSQL (INSERT … SELECT over
generate_series with a fixed setseed: answers 1–4, ~3 % blanks, more for U8, channel and profile mixed).
Then ANALYZE, and `mumpuni.surveys.selectors.ikm_report` for the unit (with its subtree) over that year is
timed: one warm-up, then --runs runs; p50 and max are printed with the figures and the plan of the aggregate.
The result is checked against an independent SQL computation (AVG per unsur, then the mean × 25).

    .venv/bin/python bench/ikm_million.py [--rows 1000000] [--other 200000] [--runs 7] [--keep-db]

Target: max <= 1 s. Exit 1 when missed (or the figures disagree).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 1.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="answers for the unit (default 1,000,000)"
    )
    parser.add_argument(
        "--other", type=int, default=200_000, help="answers for another unit (default 200,000)"
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs after one warm-up (default 7)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    return parser.parse_args()


ARGS = _arguments()
PG_NAME = f"mumpuni_bench_ikm_{os.getpid()}"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ["MUMPUNI_DEBUG"] = "0"
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ["MUMPUNI_ALLOWED_HOSTS"] = "localhost"
os.environ.setdefault("MUMPUNI_LOG_LEVEL", "WARNING")
subprocess.run(["createdb", *PG, PG_NAME], check=True)
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"

import datetime as dt  # noqa: E402
import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from mumpuni.people import services as people  # noqa: E402
from mumpuni.queueing.models import ServicePoint  # noqa: E402
from mumpuni.surveys.models import SurveyResponse  # noqa: E402
from mumpuni.surveys.selectors import IkmFilter, aggregate, ikm_report, responses  # noqa: E402

START = dt.date(2025, 10, 1)
DAYS = 365

# One row per g: answers 1–4 skewed to 3 (as real SKM answers are), ~3 % blanks (U8 ~10 %), the channel
# and the profile from g. Every expression is evaluated per row, random() after setseed() is repeatable.
INSERT = """
INSERT INTO {table} (unit_id, point_id, service_date, channel,
    u1, u2, u3, u4, u5, u6, u7, u8, u9, age_band, sex, education, occupation, suggestion, created_at)
SELECT %(unit)s, %(point)s, %(start)s::date + (g %% {days}),
    (ARRAY['counter', 'counter', 'online', 'paper'])[1 + g %% 4],
    {answers},
    (ARRAY['<20', '20-29', '30-39', '40-49', '50-59', '60+', ''])[1 + g %% 7],
    (ARRAY['L', 'P', ''])[1 + g %% 3],
    (ARRAY['sd', 'smp', 'sma', 'd3', 's1', 's2', ''])[1 + (g / 7) %% 7],
    (ARRAY['pns', 'swasta', 'wirausaha', 'pelajar', 'rumah_tangga', 'lainnya', ''])[1 + (g / 3) %% 7],
    CASE WHEN g %% 9 = 0 THEN 'Antrean terlalu lama, mohon loket ditambah.' ELSE '' END,
    now()
FROM generate_series(1, %(rows)s) AS g
"""
ANSWER = "CASE WHEN random() < {blank} THEN NULL ELSE (ARRAY[1, 2, 2, 3, 3, 3, 3, 4, 4, 4])[1 + floor(random() * 10)::int] END"


def _insert(unit_id: int, point_id: int, rows: int) -> float:
    answers = ",\n    ".join(ANSWER.format(blank="0.10" if i == 8 else "0.03") for i in range(1, 10))
    sql = INSERT.format(table=SurveyResponse._meta.db_table, days=DAYS, answers=answers)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(sql, {"unit": unit_id, "point": point_id, "start": START, "rows": rows})
    return time.perf_counter() - started


def _drop_secondary_indexes() -> list[str]:
    """Drop the table's indexes that back no constraint (bulk-load practice: build them once afterwards);
    returns their definitions."""
    table = SurveyResponse._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)",
            [table],
        )
        rows = cursor.fetchall()
        for name, _ in rows:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _recreate(definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)


def _independent_ikm(unit_id: int) -> tuple[int, Decimal]:
    """Respondents and IKM by plain SQL: AVG per unsur (blanks ignored), mean of the AVGs × 25."""
    avgs = ", ".join(f"AVG(u{i}::numeric)" for i in range(1, 10))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), {avgs} FROM {SurveyResponse._meta.db_table} WHERE unit_id = %s",  # noqa: S608
            [unit_id],
        )
        row = cursor.fetchone()
    values = [Decimal(v) for v in row[1:] if v is not None]
    ikm = (sum(values) / len(values) * 25).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(row[0]), ikm


def main() -> int:
    print(f"database {PG_NAME}; loadavg before: {Path('/proc/loadavg').read_text().strip()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    city = people.unit_create(
        actor=None, code="33.74", name="Pemerintah Kota Semarang", kind="pemda", parent=None
    )
    unit = people.unit_create(
        actor=None, code="33.74.10", name="Kecamatan Tembalang", kind="kecamatan", parent=city
    )
    people.unit_create(
        actor=None, code="33.74.10.1001", name="Kelurahan Bulusan", kind="kelurahan", parent=unit
    )
    other = people.unit_create(
        actor=None, code="33.74.11", name="Kecamatan Banyumanik", kind="kecamatan", parent=city
    )
    point = ServicePoint.objects.create(unit=unit, name="Kantor Kecamatan Tembalang")
    other_point = ServicePoint.objects.create(unit=other, name="Kantor Kecamatan Banyumanik")

    dropped = _drop_secondary_indexes()
    seconds = _insert(unit.pk, point.pk, ARGS.rows)
    print(f"insert {ARGS.rows:,} answers: {seconds:.1f} s ({ARGS.rows / seconds:,.0f} rows/s)")
    if ARGS.other:
        seconds = _insert(other.pk, other_point.pk, ARGS.other)
        print(f"insert {ARGS.other:,} answers for another unit: {seconds:.1f} s")
    started = time.perf_counter()
    _recreate(dropped)
    print(f"recreate {len(dropped)} secondary indexes: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # VACUUM as autovacuum would after a load: it sets the visibility map an index-only scan needs.
        cursor.execute(f"VACUUM (ANALYZE) {SurveyResponse._meta.db_table}")
        cursor.execute(f"SELECT pg_size_pretty(pg_total_relation_size('{SurveyResponse._meta.db_table}'))")
        size = cursor.fetchone()[0]
    print(f"VACUUM (ANALYZE): {time.perf_counter() - started:.1f} s; table with indexes: {size}")

    f = IkmFilter(unit=unit, date_from=START, date_to=START + dt.timedelta(days=DAYS - 1))
    ikm_report(f)  # warm-up: plan cache, shared buffers
    times = []
    report = None
    for _ in range(ARGS.runs):
        t = time.perf_counter()
        report = ikm_report(f)
        times.append(time.perf_counter() - t)
    assert report is not None
    data = report.as_json()

    explained = _explain(f)

    respondents, expected = _independent_ikm(unit.pk)
    p50, worst = statistics.median(times), max(times)
    print(
        f"\nikm_report(unit={unit.code} with subtree, {f.date_from} – {f.date_to}), {ARGS.runs} warm runs: "
        f"p50 {p50 * 1000:.0f} ms, max {worst * 1000:.0f} ms"
    )
    print(
        f"respondents {data['respondents']:,}; IKM {data['ikm']:.2f} mutu {data['mutu']} ({data['kinerja']}); "
        f"NRR " + ", ".join(f"{k} {v:.3f}" for k, v in data["nrr"].items())
    )
    print(
        f"population {data['population']} (no tickets in the bench), sample required {data['sample_required']}, "
        f"adequate {data['sample_adequate']}"
    )
    print(f"independent SQL: respondents {respondents:,}, IKM {expected}")
    print("plan of the aggregate:\n  " + "\n  ".join(explained))
    print(f"loadavg after: {Path('/proc/loadavg').read_text().strip()}")
    agree = (
        respondents == data["respondents"] == ARGS.rows
        and Decimal(str(data["ikm"])).quantize(Decimal("0.01")) == expected
    )
    verdict = "PASS" if worst <= TARGET_SECONDS and agree else "FAIL"
    print(f"target max <= {TARGET_SECONDS:.1f} s, figures agree: {agree} — {verdict}")
    return 0 if verdict == "PASS" else 1


def _explain(f: IkmFilter) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the one aggregate query ikm_report runs (captured, then explained)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        aggregate(responses(f))
    sql = ctx.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


if __name__ == "__main__":
    code = 1
    try:
        code = main()
    finally:
        connections.close_all()
        if ARGS.keep_db:
            print(f"kept database {PG_NAME}")
        else:
            subprocess.run(["dropdb", *PG, "--if-exists", PG_NAME], check=False)
    raise SystemExit(code)
