"""Demo data of `evaluation` (called by seed_demo after the earlier apps): for the finished demo classes,
L1 forms (most answered; recent ones partly still pending; old unanswered ones expired) and, for
completions older than the policy's delay, L3 requests to the supervisor with answers for most of the
closed ones and some of the open ones.

Deterministic from `seed` (and the day, as the learning seed). Bulk inserts, no audit rows and no
notifications (as the other seeds); seeded L3 answers do not write supervisor assessments. Answers are
generated with a class effect (some classes are better than others), an item effect (facilities score
lowest) and, for L3, a link to the participant's normalised gain, so the results page shows a spread.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.competencies.models import CurrentLevel
from mumpuni.evaluation.models import (
    REACTION_FIELDS,
    REACTION_VERSION,
    BehaviourRating,
    BehaviourRequest,
    EvaluationPolicy,
    ReactionResponse,
    Status,
)
from mumpuni.evaluation.stats import normalised_gain
from mumpuni.learning.models import Enrollment, ProgramCompetency, TrainingClass
from mumpuni.people.models import Employee, Role, RoleAssignment, Unit, User

BATCH = 2000
SEATED = ("enrolled", "completed", "not_completed")
ITEM_EFFECT = {
    "relevance": 0.15,
    "trainer": 0.25,
    "method": -0.05,
    "materials": -0.1,
    "facilities": -0.35,
    "usefulness": 0.1,
    "overall": 0.05,
}
COMMENTS = (
    "Materi sangat membantu pekerjaan di loket.",
    "Waktu praktik sebaiknya ditambah.",
    "Pengajar komunikatif dan memberi banyak contoh kasus.",
    "Ruangan kurang nyaman, AC terlalu dingin.",
    "Modul sebaiknya dibagikan sebelum kelas dimulai.",
    "Koneksi internet di lokasi sering terputus.",
    "Studi kasus sesuai dengan pengaduan yang sering kami terima.",
    "Perlu pelatihan lanjutan untuk tingkat mahir.",
    "Jadwal terlalu padat untuk materi sebanyak ini.",
    "Sangat bermanfaat, terima kasih BKPP.",
)
BEHAVIOUR_NOTES = (
    "Lebih runtut menjelaskan persyaratan kepada warga.",
    "Mulai menerapkan, masih perlu pendampingan.",
    "Belum terlihat perubahan berarti.",
    "Menjadi rujukan rekan satu seksi.",
    "Menyusun SOP baru dari materi pelatihan.",
)


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _when(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(minutes=rng.randint(0, 9 * 60))
    return timezone.make_aware(moment)


def _reviewers(employee_ids: set[int]) -> dict[int, int | None]:
    """Employee → reviewer account: the supervisor's account, else the nearest unit head above (as
    services.behaviour_reviewer, in bulk)."""
    employees = dict(Employee.objects.filter(pk__in=employee_ids).values_list("pk", "supervisor_id"))
    units = dict(Employee.objects.filter(pk__in=employee_ids).values_list("pk", "unit_id"))
    supervisor_users = dict(
        Employee.objects.filter(
            pk__in={s for s in employees.values() if s}, user__is_active=True
        ).values_list("pk", "user_id")
    )
    paths = dict(Unit.objects.values_list("pk", "path"))
    heads: dict[int, int] = {}
    for unit_id, user_id in (
        RoleAssignment.objects.filter(role=Role.UNIT_HEAD, user__is_active=True)
        .order_by("user_id")
        .values_list("unit_id", "user_id")
    ):
        heads.setdefault(unit_id, user_id)
    own_users = dict(Employee.objects.filter(pk__in=employee_ids).values_list("pk", "user_id"))
    result: dict[int, int | None] = {}
    for employee_id, supervisor_id in employees.items():
        user = supervisor_users.get(supervisor_id) if supervisor_id else None
        if user is None:
            ancestors = [int(p) for p in paths.get(units[employee_id], "").strip("/").split("/") if p]
            for unit_id in reversed(ancestors):
                head = heads.get(unit_id)
                if head is not None and head != own_users.get(employee_id):
                    user = head
                    break
        result[employee_id] = user
    return result


def _seed_reactions(rng: random.Random, today: dt.date, window: int) -> tuple[int, int, int]:
    rows = list(
        Enrollment.objects.filter(
            status__in=SEATED, training_class__status=TrainingClass.Status.FINISHED, reaction__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "training_class_id", "training_class__ends_on")
    )
    class_effect: dict[int, float] = {}
    for class_id in sorted({r[1] for r in rows}):
        class_effect[class_id] = rng.gauss(0, 0.45)
    forms: list[ReactionResponse] = []
    counts = {Status.SUBMITTED: 0, Status.PENDING: 0, Status.EXPIRED: 0}
    for enrollment_id, class_id, ends_on in rows:
        expires_on = ends_on + dt.timedelta(days=window)
        closed = expires_on < today
        answered = rng.random() < (0.85 if closed else 0.55)
        form = ReactionResponse(
            enrollment_id=enrollment_id, version=REACTION_VERSION, opened_on=ends_on, expires_on=expires_on
        )
        if answered:
            person = rng.gauss(0, 0.4)
            for field in REACTION_FIELDS:
                value = 3.9 + class_effect[class_id] + ITEM_EFFECT[field] + person + rng.gauss(0, 0.5)
                setattr(form, field, _clamp(value))
            form.status = Status.SUBMITTED
            days = rng.randint(0, min(10, max(0, (today - ends_on).days)))
            form.submitted_at = _when(ends_on + dt.timedelta(days=days), rng)
            if rng.random() < 0.25:
                form.comment = rng.choice(COMMENTS)
        else:
            form.status = Status.EXPIRED if closed else Status.PENDING
        counts[Status(form.status)] += 1
        forms.append(form)
    ReactionResponse.objects.bulk_create(forms, batch_size=BATCH)
    return counts[Status.SUBMITTED], counts[Status.PENDING], counts[Status.EXPIRED]


def _seed_behaviour(rng: random.Random, today: dt.date, policy: EvaluationPolicy) -> tuple[int, int, int]:
    latest = today - dt.timedelta(days=policy.l3_delay_days)
    rows = list(
        Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED, completed_on__lte=latest, behaviour_request__isnull=True
        )
        .order_by("pk")
        .values_list(
            "pk",
            "employee_id",
            "completed_on",
            "training_class__program_id",
            "pre_test_score",
            "post_test_score",
        )
    )
    if not rows:
        return 0, 0, 0
    reviewers = _reviewers({r[1] for r in rows})
    targets: dict[int, list[tuple[int, int]]] = {}
    for program_id, competency_id, uplift in ProgramCompetency.objects.order_by("id").values_list(
        "program_id", "competency_id", "uplift"
    ):
        targets.setdefault(program_id, []).append((competency_id, uplift))
    levels = {
        (e, c): level
        for e, c, level in CurrentLevel.objects.filter(employee_id__in={r[1] for r in rows}).values_list(
            "employee_id", "competency_id", "level"
        )
    }
    requests: list[BehaviourRequest] = []
    plans: list[tuple[int, int, bool, float]] = []  # employee, program, answered, gain
    for enrollment_id, employee_id, completed_on, program_id, pre, post in rows:
        if completed_on is None:  # the filter excludes it; keeps the types honest
            continue
        requested_on = completed_on + dt.timedelta(days=policy.l3_delay_days)
        expires_on = requested_on + dt.timedelta(days=policy.l3_window_days)
        closed = expires_on < today
        answered = rng.random() < (0.7 if closed else 0.35)
        request = BehaviourRequest(
            enrollment_id=enrollment_id,
            employee_id=employee_id,
            reviewer_id=reviewers.get(employee_id),
            requested_on=requested_on,
            expires_on=expires_on,
        )
        if answered:
            last = min(today, expires_on)
            day = requested_on + dt.timedelta(days=rng.randint(0, max(0, (last - requested_on).days)))
            request.status = Status.SUBMITTED
            request.submitted_at = _when(day, rng)
            request.submitted_by_id = request.reviewer_id
        else:
            request.status = Status.EXPIRED if closed else Status.PENDING
        gain = normalised_gain(float(pre), float(post)) if pre is not None and post is not None else None
        requests.append(request)
        plans.append((employee_id, program_id, answered, gain if gain is not None else 0.3))
    BehaviourRequest.objects.bulk_create(requests, batch_size=BATCH)
    ratings: list[BehaviourRating] = []
    for request, (employee_id, program_id, answered, gain) in zip(requests, plans, strict=True):
        for competency_id, uplift in targets.get(program_id) or [(None, 0)]:  # type: ignore[list-item]
            before = levels.get((employee_id, competency_id)) if competency_id else None
            rating = BehaviourRating(
                request=request, competency_id=competency_id, uplift=uplift, level_before=before
            )
            if answered:
                rating.change = _clamp(2.4 + 1.8 * max(-0.5, gain) + rng.gauss(0, 0.7))
                step = 1 if rating.change >= 3 else 0
                rating.observed_level = _clamp((before or rng.randint(1, 3)) + step + (rating.change == 5))
                if rng.random() < 0.2:
                    rating.comment = rng.choice(BEHAVIOUR_NOTES)
            ratings.append(rating)
    BehaviourRating.objects.bulk_create(ratings, batch_size=BATCH)
    submitted = sum(1 for r in requests if r.status == Status.SUBMITTED)
    pending = sum(1 for r in requests if r.status == Status.PENDING)
    return len(requests), submitted, pending


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    started = time.perf_counter()
    rng = random.Random(f"evaluation-{seed}")
    today = timezone.localdate()
    policy = EvaluationPolicy.current()
    with transaction.atomic():
        l1 = _seed_reactions(rng, today, policy.l1_window_days)
        l3 = _seed_behaviour(rng, today, policy)
    # Demo accounts: so "Evaluasi menunggu" and the L3 work list have something to show.
    demo = _demo_pending(today, policy)
    message = (
        f"evaluation: {sum(l1):,} L1 forms ({l1[0]:,} answered, {l1[1]:,} pending, {l1[2]:,} expired), "
        f"{l3[0]:,} L3 requests ({l3[1]:,} answered, {l3[2]:,} pending){demo} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if log:
        log(message)
    return message


def _demo_pending(today: dt.date, policy: EvaluationPolicy) -> str:
    """Keep the latest L1 form of the demo employee and one L3 request of the demo supervisor open."""
    notes = []
    pegawai = Employee.objects.filter(user__username="pegawai").first()
    if pegawai is not None:
        form = (
            ReactionResponse.objects.filter(enrollment__employee=pegawai)
            .order_by("-enrollment__training_class__ends_on")
            .first()
        )
        if form is not None:
            for field in REACTION_FIELDS:
                setattr(form, field, None)
            form.status, form.submitted_at, form.comment = Status.PENDING, None, ""
            form.opened_on = today - dt.timedelta(days=4)
            form.expires_on = today + dt.timedelta(days=policy.l1_window_days - 4)
            form.save()
            notes.append("pegawai 1 L1 pending")
    atasan = User.objects.filter(username="atasan").first()
    if atasan is not None:
        request = BehaviourRequest.objects.filter(reviewer=atasan).order_by("-requested_on", "pk").first()
        if request is not None and request.status != Status.PENDING:
            request.ratings.update(change=None, observed_level=None, comment="")
            request.status, request.submitted_at, request.submitted_by = Status.PENDING, None, None
            request.requested_on = today - dt.timedelta(days=16)
            request.expires_on = request.requested_on + dt.timedelta(days=policy.l3_window_days)
            request.save()
        if request is not None:
            notes.append("atasan 1+ L3 pending")
    return f" ({', '.join(notes)})" if notes else ""
