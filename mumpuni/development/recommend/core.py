"""The scoring core of recommendations: plain data in, ranked programmes with every part of the score out.

No ORM here: `loader.py` fetches the facts for any number of employees with a constant number of queries,
this module scores them in Python. A score is the sum of its parts, each `weight × value` with the value in
0..1 and the weight configurable (`MUMPUNI_RECOMMENDATION_WEIGHTS`, docs/development.md). Scoring people
falls under UU 27/2022 (PDP): nothing is hidden — every part carries the numbers it used and a sentence
that states them, and the sentence is rendered from exactly those numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

# Parts of the score, in display order.
PART_KEYS = ("gap", "service", "peers", "schedule", "jp", "cost")
DEFAULT_WEIGHTS: dict[str, float] = {
    "gap": 40.0,
    "service": 20.0,
    "peers": 15.0,
    "schedule": 10.0,
    "jp": 10.0,
    "cost": 5.0,
}
# A programme that wholly closes this many gaps gets the full gap part.
GAPS_FOR_FULL_MARKS = 2.0
# Colleagues' gains: full marks at this mean gain (levels); confidence n / (n + PEER_PRIOR).
PEER_FULL_GAIN = 2.0
PEER_PRIOR = 3
# A nonklasikal activity proposed where the catalogue has nothing for a gap (coaching at work).
ACTIVITY_FORM = "bimbingan_kerja"
ACTIVITY_JP = 4.0
ACTIVITY_ASSUMED_UPLIFT = 1
SCHEDULE_SOON_DAYS = 90


@dataclass(frozen=True, slots=True)
class ClassFacts:
    code: str
    starts_on: dt.date
    ends_on: dt.date
    seats_left: int
    status: str  # planned | open


@dataclass(frozen=True, slots=True)
class ProgramFacts:
    pk: int
    code: str
    name: str
    category: str
    form: str
    jp: float
    cost: int
    uplifts: Mapping[int, int]  # competency id -> levels
    target_kinds: tuple[str, ...] = ()
    front_line_only: bool = False
    cpns_only: bool = False  # Latsar and the like: only in the CPNS probation year
    prerequisites: frozenset[int] = frozenset()
    next_class: ClassFacts | None = None
    self_paced: bool = False  # nonklasikal without classes: e-learning, coaching, …

    def fits(self, employee: EmployeeFacts) -> bool:
        if self.target_kinds and employee.position_kind not in self.target_kinds:
            return False
        if self.cpns_only and not employee.cpns:
            return False
        return not (self.front_line_only and not employee.front_line)


@dataclass(frozen=True, slots=True)
class Signal:
    """A service figure that points at competencies: slow service, a low SKM unsur, complaints."""

    key: str  # service_time | u3 | u6 | u7 | u8 | complaint:<category>
    severity: float  # 0..1
    competency_ids: frozenset[int]
    own: bool  # about the employee's own tickets/answers (True) or their unit's (False)
    facts: Mapping[str, Any]  # the numbers the sentence states


@dataclass(slots=True)
class EmployeeFacts:
    pk: int
    position_kind: str
    front_line: bool
    peer_key: str  # "similar position": the position's name
    gaps: dict[int, tuple[int, int]]  # competency id -> (current, required), current < required
    jp_done: float = 0.0
    taken: set[int] = field(default_factory=set)  # programmes completed or under way: not proposed again
    completed: set[int] = field(default_factory=set)  # for prerequisites
    signals: list[Signal] = field(default_factory=list)
    cpns: bool = False  # a PNS in the probation year after TMT CPNS (lib.nip.in_cpns_year)


@dataclass(frozen=True, slots=True)
class PeerGain:
    count: int
    mean_gain: float


@dataclass(slots=True)
class Catalogue:
    programs: list[ProgramFacts]
    competency_names: dict[int, str]
    peer_gains: dict[tuple[str, int], PeerGain]
    today: dt.date
    jp_target: float = 20.0
    max_cost: int = 0
    by_competency: dict[int, list[ProgramFacts]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.max_cost = max((p.cost for p in self.programs), default=0)
        index: dict[int, list[ProgramFacts]] = {}
        for program in self.programs:
            for competency_id in program.uplifts:
                index.setdefault(competency_id, []).append(program)
        self.by_competency = index


@dataclass(slots=True)
class ScorePart:
    key: str
    value: float  # 0..1
    weight: float
    facts: dict[str, Any]

    @property
    def points(self) -> float:
        return round(self.value * self.weight, 1)

    @property
    def label(self) -> str:
        return part_label(self.key)

    @property
    def explanation(self) -> str:
        return explain(self.key, self.facts)


@dataclass(slots=True)
class Recommendation:
    program: ProgramFacts | None  # None: a nonklasikal activity without a catalogue programme
    activity: str
    form: str
    jp: float
    cost: int
    parts: list[ScorePart]
    closes: dict[int, int]  # competency id -> gap levels it closes

    @property
    def score(self) -> float:
        return round(sum(p.value * p.weight for p in self.parts), 1)

    @property
    def title(self) -> str:
        return self.program.name if self.program else self.activity

    @property
    def code(self) -> str:
        return self.program.code if self.program else ""

    @property
    def reason(self) -> str:
        """The parts that scored, as one text (stored on a drafted plan item)."""
        return "; ".join(p.explanation for p in self.parts if p.value > 0)

    @property
    def main_competency(self) -> int | None:
        return max(self.closes, key=lambda k: (self.closes[k], -k)) if self.closes else None


def weights_from(config: Mapping[str, Any] | None) -> dict[str, float]:
    """Defaults overridden by the configured ones; unknown keys and negative weights are refused loudly."""
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in (config or {}).items():
        if key not in DEFAULT_WEIGHTS:
            raise ValueError(f"MUMPUNI_RECOMMENDATION_WEIGHTS: unknown part {key!r}")
        number = float(value)
        if number < 0:
            raise ValueError(f"MUMPUNI_RECOMMENDATION_WEIGHTS: {key} must not be negative")
        weights[key] = number
    return weights


# --- scoring -----------------------------------------------------------------------------------------


def _gap_part(employee: EmployeeFacts, uplifts: Mapping[int, int], weight: float) -> tuple[ScorePart, dict]:
    closes: dict[int, int] = {}
    rows = []
    share = 0.0
    for competency_id, uplift in uplifts.items():
        gap = employee.gaps.get(competency_id)
        if gap is None:
            continue
        current, required = gap
        closed = min(uplift, required - current)
        closes[competency_id] = closed
        share += closed / (required - current)
        rows.append((competency_id, current, required, uplift, closed))
    value = min(1.0, share / GAPS_FOR_FULL_MARKS)
    return ScorePart("gap", value, weight, {"rows": rows, "share": share}), closes


def _service_part(employee: EmployeeFacts, uplifts: Mapping[int, int], weight: float) -> ScorePart:
    matched = [s for s in employee.signals if s.competency_ids.intersection(uplifts)]
    matched.sort(key=lambda s: -s.severity)
    value = matched[0].severity if matched else 0.0
    return ScorePart("service", value, weight, {"signals": matched})


def _peer_part(catalogue: Catalogue, employee: EmployeeFacts, program_id: int, weight: float) -> ScorePart:
    gain = catalogue.peer_gains.get((employee.peer_key, program_id))
    if gain is None or gain.count == 0:
        return ScorePart("peers", 0.0, weight, {"count": 0})
    confidence = gain.count / (gain.count + PEER_PRIOR)
    value = max(0.0, min(1.0, gain.mean_gain / PEER_FULL_GAIN)) * confidence
    return ScorePart("peers", value, weight, {"count": gain.count, "gain": gain.mean_gain})


def _schedule_part(catalogue: Catalogue, program: ProgramFacts | None, weight: float) -> ScorePart:
    if program is None:
        return ScorePart("schedule", 0.8, weight, {"kind": "activity"})
    klass = program.next_class
    if klass is None:
        if program.self_paced:
            return ScorePart("schedule", 0.8, weight, {"kind": "self_paced"})
        return ScorePart("schedule", 0.0, weight, {"kind": "none"})
    days = (klass.starts_on - catalogue.today).days
    value = 1.0 if days <= SCHEDULE_SOON_DAYS else 0.6
    if klass.status != "open":
        value *= 0.7
    return ScorePart("schedule", round(value, 3), weight, {"kind": "class", "class": klass})


def _jp_part(catalogue: Catalogue, employee: EmployeeFacts, jp: float, weight: float) -> ScorePart:
    missing = max(0.0, catalogue.jp_target - employee.jp_done)
    if missing <= 0:
        return ScorePart("jp", 0.0, weight, {"missing": 0.0, "done": employee.jp_done, "jp": jp})
    return ScorePart("jp", min(missing, jp) / missing, weight, {"missing": missing, "jp": jp})


def _cost_part(catalogue: Catalogue, cost: int, weight: float) -> ScorePart:
    value = 1.0 - cost / catalogue.max_cost if catalogue.max_cost else 1.0
    return ScorePart("cost", round(value, 3), weight, {"cost": cost, "max": catalogue.max_cost})


def score_program(
    catalogue: Catalogue, employee: EmployeeFacts, program: ProgramFacts, weights: Mapping[str, float]
) -> Recommendation:
    gap, closes = _gap_part(employee, program.uplifts, weights["gap"])
    gap.facts["names"] = catalogue.competency_names
    parts = [
        gap,
        _service_part(employee, program.uplifts, weights["service"]),
        _peer_part(catalogue, employee, program.pk, weights["peers"]),
        _schedule_part(catalogue, program, weights["schedule"]),
        _jp_part(catalogue, employee, program.jp, weights["jp"]),
        _cost_part(catalogue, program.cost, weights["cost"]),
    ]
    return Recommendation(program, "", program.form, program.jp, program.cost, parts, closes)


def _activity(
    catalogue: Catalogue, employee: EmployeeFacts, competency_id: int, weights: Mapping[str, float]
) -> Recommendation:
    uplifts = {competency_id: ACTIVITY_ASSUMED_UPLIFT}
    gap, closes = _gap_part(employee, uplifts, weights["gap"])
    gap.facts["assumed"] = True
    gap.facts["names"] = catalogue.competency_names
    parts = [
        gap,
        _service_part(employee, uplifts, weights["service"]),
        ScorePart("peers", 0.0, weights["peers"], {"count": 0}),
        _schedule_part(catalogue, None, weights["schedule"]),
        _jp_part(catalogue, employee, ACTIVITY_JP, weights["jp"]),
        _cost_part(catalogue, 0, weights["cost"]),
    ]
    name = catalogue.competency_names.get(competency_id, "")
    title = _("Bimbingan di tempat kerja: %(competency)s") % {"competency": name}
    return Recommendation(None, title, ACTIVITY_FORM, ACTIVITY_JP, 0, parts, closes)


def candidates(catalogue: Catalogue, employee: EmployeeFacts) -> Iterable[ProgramFacts]:
    """Programmes that fit the position, are not taken yet, whose prerequisites are met, and that touch a gap
    or a service signal — or, when the employee is short of JP, any such programme."""
    wanted: set[int] = set(employee.gaps)
    for signal in employee.signals:
        wanted |= signal.competency_ids
    seen: set[int] = set()
    pool: Iterable[ProgramFacts]
    if employee.jp_done < catalogue.jp_target:
        pool = catalogue.programs
    else:
        pool = (p for k in wanted for p in catalogue.by_competency.get(k, ()))
    for program in pool:
        if program.pk in seen or program.pk in employee.taken:
            continue
        seen.add(program.pk)
        if not program.fits(employee) or not program.prerequisites <= employee.completed:
            continue
        yield program


def recommend(
    catalogue: Catalogue,
    employee: EmployeeFacts,
    weights: Mapping[str, float],
    *,
    limit: int | None = 5,
    activities: bool = True,
) -> list[Recommendation]:
    """The employee's programmes (and activities for gaps the catalogue cannot serve), best first. Ties go
    to fewer JP, then the code, so the order is stable."""
    results = []
    # Gaps served by a programme the employee is already enrolled in need no extra activity.
    covered: set[int] = {k for p in catalogue.programs if p.pk in employee.taken for k in p.uplifts}
    for program in candidates(catalogue, employee):
        rec = score_program(catalogue, employee, program, weights)
        if rec.parts[0].value == 0 and rec.parts[1].value == 0 and rec.parts[4].value == 0:
            continue  # touches no gap, no service problem and brings no JP the employee lacks
        covered.update(program.uplifts)
        results.append(rec)
    if activities:
        for competency_id in employee.gaps:
            if competency_id not in covered:
                results.append(_activity(catalogue, employee, competency_id, weights))
    results.sort(key=lambda r: (-r.score, r.jp, r.code or r.activity))
    return results if limit is None else results[:limit]


# --- explanations ------------------------------------------------------------------------------------


def part_label(key: str) -> str:
    return {
        "gap": _("Kesenjangan kompetensi"),
        "service": _("Kinerja pelayanan"),
        "peers": _("Hasil rekan sejabatan"),
        "schedule": _("Jadwal dan kursi"),
        "jp": _("Kekurangan JP"),
        "cost": _("Biaya"),
    }[key]


def num(value: float, decimals: int = 1) -> str:
    """A number in the page language (Indonesian: 14,2 and 2.500.000)."""
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def rupiah(value: int) -> str:
    return "Rp " + number_format(value, decimal_pos=0, force_grouping=True)


UNSUR_NAMES = {
    "u1": "persyaratan",
    "u2": "sistem, mekanisme, dan prosedur",
    "u3": "waktu penyelesaian",
    "u4": "biaya/tarif",
    "u5": "produk spesifikasi jenis pelayanan",
    "u6": "kompetensi pelaksana",
    "u7": "perilaku pelaksana",
    "u8": "penanganan pengaduan, saran dan masukan",
    "u9": "sarana dan prasarana",
}


def explain_signal(signal: Signal) -> str:
    f = signal.facts
    if signal.key == "service_time":
        if signal.own:
            return _(
                "Rata-rata waktu layanan Anda di loket %(mean)s menit untuk %(service)s (%(n)s tiket), "
                "standar %(target)s menit"
            ) % {"mean": num(f["mean"]), "service": f["service"], "n": num(f["n"], 0), "target": f["target"]}
        return _(
            "Rata-rata waktu layanan %(service)s di %(point)s %(mean)s menit (%(n)s tiket), standar %(target)s menit"
        ) % {
            "mean": num(f["mean"]),
            "service": f["service"],
            "point": f["point"],
            "n": num(f["n"], 0),
            "target": f["target"],
        }
    if signal.key.startswith("u"):
        rank = f["rank"]
        where = _("layanan Anda") if signal.own else _("unit Anda")
        position = (
            _("terendah dari 9 unsur")
            if rank == 1
            else _("terendah ke-%(rank)s dari 9 unsur") % {"rank": rank}
        )
        return _("Skor %(u)s (%(name)s) %(where)s %(nrr)s dari %(n)s responden SKM, %(position)s") % {
            "u": signal.key.upper(),
            "name": UNSUR_NAMES.get(signal.key, ""),
            "where": where,
            "nrr": num(f["nrr"], 2),
            "n": num(f["n"], 0),
            "position": position,
        }
    category = f.get("category_label", "")
    if signal.own:
        return ngettext(
            "%(n)s pengaduan tentang %(category)s menyebut Anda dalam %(days)s hari terakhir",
            "%(n)s pengaduan tentang %(category)s menyebut Anda dalam %(days)s hari terakhir",
            f["n"],
        ) % {"n": f["n"], "category": category, "days": f["days"]}
    return ngettext(
        "%(n)s pengaduan tentang %(category)s di %(point)s dalam %(days)s hari terakhir",
        "%(n)s pengaduan tentang %(category)s di %(point)s dalam %(days)s hari terakhir",
        f["n"],
    ) % {"n": f["n"], "category": category, "point": f.get("point", ""), "days": f["days"]}


def _explain_gap(facts: Mapping[str, Any], names: Mapping[int, str]) -> str:
    if not facts["rows"]:
        return _("Tidak menutup kesenjangan kompetensi Anda yang tercatat")
    sentences = []
    for competency_id, current, required, uplift, closed in facts["rows"]:
        text = _(
            "Menutup kesenjangan %(competency)s: tingkat %(current)s dari %(required)s yang disyaratkan"
        ) % {
            "competency": names.get(competency_id, str(competency_id)),
            "current": current,
            "required": required,
        }
        if facts.get("assumed"):
            text += " " + _("(perkiraan naik %(n)s tingkat)") % {"n": uplift}
        elif closed < required - current:
            text += " " + _("(program menaikkan %(n)s tingkat)") % {"n": uplift}
        sentences.append(text)
    return "; ".join(sentences)


# Rendered sentences by (language, part, the facts it states): the batch renders ~400,000 sentences of which
# most repeat (the same class, cost, JP shortfall or unit figure), and gettext/number formatting dominate.
_SENTENCES: dict[tuple[Any, ...], str] = {}
_SENTENCES_MAX = 100_000


def _signature(key: str, facts: Mapping[str, Any]) -> tuple[Any, ...] | None:
    if key == "service":
        return tuple((s.key, s.own, tuple(sorted(s.facts.items()))) for s in facts["signals"])
    if key == "peers":
        return (facts["count"], facts.get("gain"))
    if key == "schedule":
        return (facts["kind"], facts.get("class"))
    if key == "jp":
        return (facts["missing"], facts.get("done"), facts["jp"])
    if key == "cost":
        return (facts["cost"],)
    return None  # the gap sentence names competencies: rendered each time


def explain(key: str, facts: Mapping[str, Any]) -> str:
    signature = _signature(key, facts)
    if signature is None:
        return _explain(key, facts)
    cache_key = (get_language(), key, signature)
    text = _SENTENCES.get(cache_key)
    if text is None:
        if len(_SENTENCES) >= _SENTENCES_MAX:
            _SENTENCES.clear()
        text = _SENTENCES[cache_key] = _explain(key, facts)
    return text


def _explain(key: str, facts: Mapping[str, Any]) -> str:
    if key == "gap":
        return _explain_gap(facts, facts.get("names", {}))
    if key == "service":
        signals = facts["signals"]
        if not signals:
            return _("Tidak terkait masalah pelayanan yang tercatat di unit Anda")
        return "; ".join(explain_signal(s) for s in signals)
    if key == "peers":
        if not facts["count"]:
            return _("Belum ada rekan di jabatan serupa yang menyelesaikan program ini")
        return ngettext(
            "%(n)s rekan di jabatan serupa naik rata-rata %(gain)s tingkat setelah program ini",
            "%(n)s rekan di jabatan serupa naik rata-rata %(gain)s tingkat setelah program ini",
            facts["count"],
        ) % {"n": facts["count"], "gain": num(facts["gain"])}
    if key == "schedule":
        kind = facts["kind"]
        if kind == "activity":
            return _("Diatur bersama atasan, kapan saja")
        if kind == "self_paced":
            return _("Dapat diikuti kapan saja (tanpa kelas terjadwal)")
        if kind == "none":
            return _("Belum ada kelas terjadwal dengan kursi kosong; dapat diusulkan ke BKPP")
        klass = facts["class"]
        return ngettext(
            "Kelas %(code)s mulai %(date)s, %(seats)s kursi kosong",
            "Kelas %(code)s mulai %(date)s, %(seats)s kursi kosong",
            klass.seats_left,
        ) % {"code": klass.code, "date": date_format(klass.starts_on, "j M Y"), "seats": klass.seats_left}
    if key == "jp":
        if facts["missing"] <= 0:
            return _("JP tahun ini sudah terpenuhi (%(done)s JP)") % {"done": num(facts["done"], 1)}
        return _("Anda masih kurang %(missing)s JP tahun ini; program ini %(jp)s JP") % {
            "missing": num(facts["missing"], 1).removesuffix(",0").removesuffix(".0"),
            "jp": num(facts["jp"], 1).removesuffix(",0").removesuffix(".0"),
        }
    if key == "cost":
        if not facts["cost"]:
            return _("Tanpa biaya")
        return _("Biaya %(cost)s per peserta") % {"cost": rupiah(facts["cost"])}
    raise KeyError(key)
