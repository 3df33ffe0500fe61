"""The staggered DiD estimator on synthetic panels with known truth (fixed seeds)."""

from __future__ import annotations

import numpy as np
import pytest

from mumpuni.lib import did


def test_it_recovers_a_planted_effect_where_naive_before_after_does_not() -> None:
    # Slower officers are trained first and everyone speeds up over time: the naive comparison mixes the
    # trend into the effect, the comparison with not-yet/never-trained officers does not.
    panel = did.simulate_panel(officers=300, months=24, effect=-1.5, selection=1.5, trend=-0.1, seed=7)
    result = did.estimate(panel.y, panel.cohort, tickets=panel.tickets)
    assert isinstance(result, did.Estimate)
    lo, hi = result.ci95
    assert lo <= -1.5 <= hi
    assert hi - lo < 0.5  # informative, not covering by being wide
    assert result.naive_before_after is not None
    assert not lo <= result.naive_before_after <= hi
    assert result.naive_before_after < -1.9  # the trend (−0.1/month over ~6.5 months) added in
    assert result.pretrend_p is not None and result.pretrend_p > 0.05
    assert result.officers_treated > 100 and result.officers_control > 100
    assert result.tickets > 0


def test_it_covers_the_truth_at_the_nominal_rate() -> None:
    covered = 0
    for seed in range(40):
        panel = did.simulate_panel(officers=150, months=20, seed=100 + seed)
        result = did.estimate(panel.y, panel.cohort)
        assert isinstance(result, did.Estimate)
        covered += result.ci95[0] <= -1.5 <= result.ci95[1]
    assert 33 <= covered <= 40  # 95 % of 40 = 38; binomial spread


def test_it_covers_zero_when_nothing_was_planted() -> None:
    panel = did.simulate_panel(officers=300, months=24, effect=0.0, seed=11)
    result = did.estimate(panel.y, panel.cohort)
    assert isinstance(result, did.Estimate)
    assert result.ci95[0] <= 0 <= result.ci95[1]
    assert result.ci95[1] - result.ci95[0] < 0.5


def test_it_flags_a_planted_pretrend() -> None:
    panel = did.simulate_panel(officers=300, months=24, pretrend=-0.2, seed=3)
    result = did.estimate(panel.y, panel.cohort)
    assert isinstance(result, did.Estimate)
    assert result.pretrend_p is not None and result.pretrend_p < 0.001
    assert result.pretrend_df == 5


def test_it_builds_the_event_study_around_the_reference_month() -> None:
    panel = did.simulate_panel(officers=300, months=24, seed=5)
    result = did.estimate(panel.y, panel.cohort)
    assert isinstance(result, did.Estimate)
    events = [p.event for p in result.event_study]
    assert events == list(range(-6, 7))
    reference = result.event_study[5]
    assert reference.event == -1 and reference.estimate == 0.0
    post = [p.estimate for p in result.event_study if p.event >= 0]
    pre = [p.estimate for p in result.event_study if p.event < -1]
    assert all(p is not None and -2.0 < p < -1.0 for p in post)
    assert all(p is not None and abs(p) < 0.3 for p in pre)


def test_it_refuses_too_few_treated_officers() -> None:
    panel = did.simulate_panel(officers=100, months=20, treated_share=0.03, seed=1)
    result = did.estimate(panel.y, panel.cohort)
    assert isinstance(result, did.TooThin)
    assert result.reason == "few_treated"
    assert result.detail["treated"] < did.MIN_TREATED


def test_it_refuses_too_few_comparison_officers() -> None:
    # Everyone is trained at once and nobody is left to compare with.
    panel = did.simulate_panel(
        officers=40, months=12, treated_share=1.0, first_cohort=6, last_cohort=6, seed=2
    )
    result = did.estimate(panel.y, panel.cohort)
    assert isinstance(result, did.TooThin)
    assert result.reason == "few_control"


def test_it_leaves_out_officers_trained_before_the_panel() -> None:
    panel = did.simulate_panel(officers=200, months=20, seed=4)
    cohort = panel.cohort.copy()
    cohort[:10] = 0  # trained in the first month: no month before, never a comparison either
    result = did.estimate(panel.y, cohort)
    assert isinstance(result, did.Estimate)
    assert result.ci95[0] <= -1.5 <= result.ci95[1]


def test_it_rejects_a_cohort_of_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        did.estimate(np.zeros((3, 4)), np.zeros(2, dtype=np.int64))


def test_it_handles_a_city_sized_panel() -> None:
    # Speed is measured by bench/did.py, not here; this checks the city-sized shape works and is accurate.
    panel = did.simulate_panel(officers=2000, months=36, seed=9)
    result = did.estimate(panel.y, panel.cohort, tickets=panel.tickets)
    assert isinstance(result, did.Estimate)
    assert result.ci95[0] <= -1.5 <= result.ci95[1]  # simulate_panel plants -1.5 by default
