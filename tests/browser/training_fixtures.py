"""Set-up of the training-flow browser test: a trainer account, a programme that raises one competency and
an open class whose first two sessions are over and whose last session is running now.

Made through the services (the catalogue's class_create accepts an open class with dates in the past: the
rules only ask that sessions fall within the class dates and do not overlap), so no date has to be moved by
hand between the steps: the class has ended today, which is what finalisation requires, while its last
session is still open for QR check-in.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import segno
from django.core import signing
from django.utils import timezone

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Program, TrainingClass
from mumpuni.learning.services import catalogue
from mumpuni.people.models import Role, User
from mumpuni.testing import make_account, make_employee

PROGRAM_NAME = "Pelayanan Prima bagi Petugas Kecamatan"
CLASS_NAME = "Pelayanan Prima Angkatan I"
JP = Decimal("24")


@dataclass
class TrainingSetup:
    trainer: User
    program: Program
    training_class: TrainingClass
    competency: Competency


def _class_sessions(now: dt.datetime) -> tuple[dt.date, dt.date, list[catalogue.SessionInput]]:
    """Two full days before the running session's day, then the running session (10 minutes in)."""
    tz = timezone.get_current_timezone()
    running_start = timezone.localtime(now - dt.timedelta(minutes=10))
    last_day = running_start.date()
    first_day = last_day - dt.timedelta(days=2)
    sessions = [
        catalogue.SessionInput(
            dt.datetime.combine(first_day + dt.timedelta(days=i), dt.time(8), tzinfo=tz),
            dt.datetime.combine(first_day + dt.timedelta(days=i), dt.time(14), tzinfo=tz),
            f"Materi {i + 1}: standar pelayanan",
        )
        for i in range(2)
    ]
    sessions.append(
        catalogue.SessionInput(
            running_start, running_start + dt.timedelta(hours=1), "Materi 3: praktik loket"
        )
    )
    return first_day, last_day, sessions


@pytest.fixture
def training(cast: Any) -> TrainingSetup:
    trainer_employee = make_employee("Hartono Wibisono", cast.bkpp, None)
    trainer = make_account("pelatih", [(Role.TRAINER, None)], trainer_employee)
    competency = Competency.objects.create(
        code="T.PLY-PRIMA", name="Pelayanan prima", kind=Competency.Kind.TECHNICAL
    )
    program = catalogue.program_create(
        actor=None,
        code="PLY-PRIMA",
        name=PROGRAM_NAME,
        category=Program.Category.CLASSICAL,
        form=Program.Form.TEKNIS,
        jp=JP,
        cost_per_participant=750_000,
        certificate_valid_years=3,
        uplifts={competency.code: 1},
    )
    first_day, last_day, sessions = _class_sessions(timezone.now())
    training_class = catalogue.class_create(
        actor=None,
        program=program,
        code="PLY-PRIMA-UJI-01",
        name=CLASS_NAME,
        starts_on=first_day,
        ends_on=last_day,
        venue="Aula BKPP Lantai 3",
        capacity=20,
        status=TrainingClass.Status.OPEN,
        sessions=sessions,
        trainers=[trainer],
    )
    return TrainingSetup(
        trainer=trainer, program=program, training_class=training_class, competency=competency
    )


# --- reading the QR codes back ----------------------------------------------------------------------
# Neither Chromium (no BarcodeDetector on Linux) nor the project has a QR decoder, and the tokens carry the
# second they were signed (django.core.signing.dumps is timestamped). So the test re-signs the same payload
# for each second around the request and looks for the candidate whose QR is exactly the one served: that
# candidate URL is then, provably, what a phone scanning the code would open.


class _SignerAt(signing.TimestampSigner):
    def __init__(self, at: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._at = at

    def timestamp(self) -> str:
        return signing.b62_encode(self._at)


def signed_at(obj: Any, *, salt: str, at: int) -> str:
    """What signing.dumps(obj, salt=salt) returned at second `at`."""
    return _SignerAt(at, salt=salt).sign_object(obj)


def seconds(started: float, finished: float) -> range:
    return range(int(started), int(finished) + 1)


def pdf_qr_cells(pdf: bytes) -> set[tuple[int, int]]:
    """The dark modules of the QR code drawn in a certificate (learning/pdf.py writes each run of dark modules
    as an integer `col row width 1 re` in module units into the compressed page stream)."""
    cells: set[tuple[int, int]] = set()
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = match.group(1).strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw[:-2].replace(b"\n", b"").replace(b"\r", b""))
        try:
            content = zlib.decompress(raw)
        except zlib.error:
            continue
        for col, row, width in re.findall(rb"^(\d+) (\d+) (\d+) 1 re$", content, re.M):
            cells.update((int(row), int(col) + i) for i in range(int(width)))
    return cells


def qr_cells(data: str, mask: int) -> set[tuple[int, int]]:
    matrix = segno.make(data, error="m", micro=False, mask=mask).matrix
    return {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}
