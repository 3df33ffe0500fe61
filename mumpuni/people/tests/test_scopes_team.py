"""The reporting tree in scopes: not computed for city-wide users, a subquery for big teams (finding 7)."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mumpuni.people import scopes, services
from mumpuni.people.models import Role
from mumpuni.people.scopes import build_scope
from mumpuni.testing import BaseTestCase, make_account, make_employee


def _team_queries(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "WITH RECURSIVE" in q["sql"] or 'supervisor_id" IN' in q["sql"] or 'supervisor_id" =' in q["sql"]
    ]


class ScopeTeamTests(BaseTestCase):
    def test_it_does_not_walk_the_team_of_a_city_wide_user(self) -> None:
        # The executive (like the Sekda) heads a reporting tree; a city-wide scope never needs it.
        sekda = make_employee("Sekda", self.city)
        services.employee_update(actor=None, employee=self.camat_employee, supervisor=sekda)
        executive = make_account("sekda", [(Role.EXECUTIVE, None)], sekda)
        with CaptureQueriesContext(connection) as captured:
            scope = build_scope(executive)
            self.assertEqual(scope.employees().count(), 8)
            self.assertTrue(scope.can_view_employee(self.other_employee))
            self.assertTrue(scope.sees_people)
            self.assertEqual(scope.units().count(), 6)
        self.assertEqual(_team_queries(captured), [])
        # Still there when asked (team features of other apps).
        self.assertIn(self.employee_employee.pk, scope.team_ids)

    def test_it_filters_a_big_team_with_a_subquery(self) -> None:
        scope = build_scope(self.camat)  # the camat also supervises Dewi, Agus and Rina
        expected = set(scope.employees().values_list("pk", flat=True))
        with mock.patch.object(scopes, "TEAM_IN_LIST_LIMIT", 1):
            fresh = build_scope(self.camat)
            self.assertIn("WITH RECURSIVE", str(fresh.employees().query))
            self.assertEqual(set(fresh.employees().values_list("pk", flat=True)), expected)
            supervisor = build_scope(self.supervisor)
            names = set(supervisor.employees().values_list("name", flat=True))
        self.assertEqual(names, {"Dewi Lestari", "Agus Prasetyo", "Rina Kurniawati"})

    def test_it_finds_the_whole_team_in_one_query(self) -> None:
        scope = build_scope(self.camat)
        with CaptureQueriesContext(connection) as captured:
            team = scope.team_ids
        self.assertEqual(len(captured.captured_queries), 1)
        self.assertEqual(
            team, {self.supervisor_employee.pk, self.employee_employee.pk, self.officer_employee.pk}
        )
        self.assertEqual(scope.unit_ids, {self.tembalang.pk})

    def test_it_refuses_outsiders(self) -> None:
        scope = build_scope(self.other)
        self.assertEqual(scope.team_ids, frozenset())
        self.assertFalse(scope.can_view_employee(self.employee_employee))
        self.assertFalse(scope.employees().filter(pk=self.employee_employee.pk).exists())
