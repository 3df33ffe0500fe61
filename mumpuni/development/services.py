"""Writes of development plans: creating (empty or drafted from the employee's competency gaps), editing
goals and items while a draft, and the steps draft → proposed → agreed → in progress → completed.

Who may do what (access.py-style helpers below, used by views and tests alike):
- the employee drafts, edits and proposes their own plan and marks their items done;
- reviewers — the employee's supervisors up the chain, heads of a unit above the employee, BKPP — agree,
  return (back to draft, with a comment) and complete; nobody reviews their own plan;
- executives read; everyone else does not see the plan at all (404).
Every write is atomic, locks the plan row, writes a PlanComment for the step and one audit entry.
Notifications go out after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.common.notifications import notify
from mumpuni.competencies.models import Competency
from mumpuni.competencies.selectors import employee_competencies
from mumpuni.development.models import DevelopmentPlan, PlanComment, PlanGoal, PlanItem
from mumpuni.development.recommend import Recommendation, recommendations_of
from mumpuni.learning.models import ANNUAL_JP_TARGET, JpEntry, Program, TrainingClass
from mumpuni.people.models import Employee, Role, RoleAssignment
from mumpuni.people.scopes import scope_for

JP_TARGET = Decimal(ANNUAL_JP_TARGET)  # PP 11/2017 as amended by PP 17/2020: at least 20 JP a year
MAX_JP_PER_ITEM = Decimal("500")
MAX_GENERATED_GOALS = 5
Status = DevelopmentPlan.Status


class TransitionError(ValidationFailed):
    """A step not allowed from the plan's current status (HTTP 409)."""

    status_code = 409


# --- access ------------------------------------------------------------------------------------------


def is_owner(user: Any, plan: DevelopmentPlan) -> bool:
    own = scope_for(user).own_employee_id
    return own is not None and plan.employee_id == own


def can_review(user: Any, employee: Employee) -> bool:
    """Supervisors up the chain, heads of a unit above the employee, BKPP — never for oneself."""
    scope = scope_for(user)
    if scope.own_employee_id == employee.pk:
        return False
    if scope.city_manager:
        return True
    if employee.pk in scope.team_ids:
        return True
    return any(employee.unit.path.startswith(p) for p in scope.manage_unit_paths)


def can_view(user: Any, employee: Employee) -> bool:
    """The employee, reviewers and executives (read-only). Partners and colleagues see nothing."""
    scope = scope_for(user)
    return scope.city_wide or scope.own_employee_id == employee.pk or can_review(user, employee)


def can_edit(user: Any, plan: DevelopmentPlan) -> bool:
    """Goals and items: the employee themself or BKPP, while the plan is a draft."""
    return plan.is_editable and (is_owner(user, plan) or scope_for(user).city_manager)


def can_create_for(user: Any, employee: Employee) -> bool:
    return scope_for(user).own_employee_id == employee.pk or scope_for(user).city_manager


def plan_for_user(user: Any, pk: int) -> DevelopmentPlan:
    """The plan if the user may see it, else NotFoundError (its existence is not revealed)."""
    plan = (
        DevelopmentPlan.objects.select_related("employee__unit", "employee__position", "employee__supervisor")
        .filter(pk=pk)
        .first()
    )
    if plan is None or not can_view(user, plan.employee):
        raise NotFoundError("Rencana pengembangan tidak ditemukan.")
    return plan


# --- helpers -----------------------------------------------------------------------------------------


def planned_jp(plan: DevelopmentPlan) -> Decimal:
    return plan.items.aggregate(total=Sum("planned_jp"))["total"] or Decimal("0")


def _lock(plan: DevelopmentPlan) -> DevelopmentPlan:
    locked = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    # Keep the caller's object in step (views render it afterwards).
    plan.status = locked.status
    return locked


def _refuse_frozen(plan: DevelopmentPlan) -> None:
    if plan.is_frozen:
        raise TransitionError("Rencana yang sudah selesai dikunci dan tidak dapat diubah lagi.")


def _require_editable(actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    locked = _lock(plan)
    locked.employee = plan.employee
    _refuse_frozen(locked)
    if not (is_owner(actor, locked) or scope_for(actor).city_manager):
        raise PermissionDeniedError("Hanya pegawai pemilik rencana atau admin BKPP yang dapat mengubahnya.")
    if not locked.is_editable:
        raise TransitionError(
            "Rencana hanya dapat diubah selama berstatus draf. Minta atasan mengembalikannya bila perlu."
        )
    return locked


def _comment(plan: DevelopmentPlan, actor: Any, step: str, text: str = "") -> PlanComment:
    author_name = ""
    if actor is not None:
        employee = Employee.objects.filter(user=actor).only("name").first()
        author_name = employee.name if employee else getattr(actor, "username", "")
    return PlanComment.objects.create(
        plan=plan, author=actor, author_name=author_name[:150], step=step, status=plan.status, text=text
    )


def _plan_link(plan: DevelopmentPlan) -> str:
    return reverse("development:plan", args=[plan.pk])


def _employee_user(plan: DevelopmentPlan) -> list[Any]:
    user = Employee.objects.filter(pk=plan.employee_id).select_related("user").first()
    return [user.user] if user is not None and user.user is not None else []


def _reviewer_users(employee: Employee) -> list[Any]:
    """Whom to tell that a plan waits: the direct supervisor; without one, the heads of units above."""
    if employee.supervisor_id:
        supervisor = Employee.objects.filter(pk=employee.supervisor_id).select_related("user").first()
        if supervisor is not None and supervisor.user is not None:
            return [supervisor.user]
    roots = [int(p) for p in employee.unit.path.strip("/").split("/") if p]
    return [
        a.user
        for a in RoleAssignment.objects.filter(role=Role.UNIT_HEAD, unit_id__in=roots).select_related("user")
    ]


# Public name for other apps (the nudges rule PlanAwaitingSupervisor): who is asked to agree a proposed plan.
reviewer_users = _reviewer_users


def _on_commit_notify(users: list[Any], title: str, body: str, link: str) -> None:
    transaction.on_commit(lambda: notify(users, title, body, link, kind="development_plan"))


def _clean_text(value: str, field: str, label: str, limit: int, errors: dict[str, list[str]]) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        errors[field] = [f"{label} paling banyak {limit} karakter."]
    return text


def _jp(value: Any, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        jp = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors["planned_jp"] = ["JP harus berupa angka, misalnya 2 atau 1,5."]
        return None
    if not jp.is_finite() or jp < Decimal("0.5") or jp > MAX_JP_PER_ITEM or jp * 2 != int(jp * 2):
        errors["planned_jp"] = [f"JP harus kelipatan 0,5 antara 0,5 dan {MAX_JP_PER_ITEM}."]
        return None
    return jp


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


# --- creating ----------------------------------------------------------------------------------------


def _check_create(actor: Any, employee: Employee, year: int) -> None:
    if not can_create_for(actor, employee):
        raise PermissionDeniedError("Rencana pengembangan disusun oleh pegawai sendiri atau admin BKPP.")
    if not 2000 <= year <= 2100:
        raise ValidationFailed("Tahun rencana tidak valid.", fields={"year": ["Tahun rencana tidak valid."]})
    if DevelopmentPlan.objects.filter(employee=employee, year=year).exists():
        raise ValidationFailed(f"Rencana pengembangan tahun {year} sudah ada.")


@transaction.atomic
def plan_create(*, actor: Any, employee: Employee, year: int) -> DevelopmentPlan:
    """An empty draft for the employee and year."""
    _check_create(actor, employee, year)
    # Serialise concurrent creates for one employee; the unique constraint is the last guard.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    if DevelopmentPlan.objects.filter(employee=employee, year=year).exists():
        raise ValidationFailed(f"Rencana pengembangan tahun {year} sudah ada.")
    plan = DevelopmentPlan(
        employee=employee, year=year, created_by=actor if getattr(actor, "pk", None) else None
    )
    plan.full_clean()
    plan.save()
    _comment(plan, actor, PlanComment.Step.CREATED)
    audit_entry(actor=actor, action="create", instance=plan, changes={"year": [None, year]})
    return plan


@dataclass(frozen=True)
class Suggestion:
    """A goal drafted from a gap and the recommended programmes (or activities) chosen for it."""

    competency: Competency
    current: int
    required: int
    programmes: tuple[Program, ...]
    recommendations: tuple[Recommendation, ...] = ()

    @property
    def gap(self) -> int:
        return self.required - self.current


@dataclass(frozen=True)
class DraftProposal:
    """What a plan drafted from recommendations holds: goals for the largest gaps with their picks, picks
    that answer a service problem of the unit (a service goal each), and the planned JP."""

    suggestions: list[Suggestion]
    service_picks: list[Recommendation]
    total: Decimal
    picks: list[Recommendation]


def propose_draft(employee: Employee, *, target: Decimal = JP_TARGET) -> DraftProposal:
    """The recommender's list, best first, walked until the planned JP reach the target. Only picks that
    close a competency gap or answer a service problem go into a plan (a programme chosen for its JP alone
    serves no goal). Each pick joins the goal of the gap it closes most; goals are the gaps, largest first.
    Education (tugas/izin belajar) is a separate path, never a recommendation."""
    rows = [r for r in employee_competencies(employee) if r.gap > 0 and r.current is not None]
    rows.sort(key=lambda r: (-r.gap, r.competency.code))
    rows = rows[:MAX_GENERATED_GOALS]
    ranked = recommendations_of(employee, limit=None)
    picks: list[Recommendation] = []
    total = Decimal("0")
    for rec in ranked:
        if total >= target:
            break
        if rec.parts[0].value == 0 and rec.parts[1].value == 0:
            continue
        picks.append(rec)
        total += Decimal(str(rec.jp))
    programmes = {
        p.pk: p for p in Program.objects.filter(pk__in=[r.program.pk for r in picks if r.program is not None])
    }
    goal_ids = {r.competency.pk for r in rows}
    chosen: dict[int, list[Recommendation]] = {r.competency.pk: [] for r in rows}
    service_picks: list[Recommendation] = []
    for rec in picks:
        closing = {k: v for k, v in rec.closes.items() if k in goal_ids}
        if closing:
            chosen[max(closing, key=lambda k: (closing[k], -k))].append(rec)
        else:
            service_picks.append(rec)
    suggestions = [
        Suggestion(
            competency=r.competency,
            current=r.current or 0,
            required=r.required or 0,
            programmes=tuple(programmes[x.program.pk] for x in chosen[r.competency.pk] if x.program),
            recommendations=tuple(chosen[r.competency.pk]),
        )
        for r in rows
    ]
    return DraftProposal(suggestions=suggestions, service_picks=service_picks, total=total, picks=picks)


def suggest_from_gaps(employee: Employee, *, target: Decimal = JP_TARGET) -> tuple[list[Suggestion], Decimal]:
    """The gap goals of `propose_draft` and the JP of all its picks."""
    proposal = propose_draft(employee, target=target)
    return proposal.suggestions, proposal.total


def _next_class_end(program: Program, year: int, today: dt.date) -> dt.date | None:
    training_class = (
        TrainingClass.objects.filter(
            program=program,
            status__in=[TrainingClass.Status.PLANNED, TrainingClass.Status.OPEN],
            starts_on__gte=today,
            starts_on__year=year,
        )
        .order_by("starts_on")
        .first()
    )
    return training_class.ends_on if training_class else None


def _item_for(
    plan: DevelopmentPlan, goal: PlanGoal | None, rec: Recommendation, year: int, today: dt.date
) -> PlanItem:
    program = Program.objects.get(pk=rec.program.pk) if rec.program is not None else None
    item = PlanItem(
        plan=plan,
        goal=goal,
        program=program,
        activity="" if program else rec.activity[:200],
        planned_jp=Decimal(str(rec.jp)),
        target_date=_next_class_end(program, year, today) if program else None,
        reason=rec.reason[:600],
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def draft_from_gaps(*, actor: Any, employee: Employee, year: int) -> DevelopmentPlan:
    """A draft from the recommendations: goals are the employee's competency gaps (largest first) and the
    service problems a pick answers; items are the top recommendations that reach 20 JP where the catalogue
    allows, each with the reason the recommender gave (stored on the item)."""
    plan = plan_create(actor=actor, employee=employee, year=year)
    proposal = propose_draft(employee)
    today = timezone.localdate()
    position = 0
    for position, s in enumerate(proposal.suggestions):
        goal = PlanGoal.objects.create(
            plan=plan,
            competency=s.competency,
            current_level=s.current,
            target_level=s.required,
            source=PlanGoal.Source.GAP,
            reason=f"Kesenjangan {s.gap} level: saat ini {s.current}, dibutuhkan jabatan {s.required}.",
            description=f"Mencapai level {s.required} pada {s.competency.name}",
            position=position,
        )
        for rec in s.recommendations:
            _item_for(plan, goal, rec, year, today)
    for rec in proposal.service_picks:
        position += 1
        service = rec.parts[1]
        goal = PlanGoal.objects.create(
            plan=plan,
            source=PlanGoal.Source.SERVICE if service.value > 0 else PlanGoal.Source.OTHER,
            reason=service.explanation[:300] if service.value > 0 else "",
            description=f"Memperbaiki pelayanan melalui {rec.title}"[:300],
            position=position,
        )
        _item_for(plan, goal, rec, year, today)
    plan.generated = True
    plan.save(update_fields=["generated", "updated_at"])
    audit_entry(
        actor=actor,
        action="generate",
        instance=plan,
        changes={
            "goals": [0, len(proposal.suggestions) + len(proposal.service_picks)],
            "planned_jp": ["0", str(proposal.total)],
            "recommended": [None, [r.code or r.activity for r in proposal.picks]],
        },
    )
    return plan


# --- editing goals and items (draft only) ------------------------------------------------------------


@transaction.atomic
def goal_add(
    *,
    actor: Any,
    plan: DevelopmentPlan,
    description: str,
    source: str = PlanGoal.Source.OTHER,
    reason: str = "",
    competency: Competency | None = None,
    target_level: int | None = None,
) -> PlanGoal:
    locked = _require_editable(actor, plan)
    errors: dict[str, list[str]] = {}
    description = _clean_text(description, "description", "Sasaran", 300, errors)
    if not description and "description" not in errors:
        errors["description"] = ["Tuliskan sasaran yang ingin dicapai."]
    reason = _clean_text(reason, "reason", "Alasan", 300, errors)
    if source not in PlanGoal.Source.values:
        errors["source"] = ["Pilih dasar sasaran dari daftar."]
    if source == PlanGoal.Source.SERVICE and not reason:
        errors["reason"] = ["Jelaskan masalah pelayanan unit yang ingin diperbaiki."]
    current = None
    if target_level is not None:
        if competency is None:
            errors["target_level"] = ["Level sasaran hanya untuk sasaran yang terkait kompetensi."]
        elif not 1 <= target_level <= 5:
            errors["target_level"] = ["Level sasaran 1 sampai 5."]
    if competency is not None:
        row = next(
            (r for r in employee_competencies(plan.employee) if r.competency.pk == competency.pk), None
        )
        current = row.current if row else None
        if target_level is not None and current is not None and target_level <= current and not errors:
            errors["target_level"] = [f"Level saat ini sudah {current}; sasaran harus lebih tinggi."]
    _fail(errors)
    position = (locked.goals.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    goal = PlanGoal(
        plan=locked,
        competency=competency,
        current_level=current,
        target_level=target_level,
        source=source,
        reason=reason,
        description=description,
        position=position,
    )
    goal.full_clean()
    goal.save()
    audit_entry(actor=actor, action="goal_add", instance=locked, changes={"goal": [None, description]})
    return goal


@transaction.atomic
def goal_remove(*, actor: Any, goal: PlanGoal) -> None:
    locked = _require_editable(actor, goal.plan)
    text = goal.description
    goal.delete()  # its items stay in the plan, without a goal
    audit_entry(actor=actor, action="goal_remove", instance=locked, changes={"goal": [text, None]})


@transaction.atomic
def item_add(
    *,
    actor: Any,
    plan: DevelopmentPlan,
    program: Program | None = None,
    activity: str = "",
    planned_jp: Any = None,
    target_date: dt.date | None = None,
    goal: PlanGoal | None = None,
) -> PlanItem:
    """A programme of the catalogue (JP default from it) or a free-text activity (JP required)."""
    locked = _require_editable(actor, plan)
    errors: dict[str, list[str]] = {}
    activity = _clean_text(activity, "activity", "Nama kegiatan", 200, errors)
    if program is None and not activity and "activity" not in errors:
        errors["activity"] = ["Pilih program dari katalog atau tuliskan kegiatan nonklasikal."]
    if program is not None and not program.active:
        errors["program"] = ["Program ini tidak aktif lagi."]
    if program is not None and program.category == Program.Category.EDUCATION:
        errors["program"] = [
            "Tugas belajar dan izin belajar diajukan lewat jalur pendidikan, bukan rencana ini."
        ]
    if planned_jp in (None, "") and program is not None:
        planned_jp = program.jp
    jp = _jp(planned_jp, errors) if planned_jp not in (None, "") else None
    if jp is None and "planned_jp" not in errors:
        errors["planned_jp"] = ["Isi JP yang direncanakan."]
    if target_date is not None and target_date.year != locked.year:
        errors["target_date"] = [f"Target tanggal harus di tahun {locked.year}."]
    if goal is not None and goal.plan_id != locked.pk:
        errors["goal"] = ["Sasaran tidak ditemukan di rencana ini."]
    _fail(errors)
    assert jp is not None  # _fail raised otherwise
    item = PlanItem(
        plan=locked,
        goal=goal,
        program=program,
        activity=activity if program is None else "",
        planned_jp=jp,
        target_date=target_date,
    )
    item.full_clean()
    item.save()
    audit_entry(
        actor=actor,
        action="item_add",
        instance=locked,
        changes={"item": [None, item.title], "planned_jp": [None, str(jp)]},
    )
    return item


@transaction.atomic
def item_remove(*, actor: Any, item: PlanItem) -> None:
    locked = _require_editable(actor, item.plan)
    title = item.title
    item.delete()
    audit_entry(actor=actor, action="item_remove", instance=locked, changes={"item": [title, None]})


# --- steps -------------------------------------------------------------------------------------------


@transaction.atomic
def plan_propose(*, actor: Any, plan: DevelopmentPlan, comment: str = "") -> DevelopmentPlan:
    """The employee sends the draft to their supervisor."""
    locked = _lock(plan)
    locked.employee = plan.employee
    _refuse_frozen(locked)
    if not is_owner(actor, locked):
        raise PermissionDeniedError("Hanya pegawai pemilik rencana yang dapat mengajukannya.")
    if locked.status != Status.DRAFT:
        raise TransitionError(
            f"Rencana berstatus {locked.get_status_display().lower()}; hanya draf yang diajukan."
        )
    if not locked.items.exists():
        raise ValidationFailed("Tambahkan paling sedikit satu program atau kegiatan sebelum mengajukan.")
    locked.status = Status.PROPOSED
    locked.proposed_at = timezone.now()
    locked.save(update_fields=["status", "proposed_at", "updated_at"])
    _comment(locked, actor, PlanComment.Step.PROPOSED, comment.strip())
    audit_entry(actor=actor, action="propose", instance=locked, changes={"status": ["draft", "proposed"]})
    _on_commit_notify(
        _reviewer_users(locked.employee),
        f"Rencana pengembangan {locked.employee.name} menunggu persetujuan",
        f"{locked.employee.name} mengajukan rencana pengembangan tahun {locked.year}.",
        _plan_link(locked),
    )
    plan.status = locked.status
    return locked


def _require_reviewer(actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    locked = _lock(plan)
    locked.employee = plan.employee
    _refuse_frozen(locked)
    if is_owner(actor, locked):
        raise PermissionDeniedError("Anda tidak dapat menyetujui atau menilai rencana Anda sendiri.")
    if not can_review(actor, locked.employee):
        raise PermissionDeniedError(
            "Hanya atasan pegawai, kepala unitnya atau admin BKPP yang dapat melakukannya."
        )
    return locked


@transaction.atomic
def plan_agree(*, actor: Any, plan: DevelopmentPlan, comment: str = "") -> DevelopmentPlan:
    """The supervisor agrees a proposed plan; it needs at least 20 planned JP."""
    locked = _require_reviewer(actor, plan)
    if locked.status != Status.PROPOSED:
        raise TransitionError(
            f"Rencana berstatus {locked.get_status_display().lower()}; hanya rencana yang diajukan dapat disetujui."
        )
    total = planned_jp(locked)
    if total < JP_TARGET:
        raise ValidationFailed(
            f"Rencana baru {total.normalize():f} JP. Rencana hanya dapat disetujui bila paling sedikit "
            f"{JP_TARGET:f} JP per tahun (PP 17/2020); kembalikan dengan catatan agar pegawai melengkapinya."
        )
    locked.status = Status.AGREED
    locked.agreed_by = actor
    locked.agreed_at = timezone.now()
    locked.save(update_fields=["status", "agreed_by", "agreed_at", "updated_at"])
    _comment(locked, actor, PlanComment.Step.AGREED, comment.strip())
    audit_entry(actor=actor, action="agree", instance=locked, changes={"status": ["proposed", "agreed"]})
    _on_commit_notify(
        _employee_user(locked),
        f"Rencana pengembangan {locked.year} disetujui",
        comment.strip() or "Rencana pengembangan Anda disetujui atasan.",
        _plan_link(locked),
    )
    plan.status = locked.status
    return locked


@transaction.atomic
def plan_return(*, actor: Any, plan: DevelopmentPlan, comment: str) -> DevelopmentPlan:
    """The supervisor sends a proposed plan back to draft, saying what to change."""
    locked = _require_reviewer(actor, plan)
    if locked.status != Status.PROPOSED:
        raise TransitionError("Hanya rencana yang sedang diajukan dapat dikembalikan.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(
            "Tuliskan catatan apa yang perlu diperbaiki.", fields={"comment": ["Catatan wajib diisi."]}
        )
    locked.status = Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    _comment(locked, actor, PlanComment.Step.RETURNED, comment)
    audit_entry(actor=actor, action="return", instance=locked, changes={"status": ["proposed", "draft"]})
    _on_commit_notify(
        _employee_user(locked),
        f"Rencana pengembangan {locked.year} dikembalikan",
        comment,
        _plan_link(locked),
    )
    plan.status = locked.status
    return locked


def _start(locked: DevelopmentPlan, actor: Any, comment: str = "") -> None:
    locked.status = Status.IN_PROGRESS
    locked.started_at = timezone.now()
    locked.save(update_fields=["status", "started_at", "updated_at"])
    _comment(locked, actor, PlanComment.Step.STARTED, comment)
    audit_entry(actor=actor, action="start", instance=locked, changes={"status": ["agreed", "in_progress"]})


@transaction.atomic
def plan_start(*, actor: Any, plan: DevelopmentPlan, comment: str = "") -> DevelopmentPlan:
    """The employee (or a reviewer) marks an agreed plan as under way; the first done item does it too."""
    locked = _lock(plan)
    locked.employee = plan.employee
    _refuse_frozen(locked)
    if not (is_owner(actor, locked) or can_review(actor, locked.employee)):
        raise PermissionDeniedError("Anda tidak dapat mengubah rencana ini.")
    if locked.status != Status.AGREED:
        raise TransitionError("Hanya rencana yang sudah disetujui dapat dimulai.")
    _start(locked, actor, comment.strip())
    plan.status = locked.status
    return locked


def ledger_candidates(item: PlanItem) -> list[JpEntry]:
    """Ledger lines of the plan's year not yet linked to an item: the proof an item was done."""
    return list(
        JpEntry.objects.filter(employee_id=item.plan.employee_id, year=item.plan.year, plan_item__isnull=True)
        .select_related("program")
        .order_by("-occurred_on", "-id")
    )


@transaction.atomic
def item_mark_done(*, actor: Any, item: PlanItem, jp_entry: JpEntry | None = None) -> PlanItem:
    """The employee (or a reviewer) records an item as done, linking the ledger line that proves it — the
    given one, or for a programme the year's line of that programme. Starts an agreed plan."""
    plan = item.plan
    locked = _lock(plan)
    locked.employee = plan.employee
    _refuse_frozen(locked)
    if not (is_owner(actor, locked) or can_review(actor, locked.employee)):
        raise PermissionDeniedError("Anda tidak dapat mengubah rencana ini.")
    if locked.status not in (Status.AGREED, Status.IN_PROGRESS):
        raise TransitionError("Kegiatan ditandai terlaksana setelah rencana disetujui.")
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    if item.status == PlanItem.Status.DONE:
        raise TransitionError("Kegiatan ini sudah ditandai terlaksana.")
    if jp_entry is not None:
        if jp_entry.employee_id != locked.employee_id or jp_entry.year != locked.year:
            raise ValidationFailed("Catatan JP itu bukan milik pegawai ini pada tahun rencana.")
        if PlanItem.objects.filter(jp_entry=jp_entry).exists():
            raise ValidationFailed("Catatan JP itu sudah dipakai untuk kegiatan lain.")
    elif item.program_id:
        jp_entry = (
            JpEntry.objects.filter(
                employee_id=locked.employee_id,
                year=locked.year,
                program_id=item.program_id,
                plan_item__isnull=True,
            )
            .order_by("occurred_on", "id")
            .first()
        )
    item.status = PlanItem.Status.DONE
    item.done_at = timezone.now()
    item.jp_entry = jp_entry
    item.save(update_fields=["status", "done_at", "jp_entry"])
    if locked.status == Status.AGREED:
        _start(locked, actor)
    audit_entry(
        actor=actor,
        action="item_done",
        instance=locked,
        changes={"item": [item.title, "done"], "jp_entry": [None, jp_entry.pk if jp_entry else None]},
    )
    plan.status = locked.status
    return item


@transaction.atomic
def plan_complete(*, actor: Any, plan: DevelopmentPlan, comment: str = "") -> DevelopmentPlan:
    """The supervisor closes the year's plan; from then on it is frozen."""
    locked = _require_reviewer(actor, plan)
    if locked.status not in (Status.AGREED, Status.IN_PROGRESS):
        raise TransitionError("Hanya rencana yang disetujui atau berjalan dapat diselesaikan.")
    before = locked.status
    locked.status = Status.COMPLETED
    locked.completed_by = actor
    locked.completed_at = timezone.now()
    locked.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    _comment(locked, actor, PlanComment.Step.COMPLETED, comment.strip())
    audit_entry(actor=actor, action="complete", instance=locked, changes={"status": [before, "completed"]})
    _on_commit_notify(
        _employee_user(locked),
        f"Rencana pengembangan {locked.year} selesai",
        comment.strip() or "Selamat, rencana pengembangan Anda tahun ini dinyatakan selesai.",
        _plan_link(locked),
    )
    plan.status = locked.status
    return locked


@transaction.atomic
def plan_comment(*, actor: Any, plan: DevelopmentPlan, text: str) -> PlanComment:
    """A comment without a step, by the employee or a reviewer; none on a frozen plan."""
    locked = _lock(plan)
    locked.employee = plan.employee
    _refuse_frozen(locked)
    if not (is_owner(actor, locked) or can_review(actor, locked.employee)):
        raise PermissionDeniedError("Anda hanya dapat membaca rencana ini.")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("Komentar kosong.", fields={"text": ["Tuliskan komentar."]})
    if len(text) > 2000:
        raise ValidationFailed("Komentar terlalu panjang.", fields={"text": ["Paling banyak 2000 karakter."]})
    comment = _comment(locked, actor, PlanComment.Step.COMMENT, text)
    audit_entry(actor=actor, action="comment", instance=locked, note=text[:200])
    return comment
