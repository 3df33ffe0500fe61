"""Who may see and do what in talent management (one place, used by views, the API, services and tests).

- 9-box pages: BKPP admin and executives city-wide, unit heads their subtree, supervisors their team.
  Employees, counter officers, trainers see only their own placement; partners and the complaint desk
  nothing (the scope of a partner holds people, but talent scores are not theirs to read).
- A placement explained: the employee themself and whoever sees the grid the employee is in.
- SKP entry: BKPP admin for everyone, a unit head for staff of the subtree (never their own rating).
  SKP import: BKPP admin.
- Further education: every employee applies for themself; BKPP admin verifies, selects, enrols, records
  graduation, rejects; the applicant (or BKPP) withdraws. Unit heads and supervisors read the applications
  of their people; executives read all.
"""

from __future__ import annotations

from typing import Any

from mumpuni.people.models import Employee, Role
from mumpuni.people.scopes import Scope, scope_for


def _grid_scope(scope: Scope) -> bool:
    if scope.city_wide:
        return True
    if Role.UNIT_HEAD in scope.roles and scope.manage_unit_paths:
        return True
    return Role.SUPERVISOR in scope.roles and bool(scope.team_ids)


def can_view_grid(user: Any) -> bool:
    return _grid_scope(scope_for(user))


def can_view_people_of(user: Any, employee: Employee) -> bool:
    """Talent data of another person: city-wide, the unit head of their subtree, or their supervisor chain."""
    scope = scope_for(user)
    if scope.city_wide:
        return True
    if Role.UNIT_HEAD in scope.roles and any(
        employee.unit.path.startswith(p) for p in scope.manage_unit_paths
    ):
        return True
    # Supervisors see their team; a unit head is also the supervisor of reports outside the subtree.
    leads_people = bool(scope.roles & {Role.SUPERVISOR, Role.UNIT_HEAD})
    return leads_people and employee.pk in scope.team_ids


def can_view_placement(user: Any, employee: Employee) -> bool:
    scope = scope_for(user)
    return scope.own_employee_id == employee.pk or can_view_people_of(user, employee)


def can_rate(user: Any, employee: Employee) -> bool:
    scope = scope_for(user)
    if scope.city_manager:
        return True
    if scope.own_employee_id == employee.pk:
        return False
    return Role.UNIT_HEAD in scope.roles and any(
        employee.unit.path.startswith(p) for p in scope.manage_unit_paths
    )


def can_enter_ratings(user: Any) -> bool:
    scope = scope_for(user)
    return scope.city_manager or (Role.UNIT_HEAD in scope.roles and bool(scope.manage_unit_paths))


def can_import(user: Any) -> bool:
    return scope_for(user).city_manager


def can_manage_education(user: Any) -> bool:
    return scope_for(user).city_manager


def can_read_education_reports(user: Any) -> bool:
    return scope_for(user).city_wide


def can_view_application(user: Any, employee: Employee) -> bool:
    scope = scope_for(user)
    return scope.own_employee_id == employee.pk or can_view_people_of(user, employee)
