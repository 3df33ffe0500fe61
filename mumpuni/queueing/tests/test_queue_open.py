"""manage.py queue_open POINT --minutes N."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import timezone

from mumpuni.common.models import AuditEntry
from mumpuni.queueing.services.points import point_is_open
from mumpuni.queueing.tests.points_fixtures import setup_points
from mumpuni.testing import BaseTestCase


class QueueOpenTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_opens_the_point_and_prints_until_when(self) -> None:
        out = StringIO()
        call_command("queue_open", "33.74.10", "--minutes", "30", stdout=out)
        self.point.refresh_from_db()
        until = timezone.localtime(self.point.extended_until)
        self.assertAlmostEqual((until - timezone.now()).total_seconds(), 1800, delta=10)
        self.assertIn(f"{until:%Y-%m-%d %H:%M}", out.getvalue())
        self.assertTrue(point_is_open(self.point, timezone.now() + dt.timedelta(minutes=29)))
        self.assertEqual(
            AuditEntry.objects.get(
                action="update", note__startswith="queueing.point_open_extend"
            ).actor_label,
            "sistem",
        )

    def test_it_refuses_an_unknown_point(self) -> None:
        with self.assertRaisesMessage(CommandError, "tidak dikenal"):
            call_command("queue_open", "99.99", "--minutes", "30", stdout=StringIO())

    def test_it_refuses_non_positive_minutes(self) -> None:
        for minutes in ("0", "-10"):
            with self.subTest(minutes=minutes), self.assertRaises(CommandError):
                call_command("queue_open", "33.74.10", "--minutes", minutes, stdout=StringIO())
        self.point.refresh_from_db()
        self.assertIsNone(self.point.extended_until)
