"""Staff pages of the service points: scoped list and detail, the head's set-up forms, the catalogue."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mumpuni.queueing.models import PointService
from mumpuni.queueing.tests.points_fixtures import make_point, setup_points
from mumpuni.testing import BaseTestCase, make_unit


class PointViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_lists_all_points_for_bkpp_and_only_their_own_for_a_camat(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("queueing:points"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kecamatan Banyumanik")
        self.login(self.camat)
        response = self.client.get(reverse("queueing:points"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kecamatan Tembalang")
        self.assertNotContains(response, "Kecamatan Banyumanik")

    def test_it_shows_the_point_with_its_edit_forms_to_its_head(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("queueing:point_detail", args=["33.74.10"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Loket 1")
        self.assertContains(response, reverse("queueing:point_open", args=["33.74.10"]))

    def test_it_lets_the_head_open_outside_hours(self) -> None:
        self.login(self.camat)
        response = self.client.post(reverse("queueing:point_open", args=["33.74.10"]), {"minutes": "45"})
        self.assertEqual(response.status_code, 302)
        self.point.refresh_from_db()
        self.assertIsNotNone(self.point.extended_until)

    def test_it_saves_quotas(self) -> None:
        row = PointService.objects.get(point=self.point, service=self.ktp)
        self.login(self.admin)
        response = self.client.post(
            reverse("queueing:point_service_update", args=["33.74.10", row.pk]),
            {"daily_quota": "50", "booking_quota": "", "active": "on"},
        )
        self.assertEqual(response.status_code, 302)
        row.refresh_from_db()
        self.assertEqual((row.daily_quota, row.booking_quota), (50, None))

    def test_it_shows_the_catalogue(self) -> None:
        self.login(self.employee)
        response = self.client.get(reverse("queueing:catalogue_detail", args=["KTP-REKAM"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Persyaratan")

    def test_it_refuses_outsiders(self) -> None:
        row = PointService.objects.get(point=self.point, service=self.ktp)
        # The camat of Banyumanik cannot even see Tembalang's point, let alone edit it.
        self.login(self.other)
        response = self.client.get(reverse("queueing:point_detail", args=["33.74.10"]))
        self.assertEqual(response.status_code, 404)
        response = self.client.post(
            reverse("queueing:point_service_update", args=["33.74.10", row.pk]),
            {"daily_quota": "1", "booking_quota": "", "active": "on"},
        )
        self.assertEqual(response.status_code, 404)
        row.refresh_from_db()
        self.assertEqual(row.daily_quota, 60)
        # A counter officer sees the point but cannot open it; a plain employee sees no point pages.
        self.login(self.officer)
        response = self.client.post(reverse("queueing:point_open", args=["33.74.10"]), {"minutes": "30"})
        self.assertEqual(response.status_code, 403)
        self.login(self.employee)
        self.assertEqual(self.client.get(reverse("queueing:points")).status_code, 403)
        response = self.client.post(reverse("queueing:point_open", args=["33.74.10"]), {"minutes": "30"})
        self.assertEqual(response.status_code, 403)
        self.point.refresh_from_db()
        self.assertIsNone(self.point.extended_until)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("queueing:points")).status_code, 302)


class PointListQueryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_lists_points_in_a_fixed_number_of_queries(self) -> None:
        self.login(self.admin)
        self.client.get(reverse("queueing:points"))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("queueing:points"))
        self.assertEqual(response.status_code, 200)
        queries = len(ctx.captured_queries)
        make_point(make_unit("33.74.12", "Kecamatan Gunungpati", "kecamatan", self.city), self.services)
        with self.assertNumQueries(queries):
            self.client.get(reverse("queueing:points"))
