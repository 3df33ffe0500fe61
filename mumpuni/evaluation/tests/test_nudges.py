"""The EvaluationDue nudge rule: who is reminded when, and whether they acted within 14 days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mumpuni.evaluation import services
from mumpuni.evaluation.models import BehaviourRequest, ReactionResponse
from mumpuni.evaluation.nudges import EvaluationDue
from mumpuni.evaluation.tests.fixtures import ANSWERS, EvaluationTestCase


class EvaluationDueTests(EvaluationTestCase):
    def test_it_reminds_trainees_after_three_days_and_measures_the_action(self) -> None:
        self.open_l1()
        rule = EvaluationDue()
        self.assertEqual(list(rule.candidates(self.today + dt.timedelta(days=2))), [])
        candidates = [
            c for c in rule.candidates(self.today + dt.timedelta(days=3)) if c.user_id == self.employee.pk
        ]
        self.assertEqual(len(candidates), 1)
        form = self.form_of(self.employee_employee)
        self.assertEqual(candidates[0].key, f"l1:{form.pk}")
        since = timezone.now() - dt.timedelta(hours=1)
        self.assertFalse(rule.acted(self.employee.pk, candidates[0].key, since))
        services.reaction_submit(actor=self.employee, response=form, answers=ANSWERS)
        self.assertTrue(rule.acted(self.employee.pk, candidates[0].key, since))
        self.assertFalse(rule.acted(self.employee.pk, candidates[0].key, since - dt.timedelta(days=20)))
        self.assertNotIn(form.pk, [c.key for c in rule.candidates(self.today + dt.timedelta(days=4))])

    def test_it_reminds_reviewers_twice_with_distinct_keys(self) -> None:
        self.open_l3()
        request = self.request_of(self.employee_employee)
        rule = EvaluationDue()

        def keys(day: dt.date) -> list[str]:
            return [
                c.key
                for c in rule.candidates(day)
                if c.user_id == self.supervisor.pk and c.key.startswith(f"l3:{request.pk}:")
            ]

        self.assertEqual(keys(request.requested_on + dt.timedelta(days=13)), [])
        self.assertEqual(keys(request.requested_on + dt.timedelta(days=14)), [f"l3:{request.pk}:1"])
        self.assertEqual(keys(request.expires_on - dt.timedelta(days=15)), [f"l3:{request.pk}:2"])
        self.assertEqual(keys(request.expires_on + dt.timedelta(days=1)), [])

    def test_acted_is_none_for_unknown_keys(self) -> None:
        self.assertIsNone(EvaluationDue().acted(self.employee.pk, "x:1", timezone.now()))
        self.assertIsNone(EvaluationDue().acted(self.employee.pk, "l1:abc", timezone.now()))
        self.assertEqual(ReactionResponse.objects.count() + BehaviourRequest.objects.count(), 0)
