"""Certificates of completed enrolments: numbering, the signed verification link, who may download.

Number: 800/BKPP/<PROGRAM-CODE>/<YEAR>/<6-digit sequence> (800 is the archive classification code of
staffing matters). The sequence is per programme and year and is handed out under a lock on the programme
row (select_for_update; SQLite serialises writers by itself), with the unique constraint on `number` as the
last guard. The public link carries the number signed with django.core.signing, so a number changed by
hand does not verify.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import Certificate, Enrollment, Program
from mumpuni.people.scopes import scope_for

VERIFY_SALT = "mumpuni.learning.certificate"
NUMBER_PREFIX = "800/BKPP"
SEQUENCE_DIGITS = 6
Validity = Literal["valid", "expired", "revoked"]
VALIDITY_LABELS = {"valid": "Sah", "expired": "Kedaluwarsa", "revoked": "Dicabut"}


def number_prefix(program_code: str, year: int) -> str:
    return f"{NUMBER_PREFIX}/{program_code}/{year}/"


def _next_number(program: Program, year: int) -> str:
    prefix = number_prefix(program.code, year)
    last = (
        Certificate.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:0{SEQUENCE_DIGITS}d}"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def certificate_issue(*, actor: Any, enrollment: Enrollment) -> Certificate:
    """The certificate of a completed enrolment; a second call returns the existing one."""
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    if enrollment.status != Enrollment.Status.COMPLETED or enrollment.completed_on is None:
        raise ValidationFailed("Sertifikat hanya diterbitkan untuk peserta yang dinyatakan lulus.")
    program = enrollment.training_class.program
    issued_on = enrollment.completed_on
    valid_until = (
        _add_years(issued_on, program.certificate_valid_years) if program.certificate_valid_years else None
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Program.objects.select_for_update().filter(pk=program.pk).first()
                certificate = Certificate.objects.create(
                    enrollment=enrollment,
                    number=_next_number(program, issued_on.year),
                    issued_on=issued_on,
                    valid_until=valid_until,
                )
                audit_entry(
                    actor=actor,
                    action="create",
                    instance=certificate,
                    changes={"number": [None, certificate.number]},
                )
                return certificate
        except IntegrityError:
            # Another writer took the same number between our read and insert (a database without row
            # locks), or issued this enrolment's certificate: look again.
            existing = Certificate.objects.filter(enrollment=enrollment).first()
            if existing is not None:
                return existing
    raise ValidationFailed("Nomor sertifikat tidak dapat dialokasikan; coba lagi.")


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, note: str = "") -> Certificate:
    if not scope_for(actor).city_manager:
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mencabut sertifikat.")
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked_at"])
        audit_entry(
            actor=actor,
            action="update",
            instance=certificate,
            changes={"revoked_at": [None, certificate.revoked_at.isoformat()]},
            note=note,
        )
    return certificate


# --- verification ----------------------------------------------------------------------------------


def verification_token(certificate: Certificate) -> str:
    return signing.dumps(certificate.number, salt=VERIFY_SALT)


def verification_path(certificate: Certificate) -> str:
    return reverse("learning_public:verify", args=[verification_token(certificate)])


def certificate_from_token(token: str) -> Certificate | None:
    """The certificate a verification link names, or None for a forged, tampered or unknown one."""
    try:
        number = signing.loads(token, salt=VERIFY_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(number, str):
        return None
    return (
        Certificate.objects.select_related("enrollment__employee", "enrollment__training_class__program")
        .filter(number=number)
        .first()
    )


def validity(certificate: Certificate, today: dt.date | None = None) -> Validity:
    today = today or timezone.localdate()
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.valid_until is not None and certificate.valid_until < today:
        return "expired"
    return "valid"


def can_download(user: Any, certificate: Certificate) -> bool:
    """The owner, their supervisors up the chain, the head of their unit and BKPP."""
    scope = scope_for(user)
    employee = certificate.enrollment.employee
    return (
        scope.city_manager
        or employee.pk == scope.own_employee_id
        or employee.pk in scope.team_ids
        or scope.can_change_employee(employee)
    )
