"""Reads of enrolments: the approval queue of a unit head or BKPP, an employee's classes, scoped lists."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from mumpuni.learning.models import Enrollment
from mumpuni.people.scopes import scope_for


def _base() -> QuerySet[Enrollment]:
    return Enrollment.objects.select_related(
        "employee__unit", "employee__position", "training_class__program", "requested_by"
    )


def enrollment_list(
    *, user: Any, status: str = "", training_class: int | None = None
) -> QuerySet[Enrollment]:
    """Everything the user may see: people in their scope, and the participants of classes they train."""
    scope = scope_for(user)
    qs = _base()
    if not scope.city_wide:
        qs = qs.filter(Q(employee__in=scope.employees()) | Q(training_class__trainers=user)).distinct()
    if status:
        qs = qs.filter(status=status)
    if training_class:
        qs = qs.filter(training_class_id=training_class)
    return qs.order_by("-created_at", "pk")


def enrollment_get(*, user: Any, pk: int) -> Enrollment:
    return enrollment_list(user=user).get(pk=pk)


def approval_queue(*, user: Any) -> QuerySet[Enrollment]:
    """Enrolments waiting for this user's decision: the unit step for heads of the employees' units
    (BKPP included), the final step for BKPP. Never the user's own."""
    scope = scope_for(user)
    unit_step = Q(status__in=(Enrollment.Status.REQUESTED, Enrollment.Status.NOMINATED))
    if scope.city_manager:
        wanted = unit_step | Q(status=Enrollment.Status.UNIT_APPROVED)
        qs = _base().filter(wanted)
    elif scope.manage_unit_paths:
        # Only the subtrees the user heads: a wider view (e.g. as a supervisor) decides nothing.
        managed = reduce(or_, (Q(employee__unit__path__startswith=p) for p in scope.manage_unit_paths))
        qs = _base().filter(unit_step).filter(managed)
    else:
        return Enrollment.objects.none()
    if scope.own_employee_id:
        qs = qs.exclude(employee_id=scope.own_employee_id)
    return qs.order_by("training_class__starts_on", "created_at", "pk")


def my_enrollments(*, user: Any) -> QuerySet[Enrollment]:
    scope = scope_for(user)
    if not scope.own_employee_id:
        return Enrollment.objects.none()
    return _base().filter(employee_id=scope.own_employee_id).order_by("-training_class__starts_on")


def team_enrollments(*, user: Any) -> QuerySet[Enrollment]:
    """The enrolments of a supervisor's team (what they nominated and what their people asked for)."""
    scope = scope_for(user)
    return _base().filter(employee_id__in=scope.team_ids).order_by("-created_at")
