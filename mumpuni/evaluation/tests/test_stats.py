"""L2 and L1 arithmetic on hand-worked numbers (evaluation/stats.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mumpuni.evaluation.stats import ScorePair, learning_gain, likert_summary, normalised_gain

# pre → post: 40 → 70 (g 0.5), 60 → 70 (g 0.25), 80 → 95 (g 0.75), 100 → 90 (g undefined); threshold 75.
PAIRS = [ScorePair(40, 70, 75), ScorePair(60, 70, 75), ScorePair(80, 95, 75), ScorePair(100, 90, 75)]


class TestLearningGain:
    def test_it_computes_the_hand_worked_example(self) -> None:
        s = learning_gain(PAIRS)
        assert s.n == 4
        assert s.mean_pre == 70  # (40 + 60 + 80 + 100) / 4
        assert s.mean_post == 81.25  # (70 + 70 + 95 + 90) / 4
        assert s.raw_gain == 11.25
        assert s.normalised_gain == 0.375  # 11.25 / (100 − 70), Hake on the group means
        assert s.mean_individual_gain == 0.5  # (0.5 + 0.25 + 0.75) / 3: pre = 100 is left out
        assert s.individual_n == 3
        assert (s.passed, s.pass_n, s.pass_rate) == (2, 4, 0.5)  # 95 and 90 reach 75

    def test_participants_without_a_threshold_do_not_count_for_the_pass_rate(self) -> None:
        s = learning_gain([ScorePair(50, 80, None), ScorePair(50, 60, 70)])
        assert (s.passed, s.pass_n) == (0, 1)

    def test_an_empty_group_has_no_figures(self) -> None:
        s = learning_gain([])
        assert s.n == 0 and s.raw_gain is None and s.normalised_gain is None and s.pass_rate is None

    def test_a_group_already_at_full_score_has_no_normalised_gain(self) -> None:
        s = learning_gain([ScorePair(100, 100), ScorePair(100, 95)])
        assert s.normalised_gain is None and s.mean_individual_gain is None
        assert s.raw_gain == -2.5

    def test_a_loss_is_a_negative_gain(self) -> None:
        assert normalised_gain(50, 25) == -0.5

    @given(st.floats(0, 99.99), st.floats(0, 100))
    def test_normalised_gain_is_at_most_one(self, pre: float, post: float) -> None:
        g = normalised_gain(pre, post)
        assert g is not None and g <= 1 + 1e-9


class TestLikertSummary:
    FIELDS = ("a", "b")

    def test_it_withholds_means_below_the_minimum_group(self) -> None:
        s = likert_summary([{"a": 5, "b": 1}, {"a": 4, "b": 2}], self.FIELDS, 3)
        assert not s.shown and s.withheld and s.means == {"a": None, "b": None} and s.index is None

    def test_it_shows_means_from_the_minimum_group_on(self) -> None:
        s = likert_summary([{"a": 5, "b": 1}, {"a": 4, "b": 2}, {"a": 3, "b": 3}], self.FIELDS, 3)
        assert s.shown and s.means == {"a": 4.0, "b": 2.0} and s.index == 3.0
