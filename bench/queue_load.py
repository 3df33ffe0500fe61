"""Queue API under load (issue 4, section 6): 50 concurrent clients issue, call, start and finish tickets
against `scripts/serve` (gunicorn, production settings) on PostgreSQL, then pgbench runs the same SQL
statements on the same database, and the two rates are compared.

    .venv/bin/python bench/queue_load.py [--clients 50] [--processes 5] [--duration 30]
        [--paced-rate 10] [--paced-duration 30] [--capacity [--capacity-seconds 20]] [--workers N]
        [--threads N] [--pgbench-seconds 10] [--keep-db]

What it does:
1. createdb -h 127.0.0.1 -U postgres mumpuni_bench_queue_<pid> (dropped at the end unless --keep-db);
   migrates it and creates one service point (open around the clock for the run, through `extended_until`,
   so the opening-hours lookup a regular point makes is skipped) with one counter per client, one service, a
   kiosk API key and a key for the counter actions. Counter actions need an actor allowed at the counter; a
   service account has no employee record (so no shift), so the actions key has the unit_head role of the
   bench point (made with allow_privileged) — the point head may act at any of its counters. That skips the
   shift lookup an officer's session would do (one indexed query).
2. runs one cycle in-process and records the SQL it sends (django.test.utils.CaptureQueriesContext); this
   becomes the pgbench script (step 6), so pgbench runs exactly the statements the API runs.
3. starts scripts/serve on a free port with MUMPUNI_SECRET_KEY, MUMPUNI_ALLOWED_HOSTS=127.0.0.1,localhost
   and DATABASE_URL set, and waits for it to answer.
4. closed loop (throughput, for the ratio): --clients clients (http.client, one keep-alive connection each,
   spread over --processes processes so the load generator uses both cores and no single GIL), each bound
   to its own counter, loop for --duration seconds with no pause: POST /api/v1/queue/tickets (kiosk key),
   POST /counters/{id}/call-next, POST /tickets/{id}/start, POST /tickets/{id}/finish {"outcome": "done"}.
   A cycle is those four calls. With closed-loop clients and no think time, latency ≈ clients ÷ request
   rate (Little's law), so p99 < 100 ms at 50 clients would need more than 500 requests/s.
5. paced (latency at a stated load): the same clients start cycles at random (Poisson) moments, together
   --paced-rate cycles per second, like counters and kiosks that each serve a citizen now and then; a client
   whose previous cycle is still running starts late, and that lateness is reported with the latencies.
   With --capacity, paced runs at 30, 50, 70 and 85 % of the closed-loop rate follow, and the highest level
   served (achieved ≥ 95 % of offered) with p99 < 100 ms at the same 50 clients is reported: the load this
   machine carries within the latency target.
6. checks the database: duplicate numbers, tickets called more than once, tickets issued (201) but missing,
   tickets called by one client but reported by another, 5xx answers — all "anomalies".
7. pgbench -c N -j 2 -T S on the same database with the statements recorded in step 2 (plus the `SELECT 1`
   health check Django sends at the start of each request, CONN_HEALTH_CHECKS): one pgbench client per API
   client, each on its own counter, and prints cycles/s of the API against cycles/s of pgbench as a ratio.

Targets (issue 4): ratio ≥ 25 %, p99 < 100 ms at 50 clients, zero anomalies. Exit code 1 when missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
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
CALLS = ("issue", "call_next", "start", "finish")
# Distinctive values for the recorded cycle (step 2), replaced by pgbench variables afterwards.
MARK_TICKET_ID = 900_000_001
MARK_COUNTER_ID = 800_000_001
MARK_SEQUENCE = 97_531
IDLE_RECONNECT_SECONDS = 1.0
CAPACITY_SHARES = (0.3, 0.5, 0.7, 0.85)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _cpu_of(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids


def _backend_pids() -> list[int]:
    """PostgreSQL backends serving the bench database (the server's persistent connections)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


class CpuMeter:
    """CPU seconds used by the gunicorn processes and by the PostgreSQL backends of the bench database
    between start() and stop(): the cost per cycle, which other load on the machine inflates far less than
    it cuts the rate."""

    def __init__(self, server_pgid: int) -> None:
        self.server_pgid = server_pgid
        self.before: dict[str, dict[int, float]] = {}

    def _sample(self) -> dict[str, dict[int, float]]:
        groups = {"gunicorn": _group_pids(self.server_pgid), "postgres": _backend_pids()}
        return {
            name: {pid: cpu for pid in pids if (cpu := _cpu_of(pid)) is not None}
            for name, pids in groups.items()
        }

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        return {
            name: sum(cpu - self.before[name].get(pid, 0.0) for pid, cpu in after[name].items())
            for name in after
        }


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- setup (in-process Django on the bench database) -------------------------------------------------


def setup_database(clients: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from mumpuni.people import services
    from mumpuni.people.models import Role, Unit
    from mumpuni.queueing.models import Counter, PointService, Service, ServicePoint

    call_command("migrate", verbosity=0)
    city = Unit.objects.filter(code="33.74").first() or services.unit_create(
        actor=None, code="33.74", name="Pemerintah Kota Semarang", kind="pemda", parent=None
    )
    unit = services.unit_create(
        actor=None, code=POINT_CODE, name="Tempat Uji Beban", kind="kecamatan", parent=city
    )
    point = ServicePoint.objects.create(
        unit=unit, name="Tempat Uji Beban", extended_until=timezone.now() + dt.timedelta(days=1)
    )
    service = Service.objects.create(code=SERVICE_CODE, name="Layanan uji beban", group_letter=LETTER)
    PointService.objects.create(point=point, service=service)
    counters = [
        Counter.objects.create(point=point, number=i, name=f"Loket {i}") for i in range(1, clients + 1)
    ]
    for counter in counters:
        counter.services.add(service)
    ids = [c.pk for c in counters]
    assert ids == list(range(ids[0], ids[0] + clients)), "pgbench maps client n to counter first + n"
    _, kiosk_key = services.api_key_create(actor=None, name="bench-kiosk", role=Role.KIOSK, unit=unit)
    _, officer_key = services.api_key_create(
        actor=None, name="bench-counter", role=Role.UNIT_HEAD, unit=unit, allow_privileged=True
    )
    return {
        "point_id": point.pk,
        "service_id": service.pk,
        "counter_ids": ids,
        "kiosk_key": kiosk_key,
        "officer_key": officer_key,
    }


def record_cycle(setup: dict[str, Any]) -> list[list[str]]:
    """One warm cycle through the real middleware, API and services, in-process; returns the SQL of each
    of the four requests (BEGIN/COMMIT included). Uses a counter and ticket id chosen to be recognisable,
    and replaces the ticket's random public token by md5(random()::text) so pgbench's tickets differ."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from mumpuni.queueing.models import Counter, Ticket, TicketSequence

    counter = Counter.objects.create(
        pk=MARK_COUNTER_ID, point_id=setup["point_id"], number=9999, name="Loket rekaman"
    )
    counter.services.add(setup["service_id"])
    client = DjangoClient(HTTP_HOST="localhost")
    kiosk = {"Authorization": f"Bearer {setup['kiosk_key']}"}
    officer = {"Authorization": f"Bearer {setup['officer_key']}"}
    base = "/api/v1/queue"

    def post(path: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> Any:
        response = client.post(path, body or {}, content_type="application/json", headers=headers)
        assert response.status_code in (200, 201), (path, response.status_code, response.content[:300])
        return response.json()

    def cycle(capture: bool) -> list[list[str]]:
        recorded: list[list[str]] = []

        def step(path: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> Any:
            with CaptureQueriesContext(connection) as ctx:
                out = post(path, headers, body)
            if capture:
                recorded.append([q["sql"] for q in ctx.captured_queries])
            return out

        step(f"{base}/tickets", kiosk, {"point": POINT_CODE, "service": SERVICE_CODE})
        ticket_id = step(f"{base}/counters/{MARK_COUNTER_ID}/call-next", officer)["id"]
        step(f"{base}/tickets/{ticket_id}/start", officer)
        step(f"{base}/tickets/{ticket_id}/finish", officer, {"outcome": "done"})
        return recorded

    cycle(capture=False)  # warm: sequence row, key caches, last_used_at
    # Recognisable ticket id and number for the recorded cycle.
    table = Ticket._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [MARK_TICKET_ID - 1])
    TicketSequence.objects.filter(point_id=setup["point_id"], group_letter=LETTER).update(
        last_value=MARK_SEQUENCE - 1
    )
    recorded = cycle(capture=True)
    token = Ticket.objects.get(pk=MARK_TICKET_ID).public_token
    recorded = [[sql.replace(f"'{token}'", "md5(random()::text)") for sql in request] for request in recorded]
    # Leave a gap so the API's own numbers stay well away from the recorded one's.
    TicketSequence.objects.filter(point_id=setup["point_id"], group_letter=LETTER).update(
        last_value=MARK_SEQUENCE + 1000
    )
    return recorded


# --- pgbench script from the recorded SQL ------------------------------------------------------------


def pgbench_script(recorded: list[list[str]], setup: dict[str, Any]) -> str:
    """The recorded statements with the ticket id, counter id and number as variables (the public token is
    md5(random()) already)."""
    lines = [f"\\set counter {setup['counter_ids'][0]} + :client_id"]
    returning = any("RETURNING last_value" in sql for sql in recorded[0])
    # The number: from UPDATE … RETURNING, or (older code) from the row read with SELECT … FOR UPDATE.
    seq = ":seq" if returning else "(:seq_last_value + 1)"
    for name, statements in zip(CALLS, recorded, strict=True):
        lines.append(f"-- {name}")
        lines.append("SELECT 1;  -- Django's connection health check (CONN_HEALTH_CHECKS)")
        ticket_var = ":issued_id" if name == "issue" else ":called_pk"
        for sql in statements:
            if sql in ("BEGIN", "COMMIT"):
                lines.append(sql + ";")
                continue
            sql = sql.replace(str(MARK_COUNTER_ID), ":counter")
            gset = ""
            if name == "issue" and sql.startswith(('INSERT INTO "queueing_ticket" ',)):
                sql = sql.replace(f"'{LETTER}-{MARK_SEQUENCE}'", f"'{LETTER}-' || {seq}")
                sql = re.sub(rf"\b{MARK_SEQUENCE}\b", seq, sql)
                gset = " \\gset issued_"
            elif "RETURNING last_value" in sql:
                sql = sql.replace("RETURNING last_value", "RETURNING last_value AS seq")
                gset = " \\gset"
            elif sql.startswith('SELECT "queueing_ticketsequence"') and "FOR UPDATE" in sql:
                gset = " \\gset seq_"
            elif sql.startswith('UPDATE "queueing_ticketsequence"'):
                sql = re.sub(rf"\b{MARK_SEQUENCE}\b", seq, sql)
            elif name == "call_next" and "SKIP LOCKED" in sql:
                sql = sql.replace('SELECT "queueing_ticket"."id",', 'SELECT "queueing_ticket"."id" AS pk,', 1)
                gset = " \\gset called_"
            sql = sql.replace(str(MARK_TICKET_ID), ticket_var)
            lines.append(sql + gset if gset else sql + ";")  # \gset ends a query in place of ";"
    script = "\n".join(lines) + "\n"
    leftovers = [str(v) for v in (MARK_TICKET_ID, MARK_COUNTER_ID) if str(v) in script]
    if leftovers or re.search(rf"\b{MARK_SEQUENCE}\b", script):
        raise RuntimeError(f"recorded SQL kept marker values {leftovers}; pgbench script would be wrong")
    return script


def run_pgbench(db: str, script: str, clients: int, seconds: int) -> float:
    path = f"/tmp/{db}-pgbench.sql"  # kept, to read what pgbench ran
    Path(path).write_text(script)
    for attempt in (1, 2):
        out = subprocess.run(
            ["pgbench", *PG, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", path, db],
            capture_output=True,
            text=True,
            check=False,
        )
        match = re.search(r"tps = ([\d.]+)", out.stdout)
        failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
        if out.returncode == 0 and match and not (failed and int(failed.group(1))):
            return float(match.group(1))
        errors = [line for line in out.stderr.splitlines() if "error" in line.lower() or "FATAL" in line]
        print(f"pgbench attempt {attempt} failed: {errors[:3] or out.stderr[-500:]}", file=sys.stderr)
        # Other work on the machine may hold most of max_connections for a while; try once more.
        time.sleep(10)
    raise RuntimeError("pgbench failed twice")


# --- the load (runs in separate processes; no Django there) --------------------------------------------


class Client(threading.Thread):
    """One counter with its kiosk: runs cycles closed-loop (no pause) or at Poisson-paced start times."""

    def __init__(
        self,
        port: int,
        counter_id: int,
        keys: tuple[str, str],
        start_at: float,
        stop_at: float,
        cycles_per_second: float | None,
    ) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.counter_id = counter_id
        self.kiosk, self.officer = keys
        self.start_at, self.stop_at = start_at, stop_at
        self.rate = cycles_per_second  # None: closed loop
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.lateness: list[float] = []
        self.cycles = 0
        self.empty_calls = 0
        self.errors: list[str] = []
        self.issued: list[tuple[int, str]] = []
        self.called: list[int] = []
        self.ended = 0.0
        self.last_used = time.monotonic()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, name: str, path: str, key: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = json.dumps(body or {}).encode()
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Host": "localhost"}
        if time.monotonic() - self.last_used > IDLE_RECONNECT_SECONDS:
            # The server drops idle kept-alive connections (gunicorn --keep-alive, 2 s); a real client notices
            # and reconnects. Do that up front, so a paced client never sends into a closed connection.
            self.conn.close()
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
        finally:
            self.last_used = time.monotonic()
        self.latencies[name].append((time.perf_counter() - started) * 1000)
        if response.status >= 400:
            self.errors.append(f"{name}: HTTP {response.status} {raw[:200]!r}")
        return response.status, (json.loads(raw) if raw else None)

    def cycle(self) -> None:
        base = "/api/v1/queue"
        status, body = self.post(
            "issue", f"{base}/tickets", self.kiosk, {"point": POINT_CODE, "service": SERVICE_CODE}
        )
        if status == 201:
            self.issued.append((body["id"], body["number"]))
        status, body = self.post("call_next", f"{base}/counters/{self.counter_id}/call-next", self.officer)
        if status == 204:
            self.empty_calls += 1
            return
        if status != 200:
            return
        ticket_id = body["id"]
        self.called.append(ticket_id)
        status, _ = self.post("start", f"{base}/tickets/{ticket_id}/start", self.officer)
        if status != 200:
            return
        status, _ = self.post(
            "finish", f"{base}/tickets/{ticket_id}/finish", self.officer, {"outcome": "done"}
        )
        if status == 200:
            self.cycles += 1

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.time()))
        try:
            self.loop()
        finally:
            self.ended = time.time()

    def loop(self) -> None:
        if self.rate is None:
            while time.time() < self.stop_at:
                self.cycle()
            return
        rng = random.Random(self.counter_id)
        due = self.start_at + rng.expovariate(self.rate)
        while due < self.stop_at:
            now = time.time()
            if due > now:
                time.sleep(due - now)
            self.lateness.append(max(0.0, time.time() - due) * 1000)
            self.cycle()
            due += rng.expovariate(self.rate)

    def result(self) -> dict[str, Any]:
        return {
            "latencies": dict(self.latencies),
            "lateness": self.lateness,
            "cycles": self.cycles,
            "empty_calls": self.empty_calls,
            "errors": self.errors,
            "issued": self.issued,
            "called": self.called,
            "ended": self.ended,
        }


def load_process(
    port: int,
    counter_ids: list[int],
    keys: tuple[str, str],
    start_at: float,
    stop_at: float,
    cycles_per_second: float | None,
    results: Any,
) -> None:
    cpu = time.process_time()
    clients = [Client(port, cid, keys, start_at, stop_at, cycles_per_second) for cid in counter_ids]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    results.put({"clients": [c.result() for c in clients], "cpu": time.process_time() - cpu})


def run_load(
    port: int,
    setup: dict[str, Any],
    clients: int,
    processes: int,
    seconds: float,
    cycles_per_second: float | None,
) -> dict[str, Any]:
    """Run the clients in `processes` processes; returns merged results and the wall time."""
    ctx = multiprocessing.get_context("spawn")  # no inherited Django state or DB connections
    results = ctx.Queue()
    counter_ids = setup["counter_ids"][:clients]
    groups = [counter_ids[i::processes] for i in range(processes)]
    groups = [g for g in groups if g]
    per_client_rate = cycles_per_second / clients if cycles_per_second else None
    start_at = time.time() + 3.0  # every process has started its threads by then
    stop_at = start_at + seconds
    keys = (setup["kiosk_key"], setup["officer_key"])
    procs = [
        ctx.Process(target=load_process, args=(port, g, keys, start_at, stop_at, per_client_rate, results))
        for g in groups
    ]
    for p in procs:
        p.start()
    merged = [results.get(timeout=seconds + 300) for _ in procs]
    for p in procs:
        p.join()
    # Cycles begun before stop_at are finished and counted, so the run lasts until the last one ends.
    elapsed = max([stop_at, *(c["ended"] for m in merged for c in m["clients"])]) - start_at
    return {
        "clients": [c for m in merged for c in m["clients"]],
        "cpu": sum(m["cpu"] for m in merged),
        "elapsed": elapsed,
    }


def wait_for_server(port: int, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("scripts/serve exited early; see its log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz", headers={"Host": "localhost"})
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("scripts/serve did not answer in time")


def report(label: str, run: dict[str, Any]) -> dict[str, float]:
    clients = run["clients"]
    cycles = sum(c["cycles"] for c in clients)
    rate = cycles / run["elapsed"]
    requests = sum(len(v) for c in clients for v in c["latencies"].values())
    print(
        f"\n{label}: {cycles} cycles in {run['elapsed']:.1f} s = {rate:.1f} cycles/s, "
        f"{requests / run['elapsed']:.0f} requests/s "
        f"({sum(c['empty_calls'] for c in clients)} calls found nobody waiting)"
    )
    print(f"{'call':<10} {'n':>7} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    every: list[float] = []
    for name in CALLS:
        values = [v for c in clients for v in c["latencies"].get(name, [])]
        every += values
        print(
            f"{name:<10} {len(values):>7} {percentile(values, 0.5):>8.1f} {percentile(values, 0.9):>8.1f} "
            f"{percentile(values, 0.99):>8.1f} {max(values, default=float('nan')):>8.1f}"
        )
    p50, p99 = percentile(every, 0.5), percentile(every, 0.99)
    print(
        f"{'all':<10} {len(every):>7} {p50:>8.1f} {percentile(every, 0.9):>8.1f} {p99:>8.1f} "
        f"{max(every, default=float('nan')):>8.1f}"
    )
    lateness = [v for c in clients for v in c["lateness"]]
    if lateness:
        print(
            f"cycle starts behind schedule (client still busy): p50 {percentile(lateness, 0.5):.0f} ms, "
            f"p99 {percentile(lateness, 0.99):.0f} ms, max {max(lateness):.0f} ms"
        )
    print(
        f"load generator CPU: {run['cpu']:.1f} s over {run['elapsed']:.1f} s "
        f"({run['cpu'] / run['elapsed']:.0%} of one core); load average now {loadavg()}"
    )
    if "server_cpu" in run and cycles:
        used = run["server_cpu"]
        print(
            "CPU per cycle: "
            + ", ".join(f"{name} {seconds / cycles * 1000:.1f} ms" for name, seconds in used.items())
            + f", load generator {run['cpu'] / cycles * 1000:.1f} ms"
        )
    errors = [e for c in clients for e in c["errors"]]
    if errors:
        print(f"{len(errors)} refused/failed calls, e.g.: {errors[:3]}")
    mean = sum(every) / len(every) if every else float("nan")
    return {"rate": rate, "p50": p50, "p99": p99, "mean": mean}


def littles_law(clients: int, closed: dict[str, float], pgbench_cycles: float) -> str:
    """What the closed-loop p99 target asks of throughput: with no think time, mean latency = clients ÷
    request rate, and p99 ≥ mean; with the tail this run showed (p99 ÷ mean), the rate it would take."""
    floor = clients / 0.1 / 4  # cycles/s for a mean of 100 ms
    tail = closed["p99"] / closed["mean"] if closed["mean"] else float("nan")
    needed = floor * tail
    return (
        f"closed loop: mean latency {closed['mean']:.0f} ms = {clients} clients ÷ {4 * closed['rate']:.0f} "
        f"requests/s (Little's law); p99 < 100 ms needs > {floor:.0f} cycles/s even if p99 were the mean, "
        f"and ≈ {needed:.0f} cycles/s with this run's p99/mean of {tail:.2f} — "
        f"{needed / pgbench_cycles:.0%} of what pgbench reaches with the same SQL and no HTTP or Python"
    )


def capacity_summary(clients: int, closed_rate: float, levels: list[tuple[float, dict[str, float]]]) -> str:
    lines = [f"\ncapacity at the latency target ({clients} clients, p99 < 100 ms):"]
    best = None
    for offered, figures in levels:
        kept_up = figures["rate"] >= 0.95 * offered
        ok = kept_up and figures["p99"] < 100
        lines.append(
            f"  offered {offered:6.1f} cycles/s ({offered / closed_rate:4.0%} of closed loop): achieved "
            f"{figures['rate']:6.1f}, p50 {figures['p50']:5.1f} ms, p99 {figures['p99']:6.1f} ms "
            f"{'ok' if ok else 'missed'}"
        )
        if ok:
            best = offered
    lines.append(
        f"  highest level served with p99 < 100 ms: {best:g} cycles/s = {4 * best:g} requests/s "
        f"({best / closed_rate:.0%} of the closed-loop rate)"
        if best
        else "  no level met p99 < 100 ms"
    )
    return "\n".join(lines)


# --- checks ------------------------------------------------------------------------------------------


def check_database(clients: list[dict[str, Any]], setup: dict[str, Any]) -> dict[str, int]:
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
    numbers = [n for c in clients for _, n in c["issued"]]
    duplicate_numbers_seen = len(numbers) - len(set(numbers))
    called_twice = (
        TicketEvent.objects.filter(ticket__in=api_tickets, kind="called")
        .values("ticket")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    called_ids = [t for c in clients for t in c["called"]]
    reported_twice = len(called_ids) - len(set(called_ids))
    issued_ids = {t for c in clients for t, _ in c["issued"]}
    stored = set(api_tickets.values_list("id", flat=True))
    lost = len(issued_ids - stored)
    errors_5xx = sum(1 for c in clients for e in c["errors"] if re.search(r"HTTP 5\d\d|Error|Exception", e))
    return {
        "duplicate numbers (DB)": duplicates,
        "duplicate numbers (responses)": duplicate_numbers_seen,
        "tickets called twice (events)": called_twice,
        "tickets handed to two counters": reported_twice,
        "issued but lost": lost,
        "server errors / broken connections": errors_5xx,
    }


# --- main --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--processes", type=int, default=5, help="load generator processes")
    parser.add_argument("--duration", type=int, default=30, help="seconds of closed-loop load")
    parser.add_argument(
        "--paced-rate",
        type=float,
        default=10.0,
        help="cycles/s offered by all clients together in the paced run (0 skips it)",
    )
    parser.add_argument("--paced-duration", type=int, default=30, help="seconds of paced load")
    parser.add_argument(
        "--capacity",
        action="store_true",
        help="also run paced loads at 30/50/70/85 %% of the closed-loop rate and report the highest one "
        "served with p99 < 100 ms",
    )
    parser.add_argument("--capacity-seconds", type=int, default=20, help="seconds of each capacity level")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (scripts/serve default)")
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per worker (scripts/serve default)"
    )
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
    print(f"load average at start {loadavg()} ({os.cpu_count()} cores)", flush=True)
    subprocess.run(["createdb", *PG, db], check=True)
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"database {db}: migrating, seeding and recording one cycle's SQL …", flush=True)
        setup = setup_database(args.clients)
        script = pgbench_script(record_cycle(setup), setup)
        from django.db import connections

        connections.close_all()
        port = free_port()
        cmd = [str(ROOT / "scripts" / "serve"), "--port", str(port)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        log = open(f"/tmp/{db}-serve.log", "wb")  # noqa: SIM115 (kept open for the server's lifetime)
        server = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for_server(port, server)
        served = re.findall(rb"gunicorn on .*", Path(f"/tmp/{db}-serve.log").read_bytes())
        print(
            f"scripts/serve on 127.0.0.1:{port} ({served[-1].decode() if served else '?'}; log "
            f"/tmp/{db}-serve.log); {args.clients} clients in {args.processes} processes",
            flush=True,
        )
        # Warm-up: every worker loads the app and opens its connection before timing.
        run_load(port, setup, args.clients, args.processes, 3, None)

        meter = CpuMeter(server.pid)
        meter.start()
        closed = run_load(port, setup, args.clients, args.processes, args.duration, None)
        closed["server_cpu"] = meter.stop()
        closed_figures = report(
            f"CLOSED LOOP ({args.clients} clients, no think time, {args.duration} s)", closed
        )
        all_clients = list(closed["clients"])
        paced_figures = None
        if args.paced_rate > 0:
            paced = run_load(port, setup, args.clients, args.processes, args.paced_duration, args.paced_rate)
            paced_figures = report(
                f"PACED ({args.clients} clients, Poisson starts, offered {args.paced_rate:g} cycles/s "
                f"= {4 * args.paced_rate:g} requests/s, {args.paced_duration} s)",
                paced,
            )
            all_clients += paced["clients"]
        capacity: list[tuple[float, dict[str, float]]] = []
        if args.capacity:
            for share in CAPACITY_SHARES:
                offered = round(closed_figures["rate"] * share, 1)
                level = run_load(port, setup, args.clients, args.processes, args.capacity_seconds, offered)
                figures = report(
                    f"CAPACITY LEVEL {share:.0%} of the closed-loop rate ({args.clients} clients, Poisson "
                    f"starts, offered {offered:g} cycles/s, {args.capacity_seconds} s)",
                    level,
                )
                capacity.append((offered, figures))
                all_clients += level["clients"]

        anomalies = check_database(all_clients, setup)
        print("\nanomalies (every run above):")
        for name, count in anomalies.items():
            print(f"  {name}: {count}")

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        tps = run_pgbench(db, script, args.clients, args.pgbench_seconds)
        ratio = closed_figures["rate"] / tps if tps else float("nan")
        print(
            f"\npgbench (the recorded statements of one cycle, /tmp/{db}-pgbench.sql, -c {args.clients} -j 2 "
            f"-T {args.pgbench_seconds}): {tps:.1f} cycles/s; load average now {loadavg()}"
        )
        print(
            f"ratio API / pgbench: {ratio:.1%} (target ≥ 25 %); closed-loop p99 {closed_figures['p99']:.0f} ms "
            f"(target < 100 ms at {args.clients} clients)"
            + (
                f"; paced p99 {paced_figures['p99']:.0f} ms at {args.paced_rate:g} cycles/s"
                if paced_figures
                else ""
            )
            + f"; anomalies {sum(anomalies.values())} (target 0)"
        )
        print(littles_law(args.clients, closed_figures, tps))
        if capacity:
            print(capacity_summary(args.clients, closed_figures["rate"], capacity))
        ok = ratio >= 0.25 and closed_figures["p99"] < 100 and not sum(anomalies.values())
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
