"""IKM per PermenPANRB 14/2017: hand-worked cases, blanks, category boundaries, Krejcie–Morgan."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mumpuni.lib.ikm import UNSUR_CODES, classify, compute, compute_from_answers, sample_required


def row(*values: int | None) -> dict[str, int | None]:
    return dict(zip(UNSUR_CODES, values, strict=False))


def test_all_fours_is_exactly_100_not_99_9() -> None:
    # The common shortcut 4 × 9 × 0,111 × 25 gives 99.90; the exact mean gives 100.00.
    result = compute_from_answers([row(4, 4, 4, 4, 4, 4, 4, 4, 4)] * 3)
    assert result.ikm == Decimal("100.00")
    assert (result.mutu, result.kinerja) == ("A", "Sangat Baik")


def test_hand_worked_three_respondents_with_blanks() -> None:
    # U1: 3,4,2 → 9/3 = 3.00; U2: 4,-,4 → 8/2 = 4.00; U3: 1,2,- → 3/2 = 1.50; U4..U9 not answered.
    # IKM = (3 + 4 + 1.5) / 3 × 25 = 70.8333… → 70.83 → C Kurang Baik.
    result = compute_from_answers([row(3, 4, 1), row(4, None, 2), row(2, 4, None)])
    assert result.respondents == 3
    assert result.nrr == {"U1": Fraction(3), "U2": Fraction(4), "U3": Fraction(3, 2)}
    assert result.ikm == Decimal("70.83")
    assert result.mutu == "C"


def test_nine_unsur_hand_worked() -> None:
    # Two respondents. NRRs: U1 3.5, U2 3, U3 2.5, U4 4, U5 3, U6 3.5, U7 4, U8 2, U9 3 → sum 28.5, mean
    # 3.1666…, × 25 = 79.1666… → 79.17 → B Baik. (With 0,111: 28.5 × 0.111 × 25 = 79.09.)
    result = compute_from_answers([row(3, 3, 2, 4, 3, 3, 4, 2, 3), row(4, 3, 3, 4, 3, 4, 4, 2, 3)])
    assert result.ikm == Decimal("79.17")
    assert (result.mutu, result.kinerja) == ("B", "Baik")


def test_half_up_rounding_of_the_third_decimal() -> None:
    # NRR mean 2.6002 exactly? Use sums: one unsur, 5000 answers summing 13001 → 2.6002 × 25 = 65.005 → 65.01.
    result = compute({"U1": 13001}, {"U1": 5000}, 5000)
    assert result.ikm == Decimal("65.01")
    # 64.995 rounds half up to 65.00 → C, not D.
    result = compute({"U1": 25998}, {"U1": 10000}, 10000)
    assert result.nrr["U1"] * 25 == Fraction(64995, 1000)
    assert result.ikm == Decimal("65.00")
    assert result.mutu == "C"


@pytest.mark.parametrize(
    ("ikm", "mutu", "kinerja"),
    [
        ("25.00", "D", "Tidak Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("76.61", "B", "Baik"),
        ("88.30", "B", "Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("100.00", "A", "Sangat Baik"),
    ],
)
def test_category_boundaries(ikm: str, mutu: str, kinerja: str) -> None:
    assert classify(Decimal(ikm)) == (mutu, kinerja)


def test_out_of_range_ikm_is_refused() -> None:
    with pytest.raises(ValueError):
        classify(Decimal("24.99"))
    with pytest.raises(ValueError):
        classify(Decimal("100.01"))


def test_nothing_answered_gives_no_ikm() -> None:
    result = compute_from_answers([row(None, None)])
    assert result.respondents == 1
    assert result.ikm is None and result.mutu is None and result.nrr == {}


def test_impossible_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        compute_from_answers([row(5)])
    with pytest.raises(ValueError):
        compute({"U1": 9}, {"U1": 2}, 2)


@pytest.mark.parametrize(
    ("population", "sample"), [(0, 0), (1, 1), (10, 10), (100, 80), (1000, 278), (10000, 370)]
)
def test_krejcie_morgan(population: int, sample: int) -> None:
    assert sample_required(population) == sample


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=9, max_size=9), min_size=1, max_size=40
    )
)
def test_ikm_is_the_exact_mean_times_25(rows: list[list[int | None]]) -> None:
    result = compute_from_answers([row(*r) for r in rows])
    answered: list[list[int]] = [[v for r in rows if (v := r[i]) is not None] for i in range(9)]
    nrrs = [Fraction(sum(a), len(a)) for a in answered if a]
    if not nrrs:
        assert result.ikm is None
        return
    exact = sum(nrrs, Fraction(0)) / len(nrrs) * 25
    assert result.ikm is not None
    assert abs(Fraction(str(result.ikm)) - exact) <= Fraction(1, 200)
    assert Decimal("25.00") <= result.ikm <= Decimal("100.00")
