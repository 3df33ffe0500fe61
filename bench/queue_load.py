"""Queue API under load (issue 4, section 6): 50 concurrent clients issue, call, start and finish tickets
against `scripts/serve` (gunicorn, production settings) on PostgreSQL, then pgbench runs the same SQL
statements on the same database, and the two rates are compared.

    .venv/bin/python bench/queue_load.py [--clients 50] [--duration 30] [--pgbench-seconds 10] [--keep-db]

What it does:
1. createdb -h 127.0.0.1 -U postgres mumpuni_bench_queue_<pid> (dropped at the end unless --keep-db);
   migrates it and creates one service point (open around the clock for the run) with one counter per
   client, one service, a kiosk API key and a key for the counter actions. Counter actions need an actor
   allowed at the counter; a service account has no employee record (so no shift), so the actions key has
   the unit_head role of the bench point (made with allow_privileged) — the point head may act at any of
   its counters. That skips the shift lookup an officer's session would do (one indexed query).
2. starts scripts/serve on a free port with MUMPUNI_SECRET_KEY, MUMPUNI_ALLOWED_HOSTS=127.0.0.1,localhost
   and DATABASE_URL set, and waits for it to answer.
3. N threads (http.client, one keep-alive connection each), each bound to its own counter, loop for
   --duration seconds: POST /api/v1/queue/tickets (kiosk key), POST /counters/{id}/call-next,
   POST /tickets/{id}/start, POST /tickets/{id}/finish {"outcome": "done"}. A cycle is those four calls.
4. checks the database: duplicate numbers, tickets called more than once, tickets issued (201) but missing,
   tickets called by one client but reported by another, 5xx answers — all "anomalies".
5. pgbench -c N -j 2 -T S -f script on the same database: per transaction the INSERT/UPDATE/SELECT … FOR
   UPDATE statements the four calls make (sequence row update, ticket insert, event inserts, counter lock,
   queue select with SKIP LOCKED, ticket updates), and prints cycles/s of the API against transactions/s
   of pgbench as a ratio.

Targets (issue 4): ratio ≥ 25 %, p99 < 100 ms at 50 clients, zero anomalies. Exit code 1 when missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = ["-h", "127.0.0.1", "-U", "postgres"]
SECRET = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-queue"
POINT_CODE = "33.74.BENCHQ"
SERVICE_CODE = "BENCH-Q"
LETTER = "Q"
PGBENCH_LETTER = "P"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- setup (in-process Django on the bench database) -------------------------------------------------


def setup_database(clients: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from mumpuni.people import services
    from mumpuni.people.models import Role, Unit
    from mumpuni.queueing.models import Counter, PointService, Service, ServicePoint, TicketSequence

    call_command("migrate", verbosity=0)
    city = Unit.objects.filter(code="33.74").first() or services.unit_create(
        actor=None, code="33.74", name="Pemerintah Kota Semarang", kind="pemda", parent=None
    )
    unit = services.unit_create(
        actor=None, code=POINT_CODE, name="Tempat Uji Beban", kind="kecamatan", parent=city
    )
    point = ServicePoint.objects.create(
        unit=unit, name="Tempat Uji Beban", extended_until=timezone.now() + timezone.timedelta(days=1)
    )
    service = Service.objects.create(code=SERVICE_CODE, name="Layanan uji beban", group_letter=LETTER)
    PointService.objects.create(point=point, service=service)
    counters = [
        Counter.objects.create(point=point, number=i, name=f"Loket {i}") for i in range(1, clients + 1)
    ]
    for counter in counters:
        counter.services.add(service)
    _, kiosk_key = services.api_key_create(actor=None, name="bench-kiosk", role=Role.KIOSK, unit=unit)
    _, officer_key = services.api_key_create(
        actor=None, name="bench-counter", role=Role.UNIT_HEAD, unit=unit, allow_privileged=True
    )
    # pgbench's own sequence row and letter, so its tickets never collide with the API's.
    pg_seq = TicketSequence.objects.create(
        point=point, service_date=timezone.localdate(), group_letter=PGBENCH_LETTER, last_value=0
    )
    return {
        "point_id": point.pk,
        "service_id": service.pk,
        "counter_ids": [c.pk for c in counters],
        "kiosk_key": kiosk_key,
        "officer_key": officer_key,
        "pg_seq_id": pg_seq.pk,
    }


# --- the load ----------------------------------------------------------------------------------------


class Client(threading.Thread):
    def __init__(self, port: int, counter_id: int, setup: dict[str, Any], stop_at: float) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.counter_id = counter_id
        self.setup = setup
        self.stop_at = stop_at
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.cycles = 0
        self.empty_calls = 0
        self.errors: list[str] = []
        self.issued: list[tuple[int, str]] = []
        self.called: list[int] = []
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, name: str, path: str, key: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = json.dumps(body or {}).encode()
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Host": "localhost"}
        started = time.perf_counter()
        try:
            self.conn.request("POST", path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.errors.append(f"{name}: {exc!r}")
            return 0, None
        self.latencies[name].append((time.perf_counter() - started) * 1000)
        if response.status >= 400:
            self.errors.append(f"{name}: HTTP {response.status} {raw[:200]!r}")
        return response.status, (json.loads(raw) if raw else None)

    def run(self) -> None:
        kiosk, officer = self.setup["kiosk_key"], self.setup["officer_key"]
        base = "/api/v1/queue"
        while time.monotonic() < self.stop_at:
            status, body = self.post(
                "issue", f"{base}/tickets", kiosk, {"point": POINT_CODE, "service": SERVICE_CODE}
            )
            if status == 201:
                self.issued.append((body["id"], body["number"]))
            status, body = self.post("call_next", f"{base}/counters/{self.counter_id}/call-next", officer)
            if status == 204:
                self.empty_calls += 1
                continue
            if status != 200:
                continue
            ticket_id = body["id"]
            self.called.append(ticket_id)
            status, _ = self.post("start", f"{base}/tickets/{ticket_id}/start", officer)
            if status != 200:
                continue
            status, _ = self.post(
                "finish", f"{base}/tickets/{ticket_id}/finish", officer, {"outcome": "done"}
            )
            if status == 200:
                self.cycles += 1


def wait_for_server(port: int, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("scripts/serve exited early; see its output above")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/openapi.json", headers={"Host": "localhost"})
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("scripts/serve did not answer in time")


# --- checks ------------------------------------------------------------------------------------------


def check_database(clients: list[Client], setup: dict[str, Any]) -> dict[str, int]:
    from django.db import connection
    from django.db.models import Count

    from mumpuni.queueing.models import Ticket, TicketEvent

    connection.close()  # the server changed the data: read afresh
    api_tickets = Ticket.objects.filter(point_id=setup["point_id"], group_letter=LETTER)
    duplicates = (
        api_tickets.values("service_date", "group_letter", "sequence")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    numbers = [n for c in clients for _, n in c.issued]
    duplicate_numbers_seen = len(numbers) - len(set(numbers))
    called_twice = (
        TicketEvent.objects.filter(ticket__in=api_tickets, kind="called")
        .values("ticket")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    called_ids = [t for c in clients for t in c.called]
    reported_twice = len(called_ids) - len(set(called_ids))
    issued_ids = {t for c in clients for t, _ in c.issued}
    stored = set(api_tickets.values_list("id", flat=True))
    lost = len(issued_ids - stored)
    errors_5xx = sum(1 for c in clients for e in c.errors if re.search(r"HTTP 5\d\d|Error|Exception", e))
    return {
        "duplicate numbers (DB)": duplicates,
        "duplicate numbers (responses)": duplicate_numbers_seen,
        "tickets called twice (events)": called_twice,
        "tickets handed to two counters": reported_twice,
        "issued but lost": lost,
        "server errors / broken connections": errors_5xx,
    }


# --- pgbench -----------------------------------------------------------------------------------------


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return "'" + str(value).replace("'", "''") + "'"


def pgbench_script(setup: dict[str, Any]) -> str:
    """One transaction per API call, the statements the services run (see services/tickets.py)."""
    from mumpuni.queueing.models import Ticket, TicketEvent

    given = {
        "point_id": ":point",
        "service_id": ":service",
        "service_date": "CURRENT_DATE",
        "group_letter": f"'{PGBENCH_LETTER}'",
        "sequence": ":seq",
        "number": f"'{PGBENCH_LETTER}-' || :seq",
        "status": "'waiting'",
        "source": "'kiosk'",
        "queue_at": "now()",
        "issued_at": "now()",
        "public_token": "md5(random()::text)",
    }
    columns, values = [], []
    for f in Ticket._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.attname in given:
            columns.append(f.column)
            values.append(given[f.attname])
        elif not f.null:
            columns.append(f.column)
            values.append(_literal(f.get_default()))
    ticket_table = Ticket._meta.db_table
    event_table = TicketEvent._meta.db_table

    def event(kind: str) -> str:
        return (
            f"INSERT INTO {event_table} (ticket_id, kind, at, counter_id, data) "
            f"VALUES (:tid, '{kind}', now(), :counter, '{{}}');"
        )

    return "\n".join(
        [
            f"\\set point {setup['point_id']}",
            f"\\set service {setup['service_id']}",
            f"\\set counter random({setup['counter_ids'][0]}, {setup['counter_ids'][-1]})",
            "-- issue",
            "BEGIN;",
            f"SELECT last_value FROM queueing_ticketsequence WHERE id = {setup['pg_seq_id']} FOR UPDATE;",
            f"UPDATE queueing_ticketsequence SET last_value = last_value + 1 WHERE id = {setup['pg_seq_id']} "
            "RETURNING last_value AS seq \\gset",
            f"INSERT INTO {ticket_table} ({', '.join(columns)}) VALUES ({', '.join(values)}) RETURNING id AS tid \\gset",
            event("issued"),
            "COMMIT;",
            "-- call next",
            "BEGIN;",
            "SELECT id FROM queueing_counter WHERE id = :counter FOR UPDATE;",
            f"SELECT id FROM {ticket_table} WHERE point_id = :point AND service_date = CURRENT_DATE "
            "AND status IN ('called', 'serving') AND counter_id = :counter ORDER BY called_at DESC LIMIT 1;",
            f"SELECT id FROM {ticket_table} WHERE point_id = :point AND service_date = CURRENT_DATE "
            "AND status = 'waiting' AND service_id = :service ORDER BY queue_at, id LIMIT 1 FOR UPDATE SKIP LOCKED;",
            f"UPDATE {ticket_table} SET status = 'called', called_at = now(), call_count = 1, counter_id = :counter "
            "WHERE id = :tid;",
            event("called"),
            "COMMIT;",
            "-- start",
            "BEGIN;",
            f"SELECT id FROM {ticket_table} WHERE id = :tid FOR UPDATE;",
            f"UPDATE {ticket_table} SET status = 'serving', started_at = now() WHERE id = :tid;",
            event("started"),
            "COMMIT;",
            "-- finish",
            "BEGIN;",
            f"SELECT id FROM {ticket_table} WHERE id = :tid FOR UPDATE;",
            f"UPDATE {ticket_table} SET status = 'done', finished_at = now() WHERE id = :tid;",
            event("finished"),
            "COMMIT;",
            "",
        ]
    )


def run_pgbench(db: str, script: str, clients: int, seconds: int) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        out = subprocess.run(
            ["pgbench", *PG, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", path, db],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(path)
    match = re.search(r"tps = ([\d.]+)", out.stdout)
    if out.returncode != 0 or not match:
        print(out.stdout[-2000:], out.stderr[-2000:], file=sys.stderr)
        raise RuntimeError("pgbench failed")
    return float(match.group(1))


# --- main --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30, help="seconds of API load")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (scripts/serve default)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    db = f"mumpuni_bench_queue_{os.getpid()}"
    database_url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = {
        **os.environ,
        "MUMPUNI_SECRET_KEY": SECRET,
        "MUMPUNI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "MUMPUNI_DEBUG": "0",
    }
    os.environ.update(
        {k: env[k] for k in ("MUMPUNI_SECRET_KEY", "MUMPUNI_ALLOWED_HOSTS", "DATABASE_URL", "MUMPUNI_DEBUG")}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
    subprocess.run(["createdb", *PG, db], check=True)
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"database {db}: migrating and seeding …", flush=True)
        setup = setup_database(args.clients)
        port = free_port()
        cmd = [str(ROOT / "scripts" / "serve"), "--port", str(port)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        log = open(f"/tmp/{db}-serve.log", "wb")  # noqa: SIM115 (kept open for the server's lifetime)
        server = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for_server(port, server)
        print(
            f"scripts/serve on 127.0.0.1:{port} (log /tmp/{db}-serve.log); {args.clients} clients for {args.duration} s …",
            flush=True,
        )

        # Warm-up: one cycle per worker so imports and connections are in place before timing.
        warm = Client(port, setup["counter_ids"][0], setup, time.monotonic() + 2)
        warm.run()
        stop_at = time.monotonic() + args.duration
        clients = [Client(port, cid, setup, stop_at) for cid in setup["counter_ids"][: args.clients]]
        started = time.monotonic()
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        elapsed = time.monotonic() - started

        cycles = sum(c.cycles for c in clients)
        rate = cycles / elapsed
        all_latencies: list[float] = []
        print(
            f"\nAPI: {cycles} cycles in {elapsed:.1f} s = {rate:.1f} cycles/s "
            f"({sum(c.empty_calls for c in clients)} calls found nobody waiting)"
        )
        print(f"{'call':<10} {'n':>7} {'p50 ms':>8} {'p99 ms':>8}")
        for name in ("issue", "call_next", "start", "finish"):
            values = [v for c in clients for v in c.latencies[name]]
            all_latencies += values
            print(
                f"{name:<10} {len(values):>7} {percentile(values, 0.5):>8.1f} {percentile(values, 0.99):>8.1f}"
            )
        p99 = percentile(all_latencies, 0.99)
        print(f"{'all':<10} {len(all_latencies):>7} {percentile(all_latencies, 0.5):>8.1f} {p99:>8.1f}")
        errors = [e for c in clients for e in c.errors]
        if errors:
            print(f"{len(errors)} refused/failed calls, e.g.: {errors[:3]}")

        anomalies = check_database([warm, *clients], setup)
        print("\nanomalies:")
        for name, count in anomalies.items():
            print(f"  {name}: {count}")

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        tps = run_pgbench(db, pgbench_script(setup), args.clients, args.pgbench_seconds)
        ratio = rate / tps if tps else float("nan")
        print(
            f"\npgbench (same statements, -c {args.clients} -j 2 -T {args.pgbench_seconds}): {tps:.1f} cycles/s"
        )
        print(
            f"ratio API / pgbench: {ratio:.1%} (target ≥ 25 %); p99 {p99:.0f} ms (target < 100 ms); "
            f"anomalies {sum(anomalies.values())} (target 0)"
        )
        ok = ratio >= 0.25 and p99 < 100 and not sum(anomalies.values())
        return 0 if ok else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            subprocess.run(["dropdb", *PG, "--if-exists", db], check=False)


if __name__ == "__main__":
    sys.exit(main())
