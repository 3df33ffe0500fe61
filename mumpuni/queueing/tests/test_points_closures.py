"""A point's own closed days (PointClosure): the audited services and the head's page to add, edit and
delete them; every point's closures stay BKPP's; another camat and an ordinary ASN are refused."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from mumpuni.common import calendar
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.queueing.models import Booking, PointClosure
from mumpuni.queueing.services import points as services
from mumpuni.queueing.tests.points_fixtures import setup_points
from mumpuni.testing import BaseTestCase

TODAY = dt.date(2026, 9, 7)  # a Monday
DAY = dt.date(2026, 9, 9)


class ClosureServiceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_lets_the_head_add_edit_and_delete_a_closure(self) -> None:
        closure = services.closure_create(
            point=self.point, date=DAY, reason="  Rapat   kerja ", actor=self.camat, today=TODAY
        )
        self.assertEqual((closure.point, closure.date, closure.reason), (self.point, DAY, "Rapat kerja"))
        self.assertEqual(services.closure_reason(self.point, DAY), "Rapat kerja")
        services.closure_update(
            closure=closure,
            date=DAY + dt.timedelta(days=1),
            reason="Pemadaman listrik",
            actor=self.camat,
            today=TODAY,
        )
        closure.refresh_from_db()
        self.assertEqual((closure.date, closure.reason), (DAY + dt.timedelta(days=1), "Pemadaman listrik"))
        self.assertIsNone(services.closure_reason(self.point, DAY))
        services.closure_delete(closure=closure, actor=self.camat, today=TODAY)
        self.assertFalse(PointClosure.objects.exists())
        entries = AuditEntry.objects.filter(note__startswith="queueing.closure_").order_by("id")
        self.assertEqual([e.action for e in entries], ["create", "update", "delete"])
        self.assertEqual(entries[1].changes["reason"], ["Rapat kerja", "Pemadaman listrik"])
        self.assertTrue(all(e.actor_id == self.camat.pk for e in entries))

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.other, self.employee, self.officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.closure_create(point=self.point, date=DAY, reason="Rapat", actor=user, today=TODAY)
        closure = services.closure_create(
            point=self.point, date=DAY, reason="Rapat", actor=self.camat, today=TODAY
        )
        with self.assertRaises(PermissionDeniedError):
            services.closure_update(closure=closure, date=DAY, reason="Libur", actor=self.other, today=TODAY)
        with self.assertRaises(PermissionDeniedError):
            services.closure_delete(closure=closure, actor=self.other, today=TODAY)
        closure.refresh_from_db()
        self.assertEqual(closure.reason, "Rapat")

    def test_it_keeps_every_points_closures_to_bkpp(self) -> None:
        city = PointClosure.objects.create(point=None, date=DAY, reason="Libur kota")
        with self.assertRaises(PermissionDeniedError):
            services.closure_update(
                closure=city, date=DAY, reason="Bukan libur", actor=self.camat, today=TODAY
            )
        with self.assertRaises(PermissionDeniedError):
            services.closure_delete(closure=city, actor=self.camat, today=TODAY)
        services.closure_update(
            closure=city, date=DAY, reason="Libur kota Semarang", actor=self.admin, today=TODAY
        )
        city.refresh_from_db()
        self.assertEqual(city.reason, "Libur kota Semarang")

    def test_it_validates_date_and_reason(self) -> None:
        cases = [
            ({"date": None, "reason": "Rapat"}, "date"),
            ({"date": TODAY - dt.timedelta(days=1), "reason": "Rapat"}, "date"),
            ({"date": DAY, "reason": "   "}, "reason"),
            ({"date": DAY, "reason": "x" * 151}, "reason"),
        ]
        for kwargs, field in cases:
            with self.subTest(field=field, kwargs=kwargs), self.assertRaises(ValidationFailed) as caught:
                services.closure_create(point=self.point, actor=self.camat, today=TODAY, **kwargs)  # type: ignore[arg-type]
            self.assertIn(field, caught.exception.fields)
        services.closure_create(point=self.point, date=DAY, reason="Rapat", actor=self.camat, today=TODAY)
        with self.assertRaises(ValidationFailed) as caught:
            services.closure_create(point=self.point, date=DAY, reason="Lagi", actor=self.camat, today=TODAY)
        self.assertIn("Sudah ada hari tutup", caught.exception.message)
        self.assertEqual(PointClosure.objects.count(), 1)

    def test_a_lost_race_for_the_same_day_is_a_field_error(self) -> None:
        services.closure_create(point=self.point, date=DAY, reason="Rapat", actor=self.camat, today=TODAY)
        # the other head's check ran before the first row was committed
        with (
            mock.patch.object(services, "_clean_closure", return_value=(DAY, "Lagi")),
            self.assertRaises(ValidationFailed) as caught,
        ):
            services.closure_create(point=self.point, date=DAY, reason="Lagi", actor=self.camat, today=TODAY)
        self.assertEqual(list(caught.exception.fields), ["date"])
        self.assertEqual(PointClosure.objects.get().reason, "Rapat")

    def test_it_leaves_past_closures_alone(self) -> None:
        past = PointClosure.objects.create(
            point=self.point, date=TODAY - dt.timedelta(days=3), reason="Rapat"
        )
        with self.assertRaises(ValidationFailed):
            services.closure_update(closure=past, date=DAY, reason="Rapat", actor=self.camat, today=TODAY)
        with self.assertRaises(ValidationFailed):
            services.closure_delete(closure=past, actor=self.camat, today=TODAY)
        self.assertTrue(PointClosure.objects.filter(pk=past.pk, date=TODAY - dt.timedelta(days=3)).exists())


class ClosurePageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)
        cls.day = timezone.localdate() + dt.timedelta(days=10)
        cls.closure = PointClosure.objects.create(point=cls.point, date=cls.day, reason="Rapat kerja")

    def setUp(self) -> None:
        super().setUp()
        calendar.clear_calendar_cache()
        self.addCleanup(calendar.clear_calendar_cache)

    def url(self, name: str, *args: object, code: str = "33.74.10") -> str:
        return reverse(f"queueing:{name}", args=[code, *args])

    def test_it_lists_closures_holidays_and_every_points_closures(self) -> None:
        PointClosure.objects.create(point=None, date=self.day + dt.timedelta(days=1), reason="Libur kota")
        PointClosure.objects.create(point=self.other_point, date=self.day, reason="Rapat Banyumanik")
        self.login(self.camat)
        response = self.client.get(self.url("closures"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Rapat kerja")
        self.assertContains(response, "Libur kota")
        self.assertNotContains(response, "Rapat Banyumanik")
        self.assertContains(response, self.url("closure_edit", self.closure.pk))
        self.assertContains(response, self.url("closure_delete", self.closure.pk))
        city = PointClosure.objects.get(reason="Libur kota")
        self.assertNotContains(response, self.url("closure_edit", city.pk))  # BKPP's, read-only here
        sources = {row.reason: row.source for row in response.context["rows"]}
        self.assertEqual(sources["Rapat kerja"], "point")
        self.assertEqual(sources["Libur kota"], "city")

    def test_it_adds_a_closure(self) -> None:
        self.login(self.camat)
        day = self.day + dt.timedelta(days=2)
        Booking.objects.create(
            point=self.point,
            service=self.sktm,
            slot_start=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
            code="ABCDEFGH",
        )
        response = self.client.post(
            self.url("closures"), {"date": day.isoformat(), "reason": "Pemadaman listrik"}, follow=True
        )
        self.assertRedirects(response, self.url("closures"))
        self.assertTrue(
            PointClosure.objects.filter(point=self.point, date=day, reason="Pemadaman listrik").exists()
        )
        self.assertContains(response, "ada 1 booking pada hari itu")

    def test_it_shows_field_errors(self) -> None:
        self.login(self.camat)
        response = self.client.post(self.url("closures"), {"date": self.day.isoformat(), "reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Keterangan wajib diisi", status_code=422)
        self.assertContains(response, "Sudah ada hari tutup", status_code=422)
        self.assertEqual(PointClosure.objects.count(), 1)

    def test_it_edits_a_closure(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url("closure_edit", self.closure.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Rapat kerja"')
        new_day = self.day + dt.timedelta(days=3)
        response = self.client.post(
            self.url("closure_edit", self.closure.pk), {"date": new_day.isoformat(), "reason": "Rapat pleno"}
        )
        self.assertRedirects(response, self.url("closures"))
        self.closure.refresh_from_db()
        self.assertEqual((self.closure.date, self.closure.reason), (new_day, "Rapat pleno"))
        response = self.client.post(self.url("closure_edit", self.closure.pk), {"date": "", "reason": "X"})
        self.assertEqual(response.status_code, 422)

    def test_it_deletes_a_closure(self) -> None:
        self.login(self.camat)
        response = self.client.post(self.url("closure_delete", self.closure.pk))
        self.assertRedirects(response, self.url("closures"))
        self.assertFalse(PointClosure.objects.filter(pk=self.closure.pk).exists())

    def test_it_refuses_outsiders(self) -> None:
        edit, delete = self.url("closure_edit", self.closure.pk), self.url("closure_delete", self.closure.pk)
        self.login(self.other)  # camat of Banyumanik: Tembalang is not even visible
        self.assertEqual(self.client.get(self.url("closures")).status_code, 404)
        self.assertEqual(
            self.client.post(self.url("closures"), {"date": "2030-01-02", "reason": "X"}).status_code, 404
        )
        self.assertEqual(
            self.client.post(edit, {"date": self.day.isoformat(), "reason": "X"}).status_code, 404
        )
        self.assertEqual(self.client.post(delete).status_code, 404)
        # …nor through their own point's address
        own = self.url("closure_edit", self.closure.pk, code="33.74.11")
        self.assertEqual(
            self.client.post(own, {"date": self.day.isoformat(), "reason": "X"}).status_code, 404
        )
        self.assertEqual(
            self.client.post(self.url("closure_delete", self.closure.pk, code="33.74.11")).status_code, 404
        )
        self.login(self.officer)  # sees the point, may not change it
        self.assertEqual(self.client.get(self.url("closures")).status_code, 403)
        self.assertEqual(self.client.post(delete).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url("closures")).status_code, 302)
        self.closure.refresh_from_db()
        self.assertEqual(self.closure.reason, "Rapat kerja")
        self.assertEqual(PointClosure.objects.count(), 1)

    def test_every_points_closure_is_not_editable_here(self) -> None:
        city = PointClosure.objects.create(
            point=None, date=self.day + dt.timedelta(days=1), reason="Libur kota"
        )
        self.login(self.camat)
        self.assertEqual(self.client.get(self.url("closure_edit", city.pk)).status_code, 404)
        self.assertEqual(self.client.post(self.url("closure_delete", city.pk)).status_code, 404)
        self.assertTrue(PointClosure.objects.filter(pk=city.pk).exists())
