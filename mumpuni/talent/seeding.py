"""Demo data of `talent` (called by seed_demo after the earlier apps): SKP predikat for the last two years
of every active employee (deterministic from the seed; roughly 15% Sangat Baik, 65% Baik, 12% Butuh
Perbaikan, 6% Kurang, 2% Sangat Kurang, and an employee's two years correlated), golongan from the years
of service, the 9-box snapshot of both years, four partner institutions in Semarang with agreements and
programmes, and a handful of applications in every state (one graduated with its service bond).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.people.models import Employee, Role, User
from mumpuni.talent import ninebox, services
from mumpuni.talent.eligibility import GRADES, whole_years
from mumpuni.talent.models import (
    Agreement,
    Application,
    EmployeeGrade,
    FurtherEducationProgram,
    PartnerInstitution,
    PerformanceRating,
)
from mumpuni.talent.selectors import service_start

PREDIKAT_WEIGHTS = (
    (ninebox.PREDIKAT_SANGAT_BAIK, 15),
    (ninebox.PREDIKAT_BAIK, 65),
    (ninebox.PREDIKAT_BUTUH_PERBAIKAN, 12),
    (ninebox.PREDIKAT_KURANG, 6),
    (ninebox.PREDIKAT_SANGAT_KURANG, 2),
)
INSTITUTIONS = (
    (
        "UNDIP",
        "Universitas Diponegoro",
        PartnerInstitution.Kind.UNIVERSITY,
        ["Administrasi Publik", "Kesehatan Masyarakat", "Teknik Sipil"],
    ),
    (
        "UNNES",
        "Universitas Negeri Semarang",
        PartnerInstitution.Kind.UNIVERSITY,
        ["Manajemen Pendidikan", "Ilmu Hukum"],
    ),
    ("UINWS", "UIN Walisongo", PartnerInstitution.Kind.ISLAMIC, ["Ekonomi Syariah", "Ilmu Administrasi"]),
    (
        "POLINES",
        "Politeknik Negeri Semarang",
        PartnerInstitution.Kind.POLYTECHNIC,
        ["Teknik Informatika", "Akuntansi Sektor Publik"],
    ),
)


def _predikat(rng: random.Random) -> str:
    roll = rng.uniform(0, 100)
    for code, weight in PREDIKAT_WEIGHTS:
        roll -= weight
        if roll <= 0:
            return code
    return ninebox.PREDIKAT_BAIK


def _grade(nip: str, today: dt.date, rng: random.Random) -> str:
    start = service_start(nip) or today
    years = max(0, whole_years(start, today))
    base = GRADES.index("II/c") if rng.random() < 0.25 else GRADES.index("III/a")
    return GRADES[min(base + years // 4, GRADES.index("IV/c"))]


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    started = time.monotonic()
    if PerformanceRating.objects.exists():
        summary = "talent: SKP ratings already present, nothing seeded"
        if log:
            log(summary)
        return summary
    rng = random.Random(f"talent-{seed}")
    today = timezone.localdate()
    last, before = today.year - 1, today.year - 2
    employees = list(Employee.objects.filter(active=True).order_by("pk").values_list("pk", "nip"))
    ratings: list[PerformanceRating] = []
    grades: list[EmployeeGrade] = []
    for pk, nip in employees:
        first = _predikat(rng)
        # Performance is sticky: two times in three the next year repeats, otherwise a fresh draw.
        second = first if rng.random() < 0.67 else _predikat(rng)
        ratings.append(PerformanceRating(employee_id=pk, year=before, predikat=first, source="import"))
        ratings.append(PerformanceRating(employee_id=pk, year=last, predikat=second, source="import"))
        if nip[12] != "2":  # PNS only: PPPK have no golongan
            grades.append(EmployeeGrade(employee_id=pk, grade=_grade(nip, today, rng)))
    with transaction.atomic():
        PerformanceRating.objects.bulk_create(ratings, batch_size=5000)
        EmployeeGrade.objects.bulk_create(grades, batch_size=5000)
    # Only the latest year's snapshot: `manage.py refresh_talent --year` builds an earlier one on demand.
    placed = services.placements_refresh(year=last).placed
    programs = _education(rng, today)
    applications = _applications(rng, today, programs, last)
    summary = (
        f"talent: {len(ratings)} SKP ratings ({before}–{last}), {len(grades)} golongan, {placed} placed in {last}, "
        f"{len(programs)} programmes at {len(INSTITUTIONS)} institutions, {applications} applications "
        f"({time.monotonic() - started:.1f} s)"
    )
    if log:
        log(summary)
    return summary


def _education(rng: random.Random, today: dt.date) -> list[FurtherEducationProgram]:
    programs: list[FurtherEducationProgram] = []
    for index, (code, name, kind, fields) in enumerate(INSTITUTIONS):
        institution = PartnerInstitution.objects.create(name=name, city="Kota Semarang", kind=kind)
        agreement = Agreement.objects.create(
            institution=institution,
            number=f"{index + 1:03d}/PKS/BKPP/{today.year - 3}",
            starts_on=dt.date(today.year - 3, 1, 1),
            ends_on=dt.date(today.year + 2, 12, 31),
            fields_of_study=fields,
            quota=20,
        )
        tb = FurtherEducationProgram.Kind.TUGAS_BELAJAR
        ib = FurtherEducationProgram.Kind.IZIN_BELAJAR
        level = "D4" if kind == PartnerInstitution.Kind.POLYTECHNIC else "S2"
        specs = [
            # (suffix, kind, field, opens, closes, months, rules)
            (
                "TB",
                tb,
                fields[0],
                today - dt.timedelta(days=30),
                today + dt.timedelta(days=30),
                24,
                {"max_age": 40, "min_grade": "III/a", "min_years_of_service": 2, "allowed_boxes": [7, 8, 9]},
            ),
            (
                "IB",
                ib,
                fields[1],
                today - dt.timedelta(days=10),
                today + dt.timedelta(days=50),
                24,
                {"max_age": 45, "min_grade": "II/c", "min_years_of_service": 1, "allowed_boxes": []},
            ),
            (
                "TB-LAMA",
                tb,
                fields[0],
                dt.date(today.year - 3, 3, 1),
                dt.date(today.year - 3, 4, 30),
                24,
                {"max_age": 45, "min_grade": "III/a", "min_years_of_service": 2, "allowed_boxes": []},
            ),
        ]
        for suffix, pkind, field, opens, closes, months, rules in specs:
            program = FurtherEducationProgram(
                code=f"{code}-{suffix}-{level}",
                name=f"{'Tugas' if pkind == tb else 'Izin'} belajar {level} {field}",
                kind=pkind,
                institution=institution,
                agreement=agreement,
                field_of_study=field,
                level=level,
                quota=5 if pkind == tb else 10,
                opens_on=opens,
                closes_on=closes,
                study_months=months,
                **rules,
            )
            program.full_clean()
            program.save()
            programs.append(program)
    return programs


def _applications(
    rng: random.Random, today: dt.date, programs: list[FurtherEducationProgram], year: int
) -> int:
    admin = User.objects.filter(role_assignments__role=Role.ADMIN).order_by("pk").first()
    if admin is None:
        return 0
    from mumpuni.talent.selectors import eligibility_for

    pool_ids = list(
        Employee.objects.filter(
            talent_placements__year=year, talent_placements__box__in=[7, 8, 9], active=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:3000]
    )
    rng.shuffle(pool_ids)
    employees = {
        e.pk: e for e in Employee.objects.filter(pk__in=pool_ids[:400]).select_related("unit", "user")
    }
    # The demo employee account gets an application of its own when eligible somewhere.
    demo = Employee.objects.filter(user__username="pegawai").select_related("unit").first()
    plan = [
        # (programme index, steps after applying)
        (0, []),
        (0, ["verify"]),
        (0, ["verify", "select"]),
        (3, ["reject"]),
        (4, []),
        (2, ["verify", "select", "enroll", "graduate"]),
        (5, ["verify", "select", "enroll"]),
        (8, ["verify", "select", "enroll", "graduate"]),
        (6, ["withdraw"]),
        (9, ["verify"]),
    ]
    candidates = [e for pk in pool_ids[:400] if (e := employees.get(pk)) is not None]
    made = 0
    used: set[int] = set()
    for index, steps in plan:
        program = programs[index]
        window_day = program.opens_on + dt.timedelta(days=1)
        chosen = None
        for employee in candidates:
            if employee.pk in used:
                continue
            if eligibility_for(employee, program).eligible:
                chosen = employee
                break
        if chosen is None:
            continue
        used.add(chosen.pk)
        application = services.application_submit(
            actor=admin,
            program=program,
            employee=chosen,
            motivation="Pengembangan kompetensi jabatan.",
            today=window_day,
        )
        _documents(application, admin)
        enrolled = program.closes_on + dt.timedelta(days=120)
        for step in steps:
            on = None
            if step == "enroll":
                on = min(enrolled, today)
            elif step == "graduate":
                on = min(enrolled + dt.timedelta(days=30 * program.study_months), today)
            comment = "Alasan: berkas tidak sesuai bidang." if step == "reject" else ""
            services.application_step(actor=admin, application=application, step=step, comment=comment, on=on)
        made += 1
    if demo is not None:
        for program in programs:
            if (
                program.is_open(today)
                and not Application.objects.filter(employee=demo).exists()
                and eligibility_for(demo, program).eligible
            ):
                services.application_submit(actor=admin, program=program, employee=demo, today=today)
                made += 1
    return made


def _documents(application: Application, admin: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    for kind in ("permohonan", "ijazah", "rekomendasi"):
        upload = SimpleUploadedFile(
            f"{kind}.pdf", b"%PDF-1.4\n% demo\n%%EOF\n", content_type="application/pdf"
        )
        services.document_add(actor=admin, application=application, kind=kind, upload=upload)
