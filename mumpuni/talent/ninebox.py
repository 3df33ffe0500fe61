"""The 9-box arithmetic with no Django import: SKP predikat → kinerja, competency fit → potensi, and the
(potensi, kinerja) → box number table.

PermenPANRB 3/2020 (manajemen talenta ASN): potensi Rendah/Menengah/Tinggi × kinerja Di Bawah/Sesuai/Di Atas
Ekspektasi; boxes 7–9 form the talent pool. PermenPANRB 6/2022: predikat kinerja Sangat Baik, Baik, Butuh
Perbaikan, Kurang, Sangat Kurang. Every default here is configurable (talent.TalentSettings); the defaults
are those of docs/talent.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# --- the two axes -----------------------------------------------------------------------------------

POTENTIAL_LOW, POTENTIAL_MID, POTENTIAL_HIGH = "rendah", "menengah", "tinggi"
POTENTIALS = (POTENTIAL_LOW, POTENTIAL_MID, POTENTIAL_HIGH)
POTENTIAL_LABELS = {POTENTIAL_LOW: "Rendah", POTENTIAL_MID: "Menengah", POTENTIAL_HIGH: "Tinggi"}

PERFORMANCE_BELOW, PERFORMANCE_MEETS, PERFORMANCE_ABOVE = "bawah", "sesuai", "atas"
PERFORMANCES = (PERFORMANCE_BELOW, PERFORMANCE_MEETS, PERFORMANCE_ABOVE)
PERFORMANCE_LABELS = {
    PERFORMANCE_BELOW: "Di Bawah Ekspektasi",
    PERFORMANCE_MEETS: "Sesuai Ekspektasi",
    PERFORMANCE_ABOVE: "Di Atas Ekspektasi",
}

# PermenPANRB 6/2022, predikat kinerja pegawai (best first).
PREDIKAT_SANGAT_BAIK = "sangat_baik"
PREDIKAT_BAIK = "baik"
PREDIKAT_BUTUH_PERBAIKAN = "butuh_perbaikan"
PREDIKAT_KURANG = "kurang"
PREDIKAT_SANGAT_KURANG = "sangat_kurang"
PREDIKATS = (
    PREDIKAT_SANGAT_BAIK,
    PREDIKAT_BAIK,
    PREDIKAT_BUTUH_PERBAIKAN,
    PREDIKAT_KURANG,
    PREDIKAT_SANGAT_KURANG,
)
PREDIKAT_LABELS = {
    PREDIKAT_SANGAT_BAIK: "Sangat Baik",
    PREDIKAT_BAIK: "Baik",
    PREDIKAT_BUTUH_PERBAIKAN: "Butuh Perbaikan",
    PREDIKAT_KURANG: "Kurang",
    PREDIKAT_SANGAT_KURANG: "Sangat Kurang",
}

DEFAULT_SKP_MAP: dict[str, str] = {
    PREDIKAT_SANGAT_BAIK: PERFORMANCE_ABOVE,
    PREDIKAT_BAIK: PERFORMANCE_MEETS,
    PREDIKAT_BUTUH_PERBAIKAN: PERFORMANCE_BELOW,
    PREDIKAT_KURANG: PERFORMANCE_BELOW,
    PREDIKAT_SANGAT_KURANG: PERFORMANCE_BELOW,
}

# Box numbering (domain.md, configurable default): key "potensi/kinerja".
DEFAULT_NUMBERING: dict[str, int] = {
    "rendah/bawah": 1,
    "menengah/bawah": 2,
    "rendah/sesuai": 3,
    "tinggi/bawah": 4,
    "menengah/sesuai": 5,
    "rendah/atas": 6,
    "tinggi/sesuai": 7,
    "menengah/atas": 8,
    "tinggi/atas": 9,
}
DEFAULT_POOL_BOXES = (7, 8, 9)
# Potential score (0–100, share of required competency levels met) → potensi.
DEFAULT_POTENTIAL_HIGH = 80.0
DEFAULT_POTENTIAL_MID = 50.0


def cell_key(potential: str, performance: str) -> str:
    return f"{potential}/{performance}"


def validate_numbering(numbering: Mapping[str, int]) -> list[str]:
    """Indonesian messages; empty when the table gives each of the nine cells a distinct number 1–9."""
    expected = {cell_key(p, k) for p in POTENTIALS for k in PERFORMANCES}
    errors: list[str] = []
    if set(numbering) != expected:
        missing = sorted(expected - set(numbering))
        extra = sorted(set(numbering) - expected)
        if missing:
            errors.append(f"Sel tanpa nomor: {', '.join(missing)}.")
        if extra:
            errors.append(f"Sel tidak dikenal: {', '.join(extra)}.")
    values = list(numbering.values())
    if sorted(values) != list(range(1, 10)) and not errors:
        errors.append("Setiap kotak harus bernomor 1 sampai 9 dan tidak boleh ada nomor yang sama.")
    return errors


def validate_skp_map(mapping: Mapping[str, str]) -> list[str]:
    errors = []
    if set(mapping) != set(PREDIKATS):
        errors.append("Setiap predikat SKP (Sangat Baik … Sangat Kurang) harus dipetakan tepat satu kali.")
    bad = sorted({v for v in mapping.values() if v not in PERFORMANCES})
    if bad:
        errors.append(f"Kategori kinerja tidak dikenal: {', '.join(bad)}.")
    return errors


def performance_for(predikat: str, mapping: Mapping[str, str] | None = None) -> str:
    """SKP predikat → kinerja axis (Sangat Baik → Di Atas, Baik → Sesuai, the rest → Di Bawah by default)."""
    mapping = mapping or DEFAULT_SKP_MAP
    try:
        return mapping[predikat]
    except KeyError:
        raise ValueError(f"Predikat SKP tidak dikenal: {predikat!r}") from None


def potential_for(
    score: float, *, high: float = DEFAULT_POTENTIAL_HIGH, mid: float = DEFAULT_POTENTIAL_MID
) -> str:
    """Score ≥ high → Tinggi, ≥ mid → Menengah, else Rendah (both thresholds inclusive)."""
    if score >= high:
        return POTENTIAL_HIGH
    if score >= mid:
        return POTENTIAL_MID
    return POTENTIAL_LOW


def box_for(potential: str, performance: str, numbering: Mapping[str, int] | None = None) -> int:
    numbering = numbering or DEFAULT_NUMBERING
    try:
        return numbering[cell_key(potential, performance)]
    except KeyError:
        raise ValueError(f"Sel 9-box tidak dikenal: {potential}/{performance}") from None


def cell_of(box: int, numbering: Mapping[str, int] | None = None) -> tuple[str, str]:
    """The (potensi, kinerja) of a box number under the numbering."""
    numbering = numbering or DEFAULT_NUMBERING
    for key, number in numbering.items():
        if number == box:
            potential, performance = key.split("/")
            return potential, performance
    raise ValueError(f"Kotak {box} tidak ada dalam penomoran.")


def box_label(box: int, numbering: Mapping[str, int] | None = None) -> str:
    potential, performance = cell_of(box, numbering)
    return f"Potensi {POTENTIAL_LABELS[potential]} / Kinerja {PERFORMANCE_LABELS[performance]}"


@dataclass(frozen=True)
class CompetencyFit:
    """One required competency of the employee's position and what the assessments say about it."""

    code: str
    required: int
    current: int | None  # None: never assessed


@dataclass(frozen=True)
class PotentialScore:
    required: int  # competencies the position requires
    assessed: int
    met: int  # assessed at or above the required level
    score: float  # 0–100: share of required competencies met (an unassessed one counts as not met)
    mean_surplus: float | None  # mean of (current − required) over the assessed ones


def potential_score(fits: Iterable[CompetencyFit]) -> PotentialScore:
    rows = list(fits)
    assessed = [f for f in rows if f.current is not None]
    met = sum(1 for f in assessed if f.current is not None and f.current >= f.required)
    score = round(100.0 * met / len(rows), 1) if rows else 0.0
    surplus = (
        round(sum((f.current or 0) - f.required for f in assessed) / len(assessed), 2) if assessed else None
    )
    return PotentialScore(
        required=len(rows), assessed=len(assessed), met=met, score=score, mean_surplus=surplus
    )
