"""Required-level resolution and gap figures on the small fixture; the rollup job gives the same figures."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mumpuni.competencies import selectors
from mumpuni.competencies.models import GapRollup
from mumpuni.competencies.tasks import refresh_gap_rollups
from mumpuni.competencies.tests.base import CompetencyTestCase
from mumpuni.people.scopes import scope_for
from mumpuni.testing import make_employee


class RequiredLevelTests(CompetencyTestCase):
    def test_it_resolves_explicit_then_default(self) -> None:
        self.assertEqual(
            selectors.required_levels(self.pos_staff), {self.m01.pk: 1, self.sk01.pk: 1, self.tadk.pk: 3}
        )
        # The Kasi's explicit M.01 beats the pengawas default of 2; SK.01 keeps the default.
        self.assertEqual(selectors.required_levels(self.pos_kasi), {self.m01.pk: 3, self.sk01.pk: 2})
        self.assertEqual(selectors.required_levels(self.pos_bkpp), {self.m01.pk: 2, self.sk01.pk: 2})

    def test_it_requires_nothing_without_a_position_or_a_default(self) -> None:
        self.assertEqual(selectors.required_levels(None), {})
        self.pos_other.kind = "jpt"  # no JPT row in the fixture's defaults
        self.pos_other.level = "pratama"
        self.assertEqual(selectors.required_levels(self.pos_other), {})

    def test_it_ignores_inactive_competencies(self) -> None:
        self.tadk.active = False
        self.tadk.save()
        self.assertNotIn(self.tadk.pk, selectors.required_levels(self.pos_staff))


class GapFigureTests(CompetencyTestCase):
    def test_it_counts_the_tembalang_gaps(self) -> None:
        matrix = selectors.gap_matrix(scope_for(self.admin), self.tembalang)
        tadk = matrix.by_competency[self.tadk.pk]
        self.assertEqual((tadk.required_for, tadk.assessed, tadk.below, tadk.total_gap), (2, 2, 2, 3))
        self.assertEqual(tadk.mean_gap, 1.5)
        m01 = matrix.by_competency[self.m01.pk]
        self.assertEqual((m01.required_for, m01.assessed, m01.below, m01.unassessed), (4, 2, 1, 2))
        sk01 = matrix.by_competency[self.sk01.pk]
        self.assertEqual((sk01.assessed, sk01.unassessed), (0, 4))
        self.assertEqual(matrix.ranked[0][0], self.tadk)

    def test_it_rolls_people_up_to_the_child_units(self) -> None:
        make_employee("Lurah Bulusan", self.bulusan, self.pos_kasi)
        matrix = selectors.gap_matrix(scope_for(self.admin), self.tembalang)
        self.assertEqual([u.code for u in matrix.units], ["33.74.10", "33.74.10.1001"])
        self.assertEqual(matrix.cell(self.bulusan.pk, self.m01.pk).unassessed, 1)

    def test_it_gives_the_employee_their_own_gaps(self) -> None:
        rows = {r.competency.code: r for r in selectors.employee_competencies(self.employee_employee)}
        self.assertEqual((rows["T.ADK"].required, rows["T.ADK"].current, rows["T.ADK"].gap), (3, 2, 1))
        self.assertEqual(rows["M.01"].status, "met")
        self.assertEqual(rows["SK.01"].status, "unassessed")

    def test_it_lists_people_below_and_unassessed(self) -> None:
        below, unassessed = selectors.people_below(scope_for(self.camat), self.m01, self.tembalang)
        self.assertEqual([p.employee for p in below], [self.supervisor_employee])
        self.assertEqual({p.employee for p in unassessed}, {self.camat_employee, self.officer_employee})

    def test_it_limits_a_supervisor_to_their_team(self) -> None:
        matrix = selectors.gap_matrix(scope_for(self.supervisor), None)
        self.assertEqual(matrix.employees, 2)


class GapRollupTests(CompetencyTestCase):
    def test_it_refreshes_idempotently_with_the_live_figures(self) -> None:
        self.assertEqual(refresh_gap_rollups.delay().get(), refresh_gap_rollups())
        rows = GapRollup.objects.count()
        refresh_gap_rollups()
        self.assertEqual(GapRollup.objects.count(), rows)
        with self.settings(MUMPUNI_GAP_ROLLUP_THRESHOLD=0):
            rolled = selectors.gap_matrix(scope_for(self.admin), self.tembalang)
        live = selectors.gap_matrix(scope_for(self.admin), self.tembalang, force_live=True)
        self.assertEqual(rolled.source, "rollup")
        self.assertEqual(live.source, "live")
        for competency in (self.m01, self.sk01, self.tadk):
            self.assertEqual(
                vars(rolled.by_competency[competency.pk]), vars(live.by_competency[competency.pk])
            )


class GapQueryCountTests(CompetencyTestCase):
    def test_it_does_not_query_per_employee(self) -> None:
        scope = scope_for(self.admin)
        with CaptureQueriesContext(connection) as before:
            selectors.gap_matrix(scope, self.tembalang)
        for i in range(5):
            make_employee(f"Petugas Tambahan {i}", self.bulusan, self.pos_staff)
        scope = scope_for(self.admin)
        with self.assertNumQueries(len(before.captured_queries)):
            selectors.gap_matrix(scope, self.tembalang)
