"""Demo SKM answers (surveys/seeding.py): tied to finished tickets, one per ticket, copying the ticket's
context and no identity; a plausible share answered; paper batches as the import leaves them; trained
officers counted; deterministic for a seed; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import re

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Enrollment, Program, ProgramCompetency, TrainingClass
from mumpuni.queueing.models import Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyImport, SurveyResponse
from mumpuni.surveys.seeding import seed_demo
from mumpuni.surveys.tests.test_reports import build_world, finished_tickets
from mumpuni.testing import BaseTestCase

FIRST_DAY = dt.date(2026, 9, 28)


def snapshot() -> list[tuple]:
    return list(
        SurveyResponse.objects.order_by("ticket_id", "service_date", "pk").values_list(
            "ticket_id", "channel", "service_date", *UNSUR_FIELDS, "age_band", "sex", "suggestion"
        )
    )


class SeedingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)
        SurveyResponse.objects.all().delete()  # the seeder only runs on a database without answers
        for i in range(10):
            day = FIRST_DAY + dt.timedelta(days=i)
            finished_tickets(cls.point, cls.ktp, day, 50)
            finished_tickets(cls.other_point, cls.kk, day, 30)
            finished_tickets(cls.point, cls.ktp, day, 5, status="no_show")
        Ticket.objects.filter(point=cls.point).update(counter=cls.counter1, officer=cls.officer_employee)
        # The officer completed Pelayanan Prima before the history: answers about them count as trained.
        prima = Competency.objects.create(code="T.PRIMA", name="Pelayanan Prima", kind="teknis")
        program = Program.objects.create(
            code="PLY-PRIMA", name="Pelayanan Prima", category="klasikal", form="teknis", jp=24
        )
        ProgramCompetency.objects.create(program=program, competency=prima, uplift=2)
        klass = TrainingClass.objects.create(
            program=program,
            code="PLY-PRIMA-2026-01",
            name="Angkatan 1",
            starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 3, 5),
            capacity=30,
        )
        Enrollment.objects.create(
            training_class=klass,
            employee=cls.officer_employee,
            status="completed",
            completed_on=dt.date(2026, 3, 5),
        )

    def test_invariants(self) -> None:
        summary = seed_demo(seed=3374)
        tickets = {t.pk: t for t in Ticket.objects.select_related("point")}
        answered = SurveyResponse.objects.filter(ticket__isnull=False)
        finished = [t for t in tickets.values() if t.status == "done"]
        share = answered.count() / len(finished)
        self.assertGreater(share, 0.10)
        self.assertLess(share, 0.30)
        self.assertEqual(answered.values("ticket_id").distinct().count(), answered.count())  # one per ticket
        for r in answered:
            t = tickets[r.ticket_id]
            self.assertEqual(t.status, "done")
            self.assertEqual(
                (r.unit_id, r.point_id, r.service_id, r.counter_id, r.officer_id, r.service_date),
                (t.point.unit_id, t.point_id, t.service_id, t.counter_id, t.officer_id, t.service_date),
            )
            self.assertIn(r.channel, ("counter", "online"))
            self.assertIsNone(r.import_batch_id)
        for r in SurveyResponse.objects.all():
            values = [getattr(r, f) for f in UNSUR_FIELDS]
            self.assertTrue(any(v is not None for v in values))
            self.assertTrue(all(v in (None, 1, 2, 3, 4) for v in values))
        # Both channels, some suggestions, a mostly filled profile.
        channels = set(answered.values_list("channel", flat=True))
        self.assertEqual(channels, {"counter", "online"})
        self.assertTrue(SurveyResponse.objects.exclude(suggestion="").exists())
        self.assertGreater(
            SurveyResponse.objects.exclude(sex="").count(), SurveyResponse.objects.filter(sex="").count()
        )
        # Paper batches: no ticket, counter or officer; rows as recorded; five quarters before the history.
        paper = SurveyResponse.objects.filter(channel="paper")
        self.assertFalse(paper.filter(ticket__isnull=False).exists())
        self.assertFalse(
            paper.filter(counter__isnull=False).exists() or paper.filter(officer__isnull=False).exists()
        )
        batches = list(SurveyImport.objects.all())
        self.assertGreaterEqual(len(batches), 2 * 5)
        for batch in batches:
            self.assertEqual(batch.responses.count(), batch.rows)
            self.assertTrue(all(r.service_date == batch.default_date for r in batch.responses.all()))
        self.assertTrue(paper.filter(service_date__lt=dt.date(2025, 10, 1)).exists())  # a year back
        trained = int(re.search(r"([\d,]+) about trained officers", summary).group(1).replace(",", ""))
        self.assertEqual(trained, answered.filter(officer=self.officer_employee).count())
        self.assertGreater(trained, 0)

    def test_deterministic_and_idempotent(self) -> None:
        seed_demo(seed=3374)
        first = snapshot()
        self.assertIn("nothing seeded", seed_demo(seed=3374))
        self.assertEqual(snapshot(), first)
        SurveyResponse.objects.all().delete()
        SurveyImport.objects.all().delete()
        seed_demo(seed=3374)
        self.assertEqual(snapshot(), first)
        SurveyResponse.objects.all().delete()
        SurveyImport.objects.all().delete()
        seed_demo(seed=1)
        self.assertNotEqual(snapshot(), first)

    def test_points_differ(self) -> None:
        """Each point draws its own level: the two points do not land on the same IKM."""
        from mumpuni.surveys.selectors import IkmFilter, ikm_report

        seed_demo(seed=3374)
        a = ikm_report(IkmFilter(point_id=self.point.pk)).result.ikm
        b = ikm_report(IkmFilter(point_id=self.other_point.pk)).result.ikm
        self.assertIsNotNone(a)
        self.assertNotEqual(a, b)

    def test_without_finished_tickets_only_nothing_breaks(self) -> None:
        Ticket.objects.exclude(status="no_show").delete()
        summary = seed_demo(seed=3374)
        self.assertFalse(SurveyResponse.objects.exists())
        self.assertIn("0 SKM responses", summary)
