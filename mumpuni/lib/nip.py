"""Parse and validate the civil-servant numbers NIP (PNS) and NI PPPK.

Shapes from BKN practice (see docs/glossary.md and the project's domain facts):
- NIP PNS, 18 digits: YYYYMMDD birth date + YYYYMM TMT CPNS + sex digit (1 male, 2 female) + serial 001-999.
- NI PPPK, 18 digits: YYYYMMDD birth date + YYYY year of appointment + '2' + frequency digit + sex digit
  + 3-digit serial. The 13th digit tells them apart: a TMT month starts with '0' or '1', the PPPK code is
  always '2' — so '2' means PPPK and anything else PNS (whose TMT month is then checked); callers can force
  a kind. Only ASCII digits count: full-width or other Unicode digits are a format error.
No library knows these numbers, so this module is our own. Messages are in Indonesian because they are
shown to users as-is; each names the failing segment.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["pns", "pppk"]
Sex = Literal["L", "P"]

_DIGITS = re.compile(r"[0-9]{18}")  # ASCII only; \d would accept full-width and other Unicode digits


class NipError(ValueError):
    """A NIP that fails validation; `segment` names the failing part."""

    def __init__(self, segment: str, message: str) -> None:
        super().__init__(message)
        self.segment = segment
        self.message = message


@dataclass(frozen=True)
class Nip:
    value: str
    kind: Kind
    birth_date: dt.date
    sex: Sex
    serial: int
    appointment_year: int
    appointment_month: int | None  # None for PPPK (only the year is encoded)

    @property
    def formatted(self) -> str:
        """The number with the customary spaces: 19900101 201503 1 001."""
        v = self.value
        if self.kind == "pns":
            return f"{v[:8]} {v[8:14]} {v[14]} {v[15:]}"
        return f"{v[:8]} {v[8:12]} {v[12:14]} {v[14]} {v[15:]}"


def _birth_date(value: str) -> dt.date:
    try:
        return dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise NipError(
            "tanggal_lahir", f"Segmen tanggal lahir '{value[0:8]}' (digit 1-8) bukan tanggal yang valid."
        ) from None


def _sex(digit: str, position: int) -> Sex:
    if digit == "1":
        return "L"
    if digit == "2":
        return "P"
    raise NipError(
        "jenis_kelamin",
        f"Segmen jenis kelamin (digit {position}) harus 1 (laki-laki) atau 2 (perempuan), bukan '{digit}'.",
    )


def _serial(value: str) -> int:
    serial = int(value)
    if serial < 1:
        raise NipError("nomor_urut", "Segmen nomor urut (digit 16-18) harus 001 sampai 999, bukan '000'.")
    return serial


def _check_appointment_age(birth: dt.date, year: int, month: int) -> None:
    # The TMT month may not come before the month of the 18th birthday. The month of the birthday itself
    # is accepted whatever the day: the stricter "first of the TMT month on/after the birthday" would
    # refuse NIPs the demo seeder (people/seeding/people.py) generates and that are already stored.
    eighteenth_year, eighteenth_month = birth.year + 18, birth.month
    if (year, month) < (eighteenth_year, eighteenth_month):
        raise NipError(
            "tmt",
            f"Segmen TMT ({year:04d}-{month:02d}) harus sesudah ulang tahun ke-18 "
            f"(lahir {birth.isoformat()}).",
        )


def parse_nip(value: str, *, kind: Kind | None = None, today: dt.date | None = None) -> Nip:
    """Parse a NIP PNS or NI PPPK; raise NipError naming the failing segment.

    With kind=None the 13th digit decides: '2' (the PPPK code) means PPPK; '0' or '1' (the first digit of a
    TMT month) means PNS, and so does any other digit, so a PNS number with TMT month 00 or 13-19 gets
    the TMT error rather than a PPPK one.
    """
    raw = value.strip().replace(" ", "")
    if not _DIGITS.fullmatch(raw):
        raise NipError("format", "NIP harus terdiri dari tepat 18 angka.")
    today = today or dt.date.today()
    birth = _birth_date(raw)
    if birth > today:
        raise NipError("tanggal_lahir", f"Segmen tanggal lahir ({birth.isoformat()}) ada di masa depan.")

    if kind is None:
        kind = "pppk" if raw[12] == "2" else "pns"

    if kind == "pns":
        year, month = int(raw[8:12]), int(raw[12:14])
        if not 1 <= month <= 12:
            raise NipError("tmt", f"Segmen TMT CPNS '{raw[8:14]}' (digit 9-14) bukan tahun-bulan yang valid.")
        if (year, month) > (today.year, today.month):
            raise NipError("tmt", f"Segmen TMT CPNS ({year:04d}-{month:02d}) ada di masa depan.")
        _check_appointment_age(birth, year, month)
        sex = _sex(raw[14], 15)
        return Nip(raw, "pns", birth, sex, _serial(raw[15:18]), year, month)

    year = int(raw[8:12])
    if raw[12] != "2":
        raise NipError("kode_pppk", f"Digit 13 NI PPPK harus '2' (kode PPPK), bukan '{raw[12]}'.")
    if year > today.year:
        raise NipError("tahun", f"Segmen tahun pengangkatan ({year}) ada di masa depan.")
    if year < 2019:
        # PPPK appointments started with PP 49/2018; an earlier year is a typo.
        raise NipError("tahun", f"Segmen tahun pengangkatan PPPK ({year}) sebelum 2019.")
    _check_appointment_age(birth, year, 12)
    sex = _sex(raw[14], 15)
    return Nip(raw, "pppk", birth, sex, _serial(raw[15:18]), year, None)


# PP 11/2017 art. 34: a CPNS serves one year of probation (masa percobaan), in which the Pelatihan Dasar
# (Latsar) is taken; after it the CPNS becomes PNS. The NIP keeps the TMT CPNS month for life.
CPNS_PROBATION_MONTHS = 12


def in_cpns_year(value: str, today: dt.date) -> bool:
    """True while a PNS is in the probation year after the TMT CPNS of their NIP (digits 9–14); False for a
    PPPK (13th digit '2'), a PNS past that year and a number that is not a NIP."""
    raw = value.strip().replace(" ", "")
    if not _DIGITS.fullmatch(raw) or raw[12] == "2":
        return False
    year, month = int(raw[8:12]), int(raw[12:14])
    if not 1 <= month <= 12:
        return False
    months = (today.year - year) * 12 + today.month - month
    return 0 <= months < CPNS_PROBATION_MONTHS


def build_nip(
    *,
    birth_date: dt.date,
    sex: Sex,
    serial: int,
    year: int,
    month: int = 1,
    kind: Kind = "pns",
    frequency: int = 1,
) -> str:
    """Compose a NIP (used by demo data and tests); the result always parses back."""
    sex_digit = "1" if sex == "L" else "2"
    if kind == "pns":
        return f"{birth_date:%Y%m%d}{year:04d}{month:02d}{sex_digit}{serial:03d}"
    return f"{birth_date:%Y%m%d}{year:04d}2{frequency}{sex_digit}{serial:03d}"
