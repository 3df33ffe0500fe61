"""Who may see and handle complaints. Built on `people.scopes.scope_for`; nothing else decides.

- complaint desk: BKPP admins and holders of the `complaint_desk` role — every complaint, every step, and the
  identity of confidential complainants;
- executive: reads every complaint (identity of confidential ones hidden);
- unit head (camat, kepala dinas): complaints assigned to a unit in their subtree, and those about a service
  point in it — follows up and answers those assigned; never sees a confidential identity;
- everyone else (officers, employees, trainers, service accounts): no complaint pages.
Anonymous complaints store no identity at all, so there is nothing to hide.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mumpuni.complaints.models import Complaint
from mumpuni.people.models import Role
from mumpuni.people.scopes import Scope, scope_for

_NOTHING = Q(pk__in=[])


def is_desk(user: Any) -> bool:
    scope = scope_for(user)
    return scope.city_manager or Role.COMPLAINT_DESK in scope.roles


def _unit_paths(scope: Scope) -> tuple[str, ...]:
    return scope.manage_unit_paths if Role.UNIT_HEAD in scope.roles else ()


def visible_q(user: Any) -> Q:
    scope = scope_for(user)
    if scope.user_id is None:
        return _NOTHING
    if is_desk(user) or Role.EXECUTIVE in scope.roles or scope.city_wide:
        return Q()
    q = _NOTHING
    for path in _unit_paths(scope):
        q |= Q(assigned_unit__path__startswith=path) | Q(point__unit__path__startswith=path)
    return q


def visible_complaints(user: Any, qs: QuerySet[Complaint] | None = None) -> QuerySet[Complaint]:
    qs = Complaint.objects.all() if qs is None else qs
    return qs.filter(visible_q(user))


def can_view(user: Any, complaint: Complaint) -> bool:
    return visible_complaints(user, Complaint.objects.filter(pk=complaint.pk)).exists()


def can_handle_as_unit(user: Any, complaint: Complaint) -> bool:
    """Follow up, note and answer: the desk, or a unit head whose subtree holds the assigned unit."""
    if is_desk(user):
        return True
    if complaint.assigned_unit is None:
        return False
    path = complaint.assigned_unit.path
    return any(path.startswith(p) for p in _unit_paths(scope_for(user)))


def shows_identity(user: Any, complaint: Complaint) -> bool:
    """Name and contact on staff pages: public identities to whoever may view; confidential only to the desk."""
    if complaint.identity == Complaint.Identity.PUBLIC:
        return can_view(user, complaint)
    if complaint.identity == Complaint.Identity.CONFIDENTIAL:
        return is_desk(user)
    return False
