"""Paper SKM questionnaires typed into a spreadsheet: `import_skm` (manage.py import_skm and /ikm/impor/).

Columns: u1 … u9 (all nine headers required; a cell is 1–4 or blank = not answered); optional profile
columns usia/age_band, jenis_kelamin/sex, pendidikan/education, pekerjaan/occupation (codes or the
Indonesian labels people write, e.g. "Perempuan", "SMA", "Wiraswasta"; usia also as an age in years),
saran/suggestion, tanggal (YYYY-MM-DD or DD/MM/YYYY, overrides the default date) and nomor/no (the
questionnaire's number, ignored).

All or nothing, like the other importers: every row is checked first and any row error (row number,
column, Indonesian message) refuses the whole file. A date in the future and a row with nothing answered
are refused. The responses are stored with channel=paper for the given unit (point = the unit's service
point, when it has one), no ticket, service, counter or officer, under one SurveyImport batch.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.lib.tabular import ColumnNote, Row, TabularError, read_table
from mumpuni.people.imports.base import RowError
from mumpuni.people.models import Unit
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import ServicePoint
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyImport, SurveyResponse
from mumpuni.surveys.services import clean_answers

MAX_SUGGESTION = 2000
REQUIRED = UNSUR_FIELDS
# column -> the model field it fills; Indonesian and English names are both accepted (not both at once).
ALIASES: dict[str, str] = {
    "usia": "age_band",
    "age_band": "age_band",
    "jenis_kelamin": "sex",
    "sex": "sex",
    "pendidikan": "education",
    "education": "education",
    "pekerjaan": "occupation",
    "occupation": "occupation",
    "saran": "suggestion",
    "suggestion": "suggestion",
    "tanggal": "date",
    "nomor": "number",
    "no": "number",
}
OPTIONAL = tuple(ALIASES)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")

NOTES = (
    *(
        ColumnNote(f, True, f"Jawaban unsur {f.upper()}: 1, 2, 3 atau 4; kosong = tidak dijawab.", "3")
        for f in UNSUR_FIELDS
    ),
    ColumnNote(
        "usia", False, "Kelompok usia (<20, 20-29, 30-39, 40-49, 50-59, 60+) atau usia dalam tahun.", "34"
    ),
    ColumnNote("jenis_kelamin", False, "L/Laki-laki atau P/Perempuan.", "P"),
    ColumnNote("pendidikan", False, "SD, SMP, SMA/SMK, Diploma (D1–D3), S1/D4, S2/S3.", "SMA"),
    ColumnNote(
        "pekerjaan",
        False,
        "PNS/TNI/Polri, Pegawai swasta, Wirausaha, Pelajar/mahasiswa, Mengurus rumah tangga, Lainnya.",
        "Wirausaha",
    ),
    ColumnNote(
        "saran", False, f"Saran atau masukan responden (paling banyak {MAX_SUGGESTION} karakter).", ""
    ),
    ColumnNote(
        "tanggal",
        False,
        "Tanggal layanan bila berbeda dari tanggal impor (YYYY-MM-DD atau DD/MM/YYYY).",
        "2026-09-09",
    ),
    ColumnNote("nomor", False, "Nomor kuesioner (tidak disimpan).", "1"),
)


def _key(text: str) -> str:
    """'Laki - laki ' -> 'laki-laki'; '20 – 29 tahun' -> '20-29 tahun'."""
    text = text.strip().lower().replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text)


def _choice_table(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    table = {_key(value): value for value in choices.values}
    table.update({_key(str(label)): value for value, label in choices.choices})
    table.update({_key(k): v for k, v in extra.items()})
    return table


SEX = _choice_table(
    SurveyResponse.Sex,
    {"laki laki": "L", "lakilaki": "L", "pria": "L", "male": "L", "wanita": "P", "female": "P"},
)
AGE_BAND = _choice_table(
    SurveyResponse.AgeBand,
    {"< 20": "<20", "di bawah 20 tahun": "<20", "60 tahun ke atas": "60+", ">60": "60+", "> 60": "60+"},
)
EDUCATION = _choice_table(
    SurveyResponse.Education,
    {
        "tidak sekolah": "sd",
        "sd": "sd",
        "sma": "sma",
        "smk": "sma",
        "sma/smk": "sma",
        "slta": "sma",
        "sltp": "smp",
        "d1": "d3",
        "d2": "d3",
        "d3": "d3",
        "d4": "s1",
        "s1": "s1",
        "sarjana": "s1",
        "s2": "s2",
        "s3": "s2",
        "pascasarjana": "s2",
    },
)
OCCUPATION = _choice_table(
    SurveyResponse.Occupation,
    {
        "pns": "pns",
        "asn": "pns",
        "tni": "pns",
        "polri": "pns",
        "swasta": "swasta",
        "karyawan swasta": "swasta",
        "wiraswasta": "wirausaha",
        "pelajar": "pelajar",
        "mahasiswa": "pelajar",
        "ibu rumah tangga": "rumah_tangga",
        "rumah tangga": "rumah_tangga",
        "lain-lain": "lainnya",
    },
)
PROFILE_TABLES = {"age_band": AGE_BAND, "sex": SEX, "education": EDUCATION, "occupation": OCCUPATION}
PROFILE_HINTS = {
    "age_band": "Gunakan <20, 20-29, 30-39, 40-49, 50-59, 60+ atau usia dalam tahun.",
    "sex": "Gunakan L/Laki-laki atau P/Perempuan.",
    "education": "Gunakan SD, SMP, SMA/SMK, Diploma, S1/D4 atau S2.",
    "occupation": "Gunakan PNS/TNI/Polri, Swasta, Wirausaha, Pelajar/mahasiswa, Rumah tangga atau Lainnya.",
}


def importable_units(user: Any) -> QuerySet[Unit]:
    """Units the user may import paper surveys for: BKPP admin every unit, a unit head their subtree."""
    scope = scope_for(user)
    if scope.city_manager:
        return Unit.objects.all()
    if not scope.manage_unit_paths:
        return Unit.objects.none()
    q = Q()
    for path in scope.manage_unit_paths:
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q)


def can_import(user: Any) -> bool:
    scope = scope_for(user)
    return scope.city_manager or bool(scope.manage_unit_paths)


def age_band_for(years: int) -> str:
    if years < 20:
        return "<20"
    if years >= 60:
        return "60+"
    low = years // 10 * 10
    return f"{low}-{low + 9}"


@dataclass
class SkmImportResult:
    total_rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch: SurveyImport | None = None
    dates: dict[dt.date, int] = field(default_factory=dict)  # responses per service date
    answered: dict[str, int] = field(default_factory=dict)  # per unsur: rows that answered it
    with_profile: int = 0
    with_suggestion: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD or DD/MM/YYYY (DD-MM-YYYY too); an XLSX date cell arrives as YYYY-MM-DD."""
    text = text.strip()
    if " " in text:  # "2026-09-09 00:00:00" from a date-time cell
        text = text.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _column_for(table_headers: list[str], target: str) -> str | None:
    for column in table_headers:
        if ALIASES.get(column) == target:
            return column
    return None


def _clean_profile_cell(target: str, text: str) -> str | None:
    """The stored code, '' for blank, None when not recognised."""
    if not text:
        return ""
    if target == "age_band" and text.strip().isdigit():
        years = int(text.strip())
        return age_band_for(years) if 0 < years < 130 else None
    return PROFILE_TABLES[target].get(_key(text))


def import_skm(
    file_bytes: bytes,
    file_name: str,
    unit: Unit,
    default_date: dt.date,
    actor: Any = None,
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> SkmImportResult:
    """Check every row, then (unless dry_run or any error) store the batch and its responses at once.

    Whole-file problems are RowError(0, "", message). Raises ValidationFailed when the default date is in
    the future (the caller's form/argument, not the file, is wrong) and PermissionDeniedError when an actor
    is given whose scope does not hold the unit (the command passes no actor)."""
    today = today or timezone.localdate()
    if actor is not None and not importable_units(actor).filter(pk=unit.pk).exists():
        raise PermissionDeniedError(f"Anda tidak berwenang mengimpor survei untuk {unit.name}.")
    if default_date > today:
        raise ValidationFailed(
            "Tanggal survei tidak boleh di masa depan.", fields={"default_date": ["Tanggal di masa depan."]}
        )
    result = SkmImportResult()
    try:
        table = read_table(file_bytes, file_name, required=REQUIRED, optional=OPTIONAL)
    except TabularError as exc:
        result.errors.append(RowError(0, "", exc.message))
        return result
    targets: dict[str, str] = {}
    for column in table.headers:
        target = ALIASES.get(column)
        if target is None:
            continue
        if target in targets:
            result.errors.append(
                RowError(
                    0, column, f"Kolom {targets[target]} dan {column} sama artinya; pakai salah satu saja."
                )
            )
        targets[target] = column
    if result.errors:
        return result
    result.total_rows = len(table.rows)
    if not table.rows:
        result.errors.append(RowError(0, "", "Berkas tidak berisi baris data (hanya baris judul)."))
        return result

    point = ServicePoint.objects.filter(unit=unit).first()
    responses: list[SurveyResponse] = []
    for row in table.rows:
        response = _parse_row(row, targets, default_date, today, result)
        if response is None:
            continue
        response.unit = unit
        response.point = point
        response.channel = SurveyResponse.Channel.PAPER
        responses.append(response)
        result.dates[response.service_date] = result.dates.get(response.service_date, 0) + 1
        for f in UNSUR_FIELDS:
            if getattr(response, f) is not None:
                result.answered[f] = result.answered.get(f, 0) + 1
        if any(getattr(response, f) for f in ("age_band", "sex", "education", "occupation")):
            result.with_profile += 1
        if response.suggestion:
            result.with_suggestion += 1

    if result.errors or dry_run:
        return result
    with transaction.atomic():
        batch = SurveyImport.objects.create(
            unit=unit,
            default_date=default_date,
            file_name=file_name[:255],
            rows=len(responses),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for response in responses:
            response.import_batch = batch
        SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    result.batch = batch
    result.created = len(responses)
    return result


def _parse_row(
    row: Row, targets: dict[str, str], default_date: dt.date, today: dt.date, result: SkmImportResult
) -> SurveyResponse | None:
    errors: list[RowError] = []
    answers, answer_errors = clean_answers({f: row.get(f) for f in UNSUR_FIELDS})
    for name, messages in answer_errors.items():
        if name == "__all__":
            errors.append(RowError(row.number, "u1–u9", "Tidak ada jawaban: isi setidaknya satu dari u1–u9."))
        else:
            value = row.get(name)
            errors.extend(
                RowError(row.number, name, f"{message} Isi sel: {value!r}.") for message in messages
            )

    profile: dict[str, str] = {}
    for target in PROFILE_TABLES:
        column = targets.get(target)
        if column is None:
            profile[target] = ""
            continue
        text = row.get(column)
        code = _clean_profile_cell(target, text)
        if code is None:
            errors.append(
                RowError(row.number, column, f"Isian {text!r} tidak dikenal. {PROFILE_HINTS[target]}")
            )
            code = ""
        profile[target] = code

    suggestion = row.get(targets["suggestion"]).strip() if "suggestion" in targets else ""
    if len(suggestion) > MAX_SUGGESTION:
        errors.append(
            RowError(
                row.number,
                targets["suggestion"],
                f"Saran terlalu panjang; paling banyak {MAX_SUGGESTION} karakter.",
            )
        )

    service_date = default_date
    if "date" in targets and row.get(targets["date"]):
        text = row.get(targets["date"])
        try:
            service_date = parse_date(text)
        except ValueError:
            errors.append(
                RowError(
                    row.number,
                    targets["date"],
                    f"Tanggal {text!r} tidak dikenali; gunakan YYYY-MM-DD atau DD/MM/YYYY.",
                )
            )
        else:
            if service_date > today:
                errors.append(
                    RowError(row.number, targets["date"], f"Tanggal {service_date:%d/%m/%Y} di masa depan.")
                )
    if errors:
        result.errors.extend(errors)
        return None
    return SurveyResponse(service_date=service_date, suggestion=suggestion, **answers, **profile)
