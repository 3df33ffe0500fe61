"""Talent 9-box figures on the city demo DB: rebuilding the snapshot and reading the grid.

MUMPUNI_SQLITE_PATH=/tmp/talent.sqlite3 MUMPUNI_DEBUG=1 .venv/bin/python manage.py shell < bench/talent_ninebox.py
"""

import statistics
import time

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from mumpuni.people.models import User
from mumpuni.people.scopes import scope_for
from mumpuni.talent import selectors
from mumpuni.talent.services import placements_refresh

year = selectors.default_year()
started = time.perf_counter()
result = placements_refresh(year=year)
print(
    f"refresh {year}: {result.employees} employees, {result.placed} placed in {time.perf_counter() - started:.1f} s"
)

for username in ("admin", "camat.tembalang", "atasan"):
    user = User.objects.get(username=username)
    root = selectors.default_root(scope_for(user))
    times = []
    for _ in range(5):
        user = User.objects.get(username=username)  # a fresh scope, as per request
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            grid = selectors.grid(user, year, root)
            times.append((time.perf_counter() - t) * 1000)
    print(
        f"grid {username:16s}: {grid.total:6d} employees, median {statistics.median(times):7.1f} ms, "
        f"{len(queries)} queries"
    )
