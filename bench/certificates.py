"""Certificate PDFs per second (issue 3: target >= 20 PDFs/s).

Renders N certificates (default 200) with the production renderer (`mumpuni.learning.pdf`) from varied
names and programmes, in one process, and prints PDFs/s and the average size. It needs no database: the
printable facts are built in memory, so the figure is the rendering cost (ReportLab + segno QR) alone; the
download view adds one query for the certificate.

    .venv/bin/python bench/certificates.py [--count 200] [--out /tmp/bench-cert.pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
os.environ.setdefault("MUMPUNI_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MUMPUNI_DEBUG", "0")
os.environ.setdefault("MUMPUNI_ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

django.setup()

from django.core import signing  # noqa: E402

from mumpuni.learning.pdf import CertificateData, render_certificate  # noqa: E402
from mumpuni.learning.services.certificates import VERIFY_SALT  # noqa: E402

TARGET_PER_SECOND = 20.0
NAMES = ("Agus Prasetyo, S.Kom.", "Dewi Lestari, S.Sos., M.Si.", "Rina Kurniawati", "Bambang Susilo, S.H.")
PROGRAMS = (
    ("PLY-PRIMA", "Pelayanan Prima", 24),
    ("KOM-MASY", "Komunikasi Efektif dengan Masyarakat", 16),
    ("ADK-KEC", "Administrasi Kependudukan untuk Petugas Kecamatan dan Kelurahan", 32),
    ("LIT-DIG", "Literasi Digital", 12),
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--out", default="", help="write the last PDF here to look at it")
    args = parser.parse_args()
    rng = random.Random(7)
    data = []
    for i in range(args.count):
        code, name, jp = rng.choice(PROGRAMS)
        number = f"800/BKPP/{code}/2026/{i + 1:06d}"
        start = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
        data.append(
            CertificateData(
                number=number,
                name=rng.choice(NAMES),
                nip=f"1990{rng.randint(1, 12):02d}{rng.randint(10, 28)}2015031{i % 999 + 1:03d}",
                program=name,
                class_name=f"Angkatan {rng.randint(1, 4)}",
                jp=Decimal(jp),
                starts_on=start,
                ends_on=start + dt.timedelta(days=3),
                issued_on=start + dt.timedelta(days=3),
                valid_until=None,
                verify_url="https://mumpuni.semarangkota.go.id/verifikasi/"
                + signing.dumps(number, salt=VERIFY_SALT)
                + "/",
            )
        )
    render_certificate(data[0])  # warm-up: fonts and imports
    started = time.perf_counter()
    size = 0
    pdf = b""
    for item in data:
        pdf = render_certificate(item)
        size += len(pdf)
    elapsed = time.perf_counter() - started
    rate = args.count / elapsed
    print(
        f"certificates: {args.count} PDFs in {elapsed:.2f} s = {rate:.1f} PDFs/s "
        f"({elapsed / args.count * 1000:.1f} ms each, {size / args.count / 1024:.1f} KiB average); "
        f"target >= {TARGET_PER_SECOND:.0f}/s: {'pass' if rate >= TARGET_PER_SECOND else 'MISS'}"
    )
    if args.out:
        Path(args.out).write_bytes(pdf)
    return 0 if rate >= TARGET_PER_SECOND else 1


if __name__ == "__main__":
    raise SystemExit(main())
