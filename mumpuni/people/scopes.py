"""The one scope helper: which units and employees a user may see or change.

Every selector, view and API endpoint asks `scope_for(user)`; nothing else decides access to people data.
Rules (see docs/architecture.md, "Access model"):
- admin (BKPP) sees and changes everything; executive sees everything, changes nothing;
- unit_head sees and changes employees in the subtree of their unit(s);
- supervisor sees their team (direct and indirect reports) and the units those people work in;
- employee, counter_officer and trainer see themselves; counter_officer also sees its service unit;
- kiosk, display and partner accounts see the unit subtree they are bound to, and no employee records
  except partner (read-only, within its units).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from mumpuni.people.models import CITY_WIDE_ROLES, Employee, Position, Role, Unit

_NOTHING = Q(pk__in=[])
# Above this many team members the team filter is the recursive query, not an IN list of ids.
TEAM_IN_LIST_LIMIT = 500
_TEAM_CTE = (
    "WITH RECURSIVE team(id, unit_id) AS ("
    "SELECT id, unit_id FROM {table} WHERE supervisor_id = %s "
    "UNION SELECT e.id, e.unit_id FROM {table} e JOIN team t ON e.supervisor_id = t.id)"
)


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    roles: frozenset[str] = frozenset()
    city_wide: bool = False
    city_manager: bool = False
    view_unit_paths: tuple[str, ...] = ()  # subtree roots whose units are visible
    employee_unit_paths: tuple[str, ...] = ()  # subtree roots whose employees are visible
    manage_unit_paths: tuple[str, ...] = ()  # subtree roots whose employees may be changed
    own_employee_id: int | None = None
    own_unit_id: int | None = None

    # --- the reporting tree, computed on first use -------------------------------------------------
    # Most requests never need it (a city-wide scope answers every question without it), and for the
    # Sekda it is most of the city: one recursive query, only when asked, once per request.
    @cached_property
    def _team(self) -> tuple[frozenset[int], frozenset[int]]:
        if self.own_employee_id is None:
            return frozenset(), frozenset()
        with connection.cursor() as cursor:
            sql = f"{_team_cte()} SELECT id, unit_id FROM team"  # noqa: S608 (no user input: quoted table name)
            cursor.execute(sql, [self.own_employee_id])
            rows = cursor.fetchall()
        return frozenset(r[0] for r in rows), frozenset(r[1] for r in rows)

    @property
    def team_ids(self) -> frozenset[int]:
        """Direct and indirect reports of the user's employee record."""
        return self._team[0]

    @property
    def unit_ids(self) -> frozenset[int]:
        """Single units visible beyond the subtrees: the user's own unit and the units their team works in."""
        own = {self.own_unit_id} if self.own_unit_id is not None else set()
        return self._team[1] | own

    def _team_q(self, prefix: str = "") -> Q:
        """The team as a filter: ids when few, else the recursive query itself (no IN list of thousands)."""
        ids = self.team_ids
        if not ids:
            return _NOTHING
        if len(ids) <= TEAM_IN_LIST_LIMIT:
            return Q(**{f"{prefix}pk__in": ids})
        sql = f"{_team_cte()} SELECT id FROM team"  # noqa: S608 (no user input: quoted table name)
        return Q(**{f"{prefix}pk__in": RawSQL(sql, [self.own_employee_id])})  # noqa: S611 (parameterised)

    # --- querysets -------------------------------------------------------------------------------
    @staticmethod
    def _paths_q(paths: tuple[str, ...], prefix: str = "") -> Q:
        if not paths:
            return _NOTHING
        return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in paths))

    def unit_q(self) -> Q:
        if self.city_wide:
            return Q()
        q = self._paths_q(self.view_unit_paths)
        if self.unit_ids:
            q |= Q(pk__in=self.unit_ids)
        return q

    def employee_q(self) -> Q:
        if self.city_wide:
            return Q()
        q = self._paths_q(self.employee_unit_paths, "unit__")
        if self.own_employee_id:
            q |= Q(pk=self.own_employee_id)
            if self.team_ids:
                q |= self._team_q()
        return q

    def units(self, qs: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
        qs = Unit.objects.all() if qs is None else qs
        return qs.filter(self.unit_q())

    def employees(self, qs: QuerySet[Employee] | None = None) -> QuerySet[Employee]:
        qs = Employee.objects.all() if qs is None else qs
        return qs.filter(self.employee_q())

    def positions(self, qs: QuerySet[Position] | None = None) -> QuerySet[Position]:
        qs = Position.objects.all() if qs is None else qs
        if self.city_wide:
            return qs
        q = self._paths_q(self.view_unit_paths, "unit__")
        if self.unit_ids:
            q |= Q(unit_id__in=self.unit_ids)
        return qs.filter(q)

    # --- single objects ----------------------------------------------------------------------------
    @staticmethod
    def _under(path: str, roots: tuple[str, ...]) -> bool:
        return any(path.startswith(root) for root in roots)

    def can_view_unit(self, unit: Unit) -> bool:
        return self.city_wide or unit.pk in self.unit_ids or self._under(unit.path, self.view_unit_paths)

    def can_view_employee(self, employee: Employee) -> bool:
        return (
            self.city_wide
            or employee.pk == self.own_employee_id
            or employee.pk in self.team_ids
            or self._under(employee.unit.path, self.employee_unit_paths)
        )

    def can_change_employee(self, employee: Employee) -> bool:
        return self.city_manager or self._under(employee.unit.path, self.manage_unit_paths)

    def can_change_own_contact(self, employee: Employee) -> bool:
        """Every person may correct their own e-mail and phone."""
        return employee.pk == self.own_employee_id or self.can_change_employee(employee)

    def can_place_in_unit(self, unit: Unit) -> bool:
        return self.city_manager or self._under(unit.path, self.manage_unit_paths)

    @property
    def can_manage_structure(self) -> bool:
        """Units and positions are BKPP's."""
        return self.city_manager

    @property
    def can_import(self) -> bool:
        return self.city_manager

    @property
    def can_read_audit(self) -> bool:
        return self.city_manager

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def sees_people(self) -> bool:
        # own_employee_id before team_ids: a team needs an own record, and this way no query is made.
        return bool(self.city_wide or self.employee_unit_paths or self.own_employee_id or self.team_ids)


def _team_cte() -> str:
    """WITH RECURSIVE team(id, unit_id): everyone below employee %s (works on PostgreSQL and SQLite)."""
    table = connection.ops.quote_name(Employee._meta.db_table)
    # No user input: the quoted table name; the employee id is a query parameter.
    return _TEAM_CTE.format(table=table)


def build_scope(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user_id=None)
    assignments = list(user.role_assignments.select_related("unit"))
    roles = frozenset(a.role for a in assignments)
    employee = Employee.objects.filter(user=user).select_related("unit").first()
    view_paths: set[str] = set()
    employee_paths: set[str] = set()
    manage_paths: set[str] = set()
    city_wide = bool(roles & {r.value for r in CITY_WIDE_ROLES}) or user.is_superuser
    city_manager = Role.ADMIN in roles or user.is_superuser

    for a in assignments:
        if a.unit is None:
            continue
        if a.role == Role.UNIT_HEAD:
            view_paths.add(a.unit.path)
            employee_paths.add(a.unit.path)
            manage_paths.add(a.unit.path)
        elif a.role == Role.PARTNER:
            view_paths.add(a.unit.path)
            employee_paths.add(a.unit.path)
        elif a.role in (Role.COUNTER_OFFICER, Role.KIOSK, Role.DISPLAY, Role.SUPERVISOR, Role.TRAINER):
            view_paths.add(a.unit.path)

    return Scope(
        user_id=user.pk,
        roles=roles,
        city_wide=city_wide,
        city_manager=city_manager,
        view_unit_paths=tuple(sorted(view_paths)),
        employee_unit_paths=tuple(sorted(employee_paths)),
        manage_unit_paths=tuple(sorted(manage_paths)),
        own_employee_id=employee.pk if employee else None,
        own_unit_id=employee.unit_id if employee else None,
    )


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per request/user object."""
    if user is None:
        return Scope(user_id=None)
    cached = getattr(user, "_mumpuni_scope", None)
    if cached is None:
        cached = build_scope(user)
        with contextlib.suppress(AttributeError):  # AnonymousUser is fine to recompute
            user._mumpuni_scope = cached
    return cached


def primary_role(scope: Scope) -> str:
    """The role whose home page a user sees first."""
    for role in (
        Role.ADMIN,
        Role.EXECUTIVE,
        Role.COMPLAINT_DESK,
        Role.UNIT_HEAD,
        Role.SUPERVISOR,
        Role.COUNTER_OFFICER,
        Role.TRAINER,
        Role.EMPLOYEE,
        Role.KIOSK,
        Role.DISPLAY,
        Role.PARTNER,
    ):
        if role in scope.roles:
            return role.value
    return Role.EMPLOYEE.value if scope.own_employee_id else ""
