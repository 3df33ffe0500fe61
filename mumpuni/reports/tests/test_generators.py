"""Each generator makes a valid PDF (pypdf reads it; the kop, the period, the figures inside; numbered pages)
and an XLSX whose values are those of the planted roll-up rows."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from mumpuni.reports.generators import Output, generate
from mumpuni.reports.models import ReportJob
from mumpuni.reports.tests.fixtures import QUARTER, YEAR, build
from mumpuni.testing import BaseTestCase


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def sheet_rows(content: bytes, name: str) -> list[tuple[Any, ...]]:
    wb = load_workbook(io.BytesIO(content))
    return [tuple(r) for r in wb[name].iter_rows(values_only=True)]


class GeneratorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build(cls)

    def run_job(self, **params: Any) -> tuple[Output, list[int]]:
        job = ReportJob.objects.create(
            year=YEAR, quarter=QUARTER, requested_by=self.admin, status=ReportJob.Status.RUNNING, **params
        )
        steps: list[int] = []
        out = generate(job, lambda percent, message: steps.append(percent))
        return out, steps

    def test_competency_city(self) -> None:
        out, steps = self.run_job(kind=ReportJob.Kind.COMPETENCY_QUARTERLY)
        self.assertEqual(steps, sorted(steps))
        self.assertTrue(steps)
        text = pdf_text(out.pdf)
        self.assertIn("PEMERINTAH KOTA SEMARANG", text)
        self.assertIn("BADAN KEPEGAWAIAN, PENDIDIKAN DAN PELATIHAN", text)
        self.assertIn("LAPORAN TRIWULANAN PENGEMBANGAN KOMPETENSI ASN", text)
        self.assertIn("Triwulan II Tahun 2026", text)
        self.assertIn("oleh Sri Wahyuni", text)  # the requester's name (the admin's employee record)
        self.assertIn("Halaman 1 dari", text)
        self.assertIn("Kecamatan Tembalang", text)
        self.assertIn("82,0", text)  # JP in the quarter: 40 + 12 + 30 (July's 99 is outside)
        self.assertIn("900.000.000", text)  # the city budget line
        rows = sheet_rows(out.xlsx, "Per unit")
        by_code = {r[0]: r for r in rows[1:]}
        tembalang = by_code["33.74.10"]
        # employees, compliant, %, JP year, JP period, completions, spend: Tembalang + Bulusan (subtree).
        self.assertEqual(tembalang[2:9], (15, 5, 33.3, 180.0, 52.0, 7, 1_500_000.0))
        self.assertEqual(by_code["33.74.11"][2:8], (8, 8, 100.0, 200.0, 30.0, 3))
        self.assertEqual(by_code["33.74.BKPP"][6:8], (0.0, 0))  # July's row is outside TW II
        total = rows[-1]
        self.assertEqual(total[1], "Jumlah")
        self.assertEqual(total[2:8], (25, 15, 60.0, 430.0, 82.0, 10))
        months = sheet_rows(out.xlsx, "Per bulan")
        self.assertEqual(
            [r[:3] for r in months[1:4]],
            [("April 2026", 40.0, 5), ("Mei 2026", 12.0, 2), ("Juni 2026", 30.0, 3)],
        )
        budget = sheet_rows(out.xlsx, "Anggaran")
        self.assertIn(("Kota Semarang", "APBD Kota", 900_000_000, 0, 0, 900_000_000, 0.0), budget)
        self.assertIn(("Kecamatan Tembalang", "APBD Kota", 25_000_000, 0, 0, 25_000_000, 0.0), budget)

    def test_competency_unit_rows_are_its_subtree(self) -> None:
        out, _ = self.run_job(kind=ReportJob.Kind.COMPETENCY_QUARTERLY, unit=self.tembalang)
        rows = sheet_rows(out.xlsx, "Per unit")
        names = [r[1] for r in rows[1:]]
        self.assertEqual(names, ["Kecamatan Tembalang (pegawai langsung)", "Kelurahan Bulusan", "Jumlah"])
        self.assertEqual(rows[1][2:8], (10, 4, 40.0, 150.0, 40.0, 5))
        self.assertEqual(rows[-1][2:8], (15, 5, 33.3, 180.0, 52.0, 7))
        text = pdf_text(out.pdf)
        self.assertNotIn("Banyumanik", text)
        budget = sheet_rows(out.xlsx, "Anggaran")
        self.assertEqual([r[0] for r in budget[1:]], ["Kecamatan Tembalang"])  # no city line for a unit

    def test_service_point(self) -> None:
        out, _ = self.run_job(kind=ReportJob.Kind.SERVICE_POINT, point=self.point, unit=self.point.unit)
        text = pdf_text(out.pdf)
        self.assertIn("LAPORAN KINERJA PELAYANAN", text)
        self.assertIn(self.point.name, text)
        self.assertIn("Perekaman KTP-el", text)
        self.assertIn("75,00 (C)", text)  # IKM from the planted SurveyMonth row
        self.assertIn("Halaman 1 dari", text)
        services = sheet_rows(out.xlsx, "Per layanan")
        header = services[0]
        ktp = next(r for r in services if r[0] == "Perekaman KTP-el (KTP-REKAM)")
        row = dict(zip(header, ktp, strict=True))
        self.assertEqual((row["Tiket"], row["Dilayani"], row["Tidak hadir"]), (10, 8, 2))
        self.assertEqual(row["Tunggu rata-rata (menit)"], 10.0)
        self.assertEqual(row["Layanan rata-rata (menit)"], 8.0)
        self.assertEqual(row["Sesuai standar (%)"], 75.0)
        total = dict(zip(header, services[-1], strict=True))
        # 15 tickets (July's 100 and Banyumanik's 77 are outside); waits 190/14; service 114/13.
        self.assertEqual((total["Tiket"], total["Dilayani"], total["Tidak hadir"]), (15, 13, 2))
        self.assertEqual(total["Tunggu rata-rata (menit)"], 13.6)
        self.assertEqual(total["Layanan rata-rata (menit)"], 8.8)
        self.assertEqual(total["Sesuai standar (%)"], 84.6)
        # Histogram [2,3,2,1,3,2,0,1,...]: the 7th of 14 waits ends the 10–15 bucket, the 12.6th is in 30–45.
        self.assertEqual(total["Tunggu median (menit)"], 15.0)
        self.assertEqual(total["Tunggu P90 (menit)"], 42.0)
        months = sheet_rows(out.xlsx, "Per bulan")
        self.assertEqual(
            [(r[0], r[1]) for r in months[1:]], [("April 2026", 10), ("Mei 2026", 5), ("Juni 2026", 0)]
        )
        self.assertEqual(months[1][-3:], (4, 75.0, "C"))
        complaints = sheet_rows(out.xlsx, "Pengaduan")
        # 2 on time of 3 answered + 1 open past its deadline
        self.assertEqual(complaints[1], (4, 3, 2, 50, 1, 1, 3.0))
        hist = sheet_rows(out.xlsx, "Sebaran tunggu")
        self.assertEqual([r[1] for r in hist[1:]], [2, 3, 2, 1, 3, 2, 0, 1, 0, 0, 0])

    def test_skm_reuses_the_surveys_report(self) -> None:
        out, _ = self.run_job(kind=ReportJob.Kind.SKM, unit=self.tembalang)
        text = pdf_text(out.pdf)
        self.assertIn("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)", text)
        self.assertIn("KECAMATAN TEMBALANG", text)
        self.assertIn("Nilai IKM: 81,16", text)  # the surveys tests' answers in TW II 2026
        self.assertIn("Nomor arsip", text)
        self.assertIn("oleh Sri Wahyuni", text)
        wb = load_workbook(io.BytesIO(out.xlsx))
        self.assertIn("Ringkasan", wb.sheetnames)
        values = [c for row in wb["Ringkasan"].iter_rows(values_only=True) for c in row if c is not None]
        self.assertIn(81.16, values)

    def test_empty_period_still_renders(self) -> None:
        job = ReportJob.objects.create(
            kind=ReportJob.Kind.SERVICE_POINT, year=2025, quarter=1, point=self.point, unit=self.point.unit
        )
        out = generate(job, lambda p, m: None)
        text = pdf_text(out.pdf)
        self.assertIn("Triwulan I Tahun 2025", text)
        self.assertIn("oleh sistem", text)
        total = sheet_rows(out.xlsx, "Per layanan")[-1]
        self.assertEqual(total[:3], ("Semua layanan", None, 0))
