"""Demo data for learning: a realistic catalogue, classes across 2025–2026 with sessions and trainers, and
enrolments in every state (seated, waiting list, waiting for the unit head or BKPP).

Deterministic for a seed and a day: the schedule is laid out around today so that some classes are always
open in the coming weeks (past classes finished, current ones running). Bulk inserts, no audit rows (as the
people seed). Seated enrolments of finished classes are left `enrolled`: the progress seed
(`mumpuni.learning.seeding_progress.seed_demo`, called at the end when it exists) turns them into
completions with attendance, scores, JP and certificates; `finished_enrollments()` lists them for it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import JP_MINUTES, Enrollment, Program, ProgramCompetency, Session, TrainingClass
from mumpuni.people.models import Employee, Role, User

FIRST_DAY = dt.date(2025, 1, 6)
PROGRESS_SEEDER = "mumpuni.learning.seeding_progress.seed_demo"
BATCH = 2000


@dataclass(frozen=True)
class ProgramSpec:
    code: str
    name: str
    category: str
    form: str
    jp: str
    cost: int
    provider: str
    uplifts: dict[str, int]
    description: str
    provider_name: str = ""
    kinds: tuple[str, ...] = ()
    front_line_only: bool = False
    cpns_only: bool = False
    classes_per_year: int = 0  # 0: no classes (nonklasikal forms are submitted as activities)
    capacity: int = 30
    days: int = 0  # 0: from the JP (8 JP a day)
    online: bool = False
    prerequisites: tuple[str, ...] = ()
    valid_years: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


K, N = Program.Category.CLASSICAL, Program.Category.NONCLASSICAL
F = Program.Form
P = Program.Provider

CATALOGUE: tuple[ProgramSpec, ...] = (
    ProgramSpec(
        "PLY-PRIMA",
        "Pelayanan Prima",
        K,
        F.TEKNIS,
        "24",
        750_000,
        P.BKPP,
        {"T.PRIMA": 2, "M.05": 1},
        "Standar pelayanan, sikap melayani, menangani warga yang kesulitan, dan mengukur kepuasan "
        "masyarakat di loket kecamatan dan kelurahan.",
        kinds=("pelaksana", "pengawas"),
        classes_per_year=4,
        valid_years=3,
    ),
    ProgramSpec(
        "KOM-MASY",
        "Komunikasi Efektif dengan Masyarakat",
        K,
        F.TEKNIS,
        "16",
        500_000,
        P.BKPP,
        {"T.KOMPUB": 2, "M.03": 1},
        "Menyampaikan informasi layanan dengan bahasa yang jelas, mendengarkan aktif, dan meredakan "
        "situasi tegang di depan warga.",
        classes_per_year=3,
    ),
    ProgramSpec(
        "MAN-WAKTU",
        "Manajemen Waktu",
        K,
        F.MANAJERIAL,
        "8",
        250_000,
        P.BKPP,
        {"T.WAKTU": 1, "M.04": 1},
        "Menyusun prioritas kerja harian, mengelola antrean pekerjaan, dan menepati janji layanan.",
        classes_per_year=3,
        capacity=35,
    ),
    ProgramSpec(
        "ADUAN",
        "Penanganan Pengaduan",
        K,
        F.TEKNIS,
        "16",
        600_000,
        P.BKPP,
        {"T.ADUAN": 2, "M.05": 1},
        "Menerima, mencatat, menindaklanjuti dan menutup pengaduan masyarakat tepat waktu.",
        classes_per_year=2,
    ),
    ProgramSpec(
        "ADUAN-LJT",
        "Penanganan Pengaduan Tingkat Lanjut (SP4N-LAPOR!)",
        K,
        F.BIMTEK,
        "16",
        650_000,
        P.BKPP,
        {"T.ADUAN": 1, "M.08": 1},
        "Koordinasi lintas perangkat daerah, eskalasi, dan analisis akar masalah pengaduan berulang.",
        classes_per_year=1,
        capacity=25,
        prerequisites=("ADUAN",),
    ),
    ProgramSpec(
        "ADK-KEC",
        "Administrasi Kependudukan untuk Petugas Kecamatan",
        K,
        F.BIMTEK,
        "24",
        900_000,
        P.BKPP,
        {"T.ADK": 2},
        "Layanan KTP-el, KK, akta dan pindah datang di kecamatan: persyaratan, verifikasi berkas dan "
        "penggunaan SIAK.",
        kinds=("pelaksana",),
        front_line_only=True,
        classes_per_year=3,
        capacity=25,
    ),
    ProgramSpec(
        "LIT-DIG",
        "Literasi Digital",
        K,
        F.TEKNIS,
        "16",
        400_000,
        P.BKPP,
        {"T.DIGITAL": 2, "T.DATA": 1},
        "Aplikasi perkantoran, tanda tangan elektronik, keamanan data pribadi warga dan layanan daring.",
        classes_per_year=3,
        capacity=30,
    ),
    ProgramSpec(
        "ARSIP",
        "Pengelolaan Arsip Dinamis",
        K,
        F.BIMTEK,
        "16",
        450_000,
        P.BKPP,
        {"T.ARSIP": 2},
        "Klasifikasi, penyimpanan dan penyusutan arsip dinamis sesuai tata naskah dinas.",
        classes_per_year=1,
    ),
    ProgramSpec(
        "TRANTIB",
        "Ketenteraman dan Ketertiban Umum",
        K,
        F.BIMTEK,
        "16",
        500_000,
        P.BKPP,
        {"T.TRANTIB": 2},
        "Penegakan peraturan daerah yang humanis dan penanganan gangguan ketertiban di wilayah.",
        classes_per_year=1,
    ),
    ProgramSpec(
        "KEU-BEND",
        "Pengelolaan Keuangan Daerah untuk Bendahara",
        K,
        F.TEKNIS,
        "32",
        2_250_000,
        P.BPSDM_PROVINSI,
        {"T.KEU": 2},
        "Penatausahaan, pertanggungjawaban dan pelaporan keuangan bendahara perangkat daerah.",
        classes_per_year=1,
        capacity=20,
    ),
    ProgramSpec(
        "DATA-REN",
        "Analisis Data untuk Perencanaan",
        K,
        F.WORKSHOP,
        "16",
        1_500_000,
        P.UNIVERSITY,
        {"T.DATA": 2, "T.PERENC": 1},
        "Mengolah data layanan menjadi bahan perencanaan: tabel, grafik dan indikator kinerja.",
        provider_name="Universitas Diponegoro",
        classes_per_year=1,
        capacity=25,
    ),
    ProgramSpec(
        "PKP",
        "Pelatihan Kepemimpinan Pengawas",
        K,
        F.KEPEMIMPINAN,
        "240",
        15_500_000,
        P.BKPP,
        {"M.08": 1, "M.06": 1, "M.02": 1},
        "Pelatihan kepemimpinan bagi pejabat pengawas: kinerja tim, coaching, dan proyek perubahan.",
        kinds=("pengawas",),
        classes_per_year=1,
        capacity=30,
        days=30,
    ),
    ProgramSpec(
        "PKA",
        "Pelatihan Kepemimpinan Administrator",
        K,
        F.KEPEMIMPINAN,
        "390",
        27_500_000,
        P.BPSDM_PROVINSI,
        {"M.07": 1, "M.08": 1, "M.04": 1},
        "Diselenggarakan BPSDM Provinsi Jawa Tengah bagi pejabat administrator; kuota Kota Semarang.",
        kinds=("administrator",),
        classes_per_year=1,
        capacity=10,
        days=45,
    ),
    ProgramSpec(
        "LATSAR",
        "Pelatihan Dasar CPNS",
        K,
        F.MANAJERIAL,
        "270",
        9_500_000,
        P.LAN,
        {"SK.01": 1, "M.01": 1},
        "Nilai dasar ASN BerAKHLAK, kedudukan dan peran PNS, serta aktualisasi di tempat kerja.",
        provider_name="Lembaga Administrasi Negara",
        cpns_only=True,
        classes_per_year=1,
        capacity=40,
        days=40,
    ),
    ProgramSpec(
        "SEM-INOV",
        "Seminar Inovasi Pelayanan Publik",
        K,
        F.SEMINAR,
        "4",
        150_000,
        P.BKPP,
        {"T.PRIMA": 1},
        "Berbagi praktik baik inovasi pelayanan dari kecamatan dan perangkat daerah.",
        classes_per_year=2,
        capacity=120,
        days=1,
    ),
    ProgramSpec(
        "SOS-LAPOR",
        "Sosialisasi SP4N-LAPOR!",
        K,
        F.SOSIALISASI,
        "4",
        0,
        P.BKPP,
        {"T.ADUAN": 1},
        "Alur pengaduan nasional dan kewajiban tindak lanjut perangkat daerah.",
        classes_per_year=1,
        capacity=80,
        days=1,
        online=True,
    ),
    ProgramSpec(
        "ASN-UNGGUL",
        "E-learning ASN Unggul",
        N,
        F.E_LEARNING,
        "10",
        0,
        P.ELEARNING,
        {"M.06": 1, "T.DIGITAL": 1},
        "Kursus daring mandiri di platform ASN Unggul LAN; sertifikat dari platform diunggah sebagai bukti.",
        provider_name="ASN Unggul — Lembaga Administrasi Negara",
        classes_per_year=1,
        capacity=200,
        days=20,
        online=True,
    ),
    ProgramSpec(
        "COACH-ATS",
        "Coaching Kinerja oleh Atasan Langsung",
        N,
        F.COACHING,
        "8",
        0,
        P.BKPP,
        {"M.06": 1},
        "Percakapan coaching terjadwal antara atasan dan pegawai untuk target kinerja.",
        kinds=("pengawas", "administrator"),
    ),
    ProgramSpec(
        "MENTOR-BARU",
        "Mentoring Pegawai Baru",
        N,
        F.MENTORING,
        "6",
        0,
        P.BKPP,
        {"SK.01": 1, "M.02": 1},
        "Pendampingan tiga bulan bagi CPNS dan pegawai pindahan oleh pegawai senior.",
    ),
    ProgramSpec(
        "SEMINAR-EXT",
        "Seminar dan Konferensi Eksternal",
        N,
        F.JARAK_JAUH,
        "4",
        0,
        P.OTHER,
        {},
        "Seminar daring atau luring yang diselenggarakan pihak lain; diajukan dengan bukti kehadiran.",
    ),
)

TOPICS = (
    "Pembukaan dan kontrak belajar",
    "Konsep dan regulasi",
    "Studi kasus di unit kerja",
    "Praktik dan simulasi",
    "Diskusi kelompok",
    "Rencana tindak lanjut dan penutupan",
)


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _end_of(start: dt.date, days: int) -> dt.date:
    """The last day of a class of `days` working days."""
    day, left = start, days - 1
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def _days(spec: ProgramSpec) -> int:
    return spec.days or max(1, math.ceil(Decimal(spec.jp) / 8))


def _status_for(start: dt.date, end: dt.date, today: dt.date) -> str:
    if end < today:
        return TrainingClass.Status.FINISHED
    if start <= today:
        return TrainingClass.Status.RUNNING
    if start <= today + dt.timedelta(days=60):
        return TrainingClass.Status.OPEN
    return TrainingClass.Status.PLANNED


def seed_catalogue(competencies: dict[str, int]) -> dict[str, Program]:
    """The programmes, their uplifts (only for competencies that exist) and prerequisites."""
    programs = Program.objects.bulk_create(
        [
            Program(
                code=s.code,
                name=s.name,
                category=s.category,
                form=s.form,
                description=s.description,
                jp=Decimal(s.jp),
                cost_per_participant=s.cost,
                provider=s.provider,
                provider_name=s.provider_name,
                target_position_kinds=list(s.kinds),
                front_line_only=s.front_line_only,
                cpns_only=s.cpns_only,
                certificate_valid_years=s.valid_years,
                min_post_test=Decimal("70") if s.category == K else None,
            )
            for s in CATALOGUE
        ]
    )
    by_code = {p.code: Program.objects.get(code=p.code) if p.pk is None else p for p in programs}
    ProgramCompetency.objects.bulk_create(
        [
            ProgramCompetency(program=by_code[s.code], competency_id=competencies[code], uplift=levels)
            for s in CATALOGUE
            for code, levels in s.uplifts.items()
            if code in competencies
        ]
    )
    for spec in CATALOGUE:
        if spec.prerequisites:
            by_code[spec.code].prerequisites.set([by_code[c] for c in spec.prerequisites])
    return by_code


def _schedule(rng: random.Random, today: dt.date) -> list[tuple[ProgramSpec, dt.date, dt.date, int]]:
    """(programme, start, end, number) for every class from 2025 to about three months ahead."""
    last_day = today + dt.timedelta(days=100)
    span = (last_day - FIRST_DAY).days
    rows: list[tuple[ProgramSpec, dt.date, dt.date, int]] = []
    for spec in CATALOGUE:
        if not spec.classes_per_year:
            continue
        count = max(1, round(spec.classes_per_year * span / 365))
        step = span / count
        for index in range(count):
            offset = int(index * step + rng.uniform(0, step * 0.6))
            start = _weekday(FIRST_DAY + dt.timedelta(days=offset))
            rows.append((spec, start, _end_of(start, _days(spec)), index + 1))
    # A few open classes in the coming weeks for the core service programmes, whatever the dates above.
    for weeks, code in ((1, "PLY-PRIMA"), (2, "KOM-MASY"), (3, "MAN-WAKTU"), (3, "ADK-KEC"), (4, "LIT-DIG")):
        spec = next(s for s in CATALOGUE if s.code == code)
        start = _weekday(today + dt.timedelta(days=7 * weeks + rng.randint(0, 3)))
        rows.append((spec, start, _end_of(start, _days(spec)), 0))
    return rows


def _roman(number: int) -> str:
    numerals = (
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def seed_classes(
    rng: random.Random, programs: dict[str, Program], today: dt.date, trainers: list[User]
) -> list[TrainingClass]:
    schedule = sorted(_schedule(rng, today), key=lambda row: (row[1], row[0].code))
    per_year: dict[tuple[str, int], int] = {}
    classes: list[TrainingClass] = []
    for spec, start, end, _ in schedule:
        key = (spec.code, start.year)
        per_year[key] = per_year.get(key, 0) + 1
        number = per_year[key]
        program = programs[spec.code]
        classes.append(
            TrainingClass(
                program=program,
                code=f"{spec.code}-{start.year}-{number:02d}",
                name=f"{spec.name} Angkatan {_roman(number)} Tahun {start.year}",
                starts_on=start,
                ends_on=end,
                venue="" if spec.online else rng.choice(VENUES),
                online_url="https://asn-unggul.lan.go.id/"
                if spec.code == "ASN-UNGGUL"
                else ("https://zoom.us/j/8123456789" if spec.online else ""),
                capacity=spec.capacity,
                status=_status_for(start, end, today),
                min_attendance_percent=program.min_attendance_percent,
                min_post_test=program.min_post_test,
            )
        )
    classes = TrainingClass.objects.bulk_create(classes, batch_size=BATCH)
    classes = list(TrainingClass.objects.filter(code__in=[c.code for c in classes]).select_related("program"))
    tz = timezone.get_current_timezone()
    sessions: list[Session] = []
    links = []
    for training_class in classes:
        day, index = training_class.starts_on, 0
        # One session a day: 8 JP (6 hours) on full days, less for a short seminar.
        minutes = min(360, int(training_class.program.jp * JP_MINUTES))
        length = dt.timedelta(minutes=minutes)
        while day <= training_class.ends_on:
            if day.weekday() < 5:
                sessions.append(
                    Session(
                        training_class=training_class,
                        starts_at=dt.datetime.combine(day, dt.time(8, 0), tzinfo=tz),
                        ends_at=dt.datetime.combine(day, dt.time(8, 0), tzinfo=tz) + length,
                        topic=TOPICS[min(index, len(TOPICS) - 1)]
                        if index < 5
                        else f"Materi hari ke-{index + 1}",
                        checkin_secret=secrets.token_hex(32),
                    )
                )
                index += 1
            day += dt.timedelta(days=1)
        if trainers and training_class.program.provider == P.BKPP:
            for trainer in rng.sample(trainers, k=min(len(trainers), rng.randint(1, 2))):
                links.append(
                    TrainingClass.trainers.through(trainingclass_id=training_class.pk, user_id=trainer.pk)
                )
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    TrainingClass.trainers.through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    return classes


VENUES = (
    "Aula BKPP Kota Semarang, Jl. Pemuda 148",
    "Ruang Rapat Lokakrida, Balai Kota Semarang",
    "Gedung Moch. Ichsan, Balai Kota Semarang",
    "Aula Kecamatan Tembalang",
    "Aula Kecamatan Banyumanik",
    "Hotel Patra Semarang (kerja sama)",
)


class _Calendar:
    """Who is busy when: the overlap rule of the enrolment service, applied while seeding in bulk."""

    def __init__(self) -> None:
        self.busy: dict[int, list[tuple[dt.date, dt.date]]] = {}

    def free(self, employee_id: int, start: dt.date, end: dt.date) -> bool:
        return all(end < s or start > e for s, e in self.busy.get(employee_id, ()))

    def book(self, employee_id: int, start: dt.date, end: dt.date) -> None:
        self.busy.setdefault(employee_id, []).append((start, end))


def seed_enrollments(rng: random.Random, classes: list[TrainingClass], today: dt.date) -> dict[str, int]:
    """Participants for every class; open classes also get a waiting list and pending approvals."""
    people = list(
        Employee.objects.filter(active=True)
        .order_by("pk")
        .values_list("pk", "position__kind", "position__is_front_line", "supervisor__user_id")
    )
    if not people:
        return {}
    pool = rng.sample(people, k=min(len(people), 4000))
    by_kind: dict[str, list[tuple[int, Any, Any, Any]]] = {}
    for person in pool:
        by_kind.setdefault(person[1] or "", []).append(person)
    admin = User.objects.filter(role_assignments__role=Role.ADMIN).order_by("pk").first()
    calendar = _Calendar()
    rows: list[Enrollment] = []
    counts: dict[str, int] = {}
    now = timezone.now()
    demo = _demo_people()
    for training_class in sorted(classes, key=lambda c: c.starts_on):
        spec_kinds = training_class.program.target_position_kinds
        candidates = [p for k in spec_kinds for p in by_kind.get(k, [])] if spec_kinds else pool
        if training_class.program.front_line_only:
            candidates = [p for p in candidates if p[2]] or candidates
        status = training_class.status
        if status == TrainingClass.Status.PLANNED:
            continue
        if status == TrainingClass.Status.OPEN:
            # About a third of the open classes are full and have a waiting list.
            full = rng.random() < 0.35
            seated = (
                training_class.capacity if full else int(training_class.capacity * rng.uniform(0.3, 0.95))
            )
            extra = rng.randint(2, 5) if full else 0
            pending = rng.randint(2, 6)
        else:
            seated = int(training_class.capacity * rng.uniform(0.75, 1.0))
            extra = pending = 0
        wanted = seated + extra + pending
        chosen: list[tuple[int, Any, Any, Any]] = []
        for person in rng.sample(candidates, k=min(len(candidates), wanted * 3)):
            if len(chosen) >= wanted:
                break
            if calendar.free(person[0], training_class.starts_on, training_class.ends_on):
                chosen.append(person)
        decided_at = dt.datetime.combine(
            training_class.starts_on - dt.timedelta(days=14),
            dt.time(9),
            tzinfo=timezone.get_current_timezone(),
        )
        for position, person in enumerate(chosen):
            calendar.book(person[0], training_class.starts_on, training_class.ends_on)
            if position < seated:
                state = Enrollment.Status.ENROLLED
            elif position < seated + extra:
                state = Enrollment.Status.WAITLISTED
            else:
                state = rng.choice(
                    (
                        Enrollment.Status.REQUESTED,
                        Enrollment.Status.NOMINATED,
                        Enrollment.Status.UNIT_APPROVED,
                    )
                )
            nominated = state == Enrollment.Status.NOMINATED or (
                state != Enrollment.Status.REQUESTED and rng.random() < 0.4
            )
            unit_done = state in (
                Enrollment.Status.UNIT_APPROVED,
                Enrollment.Status.ENROLLED,
                Enrollment.Status.WAITLISTED,
            )
            bkpp_done = state in (Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED)
            rows.append(
                Enrollment(
                    training_class=training_class,
                    employee_id=person[0],
                    status=state,
                    requested_by_id=person[3] if nominated else None,
                    reason=rng.choice(REASONS),
                    unit_approved_at=decided_at if unit_done else None,
                    approved_by=admin if bkpp_done else None,
                    approved_at=decided_at + dt.timedelta(days=2) if bkpp_done else None,
                    waitlisted_at=decided_at + dt.timedelta(days=2, minutes=position)
                    if state == Enrollment.Status.WAITLISTED
                    else None,
                )
            )
            counts[state] = counts.get(state, 0) + 1
    demo_rows = _demo_enrollments(rng, classes, calendar, demo, admin, today, now)
    for row in demo_rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    rows.extend(demo_rows)
    Enrollment.objects.bulk_create(rows, batch_size=BATCH)
    return counts


REASONS = (
    "Sesuai rencana pengembangan kompetensi tahun ini.",
    "Bertugas di loket pelayanan dan perlu penyegaran.",
    "Hasil analisis kesenjangan kompetensi.",
    "Usulan atasan untuk mendukung target kinerja unit.",
    "",
)


def _demo_people() -> dict[str, Employee | None]:
    def of(username: str) -> Employee | None:
        return Employee.objects.filter(user__username=username).first()

    return {name: of(name) for name in ("pegawai", "petugas", "atasan", "camat.tembalang")}


def _demo_enrollments(
    rng: random.Random,
    classes: list[TrainingClass],
    calendar: _Calendar,
    demo: dict[str, Employee | None],
    admin: User | None,
    today: dt.date,
    now: dt.datetime,
) -> list[Enrollment]:
    """The demo accounts' own stories: the employee holds a seat and has a request pending; the counter
    officer was nominated by the supervisor; so the camat and BKPP find something in their queues."""
    rows: list[Enrollment] = []
    upcoming = sorted(
        (c for c in classes if c.status == TrainingClass.Status.OPEN and c.starts_on > today),
        key=lambda c: c.starts_on,
    )
    atasan = demo.get("atasan")
    plan = (
        ("pegawai", Enrollment.Status.ENROLLED),
        ("pegawai", Enrollment.Status.REQUESTED),
        ("petugas", Enrollment.Status.NOMINATED),
        ("petugas", Enrollment.Status.UNIT_APPROVED),
    )
    taken: set[tuple[int, int]] = set()
    # Past seats the progress seed turns into completions: the employee's class ended within the last 30
    # days (so an L1 evaluation form is waiting), the officer's 90-150 days ago (so the supervisor is asked
    # for an L3 behaviour assessment).
    finished = [c for c in classes if c.status == TrainingClass.Status.FINISHED]
    for username, (oldest, newest) in (("pegawai", (30, 1)), ("petugas", (150, 90))):
        employee = demo.get(username)
        if employee is None:
            continue
        window = sorted(
            (c for c in finished if newest <= (today - c.ends_on).days <= oldest),
            key=lambda c: c.ends_on,
            reverse=True,
        )
        for training_class in window:
            if not calendar.free(employee.pk, training_class.starts_on, training_class.ends_on):
                continue
            calendar.book(employee.pk, training_class.starts_on, training_class.ends_on)
            taken.add((employee.pk, training_class.pk))
            rows.append(
                Enrollment(
                    training_class=training_class,
                    employee=employee,
                    status=Enrollment.Status.ENROLLED,
                    requested_by=employee.user,
                    reason="Sesuai rencana pengembangan kompetensi tahun ini.",
                    unit_approved_at=now,
                    approved_by=admin,
                    approved_at=now,
                )
            )
            break
    for username, state in plan:
        employee = demo.get(username)
        if employee is None:
            continue
        for training_class in upcoming:
            if (employee.pk, training_class.pk) in taken:
                continue
            if not calendar.free(employee.pk, training_class.starts_on, training_class.ends_on):
                continue
            calendar.book(employee.pk, training_class.starts_on, training_class.ends_on)
            taken.add((employee.pk, training_class.pk))
            nominated = state in (Enrollment.Status.NOMINATED, Enrollment.Status.UNIT_APPROVED)
            rows.append(
                Enrollment(
                    training_class=training_class,
                    employee=employee,
                    status=state,
                    requested_by=(atasan.user if nominated and atasan and atasan.user_id else employee.user),
                    reason="Usulan atasan untuk petugas loket."
                    if nominated
                    else "Ingin memperdalam pelayanan.",
                    unit_approved_at=now
                    if state in (Enrollment.Status.ENROLLED, Enrollment.Status.UNIT_APPROVED)
                    else None,
                    approved_by=admin if state == Enrollment.Status.ENROLLED else None,
                    approved_at=now if state == Enrollment.Status.ENROLLED else None,
                )
            )
            break
    return rows


def finished_enrollments() -> QuerySet[Enrollment]:
    """Seated enrolments of finished classes: what the progress seed turns into completion history."""
    return Enrollment.objects.filter(
        status=Enrollment.Status.ENROLLED, training_class__status=TrainingClass.Status.FINISHED
    ).select_related("training_class__program", "employee")


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    started = time.monotonic()
    if Program.objects.exists():
        return "learning: catalogue already present; nothing seeded"
    rng = random.Random(f"learning-{seed}")
    today = timezone.localdate()
    competencies = dict(Competency.objects.values_list("code", "pk"))
    programs = seed_catalogue(competencies)
    trainers = list(
        User.objects.filter(role_assignments__role=Role.TRAINER, is_active=True).distinct().order_by("pk")
    )
    classes = seed_classes(rng, programs, today, trainers)
    counts = seed_enrollments(rng, classes, today)
    summary = (
        f"learning: {len(programs)} programmes, {len(classes)} classes, "
        f"{Session.objects.count():,} sessions, {sum(counts.values()):,} enrolments"
    )
    try:
        progress_seeder = import_string(PROGRESS_SEEDER)
    except ImportError:
        progress_seeder = None
    if progress_seeder is not None:
        summary += "; " + str(progress_seeder(seed=seed, log=log))
    return f"{summary} in {time.monotonic() - started:.1f} s"
