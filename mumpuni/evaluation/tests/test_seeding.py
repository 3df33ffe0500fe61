"""The demo seed: deterministic from the seed, and a rerun adds nothing."""

from __future__ import annotations

from mumpuni.evaluation.models import BehaviourRating, BehaviourRequest, ReactionResponse, Status
from mumpuni.evaluation.seeding import seed_demo
from mumpuni.evaluation.tests.fixtures import EvaluationTestCase
from mumpuni.learning.models import Enrollment


class SeedDemoTests(EvaluationTestCase):
    def snapshot(self) -> list[tuple[object, ...]]:
        return list(
            ReactionResponse.objects.order_by("enrollment_id").values_list(
                "enrollment_id", "status", "overall"
            )
        )

    def test_it_is_deterministic_and_a_rerun_adds_nothing(self) -> None:
        seed_demo(seed=7)
        first = self.snapshot()
        self.assertEqual(len(first), 5)  # every seated participant of the finished classes
        seed_demo(seed=7)
        self.assertEqual(self.snapshot(), first)
        ReactionResponse.objects.all().delete()
        seed_demo(seed=7)
        self.assertEqual(self.snapshot(), first)

    def test_old_completions_get_behaviour_requests_with_ratings(self) -> None:
        Enrollment.objects.filter(status="completed").update(
            completed_on=self.ended.replace(year=self.ended.year - 1)
        )
        seed_demo(seed=7)
        self.assertEqual(BehaviourRequest.objects.count(), 5)
        for request in BehaviourRequest.objects.filter(status=Status.SUBMITTED):
            self.assertFalse(request.ratings.filter(change__isnull=True).exists())
        self.assertEqual(BehaviourRating.objects.filter(request__employee=self.employee_employee).count(), 2)
