"""Demo data of `development`: this year's plans for the staff of Kecamatan Tembalang (called by seed_demo
after the earlier apps).

Every plan is drafted by the real service (`draft_from_gaps`, i.e. from the recommendations, by the BKPP
admin account); then a deterministic share is moved on as the employee and the supervisor would: about a
quarter proposed and waiting, about 40 % agreed or in progress, the rest still drafts. The demo `pegawai`
gets no plan, so the "my development" page shows how to draft one.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from mumpuni.development.models import DevelopmentPlan, PlanComment
from mumpuni.development.services import JP_TARGET, draft_from_gaps, planned_jp
from mumpuni.people.models import Employee, Role, Unit, User

DEMO_UNIT = "33.74.10"  # Kecamatan Tembalang and its kelurahan


def seed_demo(*, seed: int, log: Callable[[str], None] | None = None) -> str:
    started = time.perf_counter()
    admin = User.objects.filter(role_assignments__role=Role.ADMIN).order_by("pk").first()
    unit = Unit.objects.filter(code=DEMO_UNIT).first()
    if admin is None or unit is None:
        return "development: no admin account or demo unit; nothing seeded"
    year = timezone.localdate().year
    employees = list(
        Employee.objects.filter(unit__path__startswith=unit.path, active=True)
        .exclude(user__username="pegawai")
        .select_related("supervisor__user")
        .order_by("nip")
    )
    rng = random.Random(seed + 7)
    counts: dict[str, int] = {}
    for employee in employees:
        with transaction.atomic():
            plan = draft_from_gaps(actor=admin, employee=employee, year=year)
            if planned_jp(plan) < JP_TARGET:  # the service refuses to propose a plan under 20 JP
                counts["draft"] = counts.get("draft", 0) + 1
                continue
            status = rng.choices(
                ["draft", "proposed", "agreed", "in_progress"], weights=[35, 25, 25, 15], k=1
            )[0]
            _move(plan, employee, status)
            counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    return (
        f"development: {len(employees)} plans {year} for Kecamatan Tembalang ({summary}) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _move(plan: DevelopmentPlan, employee: Employee, status: str) -> None:
    """Record the steps the employee and the supervisor would have taken (demo history only)."""
    if status == "draft":
        return
    owner = getattr(employee, "user", None)
    reviewer = employee.supervisor.user if employee.supervisor and employee.supervisor.user_id else None
    steps = [(PlanComment.Step.PROPOSED, "proposed", owner, employee.name, "")]
    if status in ("agreed", "in_progress"):
        reviewer_name = employee.supervisor.name if employee.supervisor else "Atasan"
        steps.append(
            (PlanComment.Step.AGREED, "agreed", reviewer, reviewer_name, "Setuju, sesuai kebutuhan unit.")
        )
    if status == "in_progress":
        steps.append((PlanComment.Step.STARTED, "in_progress", owner, employee.name, ""))
    for step, after, author, name, text in steps:
        PlanComment.objects.create(
            plan=plan, author=author, author_name=name, step=step, status=after, text=text
        )
    now = timezone.now()
    plan.status = status
    plan.proposed_at = now
    fields = ["status", "proposed_at", "updated_at"]
    if status in ("agreed", "in_progress"):
        plan.agreed_by, plan.agreed_at = reviewer, now
        fields += ["agreed_by", "agreed_at"]
    if status == "in_progress":
        plan.started_at = now
        fields.append("started_at")
    plan.save(update_fields=fields)
