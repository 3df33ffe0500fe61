"""Tests for the national service data (people/seeding/national_services.py) on a tiny national set.

Plain TestCase (not BaseTestCase): the seeders fill an empty database. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Sum
from django.test import TestCase

from mumpuni.complaints.models import Complaint
from mumpuni.insights.models import ComplaintDay, QueueDay, SurveyDay, UnitYear
from mumpuni.insights.rollups import refresh_all
from mumpuni.learning.models import JpEntry
from mumpuni.people.models import Employee, Unit
from mumpuni.people.seeding import seed_national
from mumpuni.people.seeding.national_services import seed_national_services
from mumpuni.queueing.models import Counter, PointService, ServicePoint, Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse

TODAY = dt.date(2026, 11, 27)
TICKETS = 10_000
ANSWERS = 1_000


class SeedNationalServicesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        seed_national(seed=11, employees=2000)
        with connection.cursor() as cursor:
            cls.constraints_before = set(
                connection.introspection.get_constraints(cursor, Ticket._meta.db_table)
            )
        cls.result = seed_national_services(
            seed=11, tickets=TICKETS, answers=ANSWERS, kecamatan_per_kabkota=3, today=TODAY
        )

    def test_it_creates_kecamatan_and_mpp_points_with_services_and_counters(self) -> None:
        kabs = Unit.objects.filter(kind=Unit.Kind.CITY, parent__isnull=False)
        self.assertEqual(kabs.count(), 2)
        self.assertEqual(Unit.objects.filter(kind=Unit.Kind.KECAMATAN).count(), 6)
        self.assertEqual(Unit.objects.filter(kind=Unit.Kind.MPP).count(), 2)
        self.assertEqual(ServicePoint.objects.count(), 8)
        for unit in Unit.objects.filter(kind__in=[Unit.Kind.KECAMATAN, Unit.Kind.MPP]):
            unit.full_clean()  # valid codes, like the city's
            self.assertIn(unit.parent_id, set(kabs.values_list("pk", flat=True)))
            self.assertTrue(unit.path.startswith(unit.parent.path))
        self.assertFalse(ServicePoint.objects.annotate(n=Count("point_services")).filter(n=0).exists())
        self.assertFalse(ServicePoint.objects.annotate(n=Count("counters")).filter(n__lt=3).exists())
        self.assertGreater(PointService.objects.count(), 8 * 10)
        self.assertTrue(Employee.objects.filter(unit__kind=Unit.Kind.KECAMATAN).exists())
        # Only the Sekretaris Daerah of each kab/kota has no supervisor (camat answer to them).
        self.assertEqual(Employee.objects.filter(supervisor__isnull=True).count(), 2)

    def test_ticket_counts_numbers_and_links_are_valid(self) -> None:
        self.assertEqual(Ticket.objects.count(), self.result.tickets)
        self.assertLess(abs(self.result.tickets - TICKETS), TICKETS * 0.05)
        duplicates = (
            Ticket.objects.values("point", "service_date", "group_letter", "sequence")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        self.assertFalse(duplicates.exists())
        self.assertEqual(Ticket.objects.values("public_token").distinct().count(), self.result.tickets)
        offered = set(PointService.objects.values_list("point_id", "service_id"))
        for ticket in Ticket.objects.select_related("officer", "counter", "point")[:500]:
            self.assertIn((ticket.point_id, ticket.service_id), offered)
            self.assertEqual(ticket.number, f"{ticket.group_letter}-{ticket.sequence:03d}")
            self.assertEqual(ticket.officer.unit_id, ticket.point.unit_id)  # an ASN of that unit
            self.assertEqual(ticket.counter.point_id, ticket.point_id)
            self.assertLess(ticket.service_date, TODAY)
            self.assertLess(ticket.service_date.weekday(), 5)
            self.assertGreaterEqual(ticket.called_at, ticket.issued_at)
            if ticket.status == "no_show":
                self.assertIsNone(ticket.finished_at)
            else:
                self.assertGreater(ticket.finished_at, ticket.started_at)
        statuses = dict(Ticket.objects.values_list("status").annotate(n=Count("id")))
        self.assertGreater(statuses["done"], 0.8 * self.result.tickets)
        self.assertGreater(statuses["no_show"], 0)

    def test_answers_complaints_and_jp_ledger(self) -> None:
        self.assertEqual(SurveyResponse.objects.count(), self.result.answers)
        self.assertLess(abs(self.result.answers - ANSWERS), ANSWERS * 0.2)
        mismatched = SurveyResponse.objects.exclude(
            service_date=F("ticket__service_date"), officer=F("ticket__officer"), point=F("ticket__point")
        )
        self.assertFalse(mismatched.exists())
        for field in UNSUR_FIELDS:
            self.assertFalse(SurveyResponse.objects.exclude(**{f"{field}__range": (1, 4)}).exists())
        self.assertEqual(Complaint.objects.count(), self.result.complaints)
        self.assertGreater(self.result.complaints, 0)
        self.assertEqual(Complaint.objects.values("tracking_code").distinct().count(), self.result.complaints)
        self.assertFalse(Complaint.objects.filter(answer_due__lt=F("received_at__date")).exists())
        self.assertFalse(Complaint.objects.filter(identity="anonymous", ticket__isnull=False).exists())
        self.assertTrue(Complaint.objects.filter(answered_at__isnull=False).exists())
        with_jp = JpEntry.objects.values("employee").distinct().count()
        self.assertGreater(with_jp, 0.7 * Employee.objects.count())
        self.assertFalse(JpEntry.objects.exclude(year=TODAY.year).exists())

    def test_constraints_and_indexes_are_rebuilt(self) -> None:
        with connection.cursor() as cursor:
            after = set(connection.introspection.get_constraints(cursor, Ticket._meta.db_table))
            self.assertEqual(self.constraints_before, after)
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_key_check")
                self.assertEqual(cursor.fetchall(), [])

    def test_rollups_refresh_from_it(self) -> None:
        refresh_all(full=True, today=TODAY)
        queue = QueueDay.objects.aggregate(issued=Sum("issued"), served=Sum("served"))
        self.assertEqual(queue["issued"], self.result.tickets)
        self.assertEqual(queue["served"], Ticket.objects.exclude(status="no_show").count())
        self.assertEqual(SurveyDay.objects.aggregate(n=Sum("responses"))["n"], self.result.answers)
        self.assertEqual(ComplaintDay.objects.aggregate(n=Sum("received"))["n"], self.result.complaints)
        year = UnitYear.objects.filter(year=TODAY.year).aggregate(e=Sum("employees"), c=Sum("compliant"))
        self.assertEqual(year["e"], Employee.objects.filter(active=True).count())
        self.assertGreater(year["c"], 0)
        self.assertLess(year["c"], year["e"])  # compliance is meaningful: some, not all


class SeedDemoNationalCommandTests(TestCase):
    def test_sqlite_refuses_national_ticket_counts(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("the refusal is for SQLite")
        with self.assertRaisesMessage(CommandError, "need PostgreSQL"):
            call_command("seed_demo", "--scale", "national", "--tickets", "50000000", stdout=StringIO())
        self.assertFalse(Unit.objects.exists())

    def test_answers_cannot_exceed_tickets(self) -> None:
        with self.assertRaisesMessage(CommandError, "--answers"):
            call_command(
                "seed_demo", "--scale", "national", "--employees", "2000", "--tickets", "10", "--answers", "20",
                stdout=StringIO(),
            )  # fmt: skip

    def test_it_seeds_people_and_services(self) -> None:
        out = StringIO()
        call_command(
            "seed_demo", "--scale", "national", "--employees", "2000", "--tickets", "3000", "--answers", "300",
            stdout=out,
        )  # fmt: skip
        self.assertIn("national services:", out.getvalue())
        self.assertGreater(Ticket.objects.count(), 2500)
        self.assertTrue(Counter.objects.exists())
