"""Evaluation pages for every persona: my forms, one form, the L3 work list and form, a class's aggregates
and the results with its XLSX export. Outsiders get 404 (objects) or 403 (pages)."""

from __future__ import annotations

from django.urls import reverse

from mumpuni.evaluation.models import Status
from mumpuni.evaluation.tests.fixtures import ANSWERS, EvaluationTestCase


class MyFormsPageTests(EvaluationTestCase):
    def test_the_trainee_sees_the_pending_form_and_fills_it(self) -> None:
        self.open_l1()
        self.login(self.employee)
        response = self.client.get(reverse("evaluation:mine"))
        self.assertContains(response, "Evaluasi menunggu")
        self.assertContains(response, 'data-pending="1"')
        form = self.form_of(self.employee_employee)
        url = reverse("evaluation:reaction", args=[form.pk])
        self.assertContains(self.client.get(url), "Penguasaan pengajar")
        response = self.client.post(url, {**ANSWERS, "comment": "Mantap"})
        self.assertRedirects(response, reverse("evaluation:mine"))
        form.refresh_from_db()
        self.assertEqual(form.status, Status.SUBMITTED)

    def test_a_missing_answer_is_a_422_with_the_field_error(self) -> None:
        self.open_l1()
        self.login(self.employee)
        form = self.form_of(self.employee_employee)
        answers = {k: v for k, v in ANSWERS.items() if k != "overall"}
        response = self.client.post(reverse("evaluation:reaction", args=[form.pk]), answers)
        self.assertContains(response, "Beri nilai untuk “Keseluruhan”.", status_code=422)

    def test_it_refuses_outsiders(self) -> None:
        self.open_l1()
        url = reverse("evaluation:reaction", args=[self.form_of(self.employee_employee).pk])
        for user in (self.officer, self.trainer, self.supervisor, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, ANSWERS).status_code, 404)
        self.login(self.executive)  # no employee record
        self.assertEqual(self.client.get(reverse("evaluation:mine")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("evaluation:mine")).status_code, 302)


class BehaviourPagesTests(EvaluationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.open_l3()
        self.request = self.request_of(self.employee_employee)

    def post_data(self, change: str = "4") -> dict[str, str]:
        data = {"comment": "Baik"}
        for rating in self.request.ratings.all():
            data[f"change-{rating.pk}"] = change
            data[f"observed-{rating.pk}"] = "3"
        return data

    def test_the_supervisor_sees_the_work_list_and_rates(self) -> None:
        self.login(self.supervisor)
        response = self.client.get(reverse("evaluation:behaviour_list"))
        self.assertContains(response, f'data-request="{self.request.pk}"')
        self.assertNotContains(response, f'data-request="{self.request_of(self.other_officer_employee).pk}"')
        url = reverse("evaluation:behaviour", args=[self.request.pk])
        self.assertContains(self.client.get(url), "T.PLY Pelayanan prima")
        response = self.client.post(url, self.post_data())
        self.assertRedirects(response, reverse("evaluation:behaviour_list"))
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, Status.SUBMITTED)

    def test_a_bad_rating_is_a_422_on_the_form(self) -> None:
        self.login(self.supervisor)
        response = self.client.post(
            reverse("evaluation:behaviour", args=[self.request.pk]), self.post_data("7")
        )
        self.assertContains(response, "Pilih nilai 1 sampai 5.", status_code=422)

    def test_the_unit_head_and_admin_see_it(self) -> None:
        url = reverse("evaluation:behaviour", args=[self.request.pk])
        for user in (self.camat, self.admin, self.executive):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.executive)
        self.assertEqual(self.client.post(url, self.post_data()).status_code, 403)

    def test_it_refuses_outsiders(self) -> None:
        url = reverse("evaluation:behaviour", args=[self.request.pk])
        for user in (self.employee, self.officer, self.other, self.trainer, self.other_officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, self.post_data()).status_code, 404)
        # the supervisor of another team (here: a camat elsewhere acting as supervisor) sees none of it
        self.login(self.other)
        response = self.client.get(reverse("evaluation:behaviour_list"))
        self.assertNotContains(response, f'data-request="{self.request.pk}"')


class ClassPageTests(EvaluationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.open_l1()
        self.url = reverse("evaluation:class", args=[self.klass.pk])

    def test_below_the_minimum_group_the_trainer_sees_no_answers(self) -> None:
        self.answer_all([self.employee_employee, self.officer_employee], [self.employee, self.officer])
        self.login(self.trainer)
        response = self.client.get(self.url)
        self.assertContains(response, "data-withheld")
        self.assertNotContains(response, 'data-item="trainer"')

    def test_from_the_minimum_group_on_the_trainer_sees_aggregates_without_names(self) -> None:
        self.answer_all(
            [self.employee_employee, self.officer_employee, self.extra1],
            [self.employee, self.officer, self.extra1_user],
        )
        self.login(self.trainer)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-item="trainer"')
        self.assertContains(response, 'data-l1-n="3"')
        self.assertContains(response, 'data-hake="0.375"')  # the hand-worked L2 of the four participants
        self.assertNotContains(response, self.employee_employee.name)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.other_trainer, self.employee, self.supervisor, self.camat):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)
        self.login(self.admin)
        self.assertEqual(self.client.get(self.url).status_code, 200)


class ResultsPageTests(EvaluationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.open_l1()
        self.answer_all(
            [self.employee_employee, self.officer_employee, self.extra1],
            [self.employee, self.officer, self.extra1_user],
        )
        self.url = reverse("evaluation:results")

    def test_bkpp_sees_every_programme_and_can_switch_the_grouping(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertContains(response, f'data-group="p{self.program.pk}"')
        self.assertContains(response, f'data-group="p{self.other_program.pk}"')
        response = self.client.get(self.url, {"per": "trainer"})
        self.assertContains(response, f'data-group="u{self.trainer.pk}"')
        self.assertContains(response, f'data-group="u{self.other_trainer.pk}"')
        response = self.client.get(self.url, {"per": "provider"})
        self.assertContains(response, 'data-group="lan"')
        self.assertEqual(self.client.get(self.url, {"per": "class"}).status_code, 200)

    def test_the_period_filter_leaves_other_classes_out(self) -> None:
        self.login(self.executive)
        response = self.client.get(self.url, {"dari": "2020-01-01", "sampai": "2020-12-31"})
        self.assertNotContains(response, "data-group=")

    def test_a_trainer_sees_only_their_classes_and_their_own_row(self) -> None:
        self.login(self.trainer)
        response = self.client.get(self.url, {"per": "trainer"})
        self.assertContains(response, f'data-group="u{self.trainer.pk}"')
        self.assertNotContains(response, f'data-group="u{self.other_trainer.pk}"')
        response = self.client.get(self.url)
        self.assertNotContains(response, f'data-group="p{self.other_program.pk}"')

    def test_a_unit_head_sees_their_participants_only(self) -> None:
        self.login(self.other)  # camat of Banyumanik: only the officer of the other class
        response = self.client.get(self.url)
        self.assertContains(response, f'data-group="p{self.other_program.pk}"')
        self.assertNotContains(response, f'data-group="p{self.program.pk}"')

    def test_the_export_is_an_xlsx(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("evaluation:results_export"), {"per": "provider"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        self.assertIn("evaluasi-provider-", response["Content-Disposition"])

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.supervisor, self.officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.client.get(reverse("evaluation:results_export")).status_code, 403)


class ResultsQueryCountTests(EvaluationTestCase):
    def test_the_number_of_queries_does_not_grow_with_the_groups(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from mumpuni.evaluation import selectors

        self.open_l1()
        self.open_l3()
        for group_by in ("program", "trainer", "provider", "class"):
            with self.subTest(group_by=group_by), CaptureQueriesContext(connection) as queries:
                selectors.results(user=self.admin, group_by=group_by)
            # policy, enrolments, (trainer links, names, usernames), forms, requests, ratings, scope
            self.assertLessEqual(len(queries), 10)
