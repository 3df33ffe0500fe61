"""Writes of the further-education catalogue kept by BKPP: partner institutions, cooperation agreements and
programmes (create, edit, and remove — which deletes only what nothing refers to, else deactivates or
closes).

Every write is atomic, BKPP-only (`access.can_manage_education`), validated with Indonesian field-level
messages (raised as `ValidationFailed(fields=...)` before anything is written) and audited with the changed
fields. Rules beyond the model's:

- an agreement ends on or after it starts; its quota is ≥ 0 (0 = no agreement-wide limit) and not below the
  seats already taken in its programmes; the windows of its programmes stay inside its dates;
- a programme's window closes on or after it opens and lies inside the agreement's dates; its quota is ≥ 1,
  not below the seats already taken, and not above the agreement's remaining quota (the agreement's quota
  minus the seats taken in its other programmes — the same count the selection step checks);
- new agreements and programmes need an active institution.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mumpuni.common.audit import audit_entry, diff, snapshot
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.talent import access
from mumpuni.talent.eligibility import GRADES
from mumpuni.talent.models import Agreement, Application, FurtherEducationProgram, PartnerInstitution

INSTITUTION_FIELDS = ("name", "city", "kind", "active")
AGREEMENT_FIELDS = ("institution", "number", "starts_on", "ends_on", "fields_of_study", "quota")
PROGRAM_FIELDS = (
    "code",
    "name",
    "kind",
    "institution",
    "agreement",
    "field_of_study",
    "level",
    "quota",
    "opens_on",
    "closes_on",
    "study_months",
    "max_age",
    "min_grade",
    "min_years_of_service",
    "allowed_boxes",
    "no_ongoing_bond",
)


def _require_manager(actor: Any) -> None:
    if not access.can_manage_education(actor):
        raise PermissionDeniedError("Data pendidikan lanjut dikelola oleh admin BKPP.")


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed("Periksa kembali isian yang ditandai.", fields=errors)


def _clean_and_save(instance: Any, exclude: list[str] | None = None) -> None:
    """Model validation (uniqueness, choices, constraints) mapped to field errors, then save."""
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        raise ValidationFailed("Periksa kembali isian yang ditandai.", fields=fields) from exc
    instance.save()


def _write(instance: Any, actor: Any, action: str, fields: tuple[str, ...], before: dict[str, Any]) -> None:
    after = snapshot(instance, fields)
    audit_entry(actor=actor, action=action, instance=instance, changes=diff(before, after))


def _taken(qs: QuerySet[Any], pk: int | None) -> bool:
    """Whether a row other than `pk` matches (a unique value already used)."""
    return (qs.exclude(pk=pk) if pk is not None else qs).exists()


def _gone(instance: Any, fields: tuple[str, ...]) -> dict[str, list[Any]]:
    return diff(snapshot(instance, fields), dict.fromkeys(fields))


def _seats(**filters: Any) -> int:
    return Application.objects.filter(status__in=Application.SEAT_STATUSES, **filters).count()


# --- institutions ----------------------------------------------------------------------------------------


def _institution_values(values: dict[str, Any], pk: int | None = None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = str(values.get("name") or "").strip()
    if name and _taken(PartnerInstitution.objects.filter(name__iexact=name), pk):
        _add(errors, "name", "Nama institusi sudah terdaftar.")
    city = str(values.get("city") or "").strip()
    kind = values.get("kind") or ""
    if not name:
        _add(errors, "name", "Nama institusi wajib diisi.")
    if not city:
        _add(errors, "city", "Kota wajib diisi.")
    if kind not in PartnerInstitution.Kind.values:
        _add(errors, "kind", "Jenis institusi tidak dikenal.")
    _fail(errors)
    return {"name": name, "city": city, "kind": kind, "active": bool(values.get("active", True))}


@transaction.atomic
def institution_create(*, actor: Any, **values: Any) -> PartnerInstitution:
    _require_manager(actor)
    clean = _institution_values(values)
    institution = PartnerInstitution(**clean)
    _clean_and_save(institution)
    _write(institution, actor, "talent.institution_create", INSTITUTION_FIELDS, {})
    return institution


@transaction.atomic
def institution_update(*, actor: Any, institution: PartnerInstitution, **values: Any) -> PartnerInstitution:
    _require_manager(actor)
    locked = PartnerInstitution.objects.select_for_update().get(pk=institution.pk)
    clean = _institution_values(values, locked.pk)
    before = snapshot(locked, INSTITUTION_FIELDS)
    for name, value in clean.items():
        setattr(locked, name, value)
    _clean_and_save(locked)
    _write(locked, actor, "talent.institution_update", INSTITUTION_FIELDS, before)
    return locked


@transaction.atomic
def institution_remove(*, actor: Any, institution: PartnerInstitution) -> str:
    """Delete an institution nothing refers to; otherwise deactivate it. Returns "deleted"/"deactivated"."""
    _require_manager(actor)
    locked = PartnerInstitution.objects.select_for_update().get(pk=institution.pk)
    if not locked.agreements.exists() and not locked.programs.exists():
        audit_entry(
            actor=actor,
            action="talent.institution_delete",
            instance=locked,
            changes=_gone(locked, INSTITUTION_FIELDS),
        )
        locked.delete()
        return "deleted"
    if not locked.active:
        raise ValidationFailed("Institusi sudah nonaktif.", fields={"active": ["Institusi sudah nonaktif."]})
    before = snapshot(locked, INSTITUTION_FIELDS)
    locked.active = False
    locked.save(update_fields=["active", "updated_at"])
    _write(locked, actor, "talent.institution_deactivate", INSTITUTION_FIELDS, before)
    return "deactivated"


# --- agreements ------------------------------------------------------------------------------------------


def _agreement_values(values: dict[str, Any], agreement: Agreement | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    institution = values.get("institution")
    number = str(values.get("number") or "").strip()
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    quota = values.get("quota")
    fields_of_study = [str(f).strip() for f in values.get("fields_of_study") or [] if str(f).strip()]
    if not isinstance(institution, PartnerInstitution):
        _add(errors, "institution", "Pilih institusi mitra.")
    elif agreement is None and not institution.active:
        _add(errors, "institution", "Institusi mitra sudah nonaktif.")
    if not number:
        _add(errors, "number", "Nomor perjanjian wajib diisi.")
    elif _taken(Agreement.objects.filter(number=number), agreement.pk if agreement else None):
        _add(errors, "number", "Nomor perjanjian sudah terdaftar.")
    if not isinstance(starts_on, dt.date):
        _add(errors, "starts_on", "Tanggal mulai wajib diisi.")
    if not isinstance(ends_on, dt.date):
        _add(errors, "ends_on", "Tanggal berakhir wajib diisi.")
    elif isinstance(starts_on, dt.date) and ends_on < starts_on:
        _add(errors, "ends_on", "Tanggal berakhir sebelum tanggal mulai.")
    if not isinstance(quota, int):
        _add(errors, "quota", "Kuota wajib diisi dengan bilangan bulat.")
    elif quota < 0:
        _add(errors, "quota", "Kuota tidak boleh negatif (0 berarti tanpa batas).")
    if agreement is not None and not errors:
        programs = agreement.programs.all()
        moved = isinstance(institution, PartnerInstitution) and institution.pk != agreement.institution_id
        if moved and programs.exists():
            _add(
                errors,
                "institution",
                "Perjanjian sudah dipakai program; institusinya tidak dapat diganti.",
            )
        used = _seats(program__agreement=agreement)
        if quota and quota < used:
            _add(errors, "quota", f"Kuota lebih kecil dari kursi yang sudah terisi ({used}).")
        assert isinstance(starts_on, dt.date) and isinstance(ends_on, dt.date)
        outside = [p.code for p in programs if p.opens_on < starts_on or p.closes_on > ends_on]
        if outside:
            message = f"Masa pendaftaran program {', '.join(outside)} berada di luar masa berlaku perjanjian."
            _add(errors, "starts_on" if any(p.opens_on < starts_on for p in programs) else "ends_on", message)
        if fields_of_study:
            missing = sorted({p.field_of_study for p in programs} - set(fields_of_study))
            if missing:
                _add(
                    errors,
                    "fields_of_study",
                    f"Bidang studi masih dipakai program: {', '.join(missing)}.",
                )
    _fail(errors)
    return {
        "institution": institution,
        "number": number,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "fields_of_study": fields_of_study,
        "quota": quota,
    }


@transaction.atomic
def agreement_create(*, actor: Any, **values: Any) -> Agreement:
    _require_manager(actor)
    agreement = Agreement(**_agreement_values(values, None))
    _clean_and_save(agreement, exclude=["fields_of_study"])  # an empty list means every field
    _write(agreement, actor, "talent.agreement_create", AGREEMENT_FIELDS, {})
    return agreement


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **values: Any) -> Agreement:
    _require_manager(actor)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    clean = _agreement_values(values, locked)
    before = snapshot(locked, AGREEMENT_FIELDS)
    for name, value in clean.items():
        setattr(locked, name, value)
    _clean_and_save(locked, exclude=["fields_of_study"])
    _write(locked, actor, "talent.agreement_update", AGREEMENT_FIELDS, before)
    return locked


@transaction.atomic
def agreement_delete(*, actor: Any, agreement: Agreement) -> None:
    """Only an agreement no programme refers to; one in use simply runs out on its end date."""
    _require_manager(actor)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.programs.exists():
        message = "Perjanjian sudah dipakai program dan tidak dapat dihapus; ubah tanggal berakhirnya."
        raise ValidationFailed(message, fields={"number": [message]})
    audit_entry(
        actor=actor,
        action="talent.agreement_delete",
        instance=locked,
        changes=_gone(locked, AGREEMENT_FIELDS),
    )
    locked.delete()


# --- programmes ------------------------------------------------------------------------------------------


def _optional_int(errors: dict[str, list[str]], values: dict[str, Any], name: str, label: str) -> int | None:
    value = values.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, int) or value < 0:
        _add(errors, name, f"{label} harus bilangan bulat tidak negatif.")
        return None
    return value


def _program_values(values: dict[str, Any], program: FurtherEducationProgram | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {
        "code": str(values.get("code") or "").strip(),
        "name": str(values.get("name") or "").strip(),
        "kind": values.get("kind") or "",
        "field_of_study": str(values.get("field_of_study") or "").strip(),
        "level": values.get("level") or "",
        "min_grade": values.get("min_grade") or "",
        "no_ongoing_bond": bool(values.get("no_ongoing_bond")),
    }
    for name, message in (
        ("code", "Kode program wajib diisi."),
        ("name", "Nama program wajib diisi."),
        ("field_of_study", "Bidang studi wajib diisi."),
    ):
        if not clean[name]:
            _add(errors, name, message)
    codes = FurtherEducationProgram.objects.filter(code=clean["code"])
    if clean["code"] and _taken(codes, program.pk if program else None):
        _add(errors, "code", "Kode program sudah dipakai.")
    if clean["kind"] not in FurtherEducationProgram.Kind.values:
        _add(errors, "kind", "Jenis program tidak dikenal.")
    if clean["level"] not in FurtherEducationProgram.Level.values:
        _add(errors, "level", "Jenjang tidak dikenal.")
    if clean["min_grade"] and clean["min_grade"] not in GRADES:
        _add(errors, "min_grade", "Golongan tidak dikenal.")

    institution = values.get("institution")
    agreement = values.get("agreement")
    if not isinstance(institution, PartnerInstitution):
        _add(errors, "institution", "Pilih institusi mitra.")
        institution = None
    elif not institution.active and (program is None or program.institution_id != institution.pk):
        _add(errors, "institution", "Institusi mitra sudah nonaktif.")
    if agreement is not None and institution is not None and agreement.institution_id != institution.pk:
        _add(errors, "agreement", "Perjanjian bukan milik institusi ini.")
        agreement = None
    clean["institution"], clean["agreement"] = institution, agreement

    opens_on, closes_on = values.get("opens_on"), values.get("closes_on")
    if not isinstance(opens_on, dt.date):
        _add(errors, "opens_on", "Tanggal pendaftaran dibuka wajib diisi.")
    if not isinstance(closes_on, dt.date):
        _add(errors, "closes_on", "Tanggal pendaftaran ditutup wajib diisi.")
    elif isinstance(opens_on, dt.date) and closes_on < opens_on:
        _add(errors, "closes_on", "Pendaftaran ditutup sebelum dibuka.")
    if agreement is not None:
        if isinstance(opens_on, dt.date) and not agreement.starts_on <= opens_on <= agreement.ends_on:
            _add(
                errors,
                "opens_on",
                f"Pendaftaran dibuka di luar masa berlaku perjanjian "
                f"({agreement.starts_on:%d/%m/%Y} – {agreement.ends_on:%d/%m/%Y}).",
            )
        if isinstance(closes_on, dt.date) and not agreement.starts_on <= closes_on <= agreement.ends_on:
            _add(
                errors,
                "closes_on",
                f"Pendaftaran ditutup di luar masa berlaku perjanjian "
                f"({agreement.starts_on:%d/%m/%Y} – {agreement.ends_on:%d/%m/%Y}).",
            )
        if (
            clean["field_of_study"]
            and agreement.fields_of_study
            and clean["field_of_study"] not in agreement.fields_of_study
        ):
            _add(errors, "field_of_study", "Bidang studi tidak tercakup dalam perjanjian kerja sama.")
    clean["opens_on"], clean["closes_on"] = opens_on, closes_on

    quota = values.get("quota")
    if not isinstance(quota, int):
        _add(errors, "quota", "Kuota wajib diisi dengan bilangan bulat.")
    elif quota < 1:
        _add(errors, "quota", "Kuota paling sedikit 1.")
    else:
        taken = _seats(program=program) if program is not None else 0
        if quota < taken:
            _add(errors, "quota", f"Kuota lebih kecil dari kursi yang sudah terisi ({taken}).")
        if agreement is not None and agreement.quota:
            others = Application.objects.filter(
                program__agreement=agreement, status__in=Application.SEAT_STATUSES
            )
            if program is not None:
                others = others.exclude(program=program)
            remaining = max(agreement.quota - others.count(), 0)
            if quota > remaining:
                _add(
                    errors,
                    "quota",
                    f"Kuota melebihi sisa kuota perjanjian {agreement.number} ({remaining}).",
                )
    clean["quota"] = quota

    months = values.get("study_months")
    if not isinstance(months, int) or not 1 <= months <= 96:
        _add(errors, "study_months", "Lama studi harus 1–96 bulan.")
    clean["study_months"] = months
    clean["max_age"] = _optional_int(errors, values, "max_age", "Usia paling tinggi")
    clean["min_years_of_service"] = _optional_int(
        errors, values, "min_years_of_service", "Masa kerja paling sedikit"
    )
    boxes = values.get("allowed_boxes") or []
    if any(not isinstance(b, int) or not 1 <= b <= 9 for b in boxes):
        _add(errors, "allowed_boxes", "Kotak 9-box harus bernomor 1–9.")
    clean["allowed_boxes"] = sorted(set(boxes))
    _fail(errors)
    return clean


@transaction.atomic
def program_create(*, actor: Any, **values: Any) -> FurtherEducationProgram:
    _require_manager(actor)
    clean = _program_values(values, None)
    if clean["agreement"] is not None:
        Agreement.objects.select_for_update().get(pk=clean["agreement"].pk)
    program = FurtherEducationProgram(**clean)
    _clean_and_save(program)
    _write(program, actor, "talent.program_create", PROGRAM_FIELDS, {})
    return program


@transaction.atomic
def program_update(*, actor: Any, program: FurtherEducationProgram, **values: Any) -> FurtherEducationProgram:
    _require_manager(actor)
    locked = FurtherEducationProgram.objects.select_for_update().get(pk=program.pk)
    if values.get("agreement") is not None:
        Agreement.objects.select_for_update().get(pk=values["agreement"].pk)
    clean = _program_values(values, locked)
    if locked.applications.exists() and clean["institution"].pk != locked.institution_id:
        raise ValidationFailed(
            "Program sudah memiliki lamaran.",
            fields={"institution": ["Program sudah memiliki lamaran; institusinya tidak dapat diganti."]},
        )
    before = snapshot(locked, PROGRAM_FIELDS)
    for name, value in clean.items():
        setattr(locked, name, value)
    _clean_and_save(locked)
    _write(locked, actor, "talent.program_update", PROGRAM_FIELDS, before)
    return locked


@transaction.atomic
def program_remove(*, actor: Any, program: FurtherEducationProgram, today: dt.date | None = None) -> str:
    """Delete a programme nobody applied to; otherwise close its window yesterday (applications stay).
    Returns "deleted" or "closed"."""
    _require_manager(actor)
    today = today or timezone.localdate()
    locked = FurtherEducationProgram.objects.select_for_update().get(pk=program.pk)
    if not locked.applications.exists():
        audit_entry(
            actor=actor,
            action="talent.program_delete",
            instance=locked,
            changes=_gone(locked, PROGRAM_FIELDS),
        )
        locked.delete()
        return "deleted"
    if locked.closes_on < today:
        message = "Pendaftaran program ini sudah ditutup."
        raise ValidationFailed(message, fields={"closes_on": [message]})
    before = snapshot(locked, PROGRAM_FIELDS)
    locked.closes_on = today - dt.timedelta(days=1)
    locked.opens_on = min(locked.opens_on, locked.closes_on)
    locked.save(update_fields=["opens_on", "closes_on", "updated_at"])
    _write(locked, actor, "talent.program_close", PROGRAM_FIELDS, before)
    return "closed"
