"""IKM figures: one SQL aggregate (sum and count per unsur) per group, then `lib/ikm.py` does the arithmetic.

Filters: a unit (with its subtree: a kecamatan includes its kelurahan, a dinas its points), a point, service,
counter, officer, and a date range on the service date. The population for the sample check is the number
of finished tickets (done, incomplete, referred) in the same filter, or a given number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from mumpuni.lib.ikm import UNSUR, IkmResult, compute, sample_required
from mumpuni.people.models import Unit
from mumpuni.queueing.models import Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse


@dataclass(frozen=True)
class IkmFilter:
    unit: Unit | None = None
    point_id: int | None = None
    service_id: int | None = None
    counter_id: int | None = None
    officer_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class IkmReport:
    result: IkmResult
    population: int
    sample_required: int
    sample_adequate: bool

    def as_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "respondents": r.respondents,
            "nrr": {code: round(float(value), 6) for code, value in r.nrr.items()},
            "ikm": float(r.ikm) if r.ikm is not None else None,
            "mutu": r.mutu,
            "kinerja": r.kinerja,
            "population": self.population,
            "sample_required": self.sample_required,
            "sample_adequate": self.sample_adequate,
        }


def _q(f: IkmFilter, prefix: str = "") -> Q:
    q = Q()
    if f.unit is not None:
        # The subtree as `unit_id IN (ids)`, not a join on the path: no join per answer row, and the
        # planner can use the (unit, service_date) index.
        q &= Q(**{f"{prefix}unit_id__in": _subtree(f.unit)})
    if f.point_id is not None:
        q &= Q(**{f"{prefix}point_id": f.point_id})
    if f.service_id is not None:
        q &= Q(**{f"{prefix}service_id": f.service_id})
    if f.counter_id is not None:
        q &= Q(**{f"{prefix}counter_id": f.counter_id})
    if f.officer_id is not None:
        q &= Q(**{f"{prefix}officer_id": f.officer_id})
    return q


def _subtree(unit: Unit) -> list[int]:
    """Ids of the unit and the units below it (one small query): a literal IN list lets the planner
    estimate the rows and spares PostgreSQL a hash join per answer row."""
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def responses(f: IkmFilter) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.filter(_q(f))
    if f.date_from is not None:
        qs = qs.filter(service_date__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(service_date__lte=f.date_to)
    return qs


def aggregate(qs: QuerySet[SurveyResponse]) -> IkmResult:
    """One query: respondents, and per unsur the sum and the number of answers (blanks excluded)."""
    row = qs.aggregate(**_aggregate_spec())
    sums = {field.upper(): int(row[f"s_{field}"] or 0) for field in UNSUR_FIELDS}
    counts = {field.upper(): int(row[f"n_{field}"] or 0) for field in UNSUR_FIELDS}
    return compute(sums, counts, int(row["respondents"] or 0))


def population(f: IkmFilter) -> int:
    """Service users in the period: finished tickets matching the same filter."""
    qs = Ticket.objects.filter(status__in=("done", "incomplete", "referred"))
    if f.unit is not None:
        qs = qs.filter(point__unit_id__in=_subtree(f.unit))
    if f.point_id is not None:
        qs = qs.filter(point_id=f.point_id)
    if f.service_id is not None:
        qs = qs.filter(service_id=f.service_id)
    if f.counter_id is not None:
        qs = qs.filter(counter_id=f.counter_id)
    if f.officer_id is not None:
        qs = qs.filter(officer_id=f.officer_id)
    if f.date_from is not None:
        qs = qs.filter(service_date__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(service_date__lte=f.date_to)
    return qs.count()


def ikm_report(f: IkmFilter, *, given_population: int | None = None) -> IkmReport:
    result = aggregate(responses(f))
    pop = given_population if given_population is not None else population(f)
    required = sample_required(pop)
    return IkmReport(result, pop, required, result.respondents >= required)


# --- grouped figures, trends, profile, suggestions (issue 6 §2) -------------------------------------
# Every figure below is one grouped SQL aggregate (values().annotate()): per group the number of
# respondents and, per unsur, the sum and the count of answers; lib/ikm.py does the arithmetic.

UNSUR_NAMES: dict[str, str] = dict(UNSUR)
GROUPS: dict[str, str] = {
    "service": "service_id",
    "counter": "counter_id",
    "officer": "officer_id",
    "point": "point_id",
    "unit": "unit_id",
}
PROFILE_FIELDS = ("age_band", "sex", "education", "occupation")
ROMAN = ("I", "II", "III", "IV")


def _aggregate_spec() -> dict[str, Any]:
    # COUNT(*), not COUNT(id): the id column need not be read (about a third less time per 1M rows).
    spec: dict[str, Any] = {"respondents": Count("*")}
    for field in UNSUR_FIELDS:
        spec[f"s_{field}"] = Sum(field)
        spec[f"n_{field}"] = Count(field)
    return spec


def _result(row: dict[str, Any]) -> IkmResult:
    sums = {field.upper(): int(row[f"s_{field}"] or 0) for field in UNSUR_FIELDS}
    counts = {field.upper(): int(row[f"n_{field}"] or 0) for field in UNSUR_FIELDS}
    return compute(sums, counts, int(row["respondents"] or 0))


def lowest_unsur(result: IkmResult, n: int = 3) -> list[str]:
    """The n answered unsur with the lowest NRR (ties by code)."""
    return [code for code, _ in sorted(result.nrr.items(), key=lambda kv: (kv[1], kv[0]))[:n]]


def answer_counts(qs: QuerySet[SurveyResponse]) -> dict[str, int]:
    """Answers per unsur (blanks excluded), for the report's NRR table."""
    row = qs.aggregate(**{field: Count(field) for field in UNSUR_FIELDS})
    return {field.upper(): int(row[field] or 0) for field in UNSUR_FIELDS}


@dataclass(frozen=True)
class GroupIkm:
    key: Any
    label: str
    result: IkmResult
    population: int | None = None

    @property
    def lowest(self) -> list[str]:
        return lowest_unsur(self.result)

    @property
    def lowest_code(self) -> str | None:
        low = lowest_unsur(self.result, 1)
        return low[0] if low else None

    @property
    def sample_required(self) -> int | None:
        return None if self.population is None else sample_required(self.population)

    @property
    def sample_adequate(self) -> bool | None:
        required = self.sample_required
        return None if required is None else self.result.respondents >= required


def _labels(by: str, keys: list[Any]) -> dict[Any, str]:
    from mumpuni.people.models import Employee
    from mumpuni.queueing.models import Counter, Service, ServicePoint

    ids = [k for k in keys if k is not None]
    if by == "service":
        return dict(Service.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "counter":
        return {
            pk: f"{point} — {name}"
            for pk, point, name in Counter.objects.filter(pk__in=ids).values_list("pk", "point__name", "name")
        }
    if by == "officer":
        return dict(Employee.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "point":
        return dict(ServicePoint.objects.filter(pk__in=ids).values_list("pk", "name"))
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))


NO_GROUP_LABEL = {
    "service": "(layanan tidak tercatat)",
    "counter": "(loket tidak tercatat)",
    "officer": "(petugas tidak tercatat)",
    "point": "(tempat tidak tercatat)",
    "unit": "(unit tidak tercatat)",
}


def grouped(f: IkmFilter, by: str) -> list[GroupIkm]:
    """IKM per service, counter, officer, point or unit: one grouped query, sorted by label.

    Answers without the grouping key (paper answers have no counter or officer) form one group of
    their own at the end, so the groups add up to the whole."""
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    column = GROUPS[by]
    rows = list(responses(f).values(column).annotate(**_aggregate_spec()).order_by())
    labels = _labels(by, [r[column] for r in rows])
    groups = [
        GroupIkm(
            r[column],
            labels.get(r[column], NO_GROUP_LABEL[by]) if r[column] else NO_GROUP_LABEL[by],
            _result(r),
        )
        for r in rows
    ]
    return sorted(groups, key=lambda g: (g.key is None, g.label.lower(), str(g.key)))


def population_by_unit(f: IkmFilter) -> dict[int, int]:
    """Finished tickets per unit of their service point, same filter (one grouped query)."""
    qs = Ticket.objects.filter(status__in=("done", "incomplete", "referred"))
    if f.unit is not None:
        qs = qs.filter(point__unit_id__in=_subtree(f.unit))
    if f.service_id is not None:
        qs = qs.filter(service_id=f.service_id)
    if f.date_from is not None:
        qs = qs.filter(service_date__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(service_date__lte=f.date_to)
    return dict(qs.values_list("point__unit_id").annotate(n=Count("id")).order_by())


def compare_units(f: IkmFilter, units: QuerySet[Unit]) -> list[GroupIkm]:
    """Every unit of `units` (e.g. the kecamatan and the MPP) ranked by IKM, best first; units without
    answers at the end. Each with its population (finished tickets) for the sample check."""
    candidates = list(units.values_list("pk", "name"))
    ids = [pk for pk, _ in candidates]
    rows = {
        r["unit_id"]: r
        for r in responses(f)
        .filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(**_aggregate_spec())
        .order_by()
    }
    pops = population_by_unit(f)
    empty = compute({}, {}, 0)
    groups = [
        GroupIkm(pk, name, _result(rows[pk]) if pk in rows else empty, pops.get(pk, 0))
        for pk, name in candidates
    ]
    return sorted(
        groups,
        key=lambda g: (g.result.ikm is None, -(g.result.ikm or 0), g.label.lower()),
    )


# --- quarters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int  # 1..4

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"TW {ROMAN[self.quarter - 1]} {self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2026-Q3' → Quarter(2026, 3); ValueError otherwise."""
        year, _, q = text.strip().upper().partition("-Q")
        quarter = cls(int(year), int(q))
        if not 1 <= quarter.quarter <= 4 or not 2000 <= quarter.year <= 2100:
            raise ValueError(text)
        return quarter


def last_quarters(until: dt.date, n: int) -> list[Quarter]:
    """The n quarters ending with the one holding `until`, oldest first."""
    quarters = [Quarter.of(until)]
    while len(quarters) < n:
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


@dataclass(frozen=True)
class QuarterIkm:
    quarter: Quarter
    result: IkmResult


def quarterly(f: IkmFilter, *, until: dt.date, quarters: int = 8) -> list[QuarterIkm]:
    """IKM per quarter for the last `quarters` quarters up to the one holding `until` (the filter's own
    dates are replaced by that window); one grouped query, every quarter listed even without answers."""
    from dataclasses import replace

    from django.db.models.functions import ExtractQuarter, ExtractYear

    window = last_quarters(until, quarters)
    qs = responses(replace(f, date_from=window[0].start, date_to=window[-1].end))
    rows = (
        qs.annotate(y=ExtractYear("service_date"), q=ExtractQuarter("service_date"))
        .values("y", "q")
        .annotate(**_aggregate_spec())
        .order_by()
    )
    by_quarter = {(int(r["y"]), int(r["q"])): _result(r) for r in rows}
    empty = compute({}, {}, 0)
    return [QuarterIkm(q, by_quarter.get((q.year, q.quarter), empty)) for q in window]


# --- respondents -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRow:
    value: str
    label: str
    count: int
    share: float  # of the respondents in the period (0..1)


def profile(f: IkmFilter) -> dict[str, list[ProfileRow]]:
    """Respondents per age band, sex, education and occupation ('' = not filled in): one grouped query."""
    choices = {
        "age_band": SurveyResponse.AgeBand.choices,
        "sex": SurveyResponse.Sex.choices,
        "education": SurveyResponse.Education.choices,
        "occupation": SurveyResponse.Occupation.choices,
    }
    counts: dict[str, dict[str, int]] = {field: {} for field in PROFILE_FIELDS}
    total = 0
    for row in responses(f).values(*PROFILE_FIELDS).annotate(n=Count("id")).order_by():
        total += row["n"]
        for field in PROFILE_FIELDS:
            counts[field][row[field]] = counts[field].get(row[field], 0) + row["n"]
    result: dict[str, list[ProfileRow]] = {}
    for field in PROFILE_FIELDS:
        rows = [
            ProfileRow(
                value,
                str(label),
                counts[field].get(value, 0),
                counts[field].get(value, 0) / total if total else 0.0,
            )
            for value, label in choices[field]
        ]
        blank = counts[field].get("", 0)
        rows.append(ProfileRow("", "Tidak diisi", blank, blank / total if total else 0.0))
        result[field] = rows
    return result


def channels(f: IkmFilter) -> dict[str, int]:
    """Respondents per channel (counter tablet, online link, paper), every channel listed."""
    found = dict(responses(f).values_list("channel").annotate(n=Count("id")).order_by())
    return {value: int(found.get(value, 0)) for value in SurveyResponse.Channel.values}


def suggestions(f: IkmFilter, limit: int = 20) -> list[tuple[dt.date, str]]:
    """The latest suggestions received: date and text only (a response holds no identity anyway)."""
    return list(
        responses(f)
        .exclude(suggestion="")
        .order_by("-service_date", "-id")
        .values_list("service_date", "suggestion")[:limit]
    )


def suggestion_count(f: IkmFilter) -> int:
    return responses(f).exclude(suggestion="").count()


# --- what to do about a low unsur ------------------------------------------------------------------
# Data, not code: per unsur the suggested action and the competencies (codes of the competency
# dictionary) whose training programmes raise it; `keywords` find programmes by name when no uplift is
# recorded. U6 (Kompetensi Pelaksana) is about the technical competencies of the services actually
# served, so its competencies come from SERVICE_COMPETENCIES for the services in the figures.


@dataclass(frozen=True)
class UnsurAdvice:
    action: str
    competencies: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    from_services: bool = False


UNSUR_ADVICE: dict[str, UnsurAdvice] = {
    "U1": UnsurAdvice(
        "Umumkan persyaratan setiap layanan di loket, laman dan media sosial; samakan dengan standar "
        "pelayanan; sediakan daftar periksa berkas agar warga tidak bolak-balik.",
        ("T.ADK", "T.PRIMA"),
        ("administrasi kependudukan",),
    ),
    "U2": UnsurAdvice(
        "Sederhanakan alur dan pasang bagan alur di ruang tunggu; tawarkan booking dan layanan daring; "
        "pastikan petugas menjelaskan langkah berikutnya.",
        ("T.PRIMA", "T.DIGITAL"),
        ("pelayanan prima", "literasi digital"),
    ),
    "U3": UnsurAdvice(
        "Bandingkan waktu layanan dengan target di statistik antrean; tambah loket pada jam sibuk sesuai "
        "saran Erlang C; beri tahu warga kapan dokumen selesai.",
        ("T.WAKTU",),
        ("manajemen waktu",),
    ),
    "U4": UnsurAdvice(
        "Pasang maklumat biaya (\u201ctidak dipungut biaya\u201d untuk dokumen kependudukan) di loket dan "
        "laman; tutup celah pungutan di luar ketentuan; tunjukkan kanal pengaduan.",
        ("T.PRIMA",),
        ("pelayanan prima",),
    ),
    "U5": UnsurAdvice(
        "Periksa hasil layanan terhadap standar pelayanan (ketepatan data dan dokumen); verifikasi berkas "
        "sebelum mencetak; catat dan perbaiki kesalahan berulang.",
        ("T.ADK",),
        ("administrasi kependudukan",),
    ),
    "U6": UnsurAdvice(
        "Latih petugas pada kompetensi teknis layanan yang paling banyak dilayani; dampingkan petugas baru "
        "dengan petugas senior; gunakan hasil uji kompetensi untuk memilih peserta.",
        ("T.ADK",),
        (),
        from_services=True,
    ),
    "U7": UnsurAdvice(
        "Pelatihan pelayanan prima dan komunikasi efektif; standar sapaan dan sikap melayani; atasan memberi "
        "umpan balik dari saran warga setiap bulan.",
        ("T.PRIMA", "T.KOMPUB"),
        ("pelayanan prima", "komunikasi"),
    ),
    "U8": UnsurAdvice(
        "Tampilkan kanal pengaduan (SP4N-LAPOR!, laman pengaduan) di loket dan tiket; tindak lanjuti tepat "
        "waktu dan umumkan hasilnya.",
        ("T.ADUAN",),
        ("pengaduan",),
    ),
    "U9": UnsurAdvice(
        "Perbaiki ruang tunggu, tempat duduk, toilet, papan antrean dan akses bagi penyandang disabilitas; "
        "anggarkan pemeliharaan rutin. Unsur ini diperbaiki dengan sarana, bukan pelatihan."
    ),
}

# Technical competencies a service needs (by service code prefix, longest first wins), for U6.
SERVICE_COMPETENCIES: dict[str, tuple[str, ...]] = {
    "KTP": ("T.ADK",),
    "KK": ("T.ADK",),
    "AKTA": ("T.ADK",),
    "KIA": ("T.ADK",),
    "PINDAH": ("T.ADK",),
    "DATANG": ("T.ADK",),
    "LEGALISASI": ("T.ARSIP", "T.ADK"),
    "SK-": ("T.ARSIP",),
    "SKTM": ("T.ARSIP",),
    "PENGANTAR-NIKAH": ("T.ARSIP",),
    "PBG": ("T.KOMPUB",),
    "PENGADUAN": ("T.ADUAN",),
}


def service_competencies(service_code: str) -> tuple[str, ...]:
    for prefix in sorted(SERVICE_COMPETENCIES, key=len, reverse=True):
        if service_code.startswith(prefix):
            return SERVICE_COMPETENCIES[prefix]
    return ()


@dataclass(frozen=True)
class Programme:
    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class Improvement:
    code: str  # U1..U9
    name: str
    nrr: Any  # Fraction
    action: str
    competencies: tuple[str, ...]
    programmes: list[Programme]

    @property
    def catalogue_query(self) -> str:
        """The learning catalogue filtered to the first competency (?competency=…), or ''."""
        return f"competency={self.competencies[0]}" if self.competencies else ""


def improvements(result: IkmResult, f: IkmFilter, n: int = 3) -> list[Improvement]:
    """The n lowest unsur with the suggested action and the active training programmes that raise the
    related competencies (by recorded uplift, else by name keyword). Two or three small queries."""
    from mumpuni.learning.models import Program, ProgramCompetency
    from mumpuni.queueing.models import Service

    codes = lowest_unsur(result, n)
    if not codes:
        return []
    wanted: dict[str, tuple[str, ...]] = {}
    for code in codes:
        advice = UNSUR_ADVICE[code]
        comps = advice.competencies
        if advice.from_services:
            served = responses(f).exclude(service__isnull=True).values("service_id").annotate(n=Count("id"))
            top = [r["service_id"] for r in served.order_by("-n")[:5]]
            found: list[str] = []
            for svc_code in Service.objects.filter(pk__in=top).values_list("code", flat=True):
                found.extend(c for c in service_competencies(svc_code) if c not in found)
            comps = tuple(found) or comps
        wanted[code] = comps
    all_comps = {c for comps in wanted.values() for c in comps}
    by_comp: dict[str, list[Programme]] = {}
    for pk, pcode, name, comp in (
        ProgramCompetency.objects.filter(competency__code__in=all_comps, program__active=True)
        .order_by("-uplift", "program__name")
        .values_list("program_id", "program__code", "program__name", "competency__code")
    ):
        by_comp.setdefault(comp, []).append(Programme(pk, pcode, name))
    keywords = {k for code in codes for k in UNSUR_ADVICE[code].keywords}
    by_keyword: dict[str, list[Programme]] = {}
    if keywords:
        q = Q()
        for k in keywords:
            q |= Q(name__icontains=k)
        for pk, pcode, name in (
            Program.objects.filter(q, active=True).order_by("name").values_list("pk", "code", "name")
        ):
            for k in keywords:
                if k.lower() in name.lower():
                    by_keyword.setdefault(k, []).append(Programme(pk, pcode, name))
    plan = []
    for code in codes:
        seen: dict[int, Programme] = {}
        for comp in wanted[code]:
            for p in by_comp.get(comp, []):
                seen.setdefault(p.pk, p)
        for k in UNSUR_ADVICE[code].keywords:
            for p in by_keyword.get(k, []):
                seen.setdefault(p.pk, p)
        plan.append(
            Improvement(
                code,
                UNSUR_NAMES[code],
                result.nrr[code],
                UNSUR_ADVICE[code].action,
                wanted[code],
                list(seen.values())[:4],
            )
        )
    return plan


# --- everything the figures page and the official report show -------------------------------------


@dataclass(frozen=True)
class IkmFigures:
    filter: IkmFilter
    report: IkmReport
    answers: dict[str, int]  # answers per unsur
    channels: dict[str, int]
    profile: dict[str, list[ProfileRow]]
    improvements: list[Improvement]
    suggestions: list[tuple[dt.date, str]]
    suggestion_count: int
    groups: dict[str, list[GroupIkm]]

    @property
    def result(self) -> IkmResult:
        return self.report.result

    @property
    def lowest(self) -> list[str]:
        return lowest_unsur(self.result)


def figures(
    f: IkmFilter,
    *,
    given_population: int | None = None,
    group_by: tuple[str, ...] = ("service", "counter", "officer"),
    suggestions_limit: int = 20,
) -> IkmFigures:
    report = ikm_report(f, given_population=given_population)
    return IkmFigures(
        filter=f,
        report=report,
        answers=answer_counts(responses(f)),
        channels=channels(f),
        profile=profile(f),
        improvements=improvements(report.result, f),
        suggestions=suggestions(f, suggestions_limit),
        suggestion_count=suggestion_count(f),
        groups={by: grouped(f, by) for by in group_by},
    )


# --- identity of the unit on the official report ---------------------------------------------------


@dataclass(frozen=True)
class UnitIdentity:
    name: str
    code: str
    address: str
    head_title: str  # "Camat Tembalang", "Kepala Mal Pelayanan Publik Kota Semarang"
    head_name: str
    head_nip: str


CITY_LABEL = "Seluruh unit pelayanan Kota Semarang"


def unit_identity(unit: Unit | None) -> UnitIdentity:
    """Name, code, address (of its service point, if any) and head (the holder of the unit-head role on
    it, else the employee in its administrator/JPT position) — blank when not known."""
    from mumpuni.people.models import Employee, Role, RoleAssignment
    from mumpuni.queueing.models import ServicePoint

    if unit is None:
        return UnitIdentity(CITY_LABEL, "", "", "", "", "")
    address = (
        ServicePoint.objects.filter(unit__path__startswith=unit.path)
        .exclude(address="")
        .order_by("unit__path")
        .values_list("address", flat=True)
        .first()
        or ""
    )
    head = (
        Employee.objects.filter(
            user__in=RoleAssignment.objects.filter(role=Role.UNIT_HEAD, unit=unit).values("user"), active=True
        )
        .select_related("position")
        .order_by("pk")
        .first()
    )
    if head is None:
        head = (
            Employee.objects.filter(
                active=True, position__unit=unit, position__kind__in=("jpt", "administrator")
            )
            .select_related("position")
            .order_by("position__kind", "pk")
            .first()
        )
    title = head.position.name if head is not None and head.position is not None else f"Kepala {unit.name}"
    return UnitIdentity(
        unit.name,
        unit.code,
        address,
        title,
        head.name if head is not None else "",
        head.nip if head is not None else "",
    )
