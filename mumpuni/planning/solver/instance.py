"""The training-plan instance: validation of the JSON exchange format and its array form.

The JSON format is fixed in `domain.md` ("Training plan model"). The solvers work on `Problem`, a set of
NumPy arrays, so that a national instance (millions of ASN) never has to exist as JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_LEVEL = 4  # competency levels 1..5, so gaps and uplifts are 0..4 (domain.md)


class InstanceError(ValueError):
    """A malformed instance; `messages` are "path: Indonesian / English" strings, one per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Problem:
    """An instance as arrays. Employees are rows, gaps are a CSR matrix (employee → competency, gap > 0)."""

    competency_codes: list[str]
    importance: np.ndarray  # (K,) float64
    program_codes: list[str]
    cost: np.ndarray  # (P,) float64, rupiah per participant
    jp: np.ndarray  # (P,) float64
    seats: np.ndarray  # (P,) float64 (inf = unlimited)
    uplift: np.ndarray  # (P, K) int8
    budget: float
    max_jp: float
    weight: np.ndarray  # (E,) float64
    unit: np.ndarray  # (E,) int32, index into unit_codes
    unit_codes: list[str]
    unit_budget: np.ndarray  # (U,) float64 (inf = no unit budget)
    gap_indptr: np.ndarray  # (E+1,) int64
    gap_comp: np.ndarray  # (nnz,) int32
    gap_value: np.ndarray  # (nnz,) int8, all > 0
    mandatory_employee: np.ndarray  # (M,) int64
    mandatory_program: np.ndarray  # (M,) int64
    employee_ids: list[str] | None = None  # None for array-generated instances: ids are row numbers
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_employees(self) -> int:
        return int(self.weight.shape[0])

    @property
    def n_programs(self) -> int:
        return int(self.cost.shape[0])

    @property
    def n_competencies(self) -> int:
        return int(self.importance.shape[0])

    def employee_id(self, row: int) -> str:
        return self.employee_ids[row] if self.employee_ids is not None else str(row)

    def gap_rows(self) -> np.ndarray:
        """Employee row of every gap entry."""
        return np.repeat(np.arange(self.n_employees, dtype=np.int64), np.diff(self.gap_indptr))


def _msg(path: str, indonesian: str, english: str) -> str:
    return f"{path}: {indonesian} / {english}"


def _number(value: Any, path: str, errors: list[str], *, minimum: float = 0.0) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.append(_msg(path, "harus berupa angka", "must be a number"))
        return None
    if value < minimum:
        errors.append(_msg(path, f"tidak boleh kurang dari {minimum:g}", f"must be at least {minimum:g}"))
        return None
    return float(value)


def _level(value: Any, path: str, errors: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LEVEL:
        errors.append(
            _msg(path, f"harus bilangan bulat 0–{MAX_LEVEL}", f"must be an integer from 0 to {MAX_LEVEL}")
        )
        return None
    return value


def _list(instance: dict[str, Any], key: str, errors: list[str], *, required: bool = True) -> list[Any]:
    value = instance.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        errors.append(_msg(key, "harus berupa daftar", "must be a list"))
        return []
    return value


def validate_instance(instance: Any) -> Problem:
    """Check an instance in the exchange format and return it as arrays; raise InstanceError otherwise."""
    errors: list[str] = []
    if not isinstance(instance, dict):
        raise InstanceError([_msg("$", "harus berupa objek JSON", "must be a JSON object")])

    budget = _number(instance.get("budget"), "budget", errors)
    max_jp = _number(instance.get("max_jp_per_employee"), "max_jp_per_employee", errors)

    competency_codes: list[str] = []
    importance: list[float] = []
    comp_index: dict[str, int] = {}
    for i, comp in enumerate(_list(instance, "competencies", errors)):
        path = f"competencies[{i}]"
        if not isinstance(comp, dict) or not isinstance(comp.get("code"), str) or not comp["code"]:
            errors.append(_msg(f"{path}.code", "kode wajib diisi", "code is required"))
            continue
        code = comp["code"]
        if code in comp_index:
            errors.append(_msg(f"{path}.code", f"kode {code} ganda", f"duplicate code {code}"))
            continue
        value = _number(comp.get("importance", 1.0), f"{path}.importance", errors)
        comp_index[code] = len(competency_codes)
        competency_codes.append(code)
        importance.append(value if value is not None else 0.0)

    program_codes: list[str] = []
    prog_index: dict[str, int] = {}
    cost: list[float] = []
    jp: list[float] = []
    seats: list[float] = []
    uplift_rows: list[tuple[int, int, int]] = []
    for i, prog in enumerate(_list(instance, "programs", errors)):
        path = f"programs[{i}]"
        if not isinstance(prog, dict) or not isinstance(prog.get("code"), str) or not prog["code"]:
            errors.append(_msg(f"{path}.code", "kode wajib diisi", "code is required"))
            continue
        code = prog["code"]
        if code in prog_index:
            errors.append(_msg(f"{path}.code", f"kode {code} ganda", f"duplicate code {code}"))
            continue
        p = len(program_codes)
        prog_index[code] = p
        program_codes.append(code)
        cost.append(_number(prog.get("cost"), f"{path}.cost", errors) or 0.0)
        jp.append(_number(prog.get("jp"), f"{path}.jp", errors) or 0.0)
        raw_seats = prog.get("seats")
        if raw_seats is None:
            seats.append(math.inf)  # no seat limit given
        else:
            value = _number(raw_seats, f"{path}.seats", errors)
            if value is not None and value != int(value):
                errors.append(_msg(f"{path}.seats", "harus bilangan bulat", "must be an integer"))
            seats.append(value or 0.0)
        uplift = prog.get("uplift", {})
        if not isinstance(uplift, dict):
            errors.append(_msg(f"{path}.uplift", "harus berupa objek", "must be an object"))
            continue
        for comp_code, level in uplift.items():
            upath = f"{path}.uplift.{comp_code}"
            if comp_code not in comp_index:
                errors.append(_msg(upath, "kompetensi tidak dikenal", "unknown competency"))
                continue
            lv = _level(level, upath, errors)
            if lv:
                uplift_rows.append((p, comp_index[comp_code], lv))

    employee_ids: list[str] = []
    emp_index: dict[str, int] = {}
    weight: list[float] = []
    unit_of: list[int] = []
    unit_codes: list[str] = []
    unit_index: dict[str, int] = {}
    gap_indptr = [0]
    gap_comp: list[int] = []
    gap_value: list[int] = []
    for i, emp in enumerate(_list(instance, "employees", errors)):
        path = f"employees[{i}]"
        raw_id = emp.get("id") if isinstance(emp, dict) else None
        if not isinstance(raw_id, str | int) or isinstance(raw_id, bool) or str(raw_id) == "":
            errors.append(_msg(f"{path}.id", "id wajib diisi", "id is required"))
            continue
        emp_id = str(raw_id)
        if emp_id in emp_index:
            errors.append(_msg(f"{path}.id", f"id {emp_id} ganda", f"duplicate id {emp_id}"))
            continue
        emp_index[emp_id] = len(employee_ids)
        employee_ids.append(emp_id)
        weight.append(_number(emp.get("weight", 1.0), f"{path}.weight", errors) or 0.0)
        unit = emp.get("unit")
        unit_code = "" if unit is None else str(unit)
        if unit_code not in unit_index:
            unit_index[unit_code] = len(unit_codes)
            unit_codes.append(unit_code)
        unit_of.append(unit_index[unit_code])
        gaps = emp.get("gaps", {})
        if not isinstance(gaps, dict):
            errors.append(_msg(f"{path}.gaps", "harus berupa objek", "must be an object"))
            gaps = {}
        entries = []
        for comp_code, level in gaps.items():
            gpath = f"{path}.gaps.{comp_code}"
            if comp_code not in comp_index:
                errors.append(_msg(gpath, "kompetensi tidak dikenal", "unknown competency"))
                continue
            lv = _level(level, gpath, errors)
            if lv:
                entries.append((comp_index[comp_code], lv))
        entries.sort()
        gap_comp.extend(k for k, _ in entries)
        gap_value.extend(v for _, v in entries)
        gap_indptr.append(len(gap_comp))

    mandatory_pairs: set[tuple[int, int]] = set()
    for i, pair in enumerate(_list(instance, "mandatory", errors, required=False)):
        path = f"mandatory[{i}]"
        if not isinstance(pair, dict):
            errors.append(_msg(path, "harus berupa objek", "must be an object"))
            continue
        e_row = emp_index.get(str(pair.get("employee")))
        p_row = prog_index.get(str(pair.get("program")))
        if e_row is None:
            errors.append(_msg(f"{path}.employee", "pegawai tidak dikenal", "unknown employee"))
        if p_row is None:
            errors.append(_msg(f"{path}.program", "program tidak dikenal", "unknown program"))
        if e_row is not None and p_row is not None:
            mandatory_pairs.add((e_row, p_row))

    raw_unit_budgets = instance.get("unit_budgets") or {}
    unit_budget_values: dict[str, float] = {}
    if not isinstance(raw_unit_budgets, dict):
        errors.append(_msg("unit_budgets", "harus berupa objek", "must be an object"))
    else:
        for code, value in raw_unit_budgets.items():
            number = _number(value, f"unit_budgets.{code}", errors)
            if number is not None:
                unit_budget_values[str(code)] = number

    if errors:
        raise InstanceError(errors)

    n_comp = len(competency_codes)
    uplift = np.zeros((len(program_codes), n_comp), dtype=np.int8)
    for p, k, lv in uplift_rows:
        uplift[p, k] = lv
    # Unit budgets for units without employees constrain nothing; keep them so the output can report them.
    for code in unit_budget_values:
        if code not in unit_index:
            unit_index[code] = len(unit_codes)
            unit_codes.append(code)
    unit_budget = np.array([unit_budget_values.get(code, math.inf) for code in unit_codes], dtype=np.float64)
    mandatory = sorted(mandatory_pairs)
    return Problem(
        competency_codes=competency_codes,
        importance=np.array(importance, dtype=np.float64),
        program_codes=program_codes,
        cost=np.array(cost, dtype=np.float64),
        jp=np.array(jp, dtype=np.float64),
        seats=np.array(seats, dtype=np.float64),
        uplift=uplift,
        budget=float(budget or 0.0),
        max_jp=float(max_jp or 0.0),
        weight=np.array(weight, dtype=np.float64),
        unit=np.array(unit_of, dtype=np.int32),
        unit_codes=unit_codes,
        unit_budget=unit_budget,
        gap_indptr=np.array(gap_indptr, dtype=np.int64),
        gap_comp=np.array(gap_comp, dtype=np.int32),
        gap_value=np.array(gap_value, dtype=np.int8),
        mandatory_employee=np.array([e for e, _ in mandatory], dtype=np.int64),
        mandatory_program=np.array([p for _, p in mandatory], dtype=np.int64),
        employee_ids=employee_ids,
    )
