"""Service points close on national holidays (`holidays` package) and configured cuti bersama, unless the head
opens the point for the day; kiosk tickets, booking days/slots and the point pages follow, and say why."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from mumpuni.common import calendar
from mumpuni.common.models import CollectiveLeave
from mumpuni.queueing.models import OpeningHours, PointClosure, Ticket
from mumpuni.queueing.services import booking as booking_services
from mumpuni.queueing.services import points as services
from mumpuni.queueing.services.tickets import PointClosedError, ticket_issue
from mumpuni.queueing.tests.points_fixtures import at, setup_points
from mumpuni.testing import BaseTestCase

IDUL_FITRI = dt.date(2026, 3, 21)  # Saturday: Hari Raya Idul Fitri 1447 H
NYEPI = dt.date(2026, 3, 19)  # Thursday
ORDINARY_SATURDAY = dt.date(2026, 3, 14)
CUTI = dt.date(2026, 3, 23)  # Monday: cuti bersama Idul Fitri (SKB), configured below
MONDAY_BEFORE = dt.date(2026, 3, 16)


class HolidayTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)
        # Open on Saturday mornings like the MPP, so that a Saturday holiday is a real test.
        OpeningHours.objects.create(point=cls.point, weekday=5, opens_at=dt.time(8), closes_at=dt.time(12))

    def setUp(self) -> None:
        super().setUp()
        # A test's rolled-back CollectiveLeave rows fire no post_delete: forget them before and after.
        calendar.clear_calendar_cache()
        self.addCleanup(calendar.clear_calendar_cache)

    def leave(self, day: dt.date, name: str = "Cuti bersama Idul Fitri") -> CollectiveLeave:
        return CollectiveLeave.objects.create(date=day, name=name)


class PointHolidayTests(HolidayTestCase):
    def test_it_is_closed_on_idul_fitri_and_says_why(self) -> None:
        self.assertTrue(services.point_is_open(self.point, at(ORDINARY_SATURDAY, 9)))
        self.assertFalse(services.point_is_open(self.point, at(IDUL_FITRI, 9)))
        self.assertEqual(services.closure_reason(self.point, IDUL_FITRI), "Hari Raya Idul Fitri")
        self.assertEqual(services.closed_notice(self.point, at(IDUL_FITRI, 9)), "Tutup: Hari Raya Idul Fitri")
        self.assertIsNone(services.closed_notice(self.point, at(ORDINARY_SATURDAY, 9)))
        self.assertFalse(services.point_is_open(self.point, at(NYEPI, 9)))  # a weekday holiday
        self.assertEqual(services.points_open([self.point], at(IDUL_FITRI, 9)), {self.point.pk: False})
        self.assertEqual(services.points_open([self.point], at(ORDINARY_SATURDAY, 9)), {self.point.pk: True})

    def test_it_is_closed_on_a_configured_cuti_bersama_day(self) -> None:
        self.assertTrue(services.point_is_open(self.point, at(CUTI, 9)))
        self.leave(CUTI)
        self.assertFalse(services.point_is_open(self.point, at(CUTI, 9)))  # the signal refreshed the cache
        self.assertEqual(services.closed_notice(self.point, at(CUTI, 9)), "Tutup: Cuti bersama Idul Fitri")
        self.assertEqual(services.points_open([self.point], at(CUTI, 9)), {self.point.pk: False})
        self.assertTrue(services.point_is_open(self.point, at(CUTI + dt.timedelta(days=2), 9)))
        CollectiveLeave.objects.filter(date=CUTI).delete()
        self.assertTrue(services.point_is_open(self.point, at(CUTI, 9)))

    def test_it_is_open_again_when_the_head_opens_it(self) -> None:
        self.leave(CUTI)
        services.point_open_extend(point=self.point, minutes=120, actor=self.camat, at=at(CUTI, 8))
        self.point.refresh_from_db()
        self.assertTrue(services.point_is_open(self.point, at(CUTI, 9, 30)))
        self.assertIsNone(services.closed_notice(self.point, at(CUTI, 9, 30)))
        ticket = ticket_issue(point=self.point, service=self.sktm, at=at(CUTI, 9, 30))
        self.assertEqual(ticket.service_date, CUTI)
        self.assertEqual(Ticket.objects.filter(point=self.point, service_date=CUTI).count(), 1)
        self.assertFalse(services.point_is_open(self.point, at(CUTI, 10, 30)))  # the opening ran out
        services.point_open_extend(point=self.point, minutes=60, actor=self.camat, at=at(IDUL_FITRI, 9))
        self.point.refresh_from_db()
        self.assertTrue(services.point_is_open(self.point, at(IDUL_FITRI, 9, 30)))

    def test_it_refuses_kiosk_tickets_on_a_holiday(self) -> None:
        with self.assertRaises(PointClosedError):
            ticket_issue(point=self.point, service=self.sktm, at=at(IDUL_FITRI, 9))
        self.leave(CUTI)
        with self.assertRaises(PointClosedError):
            ticket_issue(point=self.point, service=self.sktm, at=at(CUTI, 9))
        self.assertFalse(Ticket.objects.exists())

    def test_its_own_closure_reason_comes_first(self) -> None:
        PointClosure.objects.create(point=None, date=CUTI, reason="Libur kota")
        PointClosure.objects.create(point=self.point, date=CUTI, reason="Pindah gedung")
        self.assertEqual(services.closure_reason(self.point, CUTI), "Pindah gedung")
        self.assertEqual(services.closure_reason(self.other_point, CUTI), "Libur kota")
        rows = services.closed_days(self.point, MONDAY_BEFORE, CUTI)
        self.assertEqual(
            rows,
            [
                (NYEPI, "Hari Suci Nyepi"),
                (IDUL_FITRI, "Hari Raya Idul Fitri"),
                (dt.date(2026, 3, 22), "Hari kedua dari Hari Raya Idul Fitri"),
                (CUTI, "Pindah gedung"),
            ],
        )


class PointHolidayQueryTests(HolidayTestCase):
    def test_it_adds_no_query_per_call(self) -> None:
        self.leave(CUTI)
        calendar.cached_work_calendar()  # warm: the one query a minute
        with self.assertNumQueries(0):
            self.assertFalse(services.point_is_open(self.point, at(IDUL_FITRI, 9)))
            self.assertFalse(services.point_is_open(self.point, at(CUTI, 9)))
        with self.assertNumQueries(2):  # the point's closures and its opening hours, as before holidays
            self.assertTrue(services.point_is_open(self.point, at(MONDAY_BEFORE, 9)))

    def test_it_rereads_cuti_bersama_after_the_cache_expires(self) -> None:
        calendar.cached_work_calendar()
        # bulk_create sends no post_save (another process's change looks the same from here)
        CollectiveLeave.objects.bulk_create([CollectiveLeave(date=CUTI, name="Cuti bersama")])
        self.assertTrue(services.point_is_open(self.point, at(CUTI, 9)))
        later = calendar.time.monotonic() + calendar.CACHE_SECONDS + 1
        with mock.patch.object(calendar.time, "monotonic", return_value=later):
            self.assertFalse(services.point_is_open(self.point, at(CUTI, 9)))


class BookingHolidayTests(HolidayTestCase):
    def test_it_offers_no_booking_days_or_slots_on_holidays(self) -> None:
        self.leave(CUTI)
        days = booking_services.booking_days(self.point, now=at(MONDAY_BEFORE, 7))
        self.assertIn(dt.date(2026, 3, 20), days)  # Friday between Nyepi and Idul Fitri
        self.assertIn(ORDINARY_SATURDAY + dt.timedelta(days=14), days)
        for closed in (NYEPI, IDUL_FITRI, CUTI, dt.date(2026, 3, 22)):
            self.assertNotIn(closed, days)
            self.assertEqual(
                booking_services.available_slots(
                    point=self.point, service=self.sktm, day=closed, now=at(MONDAY_BEFORE, 7)
                ),
                [],
            )
        self.assertTrue(
            booking_services.available_slots(
                point=self.point, service=self.sktm, day=dt.date(2026, 3, 24), now=at(MONDAY_BEFORE, 7)
            )
        )

    def test_it_refuses_a_booking_on_a_holiday(self) -> None:
        with self.assertRaises(booking_services.BookingRefused):
            booking_services.booking_create(
                point=self.point, service=self.sktm, slot_start=at(NYEPI, 9), now=at(MONDAY_BEFORE, 7)
            )

    def test_the_slots_page_says_why_a_day_is_missing(self) -> None:
        soon = timezone.localdate() + dt.timedelta(days=3)
        self.leave(soon, "Cuti bersama uji")
        url = reverse("queue_public:booking_slots", args=["33.74.10", self.sktm.code])
        response = self.client.get(url, {"tanggal": soon.isoformat()})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(soon, response.context["days"])
        self.assertEqual(response.context["slots"], [])
        self.assertContains(response, "Tutup: Cuti bersama uji")
        response = self.client.get(url, {"tanggal": IDUL_FITRI.isoformat()})
        self.assertContains(response, "Tutup: Hari Raya Idul Fitri")


class PointPageHolidayTests(HolidayTestCase):
    def test_the_public_point_page_shows_the_reason_and_the_coming_closed_days(self) -> None:
        today = timezone.localdate()
        self.leave(today, "Cuti bersama uji")
        self.leave(today + dt.timedelta(days=5), "Cuti bersama lain")
        response = self.client.get(reverse("queue_public:booking_point", args=["33.74.10"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tutup: Cuti bersama uji")
        self.assertContains(response, "Cuti bersama lain")

    def test_the_staff_point_page_shows_the_reason(self) -> None:
        self.leave(timezone.localdate(), "Cuti bersama uji")
        self.login(self.camat)
        response = self.client.get(reverse("queueing:point_detail", args=["33.74.10"]))
        self.assertContains(response, "Tutup: Cuti bersama uji")
        self.assertContains(response, reverse("queueing:closures", args=["33.74.10"]))

    def test_the_kiosk_opens_on_cuti_bersama_when_the_head_opens_it(self) -> None:
        self.leave(timezone.localdate(), "Cuti bersama uji")
        url = reverse("queue_public:kiosk", args=["33.74.10"])
        self.assertFalse(self.client.get(url).context["open"])  # (closed at any hour today)
        services.point_open_extend(point=self.point, minutes=60, actor=self.camat)
        self.assertTrue(self.client.get(url).context["open"])


class EnglishHolidayTests(HolidayTestCase):
    def test_it_names_the_holiday_in_english_for_english_pages(self) -> None:
        with translation.override("en"):
            self.assertEqual(services.closed_notice(self.point, at(IDUL_FITRI, 9)), "Closed: Eid al-Fitr")
        with translation.override("id"):
            self.assertEqual(
                services.closed_notice(self.point, at(IDUL_FITRI, 9)), "Tutup: Hari Raya Idul Fitri"
            )

    def test_the_closures_page_speaks_english_when_chosen(self) -> None:
        self.login(self.camat)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get(reverse("queueing:closures", args=["33.74.10"]))
        self.assertContains(response, "Add a closed day")
        self.assertNotContains(response, "Tambah hari tutup")
