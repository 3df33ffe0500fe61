"""Erlang C formulas against hand-worked cases and their structural properties."""

import math

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from mumpuni.lib import erlang

loads = st.floats(min_value=0.01, max_value=400, allow_nan=False)
service_minutes = st.floats(min_value=0.5, max_value=60, allow_nan=False)
waits = st.floats(min_value=0, max_value=60, allow_nan=False)


class HandWorkedTests(SimpleTestCase):
    def test_it_computes_the_offered_load(self) -> None:
        """λ = 30/h, S = 6 min → A = 30·6/60 = 3 Erlang."""
        self.assertEqual(erlang.offered_load(30, 6), 3.0)

    def test_it_computes_p_wait_for_three_erlang_on_four_counters(self) -> None:
        """A = 3, c = 4.
        Σ_{k<4} 3^k/k! = 1 + 3 + 4.5 + 4.5 = 13; A^c/c! · c/(c−A) = 81/24 · 4/1 = 13.5;
        P(wait) = 13.5 / (13 + 13.5) = 0.509434…"""
        self.assertAlmostEqual(erlang.probability_of_waiting(4, 3.0), 13.5 / 26.5, places=10)
        self.assertAlmostEqual(erlang.probability_of_waiting(4, 3.0), 0.5094, places=4)

    def test_it_computes_the_other_figures_for_that_case(self) -> None:
        """A = 3, c = 4, S = 6, t = 1 min.
        SL = 1 − 0.509434·e^{−(4−3)·1/6} = 1 − 0.509434·0.846482 = 0.568774;
        mean wait = 0.509434·6/(4−3) = 3.0566 min; occupancy = 3/4 = 0.75."""
        result = erlang.evaluate(4, arrivals_per_hour=30, mean_service_minutes=6, target_wait_minutes=1)
        self.assertAlmostEqual(result.service_level, 0.5688, places=4)
        self.assertAlmostEqual(result.mean_wait_minutes, 3.0566, places=4)
        self.assertEqual(result.occupancy, 0.75)

    def test_it_computes_a_single_counter_like_mm1(self) -> None:
        """c = 1: P(wait) = A (M/M/1 utilisation). A = 0.5: [0.5·1/0.5] / [1 + 0.5·1/0.5] = 1/2."""
        self.assertAlmostEqual(erlang.probability_of_waiting(1, 0.5), 0.5, places=12)

    def test_it_computes_two_counters_by_hand(self) -> None:
        """A = 1, c = 2: A²/2!·2/(2−1) = 1; Σ_{k<2} = 1 + 1 = 2; P(wait) = 1/3."""
        self.assertAlmostEqual(erlang.probability_of_waiting(2, 1.0), 1 / 3, places=12)

    def test_it_advises_five_counters_for_the_textbook_case(self) -> None:
        """A = 3, S = 6, t = 1 min, target 80 %.
        c = 4: SL = 0.5688 (below 0.8); c = 5: B(5) = 3·0.206107/(5 + 0.618321) = 0.110054,
        P(wait) = 5·0.110054/(5 − 3·0.889946) = 0.55027/2.330162 = 0.236151,
        SL = 1 − 0.236151·e^{−2/6} = 1 − 0.236151·0.716531 = 0.830790 ≥ 0.8 → 5 counters."""
        advice = erlang.staffing_advice(
            arrivals_per_hour=30, mean_service_minutes=6, target_wait_minutes=1, target_service_level=0.8
        )
        self.assertEqual(advice.counters, 5)
        self.assertAlmostEqual(advice.probability_of_waiting, 0.2362, places=4)
        self.assertAlmostEqual(advice.service_level, 0.8308, places=4)
        self.assertEqual(advice.occupancy, 0.6)

    def test_it_says_everyone_waits_when_counters_do_not_exceed_the_load(self) -> None:
        self.assertEqual(erlang.probability_of_waiting(3, 3.0), 1.0)
        self.assertTrue(math.isinf(erlang.mean_wait(2, 3.0, 6)))
        self.assertEqual(erlang.service_level(3, 3.0, 6, 10), 0.0)

    def test_it_stays_finite_for_loads_in_the_hundreds(self) -> None:
        """A = 500 overflows A^c/c! in floats; the B recursion doesn't."""
        p = erlang.probability_of_waiting(520, 500.0)
        self.assertTrue(0 < p < 1)
        advice = erlang.staffing_advice(
            arrivals_per_hour=3000, mean_service_minutes=10, target_wait_minutes=1, target_service_level=0.9
        )
        self.assertGreater(advice.counters, 500)

    def test_it_refuses_bad_input(self) -> None:
        with self.assertRaises(erlang.ErlangError):
            erlang.offered_load(-1, 5)
        with self.assertRaises(erlang.ErlangError):
            erlang.offered_load(10, 0)
        with self.assertRaises(erlang.ErlangError):
            erlang.staffing_advice(
                arrivals_per_hour=10, mean_service_minutes=5, target_wait_minutes=1, target_service_level=1.0
            )
        with self.assertRaises(erlang.ErlangError):
            erlang.offered_load(math.nan, 5)


class PropertyTests(SimpleTestCase):
    @given(load=loads, extra=st.integers(min_value=0, max_value=50))
    def test_it_keeps_p_wait_a_probability(self, load: float, extra: int) -> None:
        c = math.floor(load) + 1 + extra
        self.assertTrue(0.0 <= erlang.probability_of_waiting(c, load) <= 1.0)

    @given(load=loads, extra=st.integers(min_value=0, max_value=50))
    def test_it_lowers_p_wait_with_more_counters(self, load: float, extra: int) -> None:
        c = math.floor(load) + 1 + extra
        self.assertLessEqual(
            erlang.probability_of_waiting(c + 1, load), erlang.probability_of_waiting(c, load)
        )

    @given(load=loads, s=service_minutes, t=waits, extra=st.integers(min_value=0, max_value=50))
    def test_it_raises_the_service_level_with_more_counters(
        self, load: float, s: float, t: float, extra: int
    ) -> None:
        c = math.floor(load) + 1 + extra
        self.assertGreaterEqual(
            erlang.service_level(c + 1, load, s, t) + 1e-12, erlang.service_level(c, load, s, t)
        )

    @given(
        arrivals=st.floats(min_value=0, max_value=600, allow_nan=False),
        s=service_minutes,
        t=waits,
        target=st.floats(min_value=0.05, max_value=0.99),
    )
    def test_it_advises_the_smallest_sufficient_number(
        self, arrivals: float, s: float, t: float, target: float
    ) -> None:
        advice = erlang.staffing_advice(
            arrivals_per_hour=arrivals,
            mean_service_minutes=s,
            target_wait_minutes=t,
            target_service_level=target,
        )
        load = erlang.offered_load(arrivals, s)
        self.assertGreater(advice.counters, load)
        self.assertGreaterEqual(advice.service_level, target)
        fewer = advice.counters - 1
        if fewer > load:
            self.assertLess(erlang.service_level(fewer, load, s, t), target)
