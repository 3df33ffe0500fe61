"""The learning demo seed: catalogue with uplifts only for competencies that exist, classes with sessions,
enrolments that respect capacity and the overlap rule."""

from __future__ import annotations

from django.db.models import Count, F, Q

from mumpuni.competencies.models import Competency
from mumpuni.learning import seeding
from mumpuni.learning.models import Enrollment, Program, ProgramCompetency, TrainingClass
from mumpuni.testing import BaseTestCase


class SeedingTests(BaseTestCase):
    def test_it_seeds_a_consistent_catalogue(self) -> None:
        Competency.objects.create(code="T.PRIMA", name="Pelayanan prima", kind="teknis")
        summary = seeding.seed_demo(seed=7)
        self.assertIn("learning:", summary)
        self.assertEqual(Program.objects.count(), len(seeding.CATALOGUE))
        self.assertEqual(
            set(ProgramCompetency.objects.values_list("competency__code", flat=True)), {"T.PRIMA"}
        )
        for program in Program.objects.all():
            self.assertIn(program.form, Program.FORMS_BY_CATEGORY[program.category])
        self.assertTrue(TrainingClass.objects.filter(status="open").exists())
        self.assertFalse(TrainingClass.objects.annotate(n=Count("sessions")).filter(n=0).exists())
        over = TrainingClass.objects.annotate(
            seated=Count("enrollments", filter=Q(enrollments__status__in=Enrollment.SEATED_STATUSES))
        ).filter(seated__gt=F("capacity"))
        self.assertFalse(over.exists())
        self.assertEqual(seeding.seed_demo(seed=7), "learning: catalogue already present; nothing seeded")

    def test_it_never_books_one_person_into_overlapping_classes(self) -> None:
        seeding.seed_demo(seed=3)
        rows = list(
            Enrollment.objects.filter(status__in=Enrollment.ACTIVE_STATUSES).values_list(
                "employee_id", "training_class__starts_on", "training_class__ends_on"
            )
        )
        by_person: dict[int, list[tuple[object, object]]] = {}
        for employee_id, start, end in rows:
            by_person.setdefault(employee_id, []).append((start, end))
        for spans in by_person.values():
            spans.sort()
            for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
                self.assertLess(end, start)
