"""SKM/IKM per PermenPANRB 14/2017, exactly (see ../shared/docs/domain.md and docs/surveys.md).

- NRR of an unsur = sum of its answers ÷ number of respondents who answered it (blanks do not count).
- IKM = the exact mean of the NRRs of the unsur that were answered × 25 (not × a rounded 0,111), rounded to
  2 decimals half up, then classified on the rounded value:
  25.00–64.99 D Tidak Baik · 65.00–76.60 C Kurang Baik · 76.61–88.30 B Baik · 88.31–100.00 A Sangat Baik.
- Krejcie & Morgan sample size s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5, d = 0.05,
  rounded up (N = 100 → 80; N = 1,000 → 278).
Arithmetic is in Fractions so no float error can move a value across a category boundary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

UNSUR: tuple[tuple[str, str], ...] = (
    ("U1", "Persyaratan"),
    ("U2", "Sistem, Mekanisme, dan Prosedur"),
    ("U3", "Waktu Penyelesaian"),
    ("U4", "Biaya/Tarif"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan"),
    ("U6", "Kompetensi Pelaksana"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("U9", "Sarana dan Prasarana"),
)
UNSUR_CODES = tuple(code for code, _ in UNSUR)

# (lowest rounded IKM of the band, mutu, kinerja), highest band first.
CATEGORIES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)
CHI_SQUARE = Fraction(3841, 1000)
P = Fraction(1, 2)
D = Fraction(5, 100)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: dict[str, Fraction]  # only the unsur that were answered
    ikm: Decimal | None  # None when nothing was answered
    mutu: str | None
    kinerja: str | None

    def nrr_rounded(self, places: int = 2) -> dict[str, Decimal]:
        quantum = Decimal(1).scaleb(-places)
        return {code: to_decimal(value, quantum) for code, value in self.nrr.items()}


def to_decimal(value: Fraction, quantum: Decimal = TWO_PLACES) -> Decimal:
    """Round a Fraction half up to `quantum` (exact: no float in between)."""
    return _exact_round(value, quantum)


def _exact_round(value: Fraction, quantum: Decimal) -> Decimal:
    scale = Fraction(1) / Fraction(str(quantum))
    scaled = value * scale
    floor = math.floor(scaled)
    rounded = floor + 1 if scaled - floor >= Fraction(1, 2) else floor
    return (Decimal(rounded) * quantum).quantize(quantum)


def classify(ikm: Decimal) -> tuple[str, str]:
    """Mutu and kinerja of a rounded IKM (25.00–100.00)."""
    if ikm < Decimal("25.00") or ikm > Decimal("100.00"):
        raise ValueError(f"IKM out of range: {ikm}")
    for lowest, mutu, kinerja in CATEGORIES:
        if ikm >= lowest:
            return mutu, kinerja
    raise AssertionError("unreachable")


def compute(sums: Mapping[str, int], counts: Mapping[str, int], respondents: int) -> IkmResult:
    """IKM from per-unsur sums and answer counts (as one SQL aggregate gives them)."""
    nrr: dict[str, Fraction] = {}
    for code in UNSUR_CODES:
        n = int(counts.get(code) or 0)
        if n:
            total = int(sums.get(code) or 0)
            if not n <= total <= 4 * n:
                raise ValueError(f"{code}: sum {total} impossible for {n} answers of 1–4")
            nrr[code] = Fraction(total, n)
    if not nrr:
        return IkmResult(respondents, nrr, None, None, None)
    mean = sum(nrr.values(), Fraction(0)) / len(nrr)
    ikm = _exact_round(mean * 25, TWO_PLACES)
    mutu, kinerja = classify(ikm)
    return IkmResult(respondents, nrr, ikm, mutu, kinerja)


def compute_from_answers(rows: list[Mapping[str, int | None]]) -> IkmResult:
    """IKM from raw answers ({"U1": 3, "U2": None, …}); for tests and small sets."""
    sums: dict[str, int] = {}
    counts: dict[str, int] = {}
    for row in rows:
        for code in UNSUR_CODES:
            value = row.get(code)
            if value is None:
                continue
            if value not in (1, 2, 3, 4):
                raise ValueError(f"{code}: answer {value} is not 1–4")
            sums[code] = sums.get(code, 0) + value
            counts[code] = counts.get(code, 0) + 1
    return compute(sums, counts, len(rows))


def sample_required(population: int) -> int:
    """Krejcie & Morgan sample size for a population of N service users (0 for N = 0)."""
    if population < 0:
        raise ValueError("population must be >= 0")
    if population == 0:
        return 0
    pq = P * (1 - P)
    s = CHI_SQUARE * population * pq / (D * D * (population - 1) + CHI_SQUARE * pq)
    return math.ceil(s)
