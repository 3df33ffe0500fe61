"""Time the public transparency page (/transparansi/) uncached and cached on the current database.

Run: MUMPUNI_SQLITE_PATH=/tmp/transparency.sqlite3 MUMPUNI_DEBUG=1 .venv/bin/python manage.py shell -c \
  "exec(open('bench/transparency.py').read())"  (this file)"
"""

import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mumpuni.complaints.models import Complaint
from mumpuni.insights import public_selectors as sel
from mumpuni.people.models import Employee
from mumpuni.queueing.models import Ticket
from mumpuni.surveys.models import SurveyResponse

print(
    f"tickets {Ticket.objects.count():,}, SKM answers {SurveyResponse.objects.count():,}, "
    f"complaints {Complaint.objects.count():,}, ASN {Employee.objects.count():,}"
)
client = Client(SERVER_NAME="localhost")
sel.transparency()  # warm imports and the translation catalogue
client.get("/transparansi/")


CPU = {}


def timed(fn, n=5):
    """Median, min and max wall-clock ms; CPU ms of this process (SQLite runs in it) kept in CPU[fn]."""
    runs, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    CPU[fn] = statistics.median(cpu)
    return statistics.median(runs), min(runs), max(runs)


with CaptureQueriesContext(connection) as q:
    sel.transparency()
med, lo, hi = timed(sel.transparency)
print(
    f"figures (selectors only): median {med:.0f} ms (min {lo:.0f}), CPU {CPU[sel.transparency]:.0f} ms, {len(q)} queries"
)


def uncached_page():
    cache.clear()
    response = client.get("/transparansi/")
    assert response.status_code == 200


def uncached_json():
    cache.clear()
    assert client.get("/transparansi/data.json").status_code == 200


def cached_page():
    assert client.get("/transparansi/").status_code == 200


for name, fn in (("page, uncached", uncached_page), ("data.json, uncached", uncached_json)):
    med, lo, hi = timed(fn)
    print(f"{name}: median {med:.0f} ms (min {lo:.0f}, max {hi:.0f}), CPU {CPU[fn]:.0f} ms")
client.get("/transparansi/")
med, lo, hi = timed(cached_page, 50)
print(f"page, cached: median {med:.1f} ms (min {lo:.1f}, max {hi:.1f})")
with CaptureQueriesContext(connection) as q:
    client.get("/transparansi/")
print(f"queries on a cache hit: {len(q)}")
