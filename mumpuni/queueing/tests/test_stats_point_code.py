"""The statistics page names its point (and service) by code in the query string, as the API does
(`?point=33.74.10`); a number is still read as the old id so that earlier links keep working."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from mumpuni.queueing.tests.test_stats import DAY, StatsTestCase
from mumpuni.queueing.views.points import WEEKDAYS


class StatsPointCodeTests(StatsTestCase):
    url = reverse("queueing:stats")

    def query(self, **extra: str) -> dict[str, str]:
        return {"date_from": DAY.isoformat(), "date_to": DAY.isoformat(), "weekday": "0", **extra}

    def test_it_filters_by_the_unit_code(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, self.query(point="33.74.10"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].cleaned_data["point"], self.point)
        self.assertContains(response, "Saran jumlah loket per jam")
        self.assertContains(response, '<option value="33.74.10" selected>')
        self.assertEqual(response.context["report"].total.count, 4)

    def test_it_still_reads_an_old_link_with_the_id(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, self.query(point=str(self.point.pk)))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].cleaned_data["point"], self.point)
        self.assertContains(response, '<option value="33.74.10" selected>')  # shown by code from now on

    def test_it_filters_the_service_by_code_too(self) -> None:
        self.login(self.admin)
        for value in ("KTP-REKAM", str(self.ktp.pk)):
            with self.subTest(value=value):
                response = self.client.get(self.url, self.query(service=value))
                self.assertEqual(response.context["form"].cleaned_data["service"], self.ktp)
                self.assertContains(response, '<option value="KTP-REKAM" selected>')

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)  # camat of Banyumanik: Tembalang is no choice, by code or by id
        for value in ("33.74.10", str(self.point.pk), "99.99"):
            with self.subTest(value=value):
                response = self.client.get(self.url, self.query(point=value))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Masukkan pilihan yang valid")
                self.assertNotContains(response, "Rina Kurniawati")
                self.assertNotContains(response, "Saran jumlah loket per jam")
                self.assertEqual(response.context["report"].total.count, 1)  # their own point only

    def test_the_weekday_choice_shows_the_day_the_advice_is_for(self) -> None:
        self.login(self.camat)
        query = self.query(point="33.74.10")
        del query["weekday"]
        response = self.client.get(self.url, query)
        today = timezone.localdate().weekday()
        self.assertEqual(response.context["form"]["weekday"].value(), str(today))
        self.assertEqual(response.context["staffing_weekday"], WEEKDAYS[today])
