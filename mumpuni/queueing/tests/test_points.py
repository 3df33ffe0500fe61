"""Opening hours (weekdays, the Friday break, closures, extended_until) and the audited point set-up writes."""

from __future__ import annotations

import datetime as dt

from mumpuni.common.calendar import cached_work_calendar
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.queueing.models import CounterShift, PointClosure, PointService
from mumpuni.queueing.services import points as services
from mumpuni.queueing.tests.points_fixtures import FRIDAY, SATURDAY, WEDNESDAY, at, setup_points
from mumpuni.testing import BaseTestCase


class PointIsOpenTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_is_open_in_weekday_hours_only(self) -> None:
        self.assertFalse(services.point_is_open(self.point, at(WEDNESDAY, 7, 59)))
        self.assertTrue(services.point_is_open(self.point, at(WEDNESDAY, 8, 0)))
        self.assertTrue(services.point_is_open(self.point, at(WEDNESDAY, 15, 29)))
        self.assertFalse(services.point_is_open(self.point, at(WEDNESDAY, 15, 30)))

    def test_it_closes_for_the_friday_break(self) -> None:
        self.assertTrue(services.point_is_open(self.point, at(FRIDAY, 11, 0)))
        self.assertFalse(services.point_is_open(self.point, at(FRIDAY, 12, 0)))
        self.assertTrue(services.point_is_open(self.point, at(FRIDAY, 13, 0)))
        self.assertFalse(services.point_is_open(self.point, at(FRIDAY, 15, 0)))

    def test_it_is_closed_on_weekends_and_holidays(self) -> None:
        self.assertFalse(services.point_is_open(self.point, at(SATURDAY, 9)))
        PointClosure.objects.create(point=None, date=WEDNESDAY, reason="Libur nasional")
        self.assertFalse(services.point_is_open(self.point, at(WEDNESDAY, 9)))
        self.assertTrue(services.point_is_open(self.point, at(WEDNESDAY + dt.timedelta(days=1), 9)))

    def test_it_honours_a_closure_of_one_point_only(self) -> None:
        PointClosure.objects.create(point=self.other_point, date=WEDNESDAY, reason="Rapat")
        self.assertTrue(services.point_is_open(self.point, at(WEDNESDAY, 9)))
        self.assertFalse(services.point_is_open(self.other_point, at(WEDNESDAY, 9)))

    def test_it_opens_until_extended_until(self) -> None:
        until = services.point_open_extend(point=self.point, minutes=90, actor=self.camat, at=at(SATURDAY, 9))
        self.point.refresh_from_db()
        self.assertEqual(self.point.extended_until, until)
        self.assertTrue(services.point_is_open(self.point, at(SATURDAY, 10, 30)))
        self.assertFalse(services.point_is_open(self.point, at(SATURDAY, 10, 31)))
        self.assertTrue(
            AuditEntry.objects.filter(action="update", note__startswith="queueing.point_open_extend").exists()
        )

    def test_it_refuses_an_inactive_point(self) -> None:
        self.point.active = False
        self.point.save()
        self.assertFalse(services.point_is_open(self.point, at(WEDNESDAY, 9)))


class PointSetupTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.other, self.employee, self.officer, self.executive):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.point_open_extend(point=self.point, minutes=30, actor=user)
        self.point.refresh_from_db()
        self.assertIsNone(self.point.extended_until)

    def test_it_refuses_non_positive_or_huge_minutes(self) -> None:
        for minutes in (0, -5, services.MAX_EXTENSION_MINUTES + 1):
            with self.subTest(minutes=minutes), self.assertRaises(ValidationFailed):
                services.point_open_extend(point=self.point, minutes=minutes, actor=self.admin)

    def test_it_updates_quotas(self) -> None:
        row = PointService.objects.get(point=self.point, service=self.ktp)
        services.point_service_update(
            point_service=row, actor=self.camat, daily_quota=40, booking_quota=10, active=True
        )
        row.refresh_from_db()
        self.assertEqual((row.daily_quota, row.booking_quota), (40, 10))

    def test_it_refuses_a_booking_quota_above_the_daily_quota(self) -> None:
        row = PointService.objects.get(point=self.point, service=self.ktp)
        with self.assertRaises(ValidationFailed):
            services.point_service_update(
                point_service=row, actor=self.camat, daily_quota=10, booking_quota=20, active=True
            )
        row.refresh_from_db()
        self.assertEqual(row.daily_quota, 60)

    def test_it_refuses_an_officer_of_another_kecamatan_on_a_shift(self) -> None:
        counter = self.point.counters.get()
        with self.assertRaises(ValidationFailed):
            services.shift_create(
                counter=counter,
                officer=self.other_officer_employee,
                date=WEDNESDAY,
                starts_at=dt.time(8),
                ends_at=dt.time(15, 30),
                actor=self.admin,
            )
        shift = services.shift_create(
            counter=counter,
            officer=self.officer_employee,
            date=WEDNESDAY,
            starts_at=dt.time(8),
            ends_at=dt.time(15, 30),
            actor=self.camat,
        )
        self.assertEqual(CounterShift.objects.get().pk, shift.pk)

    def test_it_refuses_counter_services_the_point_does_not_offer(self) -> None:
        counter = self.point.counters.get()
        with self.assertRaises(ValidationFailed):
            services.counter_set_services(counter=counter, services=[self.services["KK"]], actor=self.camat)
        self.assertEqual(counter.services.count(), 2)

    def test_it_replaces_a_weekdays_hours(self) -> None:
        services.opening_hours_set(
            point=self.point, weekday=5, windows=[(dt.time(8), dt.time(12))], actor=self.camat
        )
        self.assertTrue(services.point_is_open(self.point, at(SATURDAY, 9)))
        with self.assertRaises(ValidationFailed):
            services.opening_hours_set(
                point=self.point,
                weekday=5,
                windows=[(dt.time(8), dt.time(12)), (dt.time(11), dt.time(13))],
                actor=self.camat,
            )


class PointsOpenTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_agrees_with_point_is_open_in_two_queries(self) -> None:
        PointClosure.objects.create(point=self.other_point, date=WEDNESDAY, reason="Rapat")
        points = [self.point, self.other_point]
        cached_work_calendar()  # cuti bersama are read once a minute per process, not per call
        for moment in (at(WEDNESDAY, 9), at(FRIDAY, 12), at(FRIDAY, 13), at(SATURDAY, 9)):
            with self.subTest(moment=moment):
                with self.assertNumQueries(2):
                    result = services.points_open(points, moment)
                self.assertEqual(result, {p.pk: services.point_is_open(p, moment) for p in points})
