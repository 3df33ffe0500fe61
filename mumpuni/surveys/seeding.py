"""Demo SKM answers on top of the queue history (queueing/seeding_history.py).

- About 15–25 % of the finished tickets of each point are answered (a rate per point), one response per
  ticket: ~65 % on the counter tablet, the rest through the ticket's online link; each response keeps the
  ticket's unit, point, service, counter, officer and service date, never an identity.
- Answers are plausible per point: every point draws a base level (some points land in mutu B, some in
  C), unsur have their usual shape (U4 Biaya high — population documents are free —, U3 Waktu and
  U8 Pengaduan lower, U9 Sarana varies by building), officers differ a little, and officers who completed
  a programme raising Pelayanan Prima or Komunikasi Publik before the service date score higher on
  U6/U7 (and a little on U3). A few answers are blank, U8 more often ("never complained").
- Paper batches (SurveyImport, channel paper, no ticket, counter or officer, as the import leaves them):
  every point one per quarter for the five quarters before the queue history (a little lower the
  further back, so the quarterly trend has a history), and a third of the points one more recently.
- Profile filled in by most respondents; ~12 % leave a suggestion from Indonesian templates that follow
  their lowest answer.
Deterministic for a seed; bulk inserted. A database that already has SKM responses is left alone, so
running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from mumpuni.learning.models import Enrollment, ProgramCompetency
from mumpuni.queueing.models import ServicePoint, Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyImport, SurveyResponse

SURVEYABLE = ("done", "incomplete", "referred")
COUNTER_SHARE = 0.65
PROFILE_SHARE = 0.85
SUGGESTION_SHARE = 0.12
PAPER_POINT_SHARE = 1 / 3
PAPER_QUARTERS = 5  # quarters of paper surveys before the queue history
PAPER_FILE_PREFIX = "demo-skm-kertas"
TRAINED_COMPETENCIES = ("T.PRIMA", "T.KOMPUB")
BATCH = 2000

# Offset of each unsur from the point's base level (mean answer on the 1–4 scale).
UNSUR_SHAPE = {
    "u1": 0.05,
    "u2": 0.0,
    "u3": -0.2,
    "u4": 0.45,
    "u5": 0.1,
    "u6": 0.0,
    "u7": 0.05,
    "u8": -0.25,
    "u9": 0.0,  # drawn per point below
}
BLANK_RATE = dict.fromkeys(UNSUR_FIELDS, 0.02) | {"u8": 0.10, "u4": 0.04}
TRAINED_BONUS = {"u6": 0.3, "u7": 0.35, "u3": 0.1}

AGE_WEIGHTS = {"<20": 4, "20-29": 22, "30-39": 27, "40-49": 23, "50-59": 15, "60+": 9}
SEX_WEIGHTS = {"L": 48, "P": 52}
EDUCATION_WEIGHTS = {"sd": 12, "smp": 15, "sma": 42, "d3": 9, "s1": 19, "s2": 3}
OCCUPATION_WEIGHTS = {
    "pns": 8,
    "swasta": 30,
    "wirausaha": 24,
    "pelajar": 10,
    "rumah_tangga": 18,
    "lainnya": 10,
}

# Suggestions by the unsur the respondent rated lowest, and a few for a satisfied respondent.
SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "u1": (
        "Mohon daftar persyaratan ditempel di depan loket supaya tidak bolak-balik.",
        "Persyaratan di website berbeda dengan yang diminta petugas, tolong disamakan.",
    ),
    "u2": (
        "Alurnya masih membingungkan, sebaiknya ada petunjuk langkah demi langkah.",
        "Tolong booking online dipermudah, saya gagal mendaftar lewat HP.",
    ),
    "u3": (
        "Antrean terlalu lama, mohon loket ditambah saat jam ramai.",
        "Proses cetak dokumen lama sekali, semoga bisa lebih cepat.",
        "Saya menunggu hampir dua jam, mohon diperbaiki.",
    ),
    "u4": ("Mohon informasi biaya dipasang jelas agar tidak ada pungutan tambahan.",),
    "u5": (
        "Ada salah ketik nama di dokumen saya, mohon lebih teliti.",
        "Hasil cetak tidak sesuai dengan data yang saya ajukan.",
    ),
    "u6": (
        "Petugas kurang paham prosedur pindah datang, saya diarahkan ke sana kemari.",
        "Mohon petugas diberi pelatihan agar bisa menjawab pertanyaan warga.",
    ),
    "u7": (
        "Petugas kurang ramah, mohon lebih sabar melayani warga lansia.",
        "Petugasnya sibuk main HP saat melayani.",
    ),
    "u8": (
        "Tidak tahu harus mengadu ke mana kalau ada masalah.",
        "Pengaduan saya bulan lalu belum ada jawaban.",
    ),
    "u9": (
        "Kursi ruang tunggu kurang, banyak yang berdiri.",
        "Toilet kurang bersih dan AC ruang tunggu mati.",
        "Parkir sempit, mohon ditata.",
    ),
    "good": (
        "Pelayanan sudah bagus dan cepat, terima kasih.",
        "Petugas ramah dan membantu, pertahankan.",
        "Ruang tunggu nyaman, semoga terus begini.",
    ),
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _answer(rng: random.Random, mean: float) -> int:
    """An answer 1–4 around `mean`: a rounded normal, clamped."""
    return max(1, min(4, round(rng.gauss(mean, 0.55))))


def _trained_since(officer_ids: set[int]) -> dict[int, dt.date]:
    """Officers who completed a programme raising Pelayanan Prima / Komunikasi Publik: the first date."""
    programs = ProgramCompetency.objects.filter(competency__code__in=TRAINED_COMPETENCIES).values(
        "program_id"
    )
    since: dict[int, dt.date] = {}
    rows = (
        Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED,
            employee_id__in=officer_ids,
            training_class__program_id__in=programs,
            completed_on__isnull=False,
        )
        .order_by("completed_on")
        .values_list("employee_id", "completed_on")
    )
    for employee_id, completed_on in rows:
        if completed_on is not None:
            since.setdefault(employee_id, completed_on)
    return since


def _response(
    rng: random.Random,
    means: dict[str, float],
    *,
    bonus: dict[str, float] | None = None,
    **fields: Any,
) -> SurveyResponse:
    answers: dict[str, int | None] = {}
    for field in UNSUR_FIELDS:
        if rng.random() < BLANK_RATE[field]:
            answers[field] = None
        else:
            answers[field] = _answer(rng, means[field] + (bonus or {}).get(field, 0.0))
    if all(v is None for v in answers.values()):
        answers["u1"] = _answer(rng, means["u1"])
    profile = {"age_band": "", "sex": "", "education": "", "occupation": ""}
    if rng.random() < PROFILE_SHARE:
        profile = {
            "age_band": _pick(rng, AGE_WEIGHTS),
            "sex": _pick(rng, SEX_WEIGHTS),
            "education": _pick(rng, EDUCATION_WEIGHTS),
            "occupation": _pick(rng, OCCUPATION_WEIGHTS),
        }
        if rng.random() < 0.08:  # some leave one profile question blank
            profile[rng.choice(list(profile))] = ""
    suggestion = ""
    if rng.random() < SUGGESTION_SHARE:
        answered = {k: v for k, v in answers.items() if v is not None}
        low_field = min(answered, key=lambda k: (answered[k], k))
        key = "good" if answered[low_field] >= 3 else low_field
        suggestion = rng.choice(SUGGESTIONS[key])
    return SurveyResponse(**fields, **answers, **profile, suggestion=suggestion)


def _paper_plan(rng: random.Random, days: list[dt.date]) -> list[tuple[dt.date, float]]:
    """Paper batches of one point: one in each of the PAPER_QUARTERS quarters before the queue history
    (the SKM on paper, before the tablets; answers a little lower the further back, so the trend chart
    shows a history), and for a third of the points one more during the history."""
    plan: list[tuple[dt.date, float]] = []
    first = days[0]
    quarter_start = dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    for back in range(1, PAPER_QUARTERS + 1):
        month = quarter_start.month - 3 * back
        year = quarter_start.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        plan.append((dt.date(year, month, rng.randint(10, 25)), -0.05 * back + rng.uniform(-0.08, 0.08)))
    if rng.random() < PAPER_POINT_SHARE:
        plan.append((rng.choice(days), 0.0))
    return plan


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    started = time.monotonic()
    rng = random.Random(f"surveys-{seed}")
    points = list(ServicePoint.objects.select_related("unit").order_by("unit__code"))
    if not points or SurveyResponse.objects.exists():
        summary = (
            "surveys: "
            + ("SKM responses already present" if points else "no service points")
            + ", nothing seeded"
        )
        if log:
            log(summary)
        return summary
    # Per point: a base level (mean answer) and a building (U9), and the share of tickets answered.
    base: dict[int, dict[str, float]] = {}
    rate: dict[int, float] = {}
    for point in points:
        level = rng.uniform(2.8, 3.35)
        base[point.pk] = {f: level + UNSUR_SHAPE[f] for f in UNSUR_FIELDS} | {
            "u9": level + rng.uniform(-0.35, 0.25)
        }
        rate[point.pk] = rng.uniform(0.15, 0.25)

    tickets = list(
        Ticket.objects.filter(status__in=SURVEYABLE, survey_response__isnull=True, point__in=points)
        .order_by("pk")
        .values_list(
            "pk", "point_id", "point__unit_id", "service_id", "counter_id", "officer_id", "service_date"
        )
    )
    officers = {t[5] for t in tickets if t[5] is not None}
    officer_shift = {o: random.Random(f"surveys-{seed}-officer-{o}").uniform(-0.12, 0.12) for o in officers}
    trained = _trained_since(officers)

    responses: list[SurveyResponse] = []
    counts = {"counter": 0, "online": 0, "paper": 0}
    trained_answers = 0
    with transaction.atomic():
        for pk, point_id, unit_id, service_id, counter_id, officer_id, day in tickets:
            if rng.random() >= rate[point_id]:
                continue
            means = base[point_id]
            bonus: dict[str, float] = {}
            if officer_id is not None:
                shift = officer_shift[officer_id]
                bonus = {"u6": shift, "u7": shift, "u3": shift / 2}
                since = trained.get(officer_id)
                if since is not None and since <= day:
                    trained_answers += 1
                    bonus = {
                        k: bonus.get(k, 0.0) + TRAINED_BONUS.get(k, 0.0) for k in {*bonus, *TRAINED_BONUS}
                    }
            channel = "counter" if rng.random() < COUNTER_SHARE else "online"
            counts[channel] += 1
            responses.append(
                _response(
                    rng,
                    means,
                    bonus=bonus,
                    unit_id=unit_id,
                    point_id=point_id,
                    service_id=service_id,
                    counter_id=counter_id,
                    officer_id=officer_id,
                    ticket_id=pk,
                    service_date=day,
                    channel=channel,
                )
            )
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)

        batches = 0
        paper: list[SurveyResponse] = []
        if tickets:
            paper_rng = random.Random(f"surveys-{seed}-paper")
            days = sorted({t[6] for t in tickets})
            for point in points:
                plan = _paper_plan(paper_rng, days)
                for day, drift in plan:
                    rows = paper_rng.randint(20, 45)
                    batch = SurveyImport.objects.create(
                        unit_id=point.unit_id,
                        default_date=day,
                        file_name=f"{PAPER_FILE_PREFIX}-{point.unit.code}-{day:%Y%m%d}.xlsx",
                        rows=rows,
                    )
                    batches += 1
                    means = {f: m + drift for f, m in base[point.pk].items()}
                    paper.extend(
                        _response(
                            paper_rng,
                            means,
                            unit_id=point.unit_id,
                            point_id=point.pk,
                            service_date=day,
                            channel="paper",
                            import_batch=batch,
                        )
                        for _ in range(rows)
                    )
            SurveyResponse.objects.bulk_create(paper, batch_size=BATCH)
            counts["paper"] = len(paper)

    total = len(responses) + counts["paper"]
    summary = (
        f"surveys: {total:,} SKM responses for {len(tickets):,} finished tickets ({counts['counter']:,} at "
        f"the counter, {counts['online']:,} online, {counts['paper']:,} on paper in {batches} batches; "
        f"{trained_answers:,} about trained officers) in {time.monotonic() - started:.1f} s"
    )
    if log:
        log(summary)
    return summary
