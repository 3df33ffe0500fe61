"""Reads of the catalogue: programmes with filters, classes, a trainer's classes and a class's people.

The catalogue itself is public to every signed-in user; participant lists are not (see
`can_see_participants`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from mumpuni.learning.models import Enrollment, Program, ProgramCompetency, TrainingClass
from mumpuni.people.scopes import scope_for


def program_list(
    *,
    user: Any,
    q: str = "",
    category: str = "",
    form: str = "",
    provider: str = "",
    competency: str = "",
    include_inactive: bool = False,
) -> QuerySet[Program]:
    qs = Program.objects.all()
    if not (include_inactive and scope_for(user).city_manager):
        qs = qs.filter(active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(description__icontains=q))
    if category:
        qs = qs.filter(category=category)
    if form:
        qs = qs.filter(form=form)
    if provider:
        qs = qs.filter(provider=provider)
    if competency:
        qs = qs.filter(competency_uplifts__competency__code=competency)
    open_classes = Count("classes", filter=Q(classes__status=TrainingClass.Status.OPEN), distinct=True)
    return (
        qs.annotate(open_classes=open_classes)
        .prefetch_related(
            Prefetch(
                "competency_uplifts",
                queryset=ProgramCompetency.objects.select_related("competency").order_by("competency__code"),
            ),
            "prerequisites",
        )
        .order_by("name")
        .distinct()
    )


def program_get(*, user: Any, pk: int) -> Program:
    return program_list(user=user, include_inactive=True).get(pk=pk)


def class_list(
    *, user: Any, status: str = "", program: int | None = None, q: str = "", year: int | None = None
) -> QuerySet[TrainingClass]:
    qs = TrainingClass.objects.select_related("program")
    if status:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program_id=program)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(program__name__icontains=q))
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.annotate(
        seated=Count("enrollments", filter=Q(enrollments__status__in=Enrollment.SEATED_STATUSES)),
        waiting=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
    ).order_by("-starts_on", "code")


def class_get(*, user: Any, pk: int) -> TrainingClass:
    return class_list(user=user).prefetch_related("sessions", "trainers").get(pk=pk)


def trainer_classes(*, user: Any) -> QuerySet[TrainingClass]:
    return class_list(user=user).filter(trainers=user)


def is_trainer_of(user: Any, training_class: TrainingClass) -> bool:
    return training_class.trainers.filter(pk=user.pk).exists()


def can_see_participants(user: Any, training_class: TrainingClass) -> bool:
    """BKPP, the executive (read-only, city-wide) and the class's trainers see who takes part."""
    return scope_for(user).city_wide or is_trainer_of(user, training_class)


def class_participants(*, user: Any, training_class: TrainingClass) -> dict[str, list[Enrollment]]:
    """Participants by group (seated, waiting, pending approval, ended), for those allowed to see them;
    others get only the people in their own scope (e.g. a camat sees their unit's people)."""
    qs = training_class.enrollments.select_related("employee__unit", "employee__position")
    if not can_see_participants(user, training_class):
        qs = qs.filter(employee__in=scope_for(user).employees())
    groups: dict[str, list[Enrollment]] = {"seated": [], "waiting": [], "pending": [], "ended": []}
    for enrollment in qs.order_by("waitlisted_at", "employee__name"):
        if enrollment.status in Enrollment.SEATED_STATUSES:
            groups["seated"].append(enrollment)
        elif enrollment.status == Enrollment.Status.WAITLISTED:
            groups["waiting"].append(enrollment)
        elif enrollment.status in Enrollment.ACTIVE_STATUSES:
            groups["pending"].append(enrollment)
        else:
            groups["ended"].append(enrollment)
    groups["seated"].sort(key=lambda e: e.employee.name)
    return groups
