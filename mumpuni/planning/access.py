"""Who may do what in planning (one place, used by views, the API and the services):

- BKPP (admin) sets budgets and weights, builds and runs scenarios and accepts plans;
- executives read everything (budgets, scenarios, runs, explanations) and change nothing;
- unit heads read the budget of their own unit(s) and the units below — no city totals, no scenarios;
- everyone else is refused (403).
"""

from __future__ import annotations

from typing import Any

from mumpuni.people.models import Unit
from mumpuni.people.scopes import scope_for


def can_manage(user: Any) -> bool:
    return scope_for(user).city_manager


def can_read_plans(user: Any) -> bool:
    return scope_for(user).city_wide


def can_view_budget(user: Any) -> bool:
    scope = scope_for(user)
    return scope.city_wide or bool(scope.manage_unit_paths)


def sees_city_budget(user: Any) -> bool:
    return scope_for(user).city_wide


def can_view_unit_budget(user: Any, unit: Unit) -> bool:
    scope = scope_for(user)
    return scope.city_wide or any(unit.path.startswith(p) for p in scope.manage_unit_paths)
