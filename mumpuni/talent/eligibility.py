"""Eligibility rules of a further-education programme, with no Django import: each rule passes or fails
with a reason in Indonesian, so the shortlist and the application form say exactly why.

The facts about the employee are gathered by selectors (`talent.selectors.eligibility_facts`); the rules of
the programme come from its fields. A rule the programme does not set is not shown. A fact that is unknown
(no golongan recorded, no 9-box placement) fails the rule that needs it — the reason says what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

# PNS golongan/ruang, lowest first (PP 99/2000 as amended).
GRADES = (
    "I/a",
    "I/b",
    "I/c",
    "I/d",
    "II/a",
    "II/b",
    "II/c",
    "II/d",
    "III/a",
    "III/b",
    "III/c",
    "III/d",
    "IV/a",
    "IV/b",
    "IV/c",
    "IV/d",
    "IV/e",
)
GRADE_ORDER = {g: i for i, g in enumerate(GRADES)}


def whole_years(start: dt.date, end: dt.date) -> int:
    """Completed years from start to end (a birthday or anniversary on `end` counts)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


@dataclass(frozen=True)
class Facts:
    birth_date: dt.date
    service_start: dt.date | None  # TMT CPNS (from the NIP)
    grade: str | None  # golongan, e.g. "III/b"
    box: int | None
    bond_until: dt.date | None  # end of the latest service bond, if any
    ongoing_study: str | None = None  # name of a programme the employee is enrolled in / selected for


@dataclass(frozen=True)
class Rules:
    max_age: int | None = None
    min_grade: str | None = None
    min_years_of_service: int | None = None
    allowed_boxes: Sequence[int] = ()
    no_ongoing_bond: bool = True


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    passed: bool
    reason: str


@dataclass
class Verdict:
    results: list[RuleResult] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]


def check(facts: Facts, rules: Rules, on: dt.date) -> Verdict:
    """Every rule the programme sets, judged at date `on` (the close of the application window)."""
    verdict = Verdict()
    add = verdict.results.append
    if rules.max_age is not None:
        age = whole_years(facts.birth_date, on)
        ok = age <= rules.max_age
        add(
            RuleResult(
                "age",
                "Usia",
                ok,
                f"Usia {age} tahun pada {on:%d/%m/%Y}; batas paling tinggi {rules.max_age} tahun.",
            )
        )
    if rules.min_grade:
        if facts.grade is None:
            add(RuleResult("grade", "Golongan", False, "Golongan pegawai belum tercatat."))
        else:
            ok = GRADE_ORDER.get(facts.grade, -1) >= GRADE_ORDER[rules.min_grade]
            add(
                RuleResult(
                    "grade",
                    "Golongan",
                    ok,
                    f"Golongan {facts.grade}; paling rendah {rules.min_grade}.",
                )
            )
    if rules.min_years_of_service is not None:
        if facts.service_start is None:
            add(RuleResult("service", "Masa kerja", False, "TMT CPNS tidak diketahui."))
        else:
            years = max(0, whole_years(facts.service_start, on))
            ok = years >= rules.min_years_of_service
            add(
                RuleResult(
                    "service",
                    "Masa kerja",
                    ok,
                    f"Masa kerja {years} tahun (TMT {facts.service_start:%m/%Y}); "
                    f"paling sedikit {rules.min_years_of_service} tahun.",
                )
            )
    if rules.allowed_boxes:
        boxes = ", ".join(str(b) for b in sorted(rules.allowed_boxes))
        if facts.box is None:
            add(RuleResult("box", "Kotak 9-box", False, f"Belum ada penempatan 9-box; syarat kotak {boxes}."))
        else:
            ok = facts.box in rules.allowed_boxes
            add(RuleResult("box", "Kotak 9-box", ok, f"Kotak {facts.box}; syarat kotak {boxes}."))
    if rules.no_ongoing_bond:
        if facts.bond_until is not None and facts.bond_until >= on:
            add(
                RuleResult(
                    "bond",
                    "Ikatan dinas",
                    False,
                    f"Masih menjalani ikatan dinas sampai {facts.bond_until:%d/%m/%Y}.",
                )
            )
        elif facts.ongoing_study:
            add(
                RuleResult(
                    "bond",
                    "Ikatan dinas",
                    False,
                    f"Sedang mengikuti atau terpilih untuk {facts.ongoing_study}.",
                )
            )
        else:
            add(
                RuleResult(
                    "bond", "Ikatan dinas", True, "Tidak sedang menjalani ikatan dinas atau tugas belajar."
                )
            )
    return verdict


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (31/01 + 1 → 28/02 or 29/02)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover
