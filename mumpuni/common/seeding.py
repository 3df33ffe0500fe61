"""Seed data for the working-day calendar: the *cuti bersama* days of 2026 and 2027 as CollectiveLeave rows.

National holidays come from the `holidays` package; cuti bersama are set each year by a joint decree of the
ministers of religious affairs, manpower and PANRB (SKB 3 Menteri) and only become known a few months ahead,
so they are data that an administrator keeps up to date in Django admin ("Cuti bersama"), not code.

- 2026: SKB Menteri Agama, Menteri Ketenagakerjaan dan MenPAN-RB No. 1497 Tahun 2025, No. 2 Tahun 2025,
  No. 5 Tahun 2025 (8 days; as published by Kemenko PMK and repeated on disdiksmg.semarangkota.go.id).
  The `holidays` package (0.109, category "government") lists the same eight dates.
- 2027: *configurable default*. Taken from the `holidays` package 0.109 (category "government"), whose
  sources cite the SKB 2027 announcement on setneg.go.id; we could not read the decree itself, so check the
  dates against it and correct them in admin.

Seeding never overwrites a date that exists (an admin's correction wins) and never deletes one.
"""

from __future__ import annotations

import datetime as dt

from mumpuni.common.models import CollectiveLeave

CUTI_BERSAMA_SOURCES = {
    2026: "SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025",
    2027: "default dari paket holidays 0.109 (SKB 2027) — periksa",
}

CUTI_BERSAMA: tuple[tuple[str, str], ...] = (
    ("2026-02-16", "Cuti bersama Tahun Baru Imlek 2577 Kongzili"),
    ("2026-03-18", "Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    ("2026-03-20", "Cuti bersama Idul Fitri 1447 Hijriah"),
    ("2026-03-23", "Cuti bersama Idul Fitri 1447 Hijriah"),
    ("2026-03-24", "Cuti bersama Idul Fitri 1447 Hijriah"),
    ("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus"),
    ("2026-05-28", "Cuti bersama Idul Adha 1447 Hijriah"),
    ("2026-12-24", "Cuti bersama Kelahiran Yesus Kristus (Natal)"),
    ("2027-02-05", "Cuti bersama Tahun Baru Imlek 2578 Kongzili"),
    ("2027-03-09", "Cuti bersama Idul Fitri 1448 Hijriah"),
    ("2027-03-12", "Cuti bersama Idul Fitri 1448 Hijriah"),
    ("2027-03-15", "Cuti bersama Idul Fitri 1448 Hijriah"),
    ("2027-03-25", "Cuti bersama Wafat Yesus Kristus"),
    ("2027-05-18", "Cuti bersama Idul Adha 1448 Hijriah"),
    ("2027-05-19", "Cuti bersama Hari Raya Waisak 2571 BE"),
    ("2027-12-24", "Cuti bersama Kelahiran Yesus Kristus (Natal)"),
)


def seed_collective_leave() -> int:
    """Insert the cuti bersama days that are not configured yet; returns how many were added."""
    known = set(CollectiveLeave.objects.values_list("date", flat=True))
    rows = [
        CollectiveLeave(date=dt.date.fromisoformat(day), name=name)
        for day, name in CUTI_BERSAMA
        if dt.date.fromisoformat(day) not in known
    ]
    CollectiveLeave.objects.bulk_create(rows)
    return len(rows)
