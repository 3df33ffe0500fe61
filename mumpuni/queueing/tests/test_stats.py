"""Statistics selectors and the statistics page: figures, scoping and the XLSX export."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.queueing.selectors import stats as selectors
from mumpuni.queueing.tests.stats_factory import at, make_counter, make_point, make_service, make_ticket
from mumpuni.testing import BaseTestCase

DAY = dt.date(2026, 11, 23)  # a Monday


class StatsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.point = make_point(cls.tembalang, "Kecamatan Tembalang")
        cls.other_point = make_point(cls.banyumanik, "Kecamatan Banyumanik")
        cls.ktp = make_service("KTP-REKAM", "A", target=10)
        cls.counter = make_counter(cls.point, 1)
        cls.other_counter = make_counter(cls.other_point, 1)
        officer = cls.officer_employee
        # Tembalang: waits 2, 4, 6, 8 min at 09.xx; service 5, 9, 12 min; one no-show at 10.xx.
        for minute, wait, service in ((0, 2, 5), (10, 4, 9), (20, 6, 12)):
            make_ticket(
                cls.point,
                cls.ktp,
                issued=at(DAY, 9, minute),
                wait=wait,
                service_minutes=service,
                counter=cls.counter,
                officer=officer,
            )
        make_ticket(
            cls.point,
            cls.ktp,
            issued=at(DAY, 10, 0),
            wait=8,
            service_minutes=None,
            status="no_show",
            counter=cls.counter,
        )
        make_ticket(
            cls.other_point,
            cls.ktp,
            issued=at(DAY, 9, 0),
            wait=30,
            service_minutes=20,
            counter=cls.other_counter,
            officer=cls.other_officer_employee,
        )

    def filters(self, **kwargs: object) -> selectors.StatsFilter:
        return selectors.StatsFilter(date_from=DAY, date_to=DAY, **kwargs)  # type: ignore[arg-type]


class SelectorTests(StatsTestCase):
    def test_it_computes_the_figures_of_a_point(self) -> None:
        """waits 2, 4, 6, 8 → mean 5, p50 = 4 + 0.5·2 = 5, p90 = 6 + 0.7·2 = 7.4 (linear);
        services 5, 9, 12 → mean 8.667, p50 9, p90 = 9 + 0.8·3 = 11.4; within 10 min: 2 of 3;
        no-show 1 of 4 closed tickets."""
        report = selectors.ticket_stats(self.camat, self.filters(point=self.point))
        total = report.total
        self.assertEqual(total.count, 4)
        self.assertEqual(total.finished, 3)
        self.assertAlmostEqual(total.wait_mean or 0, 5.0)
        self.assertAlmostEqual(total.wait_p50 or 0, 5.0)
        self.assertAlmostEqual(total.wait_p90 or 0, 7.4)
        self.assertAlmostEqual(total.service_mean or 0, 26 / 3)
        self.assertAlmostEqual(total.service_p90 or 0, 11.4)
        self.assertAlmostEqual(total.within_target_share or 0, 2 / 3)
        self.assertAlmostEqual(total.no_show_rate or 0, 0.25)

    def test_it_groups_by_hour_and_officer(self) -> None:
        report = selectors.ticket_stats(self.camat, self.filters())
        hours = {g.key: g.count for g in report.groups["hour"]}
        self.assertEqual(hours, {9: 3, 10: 1})
        officers = {g.label: g.count for g in report.groups["officer"]}
        self.assertEqual(officers, {"Rina Kurniawati": 3, "—": 1})

    def test_it_shows_the_city_to_the_executive(self) -> None:
        report = selectors.ticket_stats(self.executive, self.filters())
        self.assertEqual(report.total.count, 5)
        self.assertEqual(len(report.groups["point"]), 2)

    def test_it_shows_an_officer_only_their_own_tickets(self) -> None:
        report = selectors.ticket_stats(self.officer, self.filters())
        self.assertEqual(report.total.count, 3)

    def test_it_refuses_an_employee(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            selectors.ticket_stats(self.employee, self.filters())

    def test_it_keeps_a_camat_to_their_points(self) -> None:
        report = selectors.ticket_stats(self.other, self.filters())
        self.assertEqual(report.total.count, 1)
        self.assertEqual([g.label for g in report.groups["point"]], ["Kecamatan Banyumanik"])

    def test_it_keeps_the_query_count_small(self) -> None:
        # scope (roles, own employee), tickets, points, services, counters (with points), officers
        with self.assertNumQueries(7):
            selectors.ticket_stats(self.admin, self.filters())


class StaffingByHourTests(StatsTestCase):
    def test_it_advises_from_the_last_four_weeks_of_that_weekday(self) -> None:
        """Two Mondays with tickets at 09.xx: 3 + 3 arrivals → 3/h; service 5, 9, 12 (mean 8.667 min);
        A = 3·8.667/60 = 0.433; c = 1: P(wait) = A = 0.433, SL(10 min) = 1 − 0.433·e^{−0.567·10/8.667}
        = 1 − 0.433·0.520 = 0.775 < 0.8; c = 2 reaches it → 2 counters at 09.00."""
        earlier = DAY - dt.timedelta(weeks=1)
        for minute, service in ((0, 5), (10, 9), (20, 12)):
            make_ticket(self.point, self.ktp, issued=at(earlier, 9, minute), service_minutes=service)
        advice = selectors.staffing_by_hour(
            self.camat, self.point, weekday=0, today=DAY + dt.timedelta(days=1)
        )
        by_hour = {h.hour: h for h in advice}
        self.assertAlmostEqual(by_hour[9].arrivals_per_hour, 3.0)
        self.assertAlmostEqual(by_hour[9].mean_service_minutes or 0, 26 / 3)
        assert by_hour[9].advice is not None
        self.assertEqual(by_hour[9].advice.counters, 2)
        self.assertIsNone(by_hour[10].advice)  # only a no-show: no service time to go on

    def test_it_refuses_another_camat(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            selectors.staffing_by_hour(self.other, self.point, weekday=0)


class StatsPageTests(StatsTestCase):
    url = reverse("queueing:stats")

    def query(self, **extra: str) -> dict[str, str]:
        return {"date_from": DAY.isoformat(), "date_to": DAY.isoformat(), **extra}

    def test_it_shows_a_camat_their_point_with_charts_and_staffing(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, self.query(point=str(self.point.pk), weekday="0"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<svg")
        self.assertContains(response, "Saran jumlah loket per jam")
        self.assertContains(response, "Rina Kurniawati")
        self.assertNotContains(response, "Siti Aminah")

    def test_it_exports_xlsx_with_the_same_filters(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, self.query(format="xlsx"))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("kelompok", "nama", "jumlah"))
        self.assertEqual(rows[1][:3], ("total", "Semua", "4"))

    def test_it_keeps_per_officer_tables_for_a_chosen_point(self) -> None:
        self.login(self.executive)
        response = self.client.get(self.url, self.query())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Rina Kurniawati")  # city-wide: only in the export
        self.assertContains(response, "Tabel per loket dan per petugas tampil setelah memilih")
        export = self.client.get(self.url, self.query(format="xlsx"))
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        self.assertIn(("officer", "Rina Kurniawati", "3"), [r[:3] for r in rows])

    def test_it_rejects_a_reversed_range(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, {"date_from": "2026-11-30", "date_to": "2026-11-01"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tanggal awal harus sebelum tanggal akhir.")

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)  # camat of Banyumanik
        response = self.client.get(self.url, self.query(point=str(self.point.pk)))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Masukkan pilihan yang valid")  # Tembalang is not a choice
        self.assertNotContains(response, "Rina Kurniawati")
        self.assertNotContains(response, "Saran jumlah loket per jam")
        self.login(self.employee)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
