"""Synthetic volume for the roll-up benchmark on PostgreSQL: 200 points, 5 services, N tickets over 365 days,
M SKM answers. Run with DATABASE_URL=…/mumpuni_rollups manage.py shell < this."""

import os
import time

from django.db import connection

from mumpuni.people.models import Unit
from mumpuni.queueing.models import Service, ServicePoint

N = int(os.environ.get("BENCH_TICKETS", "2000000"))
M = int(os.environ.get("BENCH_ANSWERS", "300000"))
t = time.time()
city = Unit.objects.filter(parent=None).first() or Unit.objects.create(
    code="99", name="Negara", kind="pemda", path=""
)
if not city.path:
    city.path = f"/{city.pk}/"
    city.save()
if not ServicePoint.objects.exists():
    for i in range(200):
        u = Unit.objects.create(code=f"99.{i:03d}", name=f"Kec {i}", kind="kecamatan", parent=city, path="")
        u.path = f"{city.path}{u.pk}/"
        u.save()
        ServicePoint.objects.create(unit=u, name=f"Kantor {i}")
    for i in range(5):
        Service.objects.create(
            code=f"S{i}", name=f"Layanan {i}", group_letter="ABCDE"[i], target_service_minutes=8 + i
        )
points = list(ServicePoint.objects.values_list("id", "unit_id"))
services = list(Service.objects.values_list("id", flat=True))
p0, s0, u0 = points[0][0], services[0], points[0][1]
with connection.cursor() as c:
    c.execute("SELECT count(*) FROM queueing_ticket")
    have = c.fetchone()[0]
    if have < N:
        c.execute(f"""
        INSERT INTO queueing_ticket (point_id, service_id, service_date, group_letter, sequence, number, priority,
            source, status, queue_at, issued_at, called_at, started_at, finished_at, call_count, public_token, note)
        SELECT {p0} + (g % 200)::int, {s0} + (g / 200 % 5)::int, d::date, 'A', g, 'A-' || g, '', 'import',
            (ARRAY['done','done','done','done','incomplete','referred','no_show','cancelled','done','done'])[1 + (g % 10)::int],
            ts, ts,
            CASE WHEN g % 10 IN (6, 7) THEN NULL ELSE ts + make_interval(secs => (g * 7919) % 7200) END,
            CASE WHEN g % 10 IN (6, 7) THEN NULL ELSE ts + make_interval(secs => (g * 7919) % 7200 + 30) END,
            CASE WHEN g % 10 IN (6, 7) THEN NULL ELSE ts + make_interval(secs => (g * 7919) % 7200 + 30 + (g * 104729) % 1500) END,
            0, md5(g::text), ''
        FROM (SELECT g, DATE '2025-11-28' + (g % 365)::int AS d,
                     (DATE '2025-11-28' + (g % 365)::int)::timestamp AT TIME ZONE 'Asia/Jakarta' + make_interval(secs => 28800 + (g * 31) % 25200) AS ts
              FROM generate_series({have + 1}::bigint, {N}::bigint) g) x
        """)
    c.execute("SELECT count(*) FROM surveys_surveyresponse")
    have = c.fetchone()[0]
    if have < M:
        c.execute(f"""
        INSERT INTO surveys_surveyresponse (unit_id, service_date, channel, u1,u2,u3,u4,u5,u6,u7,u8,u9,
            age_band, sex, education, occupation, suggestion, created_at)
        SELECT {u0} + (g % 200), DATE '2025-11-28' + (g % 365), 'counter',
            1 + g % 4, 1 + g / 3 % 4, 1 + g / 5 % 4, 1 + g / 7 % 4, NULLIF(g % 5, 0), 1 + g / 11 % 4, 1 + g / 13 % 4, 1 + g / 17 % 4, 1 + g / 19 % 4,
            '', '', '', '', '', now()
        FROM generate_series({have + 1}, {M}) g
        """)
    c.execute("ANALYZE")
print("seeded in", round(time.time() - t, 1), "s")
