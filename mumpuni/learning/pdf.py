"""Certificate PDFs (A4 landscape, Indonesian) drawn with ReportLab's canvas; the QR code to the public
verification page is drawn from segno's module matrix as vector rectangles (no image encoding), which
keeps a certificate at a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from mumpuni.lib.nip import NipError, parse_nip

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
NAVY = colors.HexColor("#0B3D6B")
GOLD = colors.HexColor("#B8860B")
# Settings the lead may add (defaults are the demo's fictional head of BKPP).
DEFAULT_HEAD_NAME = "Drs. Hendra Wicaksono, M.Si."
DEFAULT_HEAD_NIP = "197203151998031004"
DEFAULT_CITY = "Semarang"


def tanggal(day: dt.date) -> str:
    """12 Maret 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_jp(jp: Decimal) -> str:
    text = f"{jp:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def format_nip(nip: str) -> str:
    try:
        return parse_nip(nip).formatted
    except NipError:
        return nip


@dataclass(frozen=True)
class CertificateData:
    number: str
    name: str
    nip: str
    program: str
    class_name: str
    jp: Decimal
    starts_on: dt.date
    ends_on: dt.date
    issued_on: dt.date
    valid_until: dt.date | None
    verify_url: str


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    # A fixed mask skips segno's search over the eight masks (most of its time); any mask is valid QR.
    qr = segno.make(data, error="m", micro=False, mask=2)
    matrix = qr.matrix
    border = 2
    count = len(matrix) + 2 * border
    module = size / count
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    # Runs of dark modules as integer rectangles in module units, written straight into the page stream:
    # ReportLab's path objects format every float in Python, which dominated the rendering time.
    runs: list[str] = []
    for row_index, row in enumerate(matrix):
        start = -1
        for col_index, dark in enumerate((*row, 0)):
            if dark and start < 0:
                start = col_index
            elif not dark and start >= 0:
                runs.append(f"{start} {row_index} {col_index - start} 1 re")
                start = -1
    canvas.saveState()
    canvas.translate(x + border * module, y + size - border * module)
    canvas.scale(module, -module)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


def _centred(canvas: Canvas, text: str, y: float, font: str, size: float, max_width: float) -> None:
    # Long programme names shrink rather than run off the page.
    while size > 9 and canvas.stringWidth(text, font, size) > max_width:
        size -= 0.5
    canvas.setFont(font, size)
    canvas.drawCentredString(A4[1] / 2, y, text)


def draw_certificate(canvas: Canvas, data: CertificateData) -> None:
    width, height = landscape(A4)
    centre = width / 2
    # Frame
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(4)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    canvas.setFillColor(NAVY)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawCentredString(centre, height - 32 * mm, "PEMERINTAH KOTA SEMARANG")
    canvas.setFont("Helvetica", 11.5)
    canvas.drawCentredString(centre, height - 38.5 * mm, "BADAN KEPEGAWAIAN, PENDIDIKAN DAN PELATIHAN (BKPP)")
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(centre - 70 * mm, height - 42 * mm, centre + 70 * mm, height - 42 * mm)

    canvas.setFont("Helvetica-Bold", 34)
    canvas.drawCentredString(centre, height - 60 * mm, "SERTIFIKAT")
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica", 10.5)
    canvas.drawCentredString(centre, height - 67 * mm, f"Nomor: {data.number}")

    canvas.setFont("Helvetica", 12)
    canvas.drawCentredString(centre, height - 80 * mm, "diberikan kepada")
    canvas.setFillColor(NAVY)
    _centred(canvas, data.name, height - 92 * mm, "Helvetica-Bold", 24, width - 60 * mm)
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica", 11.5)
    canvas.drawCentredString(centre, height - 99 * mm, f"NIP {format_nip(data.nip)}")

    canvas.setFont("Helvetica", 12)
    canvas.drawCentredString(centre, height - 111 * mm, "yang telah mengikuti dan dinyatakan LULUS")
    canvas.setFillColor(NAVY)
    _centred(canvas, data.program, height - 121 * mm, "Helvetica-Bold", 17, width - 60 * mm)
    canvas.setFillColor(colors.black)
    period = (
        tanggal(data.starts_on)
        if data.starts_on == data.ends_on
        else f"{tanggal(data.starts_on)} s.d. {tanggal(data.ends_on)}"
    )
    _centred(
        canvas,
        f"{data.class_name} · {period} · {format_jp(data.jp)} jam pelajaran (JP)",
        height - 129 * mm,
        "Helvetica",
        11,
        width - 60 * mm,
    )
    if data.valid_until:
        canvas.setFont("Helvetica-Oblique", 9.5)
        canvas.drawCentredString(
            centre, height - 135 * mm, f"Sertifikat ini berlaku sampai {tanggal(data.valid_until)}."
        )

    # Signature block (right) and QR code (left).
    city = getattr(settings, "MUMPUNI_CERTIFICATE_CITY", DEFAULT_CITY)
    head_name = getattr(settings, "MUMPUNI_BKPP_HEAD_NAME", DEFAULT_HEAD_NAME)
    head_nip = getattr(settings, "MUMPUNI_BKPP_HEAD_NIP", DEFAULT_HEAD_NIP)
    sign_x = width - 80 * mm
    canvas.setFont("Helvetica", 11)
    canvas.drawCentredString(sign_x, 62 * mm, f"{city}, {tanggal(data.issued_on)}")
    canvas.drawCentredString(sign_x, 56.5 * mm, "Kepala BKPP Kota Semarang,")
    canvas.setFont("Helvetica-Bold", 11.5)
    canvas.drawCentredString(sign_x, 33 * mm, head_name)
    canvas.setLineWidth(0.6)
    canvas.setStrokeColor(colors.black)
    name_width = canvas.stringWidth(head_name, "Helvetica-Bold", 11.5)
    canvas.line(sign_x - name_width / 2, 31.8 * mm, sign_x + name_width / 2, 31.8 * mm)
    canvas.setFont("Helvetica", 10)
    canvas.drawCentredString(sign_x, 27 * mm, f"NIP {format_nip(head_nip)}")

    qr_size = 34 * mm
    qr_x, qr_y = 30 * mm, 26 * mm
    _draw_qr(canvas, data.verify_url, qr_x, qr_y, qr_size)
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.HexColor("#444444"))
    canvas.drawString(qr_x + qr_size + 4 * mm, qr_y + qr_size - 6 * mm, "Pindai untuk memeriksa keaslian")
    canvas.drawString(qr_x + qr_size + 4 * mm, qr_y + qr_size - 10 * mm, "sertifikat ini di laman verifikasi")
    canvas.drawString(qr_x + qr_size + 4 * mm, qr_y + qr_size - 14 * mm, "BKPP Kota Semarang.")
    canvas.setFillColor(colors.black)


def render_certificate(data: CertificateData) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    canvas.setTitle(f"Sertifikat {data.number}")
    canvas.setAuthor("BKPP Kota Semarang")
    canvas.setSubject(data.program)
    draw_certificate(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certificate_data(certificate: object, verify_url: str) -> CertificateData:
    """The printable facts of a Certificate (with enrollment, employee, class and programme loaded)."""
    enrollment = certificate.enrollment  # type: ignore[attr-defined]
    training_class = enrollment.training_class
    return CertificateData(
        number=certificate.number,  # type: ignore[attr-defined]
        name=enrollment.employee.name,
        nip=enrollment.employee.nip,
        program=training_class.program.name,
        class_name=training_class.name,
        jp=training_class.program.jp,
        starts_on=training_class.starts_on,
        ends_on=training_class.ends_on,
        issued_on=certificate.issued_on,  # type: ignore[attr-defined]
        valid_until=certificate.valid_until,  # type: ignore[attr-defined]
        verify_url=verify_url,
    )
