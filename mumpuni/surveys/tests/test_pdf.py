"""The official report as PDF: a valid PDF (pypdf reads it) with the unit's identity, the IKM text, the
method statement, the lowest unsur, the suggestions and the signature block of the unit's head."""

from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader

from mumpuni.people.models import Position
from mumpuni.surveys.tests.test_reports import Q2, build_world
from mumpuni.testing import BaseTestCase


class PdfReportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)

    def pdf_text(self, response) -> str:  # type: ignore[no-untyped-def]
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))
        reader = PdfReader(io.BytesIO(response.content))
        self.assertGreaterEqual(len(reader.pages), 1)
        return "\n".join(page.extract_text() for page in reader.pages)

    def test_camat_report(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("surveys:report_pdf"), Q2)
        self.assertIn(
            'filename="laporan-skm-33-74-10-2026-04-01-2026-06-30.pdf"', response["Content-Disposition"]
        )
        text = self.pdf_text(response)
        flat = " ".join(text.split())
        self.assertIn("KECAMATAN TEMBALANG", text)
        self.assertIn("33.74.10", text)
        self.assertIn("Jl. Imam Soeparto No. 1", text)
        self.assertIn("TW II 2026", text)
        self.assertIn("Nilai IKM: 81,16", flat)
        self.assertIn("mutu pelayanan B", flat)
        self.assertIn("tanpa pembulatan 0,111", flat)
        self.assertIn("Persyaratan", text)  # the lowest unsur, with its action
        self.assertIn("Ruang tunggu panas.", text)
        self.assertNotIn("Rahasia Banyumanik", text)
        # Signature: the camat (holder of the unit-head role) by position title and name.
        self.assertIn(Position.objects.get(code="KEC10-CAMAT").name, text)
        self.assertIn(self.camat_employee.name, text)

    def test_sample_statement_with_given_population(self) -> None:
        self.login(self.admin)
        response = self.client.get(
            reverse("surveys:report_pdf"), {**Q2, "unit": "33.74.10", "population": "1000"}
        )
        flat = " ".join(self.pdf_text(response).split())
        self.assertIn("278 responden", flat)  # Krejcie–Morgan for N = 1,000
        self.assertIn("sampel belum cukup", flat)

    def test_empty_period_still_renders(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("surveys:report_pdf"), {"quarter": "2025-Q1"})
        flat = " ".join(self.pdf_text(response).split())
        self.assertIn("IKM belum dapat dihitung", flat)

    def test_city_wide_report_for_the_executive(self) -> None:
        self.login(self.executive)
        text = self.pdf_text(self.client.get(reverse("surveys:report_pdf"), Q2))
        self.assertIn("SELURUH UNIT PELAYANAN KOTA SEMARANG", text)
