"""My competencies (with self-assessment), an employee's page, withdrawal and the supervisor's grid."""

from __future__ import annotations

from mumpuni.competencies.models import Assessment, CurrentLevel
from mumpuni.competencies.tests.base import CompetencyTestCase

MINE = "/kompetensi/saya/"
GRID = "/kompetensi/penilaian-tim/"


def employee_url(nip: str) -> str:
    return f"/kompetensi/pegawai/{nip}/"


class MineTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(MINE).status_code, 302)
        self.login(self.executive)  # an account without an employee record
        self.assertEqual(self.client.get(MINE).status_code, 403)

    def test_it_shows_my_levels_and_gaps(self) -> None:
        self.login(self.employee)
        r = self.client.get(MINE)
        self.assertEqual(r.status_code, 200)
        rows = {row.competency.code: row for row in r.context["rows"]}
        self.assertEqual(rows["T.ADK"].gap, 1)
        self.assertEqual(r.context["below_count"], 1)

    def test_it_records_a_self_assessment(self) -> None:
        self.login(self.employee)
        r = self.client.post(MINE, {"competency": "SK.01", "level": "3", "note": "Refleksi diri"})
        self.assertEqual(r.status_code, 302)
        a = Assessment.objects.get(employee=self.employee_employee, competency=self.sk01)
        self.assertEqual((a.source, a.level, a.assessor), ("self", 3, self.employee))


class EmployeePageTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)
        self.assertEqual(self.client.get(employee_url(self.employee_employee.nip)).status_code, 404)
        r = self.client.post(employee_url(self.employee_employee.nip), {"competency": "T.ADK", "level": "5"})
        self.assertEqual(r.status_code, 404)

    def test_it_lets_the_supervisor_assess_and_withdraw(self) -> None:
        self.login(self.supervisor)
        url = employee_url(self.employee_employee.nip)
        r = self.client.post(url, {"competency": "T.ADK", "level": "3", "assessed_on": "2026-10-01"})
        self.assertEqual(r.status_code, 302)
        current = CurrentLevel.objects.get(employee=self.employee_employee, competency=self.tadk)
        self.assertEqual(current.level, 3)
        r = self.client.post(f"/kompetensi/penilaian/{current.assessment_id}/tarik/")
        self.assertEqual(r.status_code, 302)
        current.refresh_from_db()
        self.assertEqual(current.level, 2)

    def test_it_refuses_the_camat_withdrawing_the_supervisors_entry(self) -> None:
        assessment = Assessment.objects.filter(employee=self.employee_employee).first()
        self.login(self.camat)
        r = self.client.post(f"/kompetensi/penilaian/{assessment.pk}/tarik/")
        self.assertEqual(r.status_code, 403)
        assessment.refresh_from_db()
        self.assertIsNone(assessment.withdrawn_at)


class GridTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.login(self.employee)  # no team
        self.assertEqual(self.client.get(GRID).status_code, 403)
        self.login(self.supervisor)
        key = f"cell-{self.other_employee.pk}-{self.m01.pk}"  # not in this supervisor's grid
        self.assertEqual(self.client.post(GRID, {key: "4"}).status_code, 404)
        self.assertFalse(Assessment.objects.filter(employee=self.other_employee).exists())

    def test_it_shows_the_team_with_current_and_required_levels(self) -> None:
        self.login(self.supervisor)
        r = self.client.get(GRID)
        self.assertEqual(r.status_code, 200)
        names = [e.name for e, _cells in r.context["rows"]]
        self.assertEqual(set(names), {self.employee_employee.name, self.officer_employee.name})
        self.assertContains(r, f'name="cell-{self.officer_employee.pk}-{self.tadk.pk}"')

    def test_it_saves_the_filled_cells(self) -> None:
        self.login(self.supervisor)
        r = self.client.post(
            GRID,
            {
                f"cell-{self.officer_employee.pk}-{self.tadk.pk}": "3",
                f"cell-{self.employee_employee.pk}-{self.sk01.pk}": "2",
                f"cell-{self.employee_employee.pk}-{self.m01.pk}": "",
                "note": "Observasi loket",
            },
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(
            CurrentLevel.objects.get(employee=self.officer_employee, competency=self.tadk).level, 3
        )
        saved = Assessment.objects.filter(note="Observasi loket")
        self.assertEqual(saved.count(), 2)
        self.assertEqual({a.source for a in saved}, {"supervisor"})
