"""Dashboards at national scale: roll-up refresh, dashboard reads vs the 1 s target, and a raw DuckDB scan
of the same questions as the reference — in one run.

    createdb -h 127.0.0.1 -U postgres mumpuni_bench_national
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mumpuni_bench_national MUMPUNI_DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale national
    .venv/bin/python bench/dashboards.py [--full] [--runs 5] [--parquet /tmp/mumpuni-bench-parquet]
        [--province 33] [--kecamatan 33.01.05] [--no-http] [--no-duckdb]

(a) Roll-ups (mumpuni.insights.rollups.refresh_all): a full rebuild when --full is given or nothing was
    rolled up yet; then a day of new tickets is inserted for today (copies of the last working day's rows
    with new tokens), an incremental refresh is timed, the rows are deleted again and a second incremental
    refresh (which puts today's figures back) is timed too.
(b) The dashboards' data functions (mumpuni.insights.dashboards.selectors: executive, bkpp, unit_dashboard,
    and the per-question selectors behind them) for the whole country, one province and one kecamatan,
    as the benchmark admin: the first (cold) call and the median of --runs warm calls; then the whole pages
    through Django's test Client (DEBUG off), logged in as that admin.
(c) The raw reference: tickets, SKM answers, complaints, employees and the JP ledger are exported once to
    Parquet (PostgreSQL COPY … TO STDOUT as CSV, streamed into a file, converted by DuckDB; cached in
    --parquet) and DuckDB answers the same questions by scanning those raw rows. A table prints question,
    dashboard ms, DuckDB ms and their ratio, with both answers side by side so they can be compared.

Peak RSS of this process (Django + DuckDB) is printed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ["MUMPUNI_DEBUG"] = "0"
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ["MUMPUNI_ALLOWED_HOSTS"] = "testserver,localhost"
os.environ.setdefault("MUMPUNI_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from mumpuni.insights.dashboards import selectors as dash  # noqa: E402
from mumpuni.insights.models import RollupState  # noqa: E402
from mumpuni.insights.rollups import refresh_all  # noqa: E402
from mumpuni.people.models import Unit, User  # noqa: E402
from mumpuni.queueing.models import Ticket  # noqa: E402

TARGET_MS = 1000.0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """(cold seconds, median warm seconds, last result)."""
    started = time.perf_counter()
    result = fn()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm), result


def sql(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall()


def sizes() -> None:
    rows = sql(
        "SELECT relname, reltuples::bigint FROM pg_class WHERE relname IN ('queueing_ticket', "
        "'surveys_surveyresponse', 'complaints_complaint', 'people_employee', 'learning_jpentry', "
        "'queueing_servicepoint') ORDER BY relname"
    )
    size = sql("SELECT pg_size_pretty(pg_database_size(current_database()))")[0][0]
    print(f"database {connection.settings_dict['NAME']} ({size}); rows (pg_class estimates):")
    for name, count in rows:
        print(f"  {name:28} {count:>14,}")


# --- (a) roll-ups ---------------------------------------------------------------------------------------------


def _summary(result: dict[str, dict[str, Any]]) -> str:
    parts = []
    for name, figures in result.items():
        seconds = figures.get("seconds", figures.get("last_seconds"))
        rows = figures.get("rows", figures.get("last_rows"))
        parts.append(f"{name} {seconds:.1f} s/{rows} rows" if seconds is not None else name)
    return "; ".join(parts)


def rollups(full: bool, today: dt.date) -> dict[str, float]:
    out: dict[str, float] = {}
    if full or not RollupState.objects.exists():
        started = time.perf_counter()
        result = refresh_all(full=True, today=today)
        out["full rebuild"] = time.perf_counter() - started
        print(f"roll-ups, full rebuild: {out['full rebuild']:.1f} s ({_summary(result)})")
    last_day = sql("SELECT max(service_date) FROM queueing_ticket WHERE service_date < %s", [today])[0][0]
    started = time.perf_counter()
    columns = [f.column for f in Ticket._meta.concrete_fields if f.column != "id"]
    shifted = {
        "service_date": "%s::date",
        "public_token": "'bench' || to_char(now(), 'HH24MISSUS') || id",
        **{c: f"{c} + make_interval(days => %s::date - service_date)" for c in ("queue_at", "issued_at", "called_at", "started_at",
                                                          "finished_at")},
    }  # fmt: skip
    select = ", ".join(shifted.get(c, c) for c in columns)
    params: list[Any] = [today] + [today] * 5 + [last_day]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO queueing_ticket ({', '.join(columns)}) SELECT {select} FROM queueing_ticket "  # noqa: S608
            "WHERE service_date = %s RETURNING id",
            params,
        )
        new_ids = [r[0] for r in cursor.fetchall()]
    insert_s = time.perf_counter() - started
    print(
        f"inserted a day of tickets for {today} (copy of {last_day}): {len(new_ids):,} rows in {insert_s:.1f} s"
    )
    started = time.perf_counter()
    result = refresh_all(full=False, today=today)
    out["incremental (1 new day)"] = time.perf_counter() - started
    print(
        f"roll-ups, incremental after the new day: {out['incremental (1 new day)']:.1f} s ({_summary(result)})"
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM queueing_ticket WHERE id >= %s", [min(new_ids)] if new_ids else [2**62])
    started = time.perf_counter()
    result = refresh_all(full=False, today=today)
    out["incremental (nothing new)"] = time.perf_counter() - started
    print(
        f"roll-ups, incremental with nothing new: {out['incremental (nothing new)']:.1f} s ({_summary(result)})"
    )
    return out


# --- (b) dashboards -------------------------------------------------------------------------------------------


def dashboards(
    admin: User, scopes: dict[str, str | None], start: str, end: str, runs: int, http: bool
) -> tuple[list[tuple[str, str, float, float]], dict[str, dict[str, tuple[float, Any]]]]:
    rows: list[tuple[str, str, float, float]] = []
    answers: dict[str, dict[str, tuple[float, Any]]] = {}
    for label, code in scopes.items():
        f = dash.resolve_filter(admin, unit_code=code, start=start, end=end)
        functions: dict[str, Callable[[], Any]] = {
            "executive": lambda f=f: dash.executive(admin, f),
            "bkpp": lambda f=f: dash.bkpp(admin, f),
            "unit head": lambda f=f: dash.unit_dashboard(admin, f),
        }
        questions: dict[str, Callable[[], Any]] = {
            "IKM": lambda f=f: dash.survey_by_month(f)[0],
            "waits per point": lambda f=f: dash.queue_by_point(f),
            "complaints": lambda f=f: dash.complaints_by_month(f)[0],
            "JP compliance": lambda f=f: dash.compliance_by_unit(f)[0],
        }
        for name, fn in functions.items():
            cold, warm, _ = timed(fn, runs)
            rows.append((f"{name} data", label, cold, warm))
        answers[label] = {}
        for name, fn in questions.items():
            cold, warm, result = timed(fn, runs)
            answers[label][name] = (warm, result)
    if http:
        # DEBUG is off: plain static storage (no collectstatic manifest needed), as bench/list_pages.py does.
        storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        override_settings(STORAGES={**settings.STORAGES, "staticfiles": storage}).enable()
        client = Client(SERVER_NAME="localhost")
        client.force_login(admin)
        for label, code in scopes.items():
            query = f"?from={start}&to={end}" + (f"&unit={code}" if code else "")
            for name, url in (
                ("executive", "dashboards:executive"),
                ("bkpp", "dashboards:bkpp"),
                ("unit head", "dashboards:unit"),
            ):
                path = reverse(url) + query

                def get(path: str = path) -> int:
                    response = client.get(path)
                    assert response.status_code == 200, (path, response.status_code)
                    return len(response.content)

                cold, warm, _ = timed(get, runs)
                rows.append((f"{name} page (HTTP)", label, cold, warm))
    return rows, answers


# --- (c) the DuckDB raw reference -----------------------------------------------------------------------------

EXPORTS = {
    "units": "SELECT id, code, path FROM people_unit",
    "points": "SELECT id, unit_id FROM queueing_servicepoint",
    "tickets": (
        "SELECT point_id, service_date, status, "
        "CAST(date_part('epoch', issued_at) AS bigint) AS issued, "
        "CAST(date_part('epoch', COALESCE(called_at, started_at)) AS bigint) AS first_call, "
        "CAST(date_part('epoch', started_at) AS bigint) AS started, "
        "CAST(date_part('epoch', finished_at) AS bigint) AS finished FROM queueing_ticket"
    ),
    "answers": "SELECT unit_id, service_date, u1, u2, u3, u4, u5, u6, u7, u8, u9 FROM surveys_surveyresponse",
    "complaints": (
        "SELECT COALESCE(assigned_unit_id, kecamatan_id) AS unit_id, "
        "(received_at AT TIME ZONE 'Asia/Jakarta')::date AS received_day, "
        "(answered_at AT TIME ZONE 'Asia/Jakarta')::date AS answered_day, answer_due, status "
        "FROM complaints_complaint"
    ),
    "employees": "SELECT id, unit_id FROM people_employee WHERE active",
    "jp": "SELECT employee_id, year, jp FROM learning_jpentry",
}


def export_parquet(directory: Path, con: Any) -> float:
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for name, query in EXPORTS.items():
        target = directory / f"{name}.parquet"
        if target.exists():
            continue
        csv_path = directory / f"{name}.csv"
        t0 = time.perf_counter()
        with (
            connection.cursor() as cursor,
            csv_path.open("wb") as out,
            cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER true)") as copy,
        ):
            for chunk in copy:
                out.write(chunk)
        con.execute(f"COPY (SELECT * FROM read_csv_auto('{csv_path}')) TO '{target}' (FORMAT parquet)")
        csv_path.unlink()
        print(f"  exported {name} to {target} in {time.perf_counter() - t0:.1f} s")
    return time.perf_counter() - started


def duck_questions(con: Any, directory: Path, scope_path: str | None, start: dt.date, end: dt.date) -> dict:
    """Each question answered from raw rows: (seconds, answer)."""
    p = lambda name: f"'{directory / (name + '.parquet')}'"  # noqa: E731
    where_unit = f"AND u.path LIKE '{scope_path}%'" if scope_path else ""
    last_day = end
    questions = {
        "IKM": f"""
            SELECT count(*) AS respondents,
                   25 * ({" + ".join(f"avg(a.u{i})" for i in range(1, 10))}) / 9 AS ikm
            FROM read_parquet({p("answers")}) a JOIN read_parquet({p("units")}) u ON u.id = a.unit_id
            WHERE a.service_date BETWEEN DATE '{start}' AND DATE '{last_day}' {where_unit}""",
        "waits per point": f"""
            SELECT count(*) AS points, sum(issued) AS issued, sum(wait_sum) / sum(wait_n) AS wait_mean
            FROM (SELECT t.point_id, count(*) AS issued,
                         sum(CASE WHEN t.first_call IS NOT NULL THEN (t.first_call - t.issued) / 60.0 END) AS wait_sum,
                         count(t.first_call) AS wait_n
                  FROM read_parquet({p("tickets")}) t JOIN read_parquet({p("points")}) sp ON sp.id = t.point_id
                  JOIN read_parquet({p("units")}) u ON u.id = sp.unit_id
                  WHERE t.service_date BETWEEN DATE '{start}' AND DATE '{last_day}' {where_unit}
                  GROUP BY t.point_id)""",
        "complaints": f"""
            SELECT count(*) AS received, count(c.answered_day) AS answered,
                   count(*) FILTER (WHERE c.answered_day <= c.answer_due) AS on_time
            FROM read_parquet({p("complaints")}) c JOIN read_parquet({p("units")}) u ON u.id = c.unit_id
            WHERE c.received_day BETWEEN DATE '{start}' AND DATE '{last_day}' {where_unit}""",
        "JP compliance": f"""
            SELECT count(*) AS employees, count(*) FILTER (WHERE jp >= 20) AS compliant
            FROM (SELECT e.id, COALESCE(sum(j.jp), 0) AS jp
                  FROM read_parquet({p("employees")}) e JOIN read_parquet({p("units")}) u ON u.id = e.unit_id
                  LEFT JOIN read_parquet({p("jp")}) j ON j.employee_id = e.id AND j.year = {end.year}
                  WHERE TRUE {where_unit} GROUP BY e.id)""",
    }
    out = {}
    for name, query in questions.items():
        con.execute(query).fetchall()  # first run reads the files into the OS cache
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            answer = con.execute(query).fetchall()[0]
            runs.append(time.perf_counter() - t0)
        out[name] = (statistics.median(runs), answer)
    return out


def describe(name: str, value: Any) -> str:
    if name == "IKM":
        return f"IKM {value.ikm}, {value.respondents:,} resp."
    if name == "waits per point":
        points, total, _ = value
        kind = "units" if any(p.group for p in points) else "points"  # > POINT_LIMIT points: per child unit
        return f"{len(points):,} {kind}, {total.issued:,} tickets, wait {total.wait_mean}"
    if name == "complaints":
        return f"{value.received:,} recv, {value.answered:,} answ, {value.answered_on_time:,} on time"
    if name == "JP compliance":
        return f"{value.compliant:,}/{value.employees:,} ≥20 JP"
    return str(value)


def describe_duck(name: str, row: tuple[Any, ...]) -> str:
    if name == "IKM":
        return f"IKM {row[1]:.2f}, {row[0]:,} resp."
    if name == "waits per point":
        return f"{row[0]:,} points, {row[1]:,} tickets, wait {row[2]:.1f}"
    if name == "complaints":
        return f"{row[0]:,} recv, {row[1]:,} answ, {row[2]:,} on time"
    return f"{row[1]:,}/{row[0]:,} ≥20 JP"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="time a full roll-up rebuild first")
    parser.add_argument(
        "--skip-refresh", action="store_true", help="no roll-up timing (use the roll-ups as they are)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parquet", default="/tmp/mumpuni-bench-parquet")
    parser.add_argument("--province", default="33")
    parser.add_argument(
        "--kecamatan", default=None, help="a kecamatan unit code (default: the first under --province)"
    )
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-duckdb", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/dashboards.py needs PostgreSQL: set DATABASE_URL (e.g. …/mumpuni_bench_national).")
    started_all = time.perf_counter()
    today = timezone.localdate()
    sizes()

    refresh = {} if args.skip_refresh else rollups(args.full, today)

    admin = User.objects.get(username="admin")
    kecamatan = args.kecamatan or (
        Unit.objects.filter(kind=Unit.Kind.KECAMATAN, code__startswith=f"{args.province}.")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    scopes: dict[str, str | None] = {"country": None, f"province {args.province}": args.province}
    if kecamatan:
        scopes[f"kecamatan {kecamatan}"] = kecamatan
    first_month = dash.add_months(dash.month_start(today), -11)
    start, end = f"{first_month:%Y-%m}", f"{today:%Y-%m}"
    print(f"\ndashboards as 'admin', period {start} … {end}, {args.runs} warm runs each (median)")
    rows, answers = dashboards(admin, scopes, start, end, args.runs, not args.no_http)
    print("\n| dashboard | scope | cold ms | warm median ms | ≤ 1 s |")
    print("|---|---|---:|---:|---|")
    for name, label, cold, warm in rows:
        print(
            f"| {name} | {label} | {ms(cold)} | {ms(warm)} | {'yes' if warm * 1000 <= TARGET_MS else 'NO'} |"
        )

    if not args.no_duckdb:
        import duckdb

        con = duckdb.connect()
        directory = Path(args.parquet)
        print(f"\nraw reference: Parquet in {directory} (cached)")
        export_s = export_parquet(directory, con)
        print(f"  export: {export_s:.1f} s")
        print(
            "\n| question | scope | dashboard ms | DuckDB raw-scan ms | DuckDB / dashboard | dashboard answer | DuckDB answer |"
        )
        print("|---|---|---:|---:|---:|---|---|")
        period_end = dash.add_months(dash.month_start(today), 1) - dt.timedelta(days=1)
        for label, code in scopes.items():
            path = Unit.objects.get(code=code).path if code else None
            duck = duck_questions(con, directory, path, first_month, period_end)
            for name, (dash_s, value) in answers[label].items():
                duck_s, row = duck[name]
                print(
                    f"| {name} | {label} | {ms(dash_s)} | {ms(duck_s)} | {duck_s / max(dash_s, 1e-9):.1f}× | "
                    f"{describe(name, value)} | {describe_duck(name, row)} |"
                )
    for name, seconds in refresh.items():
        print(f"roll-up {name}: {seconds:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npeak RSS of this process (Django + DuckDB): {peak:,.0f} MB; whole run {time.perf_counter() - started_all:.0f} s"
    )


if __name__ == "__main__":
    main()
