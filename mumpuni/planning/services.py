"""Writes of planning: budgets and their split over units, competency importance and weight settings,
scenarios and their variants, asking for a run, and accepting a run's plan (nominations).

Every write is BKPP's (admin), atomic, validated with Indonesian field messages and audited.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Enrollment, Program, TrainingClass
from mumpuni.learning.services.enrollment import enrollment_nominate
from mumpuni.people.models import Employee, Unit
from mumpuni.planning import access
from mumpuni.planning.models import (
    Budget,
    CompetencyImportance,
    FundingSource,
    PlannedAssignment,
    Scenario,
    ScenarioRun,
    UnitBudget,
    WeightSettings,
)

MAX_AMOUNT = 10**15  # Rp 1 kuadriliun: far above any city's budget, catches a slip of the keyboard


def _require_manager(actor: Any) -> None:
    if not access.can_manage(actor):
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mengubah anggaran dan skenario pelatihan.")


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _rp(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


def _amount(value: Any, field: str, errors: dict[str, list[str]]) -> int:
    try:
        amount = int(str(value).replace(".", "").replace(" ", "")) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        errors[field] = ["Jumlah harus bilangan bulat rupiah, misalnya 1500000000."]
        return 0
    if amount < 0:
        errors[field] = ["Jumlah tidak boleh negatif."]
    elif amount > MAX_AMOUNT:
        errors[field] = ["Jumlah terlalu besar; periksa kembali angkanya."]
    return amount


def _year(value: int, errors: dict[str, list[str]]) -> None:
    if not 2000 <= value <= 2100:
        errors["year"] = ["Tahun harus antara 2000 dan 2100."]


# --- budgets ----------------------------------------------------------------------------------------


@transaction.atomic
def budget_set(*, actor: Any, year: int, source: FundingSource, amount: Any, note: str = "") -> Budget:
    """The city's budget of a year from a source (created or changed). It may not drop below what is
    already allocated to units from that source."""
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    _year(year, errors)
    value = _amount(amount, "amount", errors)
    if len(note) > 255:
        errors["note"] = ["Catatan paling banyak 255 karakter."]
    _fail(errors)
    allocated = sum(UnitBudget.objects.filter(year=year, source=source).values_list("amount", flat=True))
    if value < allocated:
        _fail(
            {"amount": [f"Pagu tidak boleh lebih kecil dari yang sudah dibagi ke unit ({_rp(allocated)})."]}
        )
    budget = Budget.objects.select_for_update().filter(year=year, source=source).first()
    old = None if budget is None else budget.amount
    if budget is None:
        budget = Budget(year=year, source=source, amount=value, note=note.strip())
    else:
        budget.amount, budget.note = value, note.strip()
    budget.full_clean()
    budget.save()
    audit_entry(
        actor=actor,
        action="create" if old is None else "update",
        instance=budget,
        changes={"amount": [old, value]},
        note=f"pagu pelatihan {year} {source.code}",
    )
    return budget


def _overlaps(year: int, unit: Unit, source: FundingSource) -> UnitBudget | None:
    """A unit budget of the same year and source above or below `unit` (budgets cover disjoint subtrees)."""
    ancestors = [int(p) for p in unit.path.strip("/").split("/") if p and int(p) != unit.pk]
    qs = UnitBudget.objects.filter(year=year, source=source).exclude(unit=unit).select_related("unit")
    return (qs.filter(unit_id__in=ancestors) | qs.filter(unit__path__startswith=unit.path)).first()


@transaction.atomic
def unit_budget_set(
    *, actor: Any, year: int, unit: Unit, source: FundingSource, amount: Any
) -> UnitBudget | None:
    """A unit's share of the city's budget; 0 removes it. The shares of a source may not exceed the
    city's budget from it, and a unit may not have a share when a unit above or below it has one."""
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    _year(year, errors)
    value = _amount(amount, "amount", errors)
    _fail(errors)
    city = Budget.objects.select_for_update().filter(year=year, source=source).first()
    if city is None:
        _fail({"source": [f"Tetapkan dulu pagu kota {year} dari sumber {source.name}."]})
        raise AssertionError  # unreachable: _fail raised
    row = UnitBudget.objects.filter(year=year, unit=unit, source=source).first()
    old = None if row is None else row.amount
    if value == 0:
        if row is not None:
            audit_entry(actor=actor, action="delete", instance=row, changes={"amount": [old, 0]})
            row.delete()
        return None
    clash = _overlaps(year, unit, source)
    if clash is not None:
        _fail(
            {
                "unit": [
                    f"{clash.unit.name} sudah punya pagu {source.name} {year}; pagu unit tidak boleh "
                    "bertumpuk dengan unit di atas atau di bawahnya."
                ]
            }
        )
    others = sum(
        UnitBudget.objects.filter(year=year, source=source)
        .exclude(unit=unit)
        .values_list("amount", flat=True)
    )
    if others + value > city.amount:
        free = max(0, city.amount - others)
        _fail({"amount": [f"Melebihi sisa pagu kota yang belum dibagi ({_rp(free)})."]})
    if row is None:
        row = UnitBudget(year=year, unit=unit, source=source, amount=value)
    else:
        row.amount = value
    row.full_clean()
    row.save()
    audit_entry(
        actor=actor,
        action="create" if old is None else "update",
        instance=row,
        changes={"amount": [old, value]},
        note=f"pagu unit {unit.code} {year} {source.code}",
    )
    return row


# --- weights ----------------------------------------------------------------------------------------


def _decimal(value: Any, field: str, low: Decimal, high: Decimal, errors: dict[str, list[str]]) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[field] = ["Harus berupa angka, misalnya 1,5."]
        return Decimal("0")
    if not number.is_finite() or not low <= number <= high:
        errors[field] = [f"Harus antara {low} dan {high}.".replace(".", ",")]
    return number


@transaction.atomic
def importance_set(*, actor: Any, competency: Competency, importance: Any) -> CompetencyImportance:
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    value = _decimal(importance, "importance", Decimal("0"), Decimal("10"), errors)
    _fail(errors)
    row, _created = CompetencyImportance.objects.select_for_update().get_or_create(competency=competency)
    old = row.importance
    row.importance = value.quantize(Decimal("0.01"))
    row.full_clean()
    row.save()
    audit_entry(
        actor=actor, action="update", instance=row, changes={"importance": [str(old), str(row.importance)]}
    )
    return row


WEIGHT_LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    "front_line_multiplier": (Decimal("1"), Decimal("5")),
    "wait_ratio": (Decimal("0.5"), Decimal("5")),
    "wait_multiplier": (Decimal("1"), Decimal("5")),
    "ikm_threshold": (Decimal("25"), Decimal("100")),
    "ikm_multiplier": (Decimal("1"), Decimal("5")),
    "complaint_rate_threshold": (Decimal("0"), Decimal("1000")),
    "complaint_multiplier": (Decimal("1"), Decimal("5")),
}


@transaction.atomic
def weights_set(*, actor: Any, **values: Any) -> WeightSettings:
    """Change the weight settings; multipliers are ≥ 1 (a poor figure never lowers a weight)."""
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    settings = WeightSettings.current()
    settings = WeightSettings.objects.select_for_update().get(pk=settings.pk)
    changes: dict[str, list[Any]] = {}
    for name, raw in values.items():
        if name == "lookback_days":
            try:
                days = int(raw)
            except (TypeError, ValueError):
                errors[name] = ["Harus bilangan bulat hari."]
                continue
            if not 30 <= days <= 1095:
                errors[name] = ["Harus antara 30 dan 1095 hari."]
                continue
            new: Any = days
        elif name in WEIGHT_LIMITS:
            low, high = WEIGHT_LIMITS[name]
            new = _decimal(raw, name, low, high, errors)
        else:
            raise ValueError(name)
        old = getattr(settings, name)
        if name not in errors and old != new:
            changes[name] = [str(old), str(new)]
            setattr(settings, name, new)
    _fail(errors)
    settings.full_clean()
    settings.save()
    if changes:
        audit_entry(actor=actor, action="update", instance=settings, changes=changes)
    return settings


# --- scenarios --------------------------------------------------------------------------------------


def _clean_pairs(raw: Any, errors: dict[str, list[str]]) -> list[dict[str, str]]:
    """Mandatory pairs from a list of dicts or text lines 'NIP KODE-PROGRAM'."""
    pairs: list[dict[str, str]] = []
    if isinstance(raw, str):
        items: list[Any] = []
        for number, line in enumerate(raw.splitlines(), start=1):
            parts = line.replace(",", " ").replace(";", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                errors["mandatory_pairs"] = [f"Baris {number}: tulis NIP dan kode program, dipisah spasi."]
                return []
            items.append({"employee": parts[0], "program": parts[1]})
    else:
        items = list(raw or [])
    nips = {str(i.get("employee", "")) for i in items}
    codes = {str(i.get("program", "")) for i in items}
    known_nips = set(Employee.objects.filter(nip__in=nips, active=True).values_list("nip", flat=True))
    known_codes = set(Program.objects.filter(code__in=codes).values_list("code", flat=True))
    for item in items:
        nip, code = str(item.get("employee", "")), str(item.get("program", ""))
        if nip not in known_nips:
            errors["mandatory_pairs"] = [f"NIP {nip} tidak dikenal atau pegawainya tidak aktif."]
            return []
        if code not in known_codes:
            errors["mandatory_pairs"] = [f"Kode program {code} tidak ada di katalog."]
            return []
        pairs.append({"employee": nip, "program": code})
    return list({(p["employee"], p["program"]): p for p in pairs}.values())


@transaction.atomic
def scenario_create(
    *,
    actor: Any,
    name: str,
    year: int,
    budget: Any,
    units: list[Unit] | None = None,
    programs: list[Program] | None = None,
    mandatory_programs: list[Program] | None = None,
    mandatory_pairs: Any = None,
    max_jp_per_employee: int = 60,
    use_unit_budgets: bool = False,
    default_seats: int = 30,
    time_limit_seconds: int = 60,
    variant: str = Scenario.Variant.OPTIMAL,
) -> Scenario:
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Nama skenario wajib diisi."]
    elif len(name) > 150:
        errors["name"] = ["Nama skenario paling banyak 150 karakter."]
    _year(year, errors)
    amount = _amount(budget, "budget", errors)
    if not 1 <= int(max_jp_per_employee or 0) <= 500:
        errors["max_jp_per_employee"] = ["Batas JP per pegawai harus antara 1 dan 500."]
    if not 0 <= int(default_seats or 0) <= 100_000:
        errors["default_seats"] = ["Kursi harus antara 0 dan 100.000."]
    if not 1 <= int(time_limit_seconds or 0) <= 3600:
        errors["time_limit_seconds"] = ["Batas waktu harus antara 1 dan 3600 detik."]
    if variant not in (Scenario.Variant.OPTIMAL, Scenario.Variant.EQUAL_PER_UNIT):
        errors["variant"] = ["Pilih varian optimal atau bagi rata per unit."]
    pairs = _clean_pairs(mandatory_pairs, errors)
    _fail(errors)
    scenario = Scenario(
        name=name,
        year=year,
        budget=amount,
        mandatory_pairs=pairs,
        max_jp_per_employee=int(max_jp_per_employee),
        use_unit_budgets=bool(use_unit_budgets),
        default_seats=int(default_seats),
        time_limit_seconds=int(time_limit_seconds),
        variant=variant,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    scenario.full_clean()
    scenario.save()
    scenario.units.set(units or [])
    scenario.programs.set(programs or [])
    scenario.mandatory_programs.set(mandatory_programs or [])
    audit_entry(
        actor=actor,
        action="create",
        instance=scenario,
        changes={"year": [None, year], "budget": [None, amount], "variant": [None, variant]},
    )
    return scenario


DERIVED = {
    "minus20": (Scenario.Variant.BUDGET_SCALED, Decimal("0.80"), "anggaran −20%"),
    "plus20": (Scenario.Variant.BUDGET_SCALED, Decimal("1.20"), "anggaran +20%"),
    "equal": (Scenario.Variant.EQUAL_PER_UNIT, Decimal("1.00"), "bagi rata per unit"),
}


@transaction.atomic
def scenario_derive(*, actor: Any, base: Scenario, kind: str) -> Scenario:
    """A copy of `base` with the budget × 0.8 or × 1.2, or split in equal shares per unit."""
    _require_manager(actor)
    if kind not in DERIVED:
        raise ValidationFailed("Varian tidak dikenal.", fields={"kind": ["Varian tidak dikenal."]})
    variant, factor, label = DERIVED[kind]
    existing = Scenario.objects.filter(base=base, variant=variant, budget_factor=factor).first()
    if existing is not None:
        return existing
    copy = Scenario(
        name=f"{base.name} — {label}"[:150],
        year=base.year,
        budget=int(Decimal(base.budget) * factor),
        mandatory_pairs=list(base.mandatory_pairs),
        max_jp_per_employee=base.max_jp_per_employee,
        use_unit_budgets=base.use_unit_budgets,
        default_seats=base.default_seats,
        time_limit_seconds=base.time_limit_seconds,
        variant=variant,
        base=base,
        budget_factor=factor,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    copy.full_clean()
    copy.save()
    copy.units.set(base.units.all())
    copy.programs.set(base.programs.all())
    copy.mandatory_programs.set(base.mandatory_programs.all())
    audit_entry(
        actor=actor,
        action="create",
        instance=copy,
        changes={"base": [None, base.pk], "variant": [None, variant], "budget": [None, copy.budget]},
    )
    return copy


@transaction.atomic
def run_request(*, actor: Any, scenario: Scenario) -> ScenarioRun:
    """Queue a run of the scenario; the task starts once this is committed (eagerly without a broker)."""
    from mumpuni.planning.tasks import run_scenario

    _require_manager(actor)
    if scenario.runs.filter(status__in=(ScenarioRun.Status.QUEUED, ScenarioRun.Status.RUNNING)).exists():
        raise ValidationFailed("Skenario ini sedang dijalankan; tunggu sampai selesai.")
    run = ScenarioRun.objects.create(
        scenario=scenario,
        requested_by=actor if getattr(actor, "pk", None) else None,
        message="Menunggu giliran diproses.",
    )
    audit_entry(actor=actor, action="create", instance=run, note=f"jalankan skenario {scenario.pk}")
    transaction.on_commit(lambda: run_scenario.delay(run.pk))
    return run


# --- accepting a plan -------------------------------------------------------------------------------


def _free_seats(training_class: TrainingClass) -> int:
    taken = training_class.enrollments.filter(
        status__in=(*Enrollment.ACTIVE_STATUSES, *Enrollment.SEATED_STATUSES)
    ).count()
    return training_class.capacity - taken


def _nominate(
    actor: Any, assignment: PlannedAssignment, year: int, reason: str
) -> tuple[str, str, Enrollment | None]:
    """Try the programme's open classes of the year, earliest first; a class full, clashing or refusing
    the person is skipped. Without any: 'perlu kelas'."""
    classes = list(
        TrainingClass.objects.filter(
            program=assignment.program, status=TrainingClass.Status.OPEN, starts_on__year=year
        ).order_by("starts_on", "code")
    )
    refusals: list[str] = []
    for training_class in classes:
        if _free_seats(training_class) <= 0:
            continue
        try:
            enrollment = enrollment_nominate(
                actor=actor, training_class=training_class, employee=assignment.employee, reason=reason
            )
        except (ValidationFailed, PermissionDeniedError) as exc:
            refusals.append(exc.message)
            continue
        return (
            PlannedAssignment.Acceptance.NOMINATED,
            f"Diusulkan ke kelas {training_class.code}.",
            enrollment,
        )
    if refusals:
        return PlannedAssignment.Acceptance.REFUSED, refusals[0][:300], None
    return PlannedAssignment.Acceptance.NEEDS_CLASS, "Belum ada kelas terbuka dengan kursi kosong.", None


def run_accept(*, actor: Any, run: ScenarioRun) -> dict[str, int]:
    """Turn a finished plan into nominations (via the enrolment service), once: the run is claimed with a
    conditional update, so a second click or a concurrent accept changes nothing."""
    _require_manager(actor)
    with transaction.atomic():
        claimed = ScenarioRun.objects.filter(
            pk=run.pk,
            status=ScenarioRun.Status.DONE,
            outcome__in=(ScenarioRun.Outcome.OPTIMAL, ScenarioRun.Outcome.FEASIBLE),
            accepted_at__isnull=True,
        ).update(accepted_at=timezone.now(), accepted_by=actor)
        if claimed != 1:
            run.refresh_from_db()
            if run.accepted_at is not None:
                return {"already": 1}
            raise ValidationFailed("Hanya hasil yang selesai dan layak yang dapat diterima.")
        counts = {"nominated": 0, "needs_class": 0, "refused": 0}
        reason = f"Rencana pelatihan {run.scenario.name} (jalankan #{run.pk})"[:300]
        year = run.scenario.year
        for assignment in run.assignments.select_related("employee__unit", "program").order_by("pk"):
            outcome, note, enrollment = _nominate(actor, assignment, year, reason)
            assignment.acceptance, assignment.acceptance_note, assignment.enrollment = (
                outcome,
                note,
                enrollment,
            )
            assignment.save(update_fields=["acceptance", "acceptance_note", "enrollment"])
            counts[outcome] += 1
        run.refresh_from_db()
        audit_entry(
            actor=actor,
            action="update",
            instance=run,
            changes={"accepted_at": [None, run.accepted_at.isoformat() if run.accepted_at else None]},
            note=(
                f"terima rencana: {counts['nominated']} usulan, {counts['needs_class']} perlu kelas, "
                f"{counts['refused']} ditolak"
            ),
        )
    return counts
