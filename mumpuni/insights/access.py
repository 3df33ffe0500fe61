"""Who sees the impact pages. Built on `people.scopes.scope_for`; nothing else decides.

- BKPP admin and executive (and superusers): every programme's estimate, city-wide;
- unit heads (camat, kepala OPD): the same city-level estimates. The comparison group has to be every
  officer of the city, so a per-unit estimate would be too thin; the pages never list officers, so unit heads
  learn nothing about people outside their subtree;
- everyone else (supervisors, employees, counter officers, trainers, service accounts): refused.
"""

from __future__ import annotations

from typing import Any

from mumpuni.people.models import Role
from mumpuni.people.scopes import scope_for


def can_see_impact(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.city_wide or Role.UNIT_HEAD in scope.roles
