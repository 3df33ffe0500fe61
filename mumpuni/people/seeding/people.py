"""Synthetic people: sex, birth date and a NIP that agree (mumpuni.lib.nip), names, titles, e-mail, phone.

Drawn relative to REFERENCE_DATE, not today, so a seed gives the same people forever.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from dataclasses import dataclass

from faker import Faker

from mumpuni.lib.nip import Sex, build_nip
from mumpuni.people.seeding.catalogue import Job

REFERENCE_DATE = dt.date(2026, 1, 1)

# --- synthetic people ----------------------------------------------------------------------------------

AGE_RANGE = {
    "jpt": (45, 58),
    "administrator": (38, 58),
    "pengawas": (30, 58),
    "pelaksana": (20, 58),
    "ahli_utama": (48, 58),
    "ahli_madya": (40, 58),
    "ahli_muda": (31, 58),
    "ahli_pertama": (23, 50),
    "penyelia": (38, 58),
    "mahir": (28, 58),
    "terampil": (21, 50),
    "pemula": (20, 40),
}
PPPK_SHARE = {"pelaksana": 0.18, "fungsional": 0.30}  # managers are always PNS
PHONE_PREFIXES = (
    "811",
    "812",
    "813",
    "821",
    "822",
    "852",
    "853",
    "857",
    "858",
    "877",
    "878",
    "881",
    "895",
    "896",
)
FIRST_DEGREES = ("S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.I.P.", "S.T.", "S.A.P.", "S.Ak.", "S.Psi.")
SECOND_DEGREES = ("M.M.", "M.Si.", "M.Kom.", "M.H.", "M.A.P.", "M.T.")


@dataclass(frozen=True)
class Identity:
    nip: str
    employment_type: str
    sex: str
    birth_date: dt.date
    appointed: dt.date  # TMT (PNS) or 1 January of the appointment year (PPPK)


class IdentityMaker:
    """Draws sex, birth date and a NIP that agrees with both; NIPs are unique within one maker.

    Uniqueness is structural: the serial counts up per (birth date, sex), so no set of millions of NIPs is
    kept in memory at national scale. A bucket that reaches 999 draws another birth date.
    """

    def __init__(self, rng: random.Random, reference: dt.date = REFERENCE_DATE) -> None:
        self.rng = rng
        self.reference = reference
        self._serials: dict[tuple[int, str], int] = defaultdict(int)
        self._ref_ordinal = reference.toordinal()
        self._last_month_index = reference.year * 12 + reference.month - 2  # the month before the reference

    def _birth_ordinal_range(self, min_age: int, max_age: int) -> tuple[int, int]:
        ref = self.reference
        oldest = dt.date(ref.year - max_age - 1, ref.month, ref.day).toordinal() + 1
        youngest = dt.date(ref.year - min_age, ref.month, ref.day).toordinal()
        return oldest, youngest

    def make(self, *, min_age: int, max_age: int, female: float, pppk: float) -> Identity:
        rng = self.rng
        sex: Sex = "P" if rng.random() < female else "L"
        lo, hi = self._birth_ordinal_range(min_age, max_age)
        while True:
            ordinal = rng.randint(lo, hi)
            key = (ordinal, sex)
            if self._serials[key] < 999:
                self._serials[key] += 1
                serial = self._serials[key]
                break
        birth = dt.date.fromordinal(ordinal)
        if rng.random() < pppk:
            first_year = max(2019, birth.year + 18)  # PP 49/2018: PPPK from 2019; after the 18th birthday
            year = rng.randint(first_year, self.reference.year - 1)
            nip = build_nip(
                birth_date=birth,
                sex=sex,
                serial=serial,
                year=year,
                kind="pppk",
                frequency=rng.choice((1, 1, 1, 2)),
            )
            return Identity(nip, "pppk", sex, birth, dt.date(year, 1, 1))
        birth_month = birth.year * 12 + birth.month - 1
        earliest = birth_month + 18 * 12  # TMT CPNS after the 18th birthday
        typical = birth_month + rng.randint(22 * 12, 35 * 12)
        month_index = (
            typical if typical <= self._last_month_index else rng.randint(earliest, self._last_month_index)
        )
        year, month0 = divmod(month_index, 12)
        nip = build_nip(birth_date=birth, sex=sex, serial=serial, year=year, month=month0 + 1)
        return Identity(nip, "pns", sex, birth, dt.date(year, month0 + 1, 1))


def ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


class PersonMaker:
    """Names (matching sex), academic titles that fit the position, e-mail and phone."""

    def __init__(self, rng: random.Random, faker: Faker) -> None:
        self.rng = rng
        self.faker = faker

    def name(self, sex: str, family: str, kind: str, level: str) -> tuple[str, str]:
        """(display name with titles, e-mail local part)."""
        rng, faker = self.rng, self.faker
        male = sex == "L"
        first = faker.first_name_male() if male else faker.first_name_female()
        last = faker.last_name_male() if male else faker.last_name_female()
        middle = ""
        if rng.random() < 0.2:
            middle = faker.first_name_male() if male else faker.first_name_female()
            middle = "" if middle == first else middle
        plain = " ".join(part for part in (first, middle, last) if part)
        local = f"{ascii_slug(first)}.{ascii_slug(last)}{rng.randint(1, 99)}"
        return self._titled(plain, family, kind, level), local

    def _titled(self, name: str, family: str, kind: str, level: str) -> str:
        rng = self.rng
        graduate = kind in {"jpt", "administrator", "pengawas"} or level.startswith("ahli")
        if family == "dr":
            return f"dr. {name}" + (", M.Kes." if rng.random() < 0.2 else "")
        if family == "drg":
            return f"drg. {name}"
        if family == "apt":
            return f"apt. {name}, S.Farm."
        if family == "pd":
            return f"{name}, S.Pd." + (" M.Pd." if rng.random() < 0.12 else "")
        if family == "kep":
            return f"{name}, " + ("S.Kep., Ns." if graduate else "A.Md.Kep.")
        if family == "keb":
            return f"{name}, " + ("S.Tr.Keb." if graduate else "A.Md.Keb.")
        if graduate:
            title = rng.choice(FIRST_DEGREES)
            if (kind in {"jpt", "administrator"} and rng.random() < 0.6) or rng.random() < 0.1:
                title += f", {rng.choice(SECOND_DEGREES)}"
            return f"{name}, {title}"
        if level in {"terampil", "mahir", "penyelia"} and rng.random() < 0.6:
            return f"{name}, A.Md."
        if kind == "pelaksana" and rng.random() < 0.3:
            return f"{name}, {rng.choice(FIRST_DEGREES)}"
        return name

    def phone(self) -> str:
        return f"0{self.rng.choice(PHONE_PREFIXES)}{self.rng.randint(0, 99_999_999):08d}"


def age_range(job: Job) -> tuple[int, int]:
    return AGE_RANGE.get(job.level) or AGE_RANGE[job.kind]
