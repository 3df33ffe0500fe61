"""Reads of the evaluation: a participant's own L1 forms, a reviewer's L3 work list, one class's L1/L2 for
its trainers, and the results table per programme, trainer, provider or class.

Who sees the results (`results_scope`):
- admin (BKPP) and executive: every class;
- unit_head: the participants who work in their subtree (all levels, L1 only as aggregates);
- trainer: the classes they teach; grouped by trainer they see only their own row;
- everyone else: nothing (the page answers 403).
L1 means are withheld for any group below the policy's minimum number of answers, for everyone.
The period filters classes by their last day (`ends_on`); L3 requests belong to their class's period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mumpuni.evaluation.models import (
    REACTION_FIELDS,
    BehaviourRating,
    BehaviourRequest,
    EvaluationPolicy,
    ReactionResponse,
    Status,
)
from mumpuni.evaluation.stats import (
    GainSummary,
    LikertSummary,
    ScorePair,
    as_float,
    learning_gain,
    likert_summary,
)
from mumpuni.learning.models import Enrollment, Program, TrainingClass
from mumpuni.people.models import Employee, Role, User
from mumpuni.people.scopes import scope_for

GROUP_BYS = ("program", "trainer", "provider", "class")
SEATED = ("enrolled", "completed", "not_completed")
NO_TRAINER = "Tanpa pelatih tercatat"


# --- a participant's forms and a reviewer's work list -------------------------------------------------


def my_reactions(user: Any) -> QuerySet[ReactionResponse]:
    own = scope_for(user).own_employee_id
    if own is None:
        return ReactionResponse.objects.none()
    return (
        ReactionResponse.objects.filter(enrollment__employee_id=own)
        .select_related("enrollment__training_class__program")
        .order_by("-opened_on", "-id")
    )


def pending_reactions(user: Any, today: dt.date | None = None) -> QuerySet[ReactionResponse]:
    today = today or timezone.localdate()
    return my_reactions(user).filter(status=Status.PENDING, expires_on__gte=today)


def behaviour_q(user: Any) -> Q:
    """Requests the user may rate: addressed to them, about their team, or in a unit they head."""
    scope = scope_for(user)
    if scope.user_id is None:
        return Q(pk__in=[])
    q = Q(reviewer_id=scope.user_id)
    if scope.team_ids:
        q |= Q(employee_id__in=scope.team_ids)
    for path in scope.manage_unit_paths:
        q |= Q(employee__unit__path__startswith=path)
    if scope.own_employee_id is not None:
        q &= ~Q(employee_id=scope.own_employee_id)
    return q


def behaviour_worklist(user: Any, status: str = "") -> QuerySet[BehaviourRequest]:
    qs = BehaviourRequest.objects.filter(behaviour_q(user))
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs.select_related(
        "employee__unit", "employee__position", "enrollment__training_class__program", "reviewer"
    ).order_by("status", "expires_on", "id")


# --- who sees results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsScope:
    city_wide: bool = False
    unit_paths: tuple[str, ...] = ()
    trainer_id: int | None = None  # set when the user teaches: their classes count

    @property
    def allowed(self) -> bool:
        return self.city_wide or bool(self.unit_paths) or self.trainer_id is not None

    @property
    def trainer_only(self) -> bool:
        return not self.city_wide and not self.unit_paths and self.trainer_id is not None


def results_scope(user: Any) -> ResultsScope:
    scope = scope_for(user)
    if scope.user_id is None:
        return ResultsScope()
    if scope.city_wide:
        return ResultsScope(city_wide=True)
    paths = scope.manage_unit_paths if scope.has_role(Role.UNIT_HEAD) else ()
    trainer = scope.user_id if scope.has_role(Role.TRAINER) else None
    return ResultsScope(unit_paths=tuple(paths), trainer_id=trainer)


def can_view_results(user: Any) -> bool:
    return results_scope(user).allowed


def can_view_class(user: Any, training_class: TrainingClass) -> bool:
    """A class's page (L1 aggregates and comments, L2): its trainers, admin and executive."""
    scope = scope_for(user)
    if scope.user_id is None:
        return False
    return scope.city_wide or training_class.trainers.filter(pk=scope.user_id).exists()


def _enrollments_in(rscope: ResultsScope) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.filter(status__in=SEATED).exclude(
        training_class__status=TrainingClass.Status.CANCELLED
    )
    if rscope.city_wide:
        return qs
    q = Q(pk__in=[])
    for path in rscope.unit_paths:
        q |= Q(employee__unit__path__startswith=path)
    if rscope.trainer_id is not None:
        q |= Q(training_class__trainers__id=rscope.trainer_id)
    return qs.filter(q)


# --- the results table ----------------------------------------------------------------------------------


@dataclass
class ResultRow:
    key: str
    label: str
    classes: set[int] = field(default_factory=set)
    participants: int = 0
    reactions: list[dict[str, int | None]] = field(default_factory=list)
    reactions_opened: int = 0
    pairs: list[ScorePair] = field(default_factory=list)
    l3_requested: int = 0
    l3_submitted: int = 0
    changes: list[int] = field(default_factory=list)
    observed: list[int] = field(default_factory=list)
    # filled by finish()
    l1: LikertSummary | None = None
    l2: GainSummary | None = None

    def finish(self, min_n: int) -> None:
        self.l1 = likert_summary(self.reactions, REACTION_FIELDS, min_n)
        self.l2 = learning_gain(self.pairs)

    @property
    def l1_response_rate(self) -> float | None:
        return len(self.reactions) / self.reactions_opened if self.reactions_opened else None

    @property
    def l3_mean_change(self) -> float | None:
        return sum(self.changes) / len(self.changes) if self.changes else None

    @property
    def l3_mean_observed(self) -> float | None:
        return sum(self.observed) / len(self.observed) if self.observed else None

    @property
    def l3_response_rate(self) -> float | None:
        return self.l3_submitted / self.l3_requested if self.l3_requested else None


@dataclass
class Results:
    group_by: str
    start: dt.date
    end: dt.date
    min_group_size: int
    rows: list[ResultRow]
    total: ResultRow


def _trainer_labels(class_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    through = TrainingClass.trainers.through
    links = list(
        through.objects.filter(trainingclass_id__in=list(class_ids)).values_list(
            "trainingclass_id", "user_id"
        )
    )
    user_ids = {u for _, u in links}
    names = dict(Employee.objects.filter(user_id__in=user_ids).values_list("user_id", "name"))
    usernames = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))
    result: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for class_id, user_id in sorted(links):
        result[class_id].append((f"u{user_id}", names.get(user_id) or usernames.get(user_id, str(user_id))))
    return result


def results(
    *, user: Any, group_by: str = "program", start: dt.date | None = None, end: dt.date | None = None
) -> Results:
    """L1, L2 and L3 per group in the user's reach; classes whose last day falls in [start, end]."""
    today = timezone.localdate()
    end = end or today
    start = start or end - dt.timedelta(days=365)
    group_by = group_by if group_by in GROUP_BYS else "program"
    rscope = results_scope(user)
    policy = EvaluationPolicy.current()
    base = _enrollments_in(rscope).filter(
        training_class__ends_on__gte=start, training_class__ends_on__lte=end
    )
    enrollments = list(
        base.values_list(
            "pk",
            "training_class_id",
            "training_class__code",
            "training_class__name",
            "training_class__program_id",
            "training_class__program__code",
            "training_class__program__name",
            "training_class__program__provider",
            "training_class__min_post_test",
            "pre_test_score",
            "post_test_score",
        ).distinct()
    )
    class_ids = {row[1] for row in enrollments}
    trainers = _trainer_labels(class_ids) if group_by == "trainer" else {}
    providers = dict(Program.Provider.choices)
    own_trainer_key = f"u{rscope.trainer_id}" if rscope.trainer_id is not None else None

    def keys_of(row: tuple[Any, ...]) -> list[tuple[str, str]]:
        if group_by == "program":
            return [(f"p{row[4]}", f"{row[5]} {row[6]}")]
        if group_by == "provider":
            return [(row[7], str(providers.get(row[7], row[7])))]
        if group_by == "class":
            return [(f"c{row[1]}", f"{row[2]} {row[3]}")]
        keys = trainers.get(row[1]) or [("none", NO_TRAINER)]
        if rscope.trainer_only:
            keys = [k for k in keys if k[0] == own_trainer_key]
        return keys

    rows: dict[str, ResultRow] = {}
    total = ResultRow(key="total", label="Semua")
    groups_of: dict[int, list[ResultRow]] = {}
    for row in enrollments:
        targets = [rows.setdefault(key, ResultRow(key=key, label=label)) for key, label in keys_of(row)]
        groups_of[row[0]] = [*targets, total]
        for target in groups_of[row[0]]:
            target.classes.add(row[1])
            target.participants += 1
            if row[9] is not None and row[10] is not None:
                target.pairs.append(ScorePair(float(row[9]), float(row[10]), as_float(row[8])))

    reaction_rows = ReactionResponse.objects.filter(enrollment__in=base.values("pk")).values_list(
        "enrollment_id", "status", *REACTION_FIELDS
    )
    for enrollment_id, status, *answers in reaction_rows:
        for target in groups_of.get(enrollment_id, []):
            target.reactions_opened += 1
            if status == Status.SUBMITTED:
                target.reactions.append(dict(zip(REACTION_FIELDS, answers, strict=True)))

    request_rows = BehaviourRequest.objects.filter(enrollment__in=base.values("pk")).values_list(
        "enrollment_id", "status"
    )
    for enrollment_id, status in request_rows:
        for target in groups_of.get(enrollment_id, []):
            target.l3_requested += 1
            target.l3_submitted += status == Status.SUBMITTED
    rating_rows = BehaviourRating.objects.filter(
        request__enrollment__in=base.values("pk"), request__status=Status.SUBMITTED
    ).values_list("request__enrollment_id", "change", "observed_level")
    for enrollment_id, change, observed in rating_rows:
        for target in groups_of.get(enrollment_id, []):
            if change is not None:
                target.changes.append(change)
            if observed is not None:
                target.observed.append(observed)

    ordered = sorted(rows.values(), key=lambda r: r.label.lower())
    for r in [*ordered, total]:
        r.finish(policy.min_group_size)
    return Results(
        group_by=group_by,
        start=start,
        end=end,
        min_group_size=policy.min_group_size,
        rows=ordered,
        total=total,
    )


# --- one class ------------------------------------------------------------------------------------------


@dataclass
class ClassEvaluation:
    training_class: TrainingClass
    l1: LikertSummary
    distribution: dict[str, list[int]]  # per item: counts of 1..5 (empty when withheld)
    comments: list[str]
    opened: int
    l2: GainSummary
    min_group_size: int


def class_evaluation(training_class: TrainingClass) -> ClassEvaluation:
    """Aggregates only: no names, comments in alphabetical order (not the order they came in)."""
    policy = EvaluationPolicy.current()
    forms = list(
        ReactionResponse.objects.filter(enrollment__training_class=training_class).values(
            "status", "comment", *REACTION_FIELDS
        )
    )
    submitted = [f for f in forms if f["status"] == Status.SUBMITTED]
    l1 = likert_summary(submitted, REACTION_FIELDS, policy.min_group_size)
    distribution: dict[str, list[int]] = {}
    comments: list[str] = []
    if l1.shown:
        for name in REACTION_FIELDS:
            counts = [0] * 5
            for f in submitted:
                if f[name] is not None:
                    counts[f[name] - 1] += 1
            distribution[name] = counts
        comments = sorted((f["comment"].strip() for f in submitted if f["comment"].strip()), key=str.lower)
    threshold = as_float(training_class.min_post_test)
    scores = training_class.enrollments.filter(
        status__in=SEATED, pre_test_score__isnull=False, post_test_score__isnull=False
    ).values_list("pre_test_score", "post_test_score")
    pairs = [
        ScorePair(float(pre), float(post), threshold)
        for pre, post in scores
        if pre is not None and post is not None
    ]
    return ClassEvaluation(
        training_class=training_class,
        l1=l1,
        distribution=distribution,
        comments=comments,
        opened=len(forms),
        l2=learning_gain(pairs),
        min_group_size=policy.min_group_size,
    )


def trainer_classes(user: Any) -> QuerySet[TrainingClass]:
    """Classes with evaluation data the user may open: their own (trainers) or all (BKPP, executive)."""
    scope = scope_for(user)
    qs = TrainingClass.objects.filter(
        status__in=(TrainingClass.Status.RUNNING, TrainingClass.Status.FINISHED)
    ).select_related("program")
    if scope.city_wide:
        return qs.order_by("-ends_on")
    return qs.filter(trainers__id=scope.user_id).order_by("-ends_on") if scope.user_id else qs.none()
