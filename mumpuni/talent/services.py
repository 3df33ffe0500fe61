"""Writes of talent management: settings, SKP ratings, the 9-box snapshot, partner institutions and
programmes, applications and their steps, and the service bond at graduation.

Every write is atomic, checks who may make it (talent/access.py), validates with Indonesian messages and
leaves one audit entry naming the actor. The placement refresh is the only bulk write: it rebuilds the
snapshot of a year from the SKP ratings and the current competency levels (no audit per row; one entry
for the run).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.common.notifications import notify
from mumpuni.competencies.models import Competency, CurrentLevel
from mumpuni.competencies.selectors import requirement_table
from mumpuni.people.models import Employee, Role, RoleAssignment
from mumpuni.people.scopes import scope_for
from mumpuni.talent import access, ninebox
from mumpuni.talent.eligibility import GRADES, add_months
from mumpuni.talent.models import (
    Agreement,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    EmployeeGrade,
    FurtherEducationProgram,
    PartnerInstitution,
    PerformanceRating,
    ServiceBond,
    TalentPlacement,
    TalentSettings,
)

Status = Application.Status
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_COMMENT = 2000


class TransitionError(ValidationFailed):
    """A step not allowed from the application's current status (HTTP 409)."""

    status_code = 409


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "sistem"
    employee = Employee.objects.filter(user=actor).only("name").first()
    return (employee.name if employee else getattr(actor, "username", ""))[:150]


# --- settings ----------------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "numbering",
    "skp_map",
    "pool_boxes",
    "potential_high",
    "potential_mid",
    "min_assessed",
    "bond_multiplier",
    "bond_extra_months",
    "izin_bond_months",
    "retirement_age",
)


@transaction.atomic
def settings_update(*, actor: Any, **values: Any) -> TalentSettings:
    """Change the talent settings (BKPP only). Placements show the change after the next refresh."""
    if not scope_for(actor).city_manager:
        raise PermissionDeniedError("Pengaturan talenta hanya dapat diubah oleh admin BKPP.")
    current = TalentSettings.objects.select_for_update().get(pk=TalentSettings.load().pk)
    errors: dict[str, list[str]] = {}
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationFailed(f"Pengaturan tidak dikenal: {', '.join(sorted(unknown))}.")
    if "numbering" in values and (messages := ninebox.validate_numbering(values["numbering"])):
        errors["numbering"] = messages
    if "skp_map" in values and (messages := ninebox.validate_skp_map(values["skp_map"])):
        errors["skp_map"] = messages
    if "pool_boxes" in values:
        boxes = values["pool_boxes"]
        if not boxes or any(not isinstance(b, int) or not 1 <= b <= 9 for b in boxes):
            errors["pool_boxes"] = ["Kotak kelompok talenta harus berupa nomor 1–9."]
    high = float(values.get("potential_high", current.potential_high))
    mid = float(values.get("potential_mid", current.potential_mid))
    if not 0 <= mid <= high <= 100:
        errors["potential_mid"] = ["Ambang potensi: 0 ≤ menengah ≤ tinggi ≤ 100."]
    _fail(errors)
    before = {name: getattr(current, name) for name in values}
    for name, value in values.items():
        setattr(current, name, value)
    current.updated_by = actor
    current.full_clean()
    current.save()
    audit_entry(
        actor=actor,
        action="talent.settings_update",
        instance=current,
        changes={k: [before[k], values[k]] for k in values if before[k] != values[k]},
    )
    return current


# --- SKP ratings ---------------------------------------------------------------------------------------


def clean_predikat(value: str) -> str | None:
    """'Sangat Baik', 'sangat_baik', 'SANGAT BAIK' → 'sangat_baik'; None when not a predikat."""
    key = " ".join(str(value or "").replace("_", " ").split()).lower()
    for code, label in ninebox.PREDIKAT_LABELS.items():
        if key in (label.lower(), code.replace("_", " ")):
            return code
    return None


def clean_grade(value: str) -> str | None:
    text = str(value or "").strip().upper().replace(" ", "")
    for grade in GRADES:
        if text == grade.upper():
            return grade
    return None


@transaction.atomic
def rating_record(
    *, actor: Any, employee: Employee, year: int, predikat: str, grade: str = "", refresh: bool = True
) -> PerformanceRating:
    """Enter (or correct) the SKP predikat of an employee for a year; optionally their golongan."""
    if not access.can_rate(actor, employee):
        raise PermissionDeniedError(
            "Predikat SKP diisi oleh admin BKPP atau kepala unit pegawai (tidak untuk diri sendiri)."
        )
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate().year
    if not 2000 <= int(year) <= this_year:
        errors["year"] = [f"Tahun SKP harus antara 2000 dan {this_year}."]
    code = clean_predikat(predikat)
    if code is None:
        errors["predikat"] = ["Predikat harus Sangat Baik, Baik, Butuh Perbaikan, Kurang atau Sangat Kurang."]
    grade_code = clean_grade(grade) if grade else None
    if grade and grade_code is None:
        errors["grade"] = ["Golongan tidak dikenal; gunakan bentuk III/a, IV/b dan seterusnya."]
    _fail(errors)
    assert code is not None
    rating = PerformanceRating.objects.select_for_update().filter(employee=employee, year=year).first()
    before = rating.predikat if rating else ""
    if rating is None:
        rating = PerformanceRating(employee=employee, year=year)
    rating.predikat = code
    rating.source = PerformanceRating.Source.ENTRY
    rating.entered_by = actor if getattr(actor, "pk", None) else None
    rating.full_clean()
    rating.save()
    if grade_code:
        grade_set(employee=employee, grade=grade_code)
    audit_entry(
        actor=actor,
        action="talent.rating_record",
        instance=rating,
        changes={"predikat": [before, code], **({"grade": ["", grade_code]} if grade_code else {})},
    )
    if refresh:
        placements_refresh(year=int(year), employee_ids=[employee.pk])
    return rating


def grade_set(*, employee: Employee, grade: str) -> None:
    """Record the golongan (called inside the rating and import services, which audit it)."""
    EmployeeGrade.objects.update_or_create(employee=employee, defaults={"grade": grade})


# --- the 9-box snapshot --------------------------------------------------------------------------------


@dataclass
class RefreshResult:
    year: int
    employees: int
    placed: int


def _placement_parts(
    *,
    year: int,
    predikat: str | None,
    fits: list[dict[str, Any]],
    conf: TalentSettings,
) -> tuple[dict[str, Any], str, str, float | None]:
    """(parts, potential, performance, score) of one employee; '' for an axis that cannot be judged."""
    missing: list[str] = []
    performance = ""
    skp: dict[str, Any] | None = None
    if predikat:
        performance = ninebox.performance_for(predikat, conf.skp_map)
        skp = {
            "year": year,
            "predikat": predikat,
            "predikat_label": ninebox.PREDIKAT_LABELS[predikat],
            "performance": performance,
            "performance_label": ninebox.PERFORMANCE_LABELS[performance],
        }
    else:
        missing.append(f"Belum ada predikat SKP tahun {year}.")
    score = ninebox.potential_score(
        ninebox.CompetencyFit(code=f["code"], required=f["required"], current=f["current"]) for f in fits
    )
    potential = ""
    if not fits:
        missing.append("Jabatan tidak memiliki standar kompetensi, sehingga potensi belum dapat dinilai.")
    elif score.assessed < conf.min_assessed:
        missing.append(
            f"Baru {score.assessed} kompetensi yang dinilai; paling sedikit {conf.min_assessed} untuk menilai potensi."
        )
    else:
        potential = ninebox.potential_for(score.score, high=conf.potential_high, mid=conf.potential_mid)
    parts: dict[str, Any] = {
        "skp": skp,
        "potential": {
            "score": score.score,
            "required": score.required,
            "assessed": score.assessed,
            "met": score.met,
            "mean_surplus": score.mean_surplus,
            "high": conf.potential_high,
            "mid": conf.potential_mid,
            "level": potential,
            "level_label": ninebox.POTENTIAL_LABELS.get(potential, ""),
            "competencies": fits,
        },
        "missing": missing,
    }
    return parts, potential, performance, (score.score if potential else None)


@transaction.atomic
def placements_refresh(
    *, year: int, employee_ids: list[int] | None = None, actor: Any = None
) -> RefreshResult:
    """Rebuild the 9-box snapshot of `year` for every active employee (or the given ones).

    A handful of queries whatever the number of employees: employees with their positions, the requirement
    table, the SKP ratings of the year and the current levels with the assessment they come from."""
    conf = TalentSettings.load()
    now = timezone.now()
    employees = Employee.objects.filter(active=True)
    if employee_ids is not None:
        employees = employees.filter(pk__in=employee_ids)
    rows = list(employees.values_list("pk", "unit_id", "position_id", "position__kind", "position__level"))
    position_ids = {r[2] for r in rows if r[2]}
    table = requirement_table(position_ids)
    required_cache: dict[int, dict[int, int]] = {}
    ratings = dict(
        PerformanceRating.objects.filter(year=year, employee__in=employees.values("pk")).values_list(
            "employee_id", "predikat"
        )
    )
    codes = dict(Competency.objects.values_list("pk", "code"))
    levels: dict[int, dict[int, tuple[int, int, str, dt.date]]] = defaultdict(dict)
    current = CurrentLevel.objects.filter(employee__active=True)
    if employee_ids is not None:
        current = current.filter(employee_id__in=employee_ids)
    for employee_id, competency_id, current_level, assessment_id, source, assessed_on in current.values_list(
        "employee_id",
        "competency_id",
        "level",
        "assessment_id",
        "assessment__source",
        "assessment__assessed_on",
    ):
        levels[employee_id][competency_id] = (current_level, assessment_id, source, assessed_on)

    placements: list[TalentPlacement] = []
    for pk, unit_id, position_id, kind, jenjang in rows:
        if position_id:
            if position_id not in required_cache:
                required_cache[position_id] = table.for_position(position_id, kind, jenjang or "")
            required = required_cache[position_id]
        else:
            required = {}
        own = levels.get(pk, {})
        fits = []
        for competency_id, need in sorted(required.items(), key=lambda item: codes.get(item[0], "")):
            got = own.get(competency_id)
            fits.append(
                {
                    "code": codes.get(competency_id, str(competency_id)),
                    "required": need,
                    "current": got[0] if got else None,
                    "assessment_id": got[1] if got else None,
                    "source": got[2] if got else "",
                    "assessed_on": got[3].isoformat() if got and got[3] else "",
                }
            )
        predikat = ratings.get(pk)
        parts, potential, performance, score = _placement_parts(
            year=year, predikat=predikat, fits=fits, conf=conf
        )
        box = ninebox.box_for(potential, performance, conf.numbering) if potential and performance else None
        parts["box"] = box
        parts["pool"] = box in conf.pool_boxes if box else False
        placements.append(
            TalentPlacement(
                employee_id=pk,
                year=year,
                unit_id=unit_id,
                box=box,
                potential=potential,
                performance=performance,
                predikat=predikat or "",
                potential_score=score,
                parts=parts,
                computed_at=now,
            )
        )
    stale = TalentPlacement.objects.filter(year=year)
    if employee_ids is not None:
        stale = stale.filter(employee_id__in=employee_ids)
    stale.delete()
    TalentPlacement.objects.bulk_create(placements, batch_size=2000)
    placed = sum(1 for p in placements if p.box)
    if employee_ids is None:
        audit_entry(
            actor=actor,
            action="talent.placements_refresh",
            instance=conf,
            note=f"tahun {year}: {len(placements)} pegawai, {placed} tertempatkan",
        )
    return RefreshResult(year=year, employees=len(placements), placed=placed)


# --- partner institutions and programmes -----------------------------------------------------------------


def _require_manager(actor: Any) -> None:
    if not access.can_manage_education(actor):
        raise PermissionDeniedError("Data pendidikan lanjut dikelola oleh admin BKPP.")


def _save_new(instance: Any, actor: Any, action: str) -> Any:
    try:
        instance.full_clean()
    except DjangoValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields) from exc
    instance.save()
    audit_entry(actor=actor, action=action, instance=instance)
    return instance


@transaction.atomic
def institution_create(*, actor: Any, name: str, city: str, kind: str) -> PartnerInstitution:
    _require_manager(actor)
    return _save_new(
        PartnerInstitution(name=name.strip(), city=city.strip(), kind=kind),
        actor,
        "talent.institution_create",
    )


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    institution: PartnerInstitution,
    number: str,
    starts_on: dt.date,
    ends_on: dt.date,
    fields_of_study: list[str],
    quota: int,
) -> Agreement:
    _require_manager(actor)
    if ends_on < starts_on:
        raise ValidationFailed(
            "Tanggal berakhir sebelum tanggal mulai.",
            fields={"ends_on": ["Tanggal berakhir sebelum tanggal mulai."]},
        )
    agreement = Agreement(
        institution=institution,
        number=number.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        fields_of_study=[f.strip() for f in fields_of_study if f.strip()],
        quota=quota,
    )
    return _save_new(agreement, actor, "talent.agreement_create")


@transaction.atomic
def program_create(*, actor: Any, **values: Any) -> FurtherEducationProgram:
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    if values["closes_on"] < values["opens_on"]:
        errors["closes_on"] = ["Pendaftaran ditutup sebelum dibuka."]
    agreement = values.get("agreement")
    if agreement is not None:
        if agreement.institution_id != values["institution"].pk:
            errors["agreement"] = ["Perjanjian bukan milik institusi ini."]
        elif agreement.fields_of_study and values["field_of_study"] not in agreement.fields_of_study:
            errors["field_of_study"] = ["Bidang studi tidak tercakup dalam perjanjian kerja sama."]
    boxes = values.get("allowed_boxes") or []
    if any(not isinstance(b, int) or not 1 <= b <= 9 for b in boxes):
        errors["allowed_boxes"] = ["Kotak 9-box harus bernomor 1–9."]
    _fail(errors)
    return _save_new(FurtherEducationProgram(**values), actor, "talent.program_create")


# --- applications ----------------------------------------------------------------------------------------


def application_for_user(user: Any, pk: int) -> Application:
    application = (
        Application.objects.select_related("program__institution", "employee__unit", "employee__position")
        .filter(pk=pk)
        .first()
    )
    if application is None or not access.can_view_application(user, application.employee):
        raise NotFoundError("Lamaran tidak ditemukan.")
    return application


def _event(application: Application, actor: Any, from_status: str, comment: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        comment=comment,
    )


def _link(application: Application) -> str:
    return reverse("talent:application", args=[application.pk])


def _applicant_users(application: Application) -> list[Any]:
    employee = Employee.objects.filter(pk=application.employee_id).select_related("user").first()
    return [employee.user] if employee and employee.user else []


def _admin_users() -> list[Any]:
    return [a.user for a in RoleAssignment.objects.filter(role=Role.ADMIN).select_related("user")]


def _notify_on_commit(users: list[Any], title: str, body: str, link: str) -> None:
    transaction.on_commit(lambda: notify(users, title, body, link, kind="talent_application"))


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    program: FurtherEducationProgram,
    employee: Employee,
    motivation: str = "",
    today: dt.date | None = None,
) -> Application:
    """An employee applies for a programme (BKPP may file it for them). Refused when the window is closed,
    when they applied before, or when a rule fails — the field `eligibility` lists every failed rule."""
    from mumpuni.talent.selectors import eligibility_for

    today = today or timezone.localdate()
    scope = scope_for(actor)
    if scope.own_employee_id != employee.pk and not scope.city_manager:
        raise PermissionDeniedError("Lamaran diajukan oleh pegawai yang bersangkutan atau admin BKPP.")
    program = FurtherEducationProgram.objects.select_for_update().get(pk=program.pk)
    errors: dict[str, list[str]] = {}
    if not program.is_open(today):
        errors["program"] = [
            f"Pendaftaran dibuka {program.opens_on:%d/%m/%Y} sampai {program.closes_on:%d/%m/%Y}."
        ]
    if Application.objects.filter(program=program, employee=employee).exists():
        errors["program"] = ["Pegawai sudah mengajukan lamaran untuk program ini."]
    motivation = (motivation or "").strip()
    if len(motivation) > MAX_COMMENT:
        errors["motivation"] = [f"Alasan paling banyak {MAX_COMMENT} karakter."]
    _fail(errors)
    verdict = eligibility_for(employee, program)
    if not verdict.eligible:
        reasons = [f"{r.label}: {r.reason}" for r in verdict.failed]
        raise ValidationFailed("Pegawai belum memenuhi syarat program ini.", fields={"eligibility": reasons})
    application = Application(
        program=program,
        employee=employee,
        motivation=motivation,
        eligibility=[r.__dict__ for r in verdict.results],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    application.full_clean()
    application.save()
    _event(application, actor, "", "")
    audit_entry(actor=actor, action="talent.application_submit", instance=application)
    _notify_on_commit(
        _admin_users(),
        f"Lamaran baru: {program.name}",
        f"{employee.name} ({employee.nip}) mengajukan lamaran {program.get_kind_display().lower()}.",
        _link(application),
    )
    return application


def check_pdf(upload: Any) -> list[str]:
    name = str(getattr(upload, "name", "") or "")
    if not name.lower().endswith(".pdf"):
        return ["Dokumen harus berkas PDF."]
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        return ["Berkas kosong."]
    if size > MAX_DOCUMENT_BYTES:
        return [f"Berkas terlalu besar ({size / 1_048_576:.1f} MB); batasnya 5 MB."]
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        return ["Isi berkas bukan PDF; unggah PDF yang asli."]
    return []


@transaction.atomic
def document_add(
    *, actor: Any, application: Application, kind: str, upload: UploadedFile
) -> ApplicationDocument:
    scope = scope_for(actor)
    if scope.own_employee_id != application.employee_id and not scope.city_manager:
        raise PermissionDeniedError("Dokumen diunggah oleh pelamar atau admin BKPP.")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in ("applied", "verified", "selected"):
        raise TransitionError("Dokumen tidak dapat ditambahkan pada lamaran berstatus ini.")
    errors: dict[str, list[str]] = {}
    if kind not in ApplicationDocument.Kind.values:
        errors["kind"] = ["Jenis dokumen tidak dikenal."]
    if messages := check_pdf(upload):
        errors["file"] = messages
    _fail(errors)
    document = ApplicationDocument(
        application=locked,
        kind=kind,
        file=upload,
        original_name=str(upload.name)[:255],
        size=int(upload.size or 0),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.save()
    audit_entry(
        actor=actor, action="talent.document_add", instance=locked, note=f"{kind}: {document.original_name}"
    )
    return document


# step -> (statuses it starts from, the status it leads to)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "verify": (("applied",), "verified"),
    "select": (("verified",), "selected"),
    "enroll": (("selected",), "enrolled"),
    "graduate": (("enrolled",), "graduated"),
    "reject": (("applied", "verified", "selected"), "rejected"),
    "withdraw": (("applied", "verified", "selected"), "withdrawn"),
}
STEP_LABELS = {
    "verify": "Verifikasi",
    "select": "Tetapkan terpilih",
    "enroll": "Catat mulai studi",
    "graduate": "Catat kelulusan",
    "reject": "Tolak",
    "withdraw": "Tarik lamaran",
}


def can_step(user: Any, application: Application, step: str) -> bool:
    if step not in STEPS or application.status not in STEPS[step][0]:
        return False
    scope = scope_for(user)
    if step == "withdraw":
        return scope.own_employee_id == application.employee_id or scope.city_manager
    return scope.city_manager and scope.own_employee_id != application.employee_id


def bond_months(program: FurtherEducationProgram, conf: TalentSettings) -> tuple[int, str]:
    if program.kind == FurtherEducationProgram.Kind.TUGAS_BELAJAR:
        months = conf.bond_multiplier * program.study_months + conf.bond_extra_months
        return months, (
            f"{conf.bond_multiplier} × masa studi {program.study_months} bulan + {conf.bond_extra_months} bulan"
        )
    return conf.izin_bond_months, f"izin belajar: {conf.izin_bond_months} bulan"


@transaction.atomic
def application_step(
    *,
    actor: Any,
    application: Application,
    step: str,
    comment: str = "",
    on: dt.date | None = None,
) -> Application:
    """One step of applied → verified → selected → enrolled → graduated (or rejected / withdrawn)."""
    if step not in STEPS:
        raise ValidationFailed("Langkah tidak dikenal.", fields={"step": ["Langkah tidak dikenal."]})
    locked = (
        Application.objects.select_for_update().select_related("program", "employee").get(pk=application.pk)
    )
    sources, target = STEPS[step]
    if locked.status not in sources:
        raise TransitionError(
            f"Lamaran berstatus {locked.get_status_display().lower()} tidak dapat diproses dengan langkah ini."
        )
    if not can_step(actor, locked, step):
        raise PermissionDeniedError("Anda tidak berwenang mengambil langkah ini.")
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [f"Catatan paling banyak {MAX_COMMENT} karakter."]
    if step == "reject" and not comment:
        errors["comment"] = ["Tuliskan alasan penolakan."]
    today = timezone.localdate()
    on = on or today
    if step in ("enroll", "graduate") and on > today:
        errors["on"] = ["Tanggal tidak boleh di masa depan."]
    _fail(errors)

    previous = locked.status
    fields = ["status", "updated_at"]
    if step == "verify":
        present = set(locked.documents.values_list("kind", flat=True))
        missing = [
            str(ApplicationDocument.Kind(k).label)
            for k in ApplicationDocument.REQUIRED_FOR_VERIFICATION
            if k not in present
        ]
        if missing:
            raise ValidationFailed(
                "Dokumen belum lengkap.", fields={"documents": [f"Belum diunggah: {', '.join(missing)}."]}
            )
    if step == "select":
        program = FurtherEducationProgram.objects.select_for_update().get(pk=locked.program_id)
        taken = Application.objects.filter(program=program, status__in=Application.SEAT_STATUSES).count()
        if taken >= program.quota:
            raise TransitionError(f"Kuota program ({program.quota}) sudah terpenuhi.")
        if program.agreement_id:
            agreement = Agreement.objects.select_for_update().get(pk=program.agreement_id)
            used = Application.objects.filter(
                program__agreement=agreement, status__in=Application.SEAT_STATUSES
            ).count()
            if agreement.quota and used >= agreement.quota:
                raise TransitionError(
                    f"Kuota perjanjian {agreement.number} ({agreement.quota}) sudah terpenuhi."
                )
    if step == "enroll":
        locked.enrolled_on = on
        fields.append("enrolled_on")
    if step == "graduate":
        if locked.enrolled_on and on < locked.enrolled_on:
            raise ValidationFailed(
                "Tanggal lulus sebelum mulai studi.", fields={"on": ["Tanggal lulus sebelum mulai studi."]}
            )
        locked.graduated_on = on
        fields.append("graduated_on")
    locked.status = target
    locked.save(update_fields=fields)
    if step == "graduate":
        months, rule = bond_months(locked.program, TalentSettings.load())
        if months > 0:
            ServiceBond.objects.create(
                application=locked,
                employee=locked.employee,
                starts_on=on,
                ends_on=add_months(on, months),
                months=months,
                rule=rule[:200],
            )
    _event(locked, actor, previous, comment)
    audit_entry(
        actor=actor,
        action=f"talent.application_{step}",
        instance=locked,
        changes={"status": [previous, target]},
        note=comment[:255],
    )
    application.status = locked.status
    label = Status(target).label
    _notify_on_commit(
        _applicant_users(locked),
        f"Lamaran {locked.program.name}: {label}",
        comment or f"Status lamaran Anda sekarang {label}.",
        _link(locked),
    )
    return locked
