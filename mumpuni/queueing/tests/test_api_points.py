"""GET /api/v1/queue/points: scoped to the caller, anonymous refused."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mumpuni.people.models import Role
from mumpuni.people.services import api_key_create
from mumpuni.queueing.tests.points_fixtures import make_point, setup_points
from mumpuni.testing import BaseTestCase, make_unit

URL = "/api/v1/queue/points"


class PointsApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_lists_points_with_services_and_counters(self) -> None:
        self.login(self.admin)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        data = {p["code"]: p for p in response.json()}
        self.assertEqual(set(data), {"33.74.10", "33.74.11"})
        tembalang = data["33.74.10"]
        self.assertIn({"code": "KTP-REKAM", "name": self.ktp.name}, tembalang["services"])
        self.assertEqual(tembalang["counters"][0]["name"], "Loket 1")
        self.assertEqual(sorted(tembalang["counters"][0]["services"]), ["KTP-REKAM", "SKTM"])

    def test_it_is_in_the_openapi_schema(self) -> None:
        schema = self.client.get("/api/openapi.json").json()
        self.assertIn("/api/v1/queue/points", schema["paths"])

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)
        _, key = api_key_create(actor=None, name="kios-uji", role=Role.KIOSK, unit=self.tembalang)
        response = self.client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([p["code"] for p in response.json()], ["33.74.10"])
        self.login(self.other)
        self.assertEqual([p["code"] for p in self.client.get(URL).json()], ["33.74.11"])
        self.login(self.employee)
        self.assertEqual(self.client.get(URL).json(), [])

    def test_it_answers_in_a_fixed_number_of_queries(self) -> None:
        self.login(self.admin)
        self.client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(URL)
        make_point(make_unit("33.74.12", "Kecamatan Gunungpati", "kecamatan", self.city), self.services)
        with self.assertNumQueries(len(ctx.captured_queries)):
            response = self.client.get(URL)
        self.assertEqual(len(response.json()), 3)
