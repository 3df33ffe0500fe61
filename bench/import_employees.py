"""Import of 15,000 employees from one file (issue 2, section 7; target < 30 s on SQLite and PostgreSQL).

Needs a fresh, empty database: on first use it migrates its own SQLite file (MUMPUNI_SQLITE_PATH, default
/tmp/mumpuni-bench-import.sqlite3, deleted first unless --keep), or uses DATABASE_URL (which must hold no
employees). It creates a small tree of its own (a city, 16 kecamatan, 160 kelurahan, their positions) and
a BKPP admin through the services, writes a valid CSV with NIPs from `build_nip` (rows shuffled, so many
supervisors come after their reports), then times the import as the web flow runs it: the check
(`plan_import`) and the write (`apply_plan`) separately, in one transaction. Then it re-imports the same
file (all unchanged, nothing written), the same file as XLSX, and a file that changes 10% of the rows.

    .venv/bin/python bench/import_employees.py [--employees 15000] [--seed 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mumpuni_bench_import .venv/bin/python bench/import_employees.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ["MUMPUNI_DEBUG"] = "0"  # DEBUG would keep every query in memory and slow the bulk writes
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MUMPUNI_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("MUMPUNI_IMPORT_MAX_BYTES", str(50 * 1024 * 1024))
DEFAULT_SQLITE = "/tmp/mumpuni-bench-import.sqlite3"


def _prepare_sqlite(keep: bool) -> None:
    if os.environ.get("DATABASE_URL"):
        return
    path = Path(os.environ.setdefault("MUMPUNI_SQLITE_PATH", DEFAULT_SQLITE))
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


TARGET_S = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=15_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the SQLite file instead of starting afresh"
    )
    args = parser.parse_args()
    _prepare_sqlite(args.keep)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from faker import Faker

    from mumpuni.lib.nip import build_nip
    from mumpuni.lib.tabular import read_table, write_csv, write_xlsx
    from mumpuni.people import imports, services
    from mumpuni.people.models import Employee, Role, Unit

    call_command("migrate", verbosity=0)
    if Employee.objects.exists():
        print("The database already holds employees; give the bench a fresh one.", file=sys.stderr)
        return 2

    rng = random.Random(args.seed)
    faker = Faker("id_ID")
    faker.seed_instance(args.seed)

    # --- a small tree of our own, through the services (not timed) ---------------------------------
    started = time.perf_counter()
    with transaction.atomic():
        city = services.unit_create(actor=None, code="BENCH", name="Kota Bench", kind=Unit.Kind.CITY)
        bkpp = services.unit_create(
            actor=None, code="BENCH.BKPP", name="BKPP Bench", kind="badan", parent=city
        )
        admin = services.account_create(
            actor=None, username="bench-admin", password=None, roles=[(Role.ADMIN, None)]
        )
        services.position_create(
            actor=None,
            code="BENCH-BKPP-ANALIS",
            name="Analis",
            kind="fungsional",
            level="ahli_muda",
            unit=bkpp,
        )
        places = []  # (unit code, head position, staff positions, is kecamatan)
        for k in range(1, 17):
            kec = services.unit_create(
                actor=None, code=f"BENCH.{k:02d}", name=f"Kecamatan {k}", kind="kecamatan", parent=city
            )
            prefix = f"B{k:02d}"
            for code, name, kind, level in (
                (f"{prefix}-CAMAT", "Camat", "administrator", ""),
                (f"{prefix}-KASI", "Kepala Seksi", "pengawas", ""),
                (f"{prefix}-PELAKSANA", "Pengadministrasi Umum", "pelaksana", ""),
                (f"{prefix}-ANALIS", "Analis Kebijakan", "fungsional", "ahli_pertama"),
            ):
                services.position_create(actor=None, code=code, name=name, kind=kind, level=level, unit=kec)
            places.append((kec.code, f"{prefix}-CAMAT", [f"{prefix}-PELAKSANA", f"{prefix}-ANALIS"], True))
            for v in range(1, 11):
                kel = services.unit_create(
                    actor=None,
                    code=f"BENCH.{k:02d}.{v:04d}",
                    name=f"Kelurahan {k}-{v}",
                    kind="kelurahan",
                    parent=kec,
                )
                services.position_create(
                    actor=None, code=f"{prefix}-{v:02d}-LURAH", name="Lurah", kind="pengawas", unit=kel
                )
                places.append((kel.code, f"{prefix}-{v:02d}-LURAH", [f"{prefix}-PELAKSANA"], False))
    setup_s = time.perf_counter() - started

    # --- the file --------------------------------------------------------------------------------------
    seen: set[str] = set()

    def new_nip() -> str:
        while True:
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 35 * 365))
            year = rng.randint(birth.year + 19, min(birth.year + 40, 2024))
            nip = build_nip(
                birth_date=birth,
                sex=rng.choice("LP"),
                serial=rng.randint(1, 999),
                year=year,
                month=rng.randint(1, 12),
            )
            if nip not in seen:
                seen.add(nip)
                return nip

    rows: list[list[str]] = []

    def add(unit: str, position: str, supervisor: str) -> str:
        nip = new_nip()
        name = faker.name()
        local = "".join(c for c in name.split()[-1].lower() if c.isascii() and c.isalpha()) or "pegawai"
        email = f"{local}.{nip[-6:]}@bench.go.id"
        phone = f"08{rng.randint(10**9, 10**10 - 1)}"
        rows.append(
            [
                nip,
                name,
                unit,
                position,
                supervisor,
                email,
                phone,
                "aktif" if rng.random() > 0.02 else "nonaktif",
            ]
        )
        return nip

    camat_of: dict[str, str] = {}
    heads: list[tuple[str, str, list[str]]] = []  # (unit, head nip, staff positions)
    for unit, head_position, staff_positions, is_kecamatan in places:
        if is_kecamatan:
            camat_of[unit] = add(unit, head_position, "")
            heads.append((unit, camat_of[unit], staff_positions))
            for _ in range(3):
                kasi = add(unit, head_position.replace("CAMAT", "KASI"), camat_of[unit])
                heads.append((unit, kasi, staff_positions))
        else:
            lurah = add(unit, head_position, camat_of[unit.rsplit(".", 1)[0]])
            heads.append((unit, lurah, staff_positions))
    while len(rows) < args.employees:
        unit, head, staff_positions = heads[len(rows) % len(heads)]
        add(unit, rng.choice(staff_positions), head)
    rng.shuffle(rows)
    header = imports.SPECS[imports.EMPLOYEES].columns
    csv_data = write_csv(header, rows)
    workdir = Path(tempfile.mkdtemp(prefix="mumpuni-bench-import-"))
    (workdir / "pegawai.csv").write_bytes(csv_data)

    vendor = connection.vendor
    print(
        f"database={vendor} rows={len(rows)} file={workdir / 'pegawai.csv'} "
        f"size_mb={len(csv_data) / 1_048_576:.1f} setup_s={setup_s:.1f}"
    )

    def timed(label: str, data: bytes, name: str) -> tuple[float, imports.Plan]:
        start = time.perf_counter()
        with transaction.atomic():
            plan = imports.plan_import(imports.EMPLOYEES, data, name, actor=admin)
            checked = time.perf_counter()
            if not plan.ok:
                for error in plan.errors[:20]:
                    print(error, file=sys.stderr)
                raise SystemExit(f"{label}: {len(plan.errors)} errors")
            imports.apply_plan(plan, actor=admin)
        done = time.perf_counter()
        total = done - start
        print(
            f"{label} rows={plan.total_rows} created={plan.created} updated={plan.updated} "
            f"unchanged={plan.unchanged} validate_s={checked - start:.2f} apply_s={done - checked:.2f} "
            f"total_s={total:.2f} db={vendor}"
        )
        return total, plan

    first, _plan = timed("import_employees", csv_data, "pegawai.csv")
    timed("reimport_employees", csv_data, "pegawai.csv")
    xlsx_data = write_xlsx(header, rows)
    (workdir / "pegawai.xlsx").write_bytes(xlsx_data)
    start = time.perf_counter()
    read_table(xlsx_data, "pegawai.xlsx")
    print(f"read_xlsx rows={len(rows)} read_s={time.perf_counter() - start:.2f}")
    timed("reimport_employees_xlsx", xlsx_data, "pegawai.xlsx")
    changed = [list(r) for r in rows]
    for row in changed[::10]:
        row[5] = "baru." + row[5]
    timed("update_employees", write_csv(header, changed), "pegawai-ubah.csv")

    verdict = "ok" if first < TARGET_S else "TOO SLOW"
    print(f"target import_employees total_s < {TARGET_S:.0f}: {verdict}")
    return 0 if first < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
