"""A routine training from request to certificate, every step clicked in the browser by the person who does it:
the employee requests a seat, the camat and then BKPP approve, the trainer marks attendance (grid for the
past sessions, the room's QR code for the running one), enters the post-test and finalises; the employee
sees the JP, downloads the certificate and its QR code opens the public verification page.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import segno
from django.core import signing
from django.urls import reverse

from mumpuni.competencies.models import Assessment
from mumpuni.learning.models import Certificate, Enrollment
from mumpuni.learning.services.attendance import CHECKIN_SALT, CHECKIN_WINDOW_SECONDS
from mumpuni.learning.services.certificates import VERIFY_SALT
from mumpuni.testing import PASSWORD
from tests.browser.conftest import screenshot
from tests.browser.training_fixtures import (
    CLASS_NAME,
    JP,
    PROGRAM_NAME,
    TrainingSetup,
    pdf_qr_cells,
    qr_cells,
    seconds,
    signed_at,
    training,
)

__all__ = ["training"]  # the fixture, imported so pytest finds it

EMPLOYEE = "Agus Prasetyo"


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Callable[[str | None], Any]]:
    """A page per persona, each in its own browser context (own cookies), closed at the end; None gives an
    anonymous phone, as anyone scanning a certificate would be."""
    contexts: list[Any] = []

    def login(username: str | None) -> Any:
        size = {"width": 1280, "height": 900} if username else {"width": 390, "height": 844}
        context = browser.new_context(locale="id-ID", viewport=size)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username is None:
            return page
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield login
    for context in contexts:
        context.close()


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def test_training_from_request_to_verified_certificate(
    live_server: Any, cast: Any, training: TrainingSetup, open_as: Callable[[str | None], Any]
) -> None:
    base = live_server.url
    klass = training.training_class

    # 1. The employee finds the class in the catalogue and asks for a seat.
    employee = open_as("pegawai")
    employee.goto(f"{base}{reverse('learning:home')}")
    employee.get_by_role("link", name=PROGRAM_NAME).click()
    employee.get_by_role("link", name=CLASS_NAME).click()
    employee.wait_for_url(f"{base}{reverse('learning:class_detail', args=[klass.pk])}")
    employee.fill("textarea[name=reason]", "Saya bertugas di loket pelayanan kecamatan.")
    screenshot(employee, "training-1-class-before-request")
    employee.get_by_role("button", name="Ajukan kursi").click()
    assert "menunggu persetujuan kepala unit" in _main(employee)
    assert "Diajukan pegawai" in _main(employee)

    # 2a. The camat of Tembalang approves at the first step; BKPP's step is not theirs.
    camat = open_as("camat")
    camat.goto(f"{base}{reverse('learning:approvals')}")
    assert camat.locator("#bkpp-list").count() == 0
    row = camat.locator("#unit-list .list-group-item", has_text=EMPLOYEE)
    row.locator("input[name=note]").fill("Disetujui, sesuai kebutuhan loket.")
    row.get_by_role("button", name="Setujui").click()  # HTMX swaps the row in place
    decided = camat.locator(".list-group-item", has_text=EMPLOYEE)
    decided.get_by_text("Disetujui kepala unit", exact=True).wait_for()
    screenshot(camat, "training-2-camat-approved")
    assert Enrollment.objects.get(training_class=klass).status == Enrollment.Status.UNIT_APPROVED

    # 2b. The BKPP admin gives the final approval: a seat is free, so the employee is enrolled.
    admin = open_as("admin")
    admin.goto(f"{base}{reverse('learning:approvals')}")
    row = admin.locator("#bkpp-list .list-group-item", has_text=EMPLOYEE)
    row.get_by_role("button", name="Setujui").click()
    admin.locator(".list-group-item", has_text=EMPLOYEE).get_by_text("Terdaftar", exact=True).wait_for()
    # ... and marks the class as running.
    admin.goto(f"{base}{reverse('learning:class_detail', args=[klass.pk])}")
    admin.get_by_role("button", name="→ Berlangsung").click()
    assert "Status kelas diubah." in _main(admin)

    employee.reload()
    own = employee.locator(".card", has_text="Pendaftaran saya")
    assert "Terdaftar" in own.inner_text()
    screenshot(employee, "training-3-employee-enrolled")

    # 3a. The trainer ticks the two past sessions in the grid ...
    trainer = open_as("pelatih")
    trainer.goto(f"{base}{reverse('learning:teaching')}")
    trainer.locator("tr", has_text=CLASS_NAME).get_by_role("link", name="Kehadiran").click()
    sessions = list(klass.sessions.order_by("starts_at"))
    enrollment = Enrollment.objects.get(training_class=klass)
    for session in sessions[:2]:
        trainer.check(f"input[name=present][value='{enrollment.pk}-{session.pk}']")
    trainer.get_by_role("button", name="Simpan kehadiran").click()
    assert "Kehadiran disimpan (2 perubahan)." in _main(trainer)

    # 3b. ... and shows the QR code of the running session in the room; the employee's phone opens it.
    trainer.get_by_role("link", name="Tampilkan kode QR").click()
    qr_url = f"{base}{reverse('learning:session_qr', args=[sessions[2].pk])}"
    trainer.wait_for_url(qr_url)
    screenshot(trainer, "training-4-session-qr")
    started = time.time()
    served = trainer.request.get(qr_url).text()  # the page as served, with its inline SVG
    finished = time.time()
    session = sessions[2]
    checkin_url = ""
    for at in seconds(started, finished):
        # The view reads the clock for the five-minute window a moment before the signer stamps the second.
        for window in {at // CHECKIN_WINDOW_SECONDS, (at - 1) // CHECKIN_WINDOW_SECONDS}:
            token = signed_at(
                {"s": session.pk, "w": window},
                salt=f"{CHECKIN_SALT}:{session.pk}:{session.checkin_secret}",
                at=at,
            )
            candidate = f"{base}{reverse('learning:checkin', args=[session.pk, token])}"
            svg = segno.make(candidate, error="m").svg_inline(scale=10, border=2, dark="#000", light="#fff")
            if svg in served:
                checkin_url = candidate
    assert checkin_url, "the QR code on the room's screen does not encode a check-in link of this session"
    employee.goto(checkin_url)
    employee.get_by_role("button", name="Catat kehadiran saya").click()
    assert "kehadiran Anda sudah dicatat" in _main(employee)
    screenshot(employee, "training-5-checked-in")

    # 3c. Post-test 85 (the rule asks ≥ 70 and ≥ 90 % attendance), then finalise the ended class.
    trainer.goto(f"{base}{reverse('learning:attendance', args=[klass.pk])}")
    assert "100,00" in trainer.locator("tr", has_text=EMPLOYEE).inner_text()
    trainer.get_by_role("link", name="Nilai tes").click()
    trainer.get_by_label(f"Pre-test {EMPLOYEE}").fill("55")
    trainer.get_by_label(f"Post-test {EMPLOYEE}").fill("85,5")
    trainer.get_by_role("button", name="Simpan nilai").click()
    assert "Nilai 1 peserta disimpan." in _main(trainer)
    trainer.get_by_role("link", name="Kelulusan").click()
    assert "memenuhi" in trainer.locator("tr", has_text=EMPLOYEE).inner_text()
    trainer.get_by_role("button", name="Tetapkan kelulusan").click()
    assert "Kelulusan ditetapkan: 1 lulus, 0 tidak lulus." in _main(trainer)
    screenshot(trainer, "training-6-finalized")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    evidence = Assessment.objects.get(training_enrollment_id=enrollment.pk)
    assert (evidence.source, evidence.competency, evidence.level) == (
        Assessment.Source.TRAINING,
        training.competency,
        2,  # never assessed counts as level 1, plus the programme's uplift of 1
    )

    # 4a. The employee sees the JP credited and the certificate on "JP dan sertifikat saya".
    year = klass.ends_on.year
    employee.goto(f"{base}{reverse('learning:my')}?tahun={year}")
    assert Decimal(employee.locator("[data-jp]").get_attribute("data-jp")) == JP
    assert "minimal 20 JP tahun ini sudah terpenuhi" in _main(employee)  # 24 JP ≥ 20 JP
    ledger = employee.locator(".card", has_text=f"Buku JP {year}")
    assert PROGRAM_NAME in ledger.inner_text() and "Penyelesaian kelas" in ledger.inner_text()
    certificate = Certificate.objects.get(enrollment=enrollment)
    certificates = employee.locator(".card", has_text="Sertifikat saya")
    assert certificate.number in certificates.inner_text()
    screenshot(employee, "training-7-my-jp")

    # 4b. The PDF downloads with the employee's session ...
    href = certificates.get_by_role("link", name="PDF").get_attribute("href")
    started = time.time()
    response = employee.request.get(f"{base}{href}")
    finished = time.time()
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")

    # ... and its QR code opens the public verification page (no login needed).
    cells = pdf_qr_cells(pdf)
    assert cells, "no QR code found in the certificate PDF"
    verify_url = ""
    for at in seconds(started, finished):
        token = signed_at(certificate.number, salt=VERIFY_SALT, at=at)
        candidate = f"{base}{reverse('learning_public:verify', args=[token])}"
        if any(qr_cells(candidate, mask) == cells for mask in range(8)):
            verify_url = candidate
    assert verify_url, "the certificate's QR code does not encode its verification link"

    page = open_as(None)
    response = page.goto(verify_url)
    assert response is not None and response.status == 200
    text = _main(page)
    assert "Sertifikat sah" in text
    assert EMPLOYEE in text and PROGRAM_NAME in text
    assert "berlaku sampai" in text
    assert cast.employee_employee.nip not in text  # name, programme, date and validity — nothing more
    screenshot(page, "training-8-verified")

    # A number changed by hand in the link (the signature kept) does not verify.
    _, stamp, signature = verify_url.rstrip("/").rsplit("/", 1)[1].split(":")
    other_number = certificate.number[:-1] + ("2" if certificate.number[-1] != "2" else "3")
    value = signing.b64_encode(json.dumps(other_number, separators=(",", ":")).encode()).decode()
    forged = f"{base}{reverse('learning_public:verify', args=[f'{value}:{stamp}:{signature}'])}"
    response = page.goto(forged)
    assert response is not None and response.status == 404
    assert "Sertifikat tidak valid" in _main(page)
    assert EMPLOYEE not in _main(page)
    screenshot(page, "training-9-tampered")
