"""GET /api/v1/queue/stats (scoped) and /api/v1/queue/staffing (Erlang C)."""

from __future__ import annotations

from mumpuni.people import services
from mumpuni.people.models import Role
from mumpuni.queueing.tests.test_stats import DAY, StatsTestCase

STATS = "/api/v1/queue/stats"
STAFFING = "/api/v1/queue/staffing"


class StatsApiTests(StatsTestCase):
    def get(self, url: str, **params: str):  # type: ignore[no-untyped-def]
        return self.client.get(url, params)

    def test_it_returns_a_points_figures(self) -> None:
        self.login(self.camat)
        response = self.get(STATS, point="33.74.10", **{"from": DAY.isoformat(), "to": DAY.isoformat()})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["total"]["count"], 4)
        self.assertAlmostEqual(body["total"]["wait_mean"], 5.0)
        self.assertEqual([g["key"] for g in body["hour_groups"]], ["9", "10"])

    def test_it_rejects_a_reversed_range(self) -> None:
        self.login(self.executive)
        response = self.get(STATS, **{"from": "2026-11-30", "to": "2026-11-01"})
        self.assertEqual(response.status_code, 422)

    def test_it_answers_staffing_with_the_exact_keys(self) -> None:
        self.login(self.employee)  # arithmetic only: any signed-in caller
        response = self.get(
            STAFFING,
            arrivals_per_hour="30",
            mean_service_minutes="6",
            target_wait_minutes="1",
            service_level="80",
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(
            set(body),
            {"counters", "service_level", "probability_of_waiting", "mean_wait_minutes", "occupancy"},
        )
        self.assertEqual(body["counters"], 5)
        self.assertAlmostEqual(body["probability_of_waiting"], 0.2362, places=4)

    def test_it_rejects_bad_staffing_input(self) -> None:
        self.login(self.employee)
        response = self.get(
            STAFFING, arrivals_per_hour="-1", mean_service_minutes="6", target_wait_minutes="1"
        )
        self.assertEqual(response.status_code, 422)
        response = self.get(
            STAFFING,
            arrivals_per_hour="10",
            mean_service_minutes="6",
            target_wait_minutes="1",
            service_level="1",
        )
        self.assertEqual(response.status_code, 422)  # 1 = 100 %: unreachable

    def test_it_refuses_a_partner_key(self) -> None:
        _, key = services.api_key_create(actor=None, name="dasbor", role=Role.PARTNER, unit=self.tembalang)
        response = self.client.get(
            STATS, {"from": DAY.isoformat(), "to": DAY.isoformat()}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        self.assertEqual(response.status_code, 403)  # a partner key sees no queue statistics

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)  # camat of Banyumanik asks for Tembalang
        response = self.get(STATS, point="33.74.10", **{"from": DAY.isoformat(), "to": DAY.isoformat()})
        self.assertEqual(response.status_code, 404)
        response = self.get(STATS, **{"from": DAY.isoformat(), "to": DAY.isoformat()})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["total"]["count"], 1)
        self.login(self.employee)
        self.assertEqual(self.get(STATS).status_code, 403)
        self.client.logout()
        self.assertEqual(self.get(STATS).status_code, 401)
