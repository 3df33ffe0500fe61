"""The evaluation's writes: the opening task (idempotent), L1 submission and the L3 request's states
pending → submitted / expired, with who may do what."""

from __future__ import annotations

import datetime as dt

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import Notification
from mumpuni.competencies.models import Assessment
from mumpuni.evaluation import services
from mumpuni.evaluation.models import BehaviourRating, BehaviourRequest, ReactionResponse, Status
from mumpuni.evaluation.tests.fixtures import ANSWERS, EvaluationTestCase, enrol, make_class


class OpenDueEvaluationsTests(EvaluationTestCase):
    def test_it_opens_one_form_per_seated_participant_and_a_rerun_opens_none(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            first = services.open_due_evaluations(today=self.today)
        second = services.open_due_evaluations(today=self.today)
        self.assertEqual(first.reactions_opened, 5)
        self.assertEqual(second.reactions_opened, 0)
        self.assertEqual(ReactionResponse.objects.count(), 5)
        form = self.form_of(self.employee_employee)
        self.assertEqual(form.status, Status.PENDING)
        self.assertEqual(form.expires_on, self.ended + dt.timedelta(days=30))
        self.assertTrue(Notification.objects.filter(recipient=self.employee, kind="evaluation").exists())

    def test_it_opens_nothing_before_the_last_day_or_for_cancelled_seats(self) -> None:
        running = make_class("PLY-RUN", self.program, self.today + dt.timedelta(days=2), [self.trainer])
        enrol(running, self.camat_employee, None, None, status="enrolled")
        enrol(self.klass, self.camat_employee, None, None, status="cancelled")
        services.open_due_evaluations(today=self.today)
        self.assertFalse(ReactionResponse.objects.filter(enrollment__employee=self.camat_employee).exists())

    def test_it_leaves_classes_that_ended_before_the_window_alone(self) -> None:
        services.open_due_evaluations(today=self.ended + dt.timedelta(days=31))
        self.assertEqual(ReactionResponse.objects.count(), 0)

    def test_it_requests_behaviour_ninety_days_after_completion_once(self) -> None:
        services.open_due_evaluations(today=self.ended + dt.timedelta(days=89))
        self.assertEqual(BehaviourRequest.objects.count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            first = services.open_due_evaluations(today=self.ended + dt.timedelta(days=90))
        second = services.open_due_evaluations(today=self.ended + dt.timedelta(days=91))
        self.assertEqual((first.behaviour_requested, second.behaviour_requested), (5, 0))
        request = self.request_of(self.employee_employee)
        self.assertEqual(request.status, Status.PENDING)
        self.assertEqual(request.reviewer, self.supervisor)
        self.assertEqual(request.expires_on, self.ended + dt.timedelta(days=150))
        self.assertEqual(
            sorted(request.ratings.values_list("competency__code", flat=True)), ["M.03", "T.PLY"]
        )
        self.assertTrue(Notification.objects.filter(recipient=self.supervisor, kind="evaluation").exists())

    def test_without_a_supervisor_the_nearest_unit_head_is_asked(self) -> None:
        self.open_l3()
        self.assertEqual(self.request_of(self.other_officer_employee).reviewer, self.other)

    def test_a_programme_without_targets_asks_about_the_training_as_a_whole(self) -> None:
        self.open_l3()
        ratings = BehaviourRating.objects.filter(request__employee=self.other_officer_employee)
        self.assertEqual([r.competency_id for r in ratings], [None])

    def test_not_completed_participants_get_no_behaviour_request(self) -> None:
        e = self.enrollments[3]
        e.status, e.completed_on = "not_completed", None
        e.save()
        self.open_l3()
        self.assertFalse(BehaviourRequest.objects.filter(enrollment=e).exists())

    def test_pending_forms_and_requests_expire_after_their_window(self) -> None:
        self.open_l1()
        self.open_l3()
        services.open_due_evaluations(today=self.ended + dt.timedelta(days=150))
        self.assertEqual(self.request_of(self.employee_employee).status, Status.PENDING)
        self.assertEqual(self.form_of(self.employee_employee).status, Status.EXPIRED)
        result = services.open_due_evaluations(today=self.ended + dt.timedelta(days=151))
        self.assertEqual(result.behaviour_expired, 5)
        self.assertEqual(self.request_of(self.employee_employee).status, Status.EXPIRED)


class ReactionSubmitTests(EvaluationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.open_l1()

    def test_the_participant_submits_all_answers(self) -> None:
        form = self.form_of(self.employee_employee)
        services.reaction_submit(actor=self.employee, response=form, answers=ANSWERS, comment=" Bagus ")
        form.refresh_from_db()
        self.assertEqual(form.status, Status.SUBMITTED)
        self.assertEqual(form.answers(), ANSWERS)
        self.assertEqual(form.comment, "Bagus")
        self.assertIsNotNone(form.submitted_at)

    def test_it_names_each_missing_or_wrong_answer_in_indonesian(self) -> None:
        form = self.form_of(self.employee_employee)
        answers = {**ANSWERS, "trainer": None, "facilities": 6, "method": "abc"}
        with self.assertRaises(ValidationFailed) as caught:
            services.reaction_submit(actor=self.employee, response=form, answers=answers)
        fields = caught.exception.fields
        self.assertEqual(fields["trainer"], ["Beri nilai untuk “Penguasaan pengajar”."])
        self.assertEqual(fields["facilities"], ["Pilih nilai 1 sampai 5."])
        self.assertEqual(fields["method"], ["Pilih nilai 1 sampai 5."])
        form.refresh_from_db()
        self.assertEqual(form.status, Status.PENDING)

    def test_it_refuses_another_trainee(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.reaction_submit(
                actor=self.officer, response=self.form_of(self.employee_employee), answers=ANSWERS
            )

    def test_it_refuses_a_second_submission_and_an_expired_form(self) -> None:
        form = self.form_of(self.employee_employee)
        services.reaction_submit(actor=self.employee, response=form, answers=ANSWERS)
        with self.assertRaises(services.TransitionError):
            services.reaction_submit(actor=self.employee, response=form, answers={**ANSWERS, "overall": 1})
        form.refresh_from_db()
        self.assertEqual(form.overall, 4)
        other = self.form_of(self.officer_employee)
        ReactionResponse.objects.filter(pk=other.pk).update(status=Status.EXPIRED)
        with self.assertRaises(services.TransitionError):
            services.reaction_submit(actor=self.officer, response=other, answers=ANSWERS)


class BehaviourSubmitTests(EvaluationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.open_l3()
        self.request = self.request_of(self.employee_employee)
        self.ratings = list(self.request.ratings.order_by("id"))

    def inputs(self, change: object = 4, level: object = 3) -> list[services.RatingInput]:
        return [services.RatingInput(r.pk, change, level, "Lebih sigap") for r in self.ratings]

    def test_the_supervisor_submits_and_the_observed_levels_become_assessments(self) -> None:
        services.behaviour_submit(actor=self.supervisor, request=self.request, ratings=self.inputs())
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, Status.SUBMITTED)
        self.assertEqual(self.request.submitted_by, self.supervisor)
        self.assertEqual(list(self.request.ratings.values_list("change", "observed_level")), [(4, 3), (4, 3)])
        assessments = Assessment.objects.filter(
            employee=self.employee_employee,
            source="supervisor",
            training_enrollment_id=self.request.enrollment_id,
        )
        self.assertEqual(assessments.count(), 2)

    def test_it_can_keep_the_ratings_within_the_evaluation(self) -> None:
        services.behaviour_submit(
            actor=self.supervisor, request=self.request, ratings=self.inputs(), record_assessment=False
        )
        self.assertFalse(Assessment.objects.filter(employee=self.employee_employee).exists())

    def test_it_names_each_missing_rating(self) -> None:
        inputs = self.inputs()
        inputs[1] = services.RatingInput(self.ratings[1].pk, None, 9)
        with self.assertRaises(ValidationFailed) as caught:
            services.behaviour_submit(actor=self.supervisor, request=self.request, ratings=inputs)
        prefix = f"ratings.{self.ratings[1].pk}"
        self.assertIn("Beri nilai perubahan perilaku", caught.exception.fields[f"{prefix}.change"][0])
        self.assertEqual(caught.exception.fields[f"{prefix}.observed_level"], ["Pilih nilai 1 sampai 5."])
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, Status.PENDING)

    def test_the_unit_head_above_may_rate(self) -> None:
        services.behaviour_submit(actor=self.camat, request=self.request, ratings=self.inputs())
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, Status.SUBMITTED)

    def test_it_refuses_outsiders(self) -> None:
        for user in (
            self.employee,
            self.officer,
            self.other,
            self.trainer,
            self.executive,
            self.other_officer,
        ):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.behaviour_submit(actor=user, request=self.request, ratings=self.inputs())

    def test_a_supervisor_of_another_team_is_refused(self) -> None:
        other_request = self.request_of(self.other_officer_employee)
        rating = other_request.ratings.get()
        with self.assertRaises(PermissionDeniedError):
            services.behaviour_submit(
                actor=self.supervisor,
                request=other_request,
                ratings=[services.RatingInput(rating.pk, 3, 3)],
            )

    def test_a_submitted_or_expired_request_is_closed(self) -> None:
        services.behaviour_submit(actor=self.supervisor, request=self.request, ratings=self.inputs())
        with self.assertRaises(services.TransitionError):
            services.behaviour_submit(
                actor=self.supervisor, request=self.request, ratings=self.inputs(change=1)
            )
        officer_request = self.request_of(self.officer_employee)
        BehaviourRequest.objects.filter(pk=officer_request.pk).update(status=Status.EXPIRED)
        with self.assertRaises(services.TransitionError):
            services.behaviour_submit(actor=self.supervisor, request=officer_request, ratings=[])
