"""Demo history of learning progress, in bulk: attendance, test scores, completions, JP lines,
certificates and competency evidence for the finished classes the learning seed made; imported historical
JP for part of the city (so the 20-JP compliance page shows a realistic spread); and nonklasikal
activities in every state.

Called by `mumpuni.learning.seeding.seed_demo` (through `seed_demo` below) after the classes and
enrolments exist. Deterministic for a seed and a day; bulk inserts, no audit rows (as the other seeds).
The completion rule is the real one (`services.completion.evaluate`), applied to generated data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from mumpuni.competencies.models import Assessment, CurrentLevel
from mumpuni.competencies.services import pick_current
from mumpuni.learning.models import (
    Attendance,
    Certificate,
    Enrollment,
    JpEntry,
    NonClassicalActivity,
    Program,
    ProgramCompetency,
    Session,
    TrainingClass,
)
from mumpuni.learning.services.certificates import number_prefix
from mumpuni.learning.services.completion import evaluate
from mumpuni.people.models import Employee

BATCH = 2000
IMPORT_SHARE = 0.6  # share of the city with imported history
JP_CHOICES = (Decimal(2), Decimal(4), Decimal(6), Decimal(8), Decimal(12), Decimal(16), Decimal(24))
ACTIVITY_TITLES = (
    ("e_learning", "Kursus daring Pelayanan Publik Berbasis Digital", "ASN Unggul (LAN)"),
    ("e_learning", "MOOC Etika Pelayanan Publik", "Platform e-learning BPSDM Jateng"),
    ("coaching", "Coaching penanganan pengaduan warga", "Kecamatan"),
    ("mentoring", "Mentoring penyusunan SOP layanan", "Bagian Organisasi"),
    ("seminar", "Seminar Nasional Inovasi Pelayanan Publik", "Universitas Diponegoro"),
    ("komunitas", "Komunitas belajar literasi digital", "Diskominfo"),
    ("belajar_mandiri", "Belajar mandiri: tata naskah dinas elektronik", "Srikandi"),
)


def _executemany(sql: str, params: list[tuple[Any, ...]]) -> None:
    """Plain executemany: Django's bulk_create/bulk_update spend most of their time building instances and
    CASE expressions for tens of thousands of rows."""
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _finished_enrollments() -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(
            status=Enrollment.Status.ENROLLED, training_class__status=TrainingClass.Status.FINISHED
        )
        .select_related("training_class__program")
        .order_by("pk")
    )


def _completions(rng: random.Random, today: dt.date) -> tuple[int, int, list[Enrollment]]:
    enrollments = _finished_enrollments()
    sessions: dict[int, list[int]] = defaultdict(list)
    for session_id, class_id in Session.objects.filter(
        training_class__status=TrainingClass.Status.FINISHED
    ).values_list("pk", "training_class_id"):
        sessions[class_id].append(session_id)
    attendance: list[tuple[Any, ...]] = []
    marked_at = connection.ops.adapt_datetimefield_value(timezone.now())
    completed: list[Enrollment] = []
    failed = 0
    for enrollment in enrollments:
        training_class = enrollment.training_class
        own = sessions.get(training_class.pk, [])
        diligent = rng.random() < 0.88
        present_count = 0
        for session_id in own:
            present = rng.random() < (0.985 if diligent else 0.7)
            present_count += present
            attendance.append((enrollment.pk, session_id, present, "trainer", marked_at))
        percent = (
            (Decimal(present_count * 100) / Decimal(len(own))).quantize(Decimal("0.01")) if own else None
        )
        pre = Decimal(rng.randint(3500, 7500)) / 100
        # Most participants pass the post-test (70); those who skipped sessions less often.
        post = Decimal(rng.randint(6600, 9900) if diligent else rng.randint(5000, 9000)) / 100
        has_test = training_class.min_post_test is not None
        enrollment.attendance_percent = percent
        enrollment.pre_test_score = pre if has_test else None
        enrollment.post_test_score = post if has_test else None
        outcome = evaluate(
            attendance_percent=percent,
            post_test_score=enrollment.post_test_score,
            min_attendance_percent=training_class.min_attendance_percent,
            min_post_test=training_class.min_post_test,
        )
        if outcome.completed and training_class.ends_on <= today:
            enrollment.status = Enrollment.Status.COMPLETED
            enrollment.completed_on = training_class.ends_on
            completed.append(enrollment)
        else:
            enrollment.status = Enrollment.Status.NOT_COMPLETED
            failed += 1
    ops = connection.ops
    _executemany(
        f"INSERT INTO {_table(Attendance)} (enrollment_id, session_id, present, method, marked_at) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s)",
        attendance,
    )
    _executemany(
        f"UPDATE {_table(Enrollment)} SET status = %s, attendance_percent = %s, pre_test_score = %s, "  # noqa: S608
        "post_test_score = %s, completed_on = %s WHERE id = %s",
        [
            (
                e.status,
                ops.adapt_decimalfield_value(e.attendance_percent, 5, 2),
                ops.adapt_decimalfield_value(e.pre_test_score, 5, 2),
                ops.adapt_decimalfield_value(e.post_test_score, 5, 2),
                ops.adapt_datefield_value(e.completed_on),
                e.pk,
            )
            for e in enrollments
        ],
    )
    return len(attendance), failed, completed


def _class_jp_and_certificates(completed: list[Enrollment]) -> int:
    JpEntry.objects.bulk_create(
        [
            JpEntry(
                employee_id=e.employee_id,
                occurred_on=e.completed_on,  # type: ignore[misc]
                year=e.completed_on.year,  # type: ignore[union-attr]
                jp=e.training_class.program.jp,
                source=JpEntry.Source.CLASS,
                program=e.training_class.program,
                enrollment=e,
                note=e.training_class.code,
            )
            for e in completed
        ],
        batch_size=BATCH,
    )
    sequences: dict[str, int] = {}
    certificates: list[Certificate] = []
    for e in sorted(completed, key=lambda e: (e.completed_on, e.pk)):
        program = e.training_class.program
        issued: dt.date = e.completed_on  # type: ignore[assignment]
        prefix = number_prefix(program.code, issued.year)
        if prefix not in sequences:
            last = (
                Certificate.objects.filter(number__startswith=prefix)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            sequences[prefix] = int(last.rsplit("/", 1)[1]) if last else 0
        sequences[prefix] += 1
        valid_until = None
        if program.certificate_valid_years:
            try:
                valid_until = issued.replace(year=issued.year + program.certificate_valid_years)
            except ValueError:
                valid_until = issued.replace(year=issued.year + program.certificate_valid_years, day=28)
        certificates.append(
            Certificate(
                enrollment=e,
                number=f"{prefix}{sequences[prefix]:06d}",
                issued_on=issued,
                valid_until=valid_until,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    return len(certificates)


def _competency_evidence(completed: list[Enrollment], today: dt.date) -> int:
    """Training-completion assessments (current level, or 1, plus the uplift, capped at 5), then the
    current levels of the touched pairs recomputed with the real precedence rule."""
    uplifts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for program_id, competency_id, uplift in ProgramCompetency.objects.values_list(
        "program_id", "competency_id", "uplift"
    ):
        uplifts[program_id].append((competency_id, uplift))
    employees = {e.employee_id for e in completed}
    if not employees or not uplifts:
        return 0
    levels: dict[tuple[int, int], int] = {
        (employee_id, competency_id): level
        for employee_id, competency_id, level in CurrentLevel.objects.filter(
            employee_id__in=employees
        ).values_list("employee_id", "competency_id", "level")
    }
    rows: list[Assessment] = []
    for e in sorted(completed, key=lambda e: (e.completed_on, e.pk)):
        for competency_id, uplift in uplifts.get(e.training_class.program_id, []):
            key = (e.employee_id, competency_id)
            level = min(5, levels.get(key, 1) + uplift)
            levels[key] = level
            rows.append(
                Assessment(
                    employee_id=e.employee_id,
                    competency_id=competency_id,
                    level=level,
                    source=Assessment.Source.TRAINING,
                    assessed_on=e.completed_on,  # type: ignore[misc]
                    note=f"Lulus {e.training_class.code}",
                    training_enrollment_id=e.pk,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=BATCH)
    touched = {(a.employee_id, a.competency_id) for a in rows}
    history: dict[tuple[int, int], list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.filter(employee_id__in=employees).only(
        "pk", "employee_id", "competency_id", "level", "source", "assessed_on", "valid_until", "withdrawn_at"
    ):
        key = (assessment.employee_id, assessment.competency_id)
        if key in touched:
            history[key].append(assessment)
    current: list[CurrentLevel] = []
    for (employee_id, competency_id), items in history.items():
        chosen = pick_current(items, today)
        if chosen is not None:
            current.append(
                CurrentLevel(
                    employee_id=employee_id,
                    competency_id=competency_id,
                    level=chosen.level,
                    assessment=chosen,
                )
            )
    employee_ids = sorted({k[0] for k in touched})
    for start in range(0, len(employee_ids), 500):
        CurrentLevel.objects.filter(
            employee_id__in=employee_ids[start : start + 500],
            competency_id__in={k[1] for k in touched},
        ).delete()
    CurrentLevel.objects.bulk_create(current, batch_size=BATCH)
    return len(rows)


def _imported_history(rng: random.Random, today: dt.date) -> int:
    """Historical JP (source import) for part of the city, this year and last, with a spread from none
    to well above 20."""
    programs = list(
        Program.objects.filter(category=Program.Category.CLASSICAL)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    if not programs:
        return 0
    employees = list(Employee.objects.filter(active=True).order_by("pk").values_list("pk", "unit__path"))
    # Units differ: some send their staff to training often, some rarely (the spread BKPP wants to see).
    zeal: dict[str, float] = {}
    rows: list[tuple[Any, ...]] = []
    taken: set[tuple[int, int, dt.date]] = set()
    ops = connection.ops
    created_at = ops.adapt_datetimefield_value(timezone.now())
    days_this_year = max(1, (today - dt.date(today.year, 1, 1)).days)
    for employee_id, path in employees:
        top = "/".join(path.split("/")[:3])
        if top not in zeal:
            zeal[top] = rng.uniform(0.35, 1.0)
        if rng.random() >= IMPORT_SHARE * zeal[top] / 0.7:
            continue
        for year, span in ((today.year - 1, 364), (today.year, days_this_year)):
            # A long tail: many with one or two short activities, some with a full programme or more.
            for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3)) + (rng.random() < zeal[top] - 0.5)):
                occurred_on = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span))
                program_id = rng.choice(programs)
                key = (employee_id, program_id, occurred_on)
                if key in taken:
                    continue
                taken.add(key)
                rows.append(
                    (
                        employee_id,
                        program_id,
                        ops.adapt_datefield_value(occurred_on),
                        year,
                        ops.adapt_decimalfield_value(rng.choice(JP_CHOICES), 6, 1),
                        JpEntry.Source.IMPORT.value,
                        "Impor riwayat SIMPEG",
                        created_at,
                    )
                )
    _executemany(
        f"INSERT INTO {_table(JpEntry)} (employee_id, program_id, occurred_on, year, jp, source, note, "  # noqa: S608
        "created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        rows,
    )
    return len(rows)


def _activities(rng: random.Random, today: dt.date) -> int:
    """A few hundred nonklasikal activities: most verified (with JP), some waiting, a few rejected."""
    employees = list(
        Employee.objects.filter(active=True, supervisor__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    demo = list(
        Employee.objects.filter(user__username__in=("pegawai", "petugas")).values_list("pk", flat=True)
    )
    if not employees:
        return 0
    chosen = [*demo, *rng.sample(employees, min(400, len(employees)))]
    now = timezone.now()
    activities: list[NonClassicalActivity] = []
    for index, employee_id in enumerate(chosen):
        form, title, provider = rng.choice(ACTIVITY_TITLES)
        ended_on = today - dt.timedelta(days=rng.randint(3, 300))
        started_on = ended_on - dt.timedelta(days=rng.randint(0, 14))
        jp = Decimal(rng.choice((2, 3, 4, 6, 8, 10)))
        roll = rng.random()
        status = (
            NonClassicalActivity.Status.SUBMITTED
            if index < len(demo) or roll < 0.2
            else NonClassicalActivity.Status.REJECTED
            if roll < 0.27
            else NonClassicalActivity.Status.VERIFIED
        )
        verified = status != NonClassicalActivity.Status.SUBMITTED
        activities.append(
            NonClassicalActivity(
                employee_id=employee_id,
                form=form,
                title=title,
                provider_name=provider,
                started_on=started_on,
                ended_on=ended_on,
                jp_claimed=jp,
                jp_credited=jp if status == NonClassicalActivity.Status.VERIFIED else None,
                evidence_url=f"https://contoh.semarangkota.go.id/bukti/{index + 1:05d}",
                status=status,
                verified_at=now if verified else None,
                decision_note="Bukti tidak sesuai dengan kegiatan yang dilaporkan."
                if status == NonClassicalActivity.Status.REJECTED
                else "",
            )
        )
    NonClassicalActivity.objects.bulk_create(activities, batch_size=BATCH)
    saved = NonClassicalActivity.objects.filter(status=NonClassicalActivity.Status.VERIFIED)
    JpEntry.objects.bulk_create(
        [
            JpEntry(
                employee_id=a.employee_id,
                occurred_on=a.ended_on,
                year=a.ended_on.year,
                jp=a.jp_credited,  # type: ignore[misc]
                source=JpEntry.Source.ACTIVITY,
                activity=a,
                note=a.title[:255],
            )
            for a in saved.filter(jp_entry__isnull=True)
        ],
        batch_size=BATCH,
    )
    return len(activities)


def seed_progress_demo(seed: int) -> str:
    started = time.monotonic()
    if JpEntry.objects.exists():
        return "progress: JP ledger already present; nothing seeded"
    rng = random.Random(f"learning-progress-{seed}")
    today = timezone.localdate()
    steps: list[str] = []

    def lap(name: str, since: float) -> float:
        now = time.monotonic()
        steps.append(f"{name} {now - since:.1f}")
        return now

    with transaction.atomic():
        mark = time.monotonic()
        marks, failed, completed = _completions(rng, today)
        mark = lap("completions", mark)
        certificates = _class_jp_and_certificates(completed)
        mark = lap("jp+certificates", mark)
        evidence = _competency_evidence(completed, today)
        mark = lap("evidence", mark)
        imported = _imported_history(rng, today)
        mark = lap("imports", mark)
        activities = _activities(rng, today)
        lap("activities", mark)
    return (
        f"progress: {marks:,} attendance marks, {len(completed):,} completions ({failed:,} not completed), "
        f"{certificates:,} certificates, {evidence:,} training assessments, {imported:,} imported JP lines, "
        f"{activities:,} nonklasikal activities in {time.monotonic() - started:.1f} s ({', '.join(steps)})"
    )


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    """The hook `mumpuni.learning.seeding.seed_demo` calls at its end."""
    summary = seed_progress_demo(seed)
    if log is not None:
        log(summary)
    return summary
