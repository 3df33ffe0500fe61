"""Recommendations that explain themselves: for each employee, programmes and activities ranked by a score
whose every part is shown (docs/development.md, "Rekomendasi").

- `core.py`: the scoring, on plain data (no ORM);
- `loader.py`: the facts for one employee or the whole city in a constant number of queries.

Who may see whose recommendations: the employee their own; supervisors up the chain, heads of a unit above
the employee and BKPP admins (the plan reviewers, `services.can_review`). Nobody else — not executives:
scores of individual people are kept to those who act on them (UU 27/2022, purpose limitation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from mumpuni.development.recommend.core import (
    DEFAULT_WEIGHTS,
    PART_KEYS,
    Catalogue,
    EmployeeFacts,
    Recommendation,
    ScorePart,
    recommend,
    weights_from,
)
from mumpuni.development.recommend.loader import load
from mumpuni.people.scopes import scope_for

__all__ = [
    "DEFAULT_WEIGHTS",
    "PART_KEYS",
    "Catalogue",
    "EmployeeFacts",
    "Recommendation",
    "ScorePart",
    "can_see",
    "configured_weights",
    "recommend",
    "recommend_for",
    "recommendations_of",
]


def configured_weights() -> dict[str, float]:
    """`MUMPUNI_RECOMMENDATION_WEIGHTS` over the defaults (gap 40, service 20, peers 15, schedule 10, JP 10,
    cost 5)."""
    return weights_from(getattr(settings, "MUMPUNI_RECOMMENDATION_WEIGHTS", None))


def recommend_for(
    employee_ids: Iterable[int] | None = None,
    *,
    today: dt.date | None = None,
    limit: int | None = 5,
    activities: bool = True,
) -> dict[int, list[Recommendation]]:
    """Ranked recommendations of the given active employees (None: all), in a constant number of queries."""
    today = today or timezone.localdate()
    catalogue, facts = load(employee_ids, today=today)
    weights = configured_weights()
    return {
        pk: recommend(catalogue, f, weights, limit=limit, activities=activities) for pk, f in facts.items()
    }


def recommendations_of(
    employee: Any, *, today: dt.date | None = None, limit: int | None = 10
) -> list[Recommendation]:
    return recommend_for([employee.pk], today=today, limit=limit).get(employee.pk, [])


def can_see(user: Any, employee: Any) -> bool:
    """The employee, or one of the people who review their plan (supervisor chain, unit head, BKPP)."""
    from mumpuni.development.services import can_review

    return scope_for(user).own_employee_id == employee.pk or can_review(user, employee)
