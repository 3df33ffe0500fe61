from mumpuni.people.scopes import scope_for
from mumpuni.testing import BaseTestCase


class ScopeTests(BaseTestCase):
    def test_it_gives_admin_the_whole_city(self) -> None:
        scope = scope_for(self.admin)
        self.assertEqual(scope.employees().count(), 7)
        self.assertTrue(scope.can_change_employee(self.other_employee))

    def test_it_limits_camat_to_their_kecamatan(self) -> None:
        scope = scope_for(self.camat)
        names = set(scope.employees().values_list("name", flat=True))
        self.assertEqual(names, {"Bambang Susilo", "Dewi Lestari", "Agus Prasetyo", "Rina Kurniawati"})
        self.assertTrue(scope.can_change_employee(self.employee_employee))
        self.assertFalse(scope.can_view_employee(self.other_employee))
        self.assertFalse(scope.can_change_employee(self.other_employee))
        self.assertEqual(set(scope.units().values_list("code", flat=True)), {"33.74.10", "33.74.10.1001"})

    def test_it_gives_supervisor_their_team_only(self) -> None:
        scope = scope_for(self.supervisor)
        names = set(scope.employees().values_list("name", flat=True))
        self.assertEqual(names, {"Dewi Lestari", "Agus Prasetyo", "Rina Kurniawati"})
        self.assertFalse(scope.can_change_employee(self.employee_employee))

    def test_it_gives_employee_only_themselves(self) -> None:
        scope = scope_for(self.employee)
        self.assertEqual(list(scope.employees()), [self.employee_employee])
        self.assertTrue(scope.can_change_own_contact(self.employee_employee))
        self.assertFalse(scope.can_change_own_contact(self.officer_employee))

    def test_it_refuses_outsiders(self) -> None:
        scope = scope_for(self.other)
        self.assertFalse(scope.can_view_employee(self.employee_employee))
        self.assertNotIn(self.tembalang, scope.units())
        self.assertEqual(scope_for(None).employees().count(), 0)

    def test_executive_reads_everything_but_changes_nothing(self) -> None:
        scope = scope_for(self.executive)
        self.assertEqual(scope.employees().count(), 7)
        self.assertFalse(scope.can_change_employee(self.employee_employee))
