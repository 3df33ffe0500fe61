"""Writes to the training catalogue: programmes (with competency uplifts and prerequisites) and classes
(angkatan) with their sessions, trainers and status.

Only BKPP (scope.city_manager) changes the catalogue; actor=None means the system (seeding, commands).
Every write is atomic and audited; refusals are ValidationFailed (422, Indonesian field messages) or
PermissionDeniedError (403).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry, diff, snapshot
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Enrollment, Program, ProgramCompetency, Session, TrainingClass
from mumpuni.people.models import Position, Role, User
from mumpuni.people.scopes import scope_for

PROGRAM_FIELDS = (
    "code",
    "name",
    "category",
    "form",
    "description",
    "jp",
    "cost_per_participant",
    "provider",
    "provider_name",
    "target_position_kinds",
    "front_line_only",
    "cpns_only",
    "min_attendance_percent",
    "min_post_test",
    "certificate_valid_years",
    "active",
)
CLASS_FIELDS = (
    "program",
    "code",
    "name",
    "starts_on",
    "ends_on",
    "venue",
    "online_url",
    "capacity",
    "status",
    "organiser_unit",
    "min_attendance_percent",
    "min_post_test",
)

# Which status a class may move to from each status. Finished and cancelled are final.
CLASS_TRANSITIONS: dict[str, frozenset[str]] = {
    TrainingClass.Status.PLANNED: frozenset({TrainingClass.Status.OPEN, TrainingClass.Status.CANCELLED}),
    TrainingClass.Status.OPEN: frozenset(
        {TrainingClass.Status.PLANNED, TrainingClass.Status.RUNNING, TrainingClass.Status.CANCELLED}
    ),
    TrainingClass.Status.RUNNING: frozenset({TrainingClass.Status.FINISHED, TrainingClass.Status.CANCELLED}),
    TrainingClass.Status.FINISHED: frozenset(),
    TrainingClass.Status.CANCELLED: frozenset(),
}

NOT_ALLOWED = "Hanya admin BKPP yang dapat mengubah katalog pelatihan."


@dataclass(frozen=True)
class SessionInput:
    starts_at: dt.datetime
    ends_at: dt.datetime
    topic: str = ""


def _require_bkpp(actor: Any) -> None:
    if actor is not None and not scope_for(actor).city_manager:
        raise PermissionDeniedError(NOT_ALLOWED)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- programmes --------------------------------------------------------------------------------------


def _clean_program(values: dict[str, Any], *, instance: Program | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    code = str(values.get("code") or "").strip().upper()
    values["code"] = code
    if not code:
        _add(errors, "code", "Kode program wajib diisi.")
    elif Program.objects.filter(code=code).exclude(pk=instance.pk if instance else 0).exists():
        _add(errors, "code", f"Kode {code} sudah dipakai program lain.")
    values["name"] = str(values.get("name") or "").strip()
    if not values["name"]:
        _add(errors, "name", "Nama program wajib diisi.")
    category = values.get("category")
    form = values.get("form")
    if category not in Program.FORMS_BY_CATEGORY:
        _add(errors, "category", "Pilih kategori: pendidikan, klasikal atau nonklasikal.")
    elif form not in Program.FORMS_BY_CATEGORY[category]:
        label = dict(Program.Category.choices)[category]
        _add(errors, "form", f"Bentuk ini tidak termasuk kategori {label}.")
    try:
        jp = Decimal(str(values.get("jp")))
        if not jp.is_finite() or jp < Decimal("0.5") or jp > Decimal("9999"):
            raise InvalidOperation
        values["jp"] = jp.quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        _add(errors, "jp", "JP harus angka antara 0,5 dan 9999.")
    cost = values.get("cost_per_participant", 0)
    if not isinstance(cost, int) or isinstance(cost, bool) or cost < 0:
        _add(errors, "cost_per_participant", "Biaya harus bilangan bulat rupiah, tidak negatif.")
    if values.get("provider") not in Program.Provider.values:
        _add(errors, "provider", "Pilih penyelenggara dari daftar.")
    kinds = values.get("target_position_kinds") or []
    if not isinstance(kinds, list | tuple) or any(k not in Position.Kind.values for k in kinds):
        _add(errors, "target_position_kinds", "Jenis jabatan sasaran tidak dikenal.")
    values["target_position_kinds"] = sorted(set(kinds)) if isinstance(kinds, list | tuple) else []
    attendance = values.get("min_attendance_percent", 90)
    if not isinstance(attendance, int) or not 0 <= attendance <= 100:
        _add(errors, "min_attendance_percent", "Kehadiran minimal harus 0–100 %.")
    post = values.get("min_post_test")
    if post is not None and not Decimal("0") <= Decimal(str(post)) <= Decimal("100"):
        _add(errors, "min_post_test", "Nilai post-test minimal harus 0–100.")
    return errors


def _clean_uplifts(uplifts: Mapping[Any, int]) -> tuple[dict[int, int], dict[str, list[str]]]:
    """{competency (object, id or code): levels} -> {competency_id: levels}."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, int] = {}
    for key, levels in uplifts.items():
        if isinstance(key, Competency):
            competency: Competency | None = key
        elif isinstance(key, int):
            competency = Competency.objects.filter(pk=key).first()
        else:
            competency = Competency.objects.filter(code=str(key)).first()
        if competency is None:
            _add(errors, "competencies", f"Kompetensi {key} tidak ditemukan.")
            continue
        if not isinstance(levels, int) or not 1 <= levels <= 4:
            _add(errors, "competencies", f"Kenaikan level {competency.code} harus 1–4.")
            continue
        cleaned[competency.pk] = levels
    return cleaned, errors


def _clean_prerequisites(
    prerequisites: Iterable[Program | int], instance: Program | None
) -> tuple[list[int], dict[str, list[str]]]:
    ids = {p.pk if isinstance(p, Program) else int(p) for p in prerequisites}
    errors: dict[str, list[str]] = {}
    found = set(Program.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        _add(errors, "prerequisites", "Program prasyarat tidak ditemukan.")
    if instance is not None and instance.pk in ids:
        _add(errors, "prerequisites", "Program tidak dapat menjadi prasyarat dirinya sendiri.")
    return sorted(found), errors


def _set_uplifts(program: Program, uplifts: dict[int, int]) -> None:
    ProgramCompetency.objects.filter(program=program).exclude(competency_id__in=uplifts).delete()
    existing = {pc.competency_id: pc for pc in ProgramCompetency.objects.filter(program=program)}
    for competency_id, levels in uplifts.items():
        current = existing.get(competency_id)
        if current is None:
            ProgramCompetency.objects.create(program=program, competency_id=competency_id, uplift=levels)
        elif current.uplift != levels:
            current.uplift = levels
            current.save(update_fields=["uplift"])


def _uplift_snapshot(program: Program) -> dict[str, int]:
    rows = ProgramCompetency.objects.filter(program=program).order_by("competency__code")
    return dict(rows.values_list("competency__code", "uplift"))


@transaction.atomic
def program_create(
    *,
    actor: Any,
    uplifts: Mapping[Any, int] | None = None,
    prerequisites: Sequence[Program | int] = (),
    **fields: Any,
) -> Program:
    """A new programme. `uplifts` maps a competency (object, id or code) to levels raised (1–4)."""
    _require_bkpp(actor)
    values = {
        "description": "",
        "cost_per_participant": 0,
        "provider": Program.Provider.BKPP,
        "provider_name": "",
        "target_position_kinds": [],
        "front_line_only": False,
        "cpns_only": False,
        "min_attendance_percent": 90,
        "min_post_test": Decimal("70"),
        "certificate_valid_years": None,
        "active": True,
    }
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    values.update(fields)
    errors = _clean_program(values, instance=None)
    cleaned_uplifts, uplift_errors = _clean_uplifts(uplifts or {})
    prerequisite_ids, prerequisite_errors = _clean_prerequisites(prerequisites, None)
    errors.update(uplift_errors)
    errors.update(prerequisite_errors)
    if errors:
        raise ValidationFailed("Data program belum benar.", fields=errors)
    program = Program.objects.create(**values)
    program.prerequisites.set(prerequisite_ids)
    _set_uplifts(program, cleaned_uplifts)
    changes = diff({}, snapshot(program, PROGRAM_FIELDS))
    changes["uplifts"] = [None, _uplift_snapshot(program)]
    if prerequisite_ids:
        changes["prerequisites"] = [None, prerequisite_ids]
    audit_entry(actor=actor, action="create", instance=program, changes=changes)
    return program


@transaction.atomic
def program_update(
    *,
    actor: Any,
    program: Program,
    uplifts: Mapping[Any, int] | None = None,
    prerequisites: Sequence[Program | int] | None = None,
    **fields: Any,
) -> Program:
    """Change a programme; `uplifts`/`prerequisites` replace the current sets when given."""
    _require_bkpp(actor)
    program = Program.objects.select_for_update().get(pk=program.pk)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    before = snapshot(program, PROGRAM_FIELDS)
    values = {**before, **fields}
    errors = _clean_program(values, instance=program)
    cleaned_uplifts: dict[int, int] | None = None
    if uplifts is not None:
        cleaned_uplifts, uplift_errors = _clean_uplifts(uplifts)
        errors.update(uplift_errors)
    prerequisite_ids: list[int] | None = None
    if prerequisites is not None:
        prerequisite_ids, prerequisite_errors = _clean_prerequisites(prerequisites, program)
        errors.update(prerequisite_errors)
    if errors:
        raise ValidationFailed("Data program belum benar.", fields=errors)
    uplifts_before = _uplift_snapshot(program)
    prerequisites_before = sorted(program.prerequisites.values_list("pk", flat=True))
    for name in PROGRAM_FIELDS:
        setattr(program, name, values[name])
    program.save()
    changes = diff(before, snapshot(program, PROGRAM_FIELDS))
    if cleaned_uplifts is not None:
        _set_uplifts(program, cleaned_uplifts)
        uplifts_after = _uplift_snapshot(program)
        if uplifts_after != uplifts_before:
            changes["uplifts"] = [uplifts_before, uplifts_after]
    if prerequisite_ids is not None and prerequisite_ids != prerequisites_before:
        program.prerequisites.set(prerequisite_ids)
        changes["prerequisites"] = [prerequisites_before, prerequisite_ids]
    if changes:
        audit_entry(actor=actor, action="update", instance=program, changes=changes)
    return program


# --- classes -----------------------------------------------------------------------------------------


def trainer_users() -> Any:
    """Accounts that hold the trainer role: the only ones that may be a class's trainers."""
    return User.objects.filter(role_assignments__role=Role.TRAINER, is_active=True).distinct()


def _clean_class(values: dict[str, Any], *, instance: TrainingClass | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(values.get("program"), Program):
        _add(errors, "program", "Pilih program.")
    code = str(values.get("code") or "").strip().upper()
    values["code"] = code
    if not code:
        _add(errors, "code", "Kode angkatan wajib diisi.")
    elif TrainingClass.objects.filter(code=code).exclude(pk=instance.pk if instance else 0).exists():
        _add(errors, "code", f"Kode angkatan {code} sudah dipakai.")
    values["name"] = str(values.get("name") or "").strip()
    if not values["name"]:
        _add(errors, "name", "Nama angkatan wajib diisi.")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts, dt.date):
        _add(errors, "starts_on", "Tanggal mulai wajib diisi.")
    if not isinstance(ends, dt.date):
        _add(errors, "ends_on", "Tanggal selesai wajib diisi.")
    if isinstance(starts, dt.date) and isinstance(ends, dt.date) and ends < starts:
        _add(errors, "ends_on", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
    capacity = values.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 10000:
        _add(errors, "capacity", "Kapasitas harus bilangan bulat 1–10.000.")
    if not values.get("venue") and not values.get("online_url"):
        _add(errors, "venue", "Isi tempat pelaksanaan atau tautan daring.")
    return errors


def _clean_sessions(
    sessions: Sequence[SessionInput], starts_on: Any, ends_on: Any, errors: dict[str, list[str]]
) -> None:
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        return
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for number, session in enumerate(ordered, start=1):
        local_start = timezone.localtime(session.starts_at).date()
        if session.ends_at <= session.starts_at:
            _add(errors, "sessions", f"Sesi {number}: jam selesai harus setelah jam mulai.")
        if not starts_on <= local_start <= ends_on:
            _add(errors, "sessions", f"Sesi {number} ({local_start:%d-%m-%Y}) di luar tanggal kelas.")
        if number > 1 and session.starts_at < ordered[number - 2].ends_at:
            _add(errors, "sessions", f"Sesi {number} bertumpuk dengan sesi sebelumnya.")


def _clean_trainers(trainers: Iterable[User | int], errors: dict[str, list[str]]) -> list[int]:
    ids = {t.pk if isinstance(t, User) else int(t) for t in trainers}
    valid = set(trainer_users().filter(pk__in=ids).values_list("pk", flat=True))
    if valid != ids:
        _add(errors, "trainers", "Pelatih harus akun dengan peran pelatih/widyaiswara.")
    return sorted(valid)


def _sync_sessions(training_class: TrainingClass, sessions: Sequence[SessionInput]) -> list[str]:
    """Keep sessions that stay (same start), drop the others unless attendance was already taken."""
    existing = {s.starts_at: s for s in training_class.sessions.all()}
    wanted = {s.starts_at: s for s in sessions}
    for starts_at, session in existing.items():
        if starts_at not in wanted:
            if session.attendances.exists():
                raise ValidationFailed(
                    "Sesi yang sudah memiliki presensi tidak dapat dihapus.",
                    fields={"sessions": ["Sesi yang sudah memiliki presensi tidak dapat dihapus."]},
                )
            session.delete()
    for starts_at, wanted_session in wanted.items():
        current = existing.get(starts_at)
        if current is None:
            Session.objects.create(
                training_class=training_class,
                starts_at=wanted_session.starts_at,
                ends_at=wanted_session.ends_at,
                topic=wanted_session.topic[:200],
                checkin_secret=secrets.token_hex(32),
            )
        elif (current.ends_at, current.topic) != (wanted_session.ends_at, wanted_session.topic):
            current.ends_at = wanted_session.ends_at
            current.topic = wanted_session.topic[:200]
            current.save(update_fields=["ends_at", "topic"])
    return [
        f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(s.ends_at):%H:%M}"
        for s in sorted(sessions, key=lambda s: s.starts_at)
    ]


def _session_summary(training_class: TrainingClass) -> list[str]:
    return [
        f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(s.ends_at):%H:%M}"
        for s in training_class.sessions.all()
    ]


@transaction.atomic
def class_create(
    *,
    actor: Any,
    sessions: Sequence[SessionInput] = (),
    trainers: Sequence[User | int] = (),
    **fields: Any,
) -> TrainingClass:
    """A new class of a programme; the completion rule defaults to the programme's."""
    _require_bkpp(actor)
    unknown = set(fields) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"unknown class fields: {sorted(unknown)}")
    values: dict[str, Any] = {
        "venue": "",
        "online_url": "",
        "status": TrainingClass.Status.PLANNED,
        "organiser_unit": None,
        **fields,
    }
    program = values.get("program")
    if isinstance(program, Program):
        values.setdefault("min_attendance_percent", program.min_attendance_percent)
        values.setdefault("min_post_test", program.min_post_test)
    errors = _clean_class(values, instance=None)
    if values["status"] not in (TrainingClass.Status.PLANNED, TrainingClass.Status.OPEN):
        _add(errors, "status", "Kelas baru berstatus direncanakan atau pendaftaran dibuka.")
    _clean_sessions(sessions, values.get("starts_on"), values.get("ends_on"), errors)
    trainer_ids = _clean_trainers(trainers, errors)
    if errors:
        raise ValidationFailed("Data kelas belum benar.", fields=errors)
    training_class = TrainingClass.objects.create(**values)
    training_class.trainers.set(trainer_ids)
    session_list = _sync_sessions(training_class, sessions)
    changes = diff({}, snapshot(training_class, CLASS_FIELDS))
    changes["sessions"] = [None, session_list]
    changes["trainers"] = [None, trainer_ids]
    audit_entry(actor=actor, action="create", instance=training_class, changes=changes)
    return training_class


@transaction.atomic
def class_update(
    *,
    actor: Any,
    training_class: TrainingClass,
    sessions: Sequence[SessionInput] | None = None,
    trainers: Sequence[User | int] | None = None,
    **fields: Any,
) -> TrainingClass:
    """Change a class (not its status: see class_set_status). A larger capacity admits the waiting list."""
    _require_bkpp(actor)
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if "status" in fields:
        raise TypeError("use class_set_status to change the status")
    unknown = set(fields) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"unknown class fields: {sorted(unknown)}")
    if training_class.status in (TrainingClass.Status.FINISHED, TrainingClass.Status.CANCELLED):
        raise ValidationFailed(
            "Kelas yang sudah selesai atau dibatalkan tidak dapat diubah.",
            fields={"__all__": ["Kelas yang sudah selesai atau dibatalkan tidak dapat diubah."]},
        )
    before = snapshot(training_class, CLASS_FIELDS)
    values = {name: getattr(training_class, name) for name in CLASS_FIELDS} | fields
    errors = _clean_class(values, instance=training_class)
    seated = training_class.enrollments.filter(status__in=Enrollment.SEATED_STATUSES).count()
    if isinstance(values.get("capacity"), int) and values["capacity"] < seated:
        _add(errors, "capacity", f"Kapasitas tidak boleh kurang dari {seated} peserta yang sudah terdaftar.")
    if sessions is not None:
        _clean_sessions(sessions, values.get("starts_on"), values.get("ends_on"), errors)
    elif isinstance(values.get("starts_on"), dt.date) and isinstance(values.get("ends_on"), dt.date):
        current = [SessionInput(s.starts_at, s.ends_at, s.topic) for s in training_class.sessions.all()]
        _clean_sessions(current, values["starts_on"], values["ends_on"], errors)
    trainer_ids = _clean_trainers(trainers, errors) if trainers is not None else None
    if errors:
        raise ValidationFailed("Data kelas belum benar.", fields=errors)
    sessions_before = _session_summary(training_class)
    trainers_before = sorted(training_class.trainers.values_list("pk", flat=True))
    for name in CLASS_FIELDS:
        if name != "status":
            setattr(training_class, name, values[name])
    training_class.save()
    changes = diff(before, snapshot(training_class, CLASS_FIELDS))
    if sessions is not None:
        after = _sync_sessions(training_class, sessions)
        if after != sessions_before:
            changes["sessions"] = [sessions_before, after]
    if trainer_ids is not None and trainer_ids != trainers_before:
        training_class.trainers.set(trainer_ids)
        changes["trainers"] = [trainers_before, trainer_ids]
    if changes:
        audit_entry(actor=actor, action="update", instance=training_class, changes=changes)
    if "capacity" in changes:
        # Imported here: enrollment imports this module.
        from mumpuni.learning.services.enrollment import fill_seats

        fill_seats(training_class=training_class, actor=actor)
    return training_class


@transaction.atomic
def class_set_status(
    *, actor: Any, training_class: TrainingClass, status: str, note: str = ""
) -> TrainingClass:
    """Move a class along planned → open → running → finished (or cancelled). Cancelling a class cancels
    its active enrolments."""
    _require_bkpp(actor)
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    current = training_class.status
    if status not in TrainingClass.Status.values:
        raise ValidationFailed("Status tidak dikenal.", fields={"status": ["Status tidak dikenal."]})
    if status not in CLASS_TRANSITIONS[current]:
        labels = dict(TrainingClass.Status.choices)
        message = f"Status kelas tidak dapat diubah dari “{labels[current]}” ke “{labels[status]}”."
        raise ValidationFailed(message, fields={"status": [message]})
    training_class.status = status
    training_class.save(update_fields=["status", "updated_at"])
    audit_entry(
        actor=actor,
        action="update",
        instance=training_class,
        changes={"status": [current, status]},
        note=note or "ubah status kelas",
    )
    if status == TrainingClass.Status.CANCELLED:
        now = timezone.now()
        active = list(
            training_class.enrollments.filter(status__in=Enrollment.ACTIVE_STATUSES).select_for_update()
        )
        for enrollment in active:
            old = enrollment.status
            enrollment.status = Enrollment.Status.CANCELLED
            enrollment.decision_note = note or "Kelas dibatalkan."
            enrollment.save(update_fields=["status", "decision_note", "updated_at"])
            audit_entry(
                actor=actor,
                action="update",
                instance=enrollment,
                changes={"status": [old, enrollment.status]},
                note=f"Kelas dibatalkan {now:%Y-%m-%d}",
            )
    return training_class
