"""Pages and API by persona: an employee (and supervisor, counter officer) is refused; a camat asks for and
reads their own kecamatan's reports only (another kecamatan's job or unit → 404); the executive reads all but
asks for none; the admin asks for the city's. Progress card polled with HTMX; downloads are the stored files."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from mumpuni.reports.models import ReportJob
from mumpuni.reports.tests.fixtures import QUARTER, YEAR, MediaMixin, build
from mumpuni.testing import BaseTestCase


class AccessTests(MediaMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build(cls)

    def setUp(self) -> None:
        super().setUp()
        # One finished report per kecamatan, asked for by its camat (through the API, worker run eagerly).
        self.own = self.api_request(
            self.camat, {"kind": "service_point", "year": YEAR, "quarter": QUARTER, "point": self.point.pk}
        )
        self.others = self.api_request(
            self.other, {"kind": "skm", "year": YEAR, "quarter": QUARTER, "unit": "33.74.11"}
        )
        self.client.logout()

    def api_request(self, user: Any, payload: dict[str, Any], status: int = 201) -> dict[str, Any]:
        self.login(user)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/api/v1/reports/jobs", json.dumps(payload), content_type="application/json"
            )
        self.assertEqual(response.status_code, status, response.content)
        return response.json()

    # --- pages --------------------------------------------------------------------------------------------

    def test_outsiders_refused(self) -> None:
        for user in (self.employee, self.supervisor, self.officer):
            self.login(user)
            self.assertEqual(self.client.get(reverse("reports:archive")).status_code, 403)
            self.assertEqual(self.client.get(reverse("reports:request")).status_code, 403)
            self.assertEqual(self.client.get(reverse("reports:job", args=[self.own["id"]])).status_code, 403)
            url = reverse("reports:download", args=[self.own["id"], "pdf"])
            self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        response = self.client.get(reverse("reports:archive"))
        self.assertEqual(response.status_code, 302)  # to the login page

    def test_camat_sees_only_own_kecamatan(self) -> None:
        self.login(self.camat)
        page = self.client.get(reverse("reports:archive"))
        self.assertContains(page, f'data-job="{self.own["id"]}"')
        self.assertNotContains(page, f'data-job="{self.others["id"]}"')
        self.assertEqual(self.client.get(reverse("reports:job", args=[self.others["id"]])).status_code, 404)
        for fmt in ("pdf", "xlsx"):
            url = reverse("reports:download", args=[self.others["id"], fmt])
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("reports:again", args=[self.others["id"]])).status_code, 404
        )
        self.assertEqual(self.client.get(f"/api/v1/reports/jobs/{self.others['id']}").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/reports/jobs/{self.others['id']}/pdf").status_code, 404)

    def test_camat_cannot_request_another_kecamatan(self) -> None:
        before = ReportJob.objects.count()
        self.login(self.camat)
        response = self.client.post(
            reverse("reports:request"),
            {"kind": "skm", "year": YEAR, "quarter": QUARTER, "unit": self.banyumanik.pk},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "invalid-feedback", status_code=422)
        self.api_request(
            self.camat, {"kind": "skm", "year": YEAR, "quarter": QUARTER, "unit": "33.74.11"}, 404
        )
        self.api_request(
            self.camat,
            {"kind": "service_point", "year": YEAR, "quarter": QUARTER, "point": self.other_point.pk},
            404,
        )
        # The city as a whole is the admin's to ask for.
        body = self.api_request(
            self.camat, {"kind": "competency_quarterly", "year": YEAR, "quarter": QUARTER}, 422
        )
        self.assertIn("unit", body["errors"])
        self.assertEqual(ReportJob.objects.count(), before)

    def test_camat_form_flow_and_download(self) -> None:
        self.login(self.camat)
        form = self.client.get(reverse("reports:request"))
        self.assertContains(form, "Kecamatan Tembalang")
        self.assertNotContains(form, "Kecamatan Banyumanik")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("reports:request"),
                {"kind": "competency_quarterly", "year": YEAR, "quarter": QUARTER, "unit": self.tembalang.pk},
            )
        job = ReportJob.objects.latest("pk")
        self.assertRedirects(response, reverse("reports:job", args=[job.pk]))
        self.assertEqual((job.unit, job.requested_by, job.status), (self.tembalang, self.camat, "done"))
        page = self.client.get(reverse("reports:job", args=[job.pk]))
        self.assertContains(page, reverse("reports:download", args=[job.pk, "pdf"]))
        self.assertContains(page, job.pdf_sha256)
        self.assertNotContains(page, "hx-trigger")  # finished: no more polling
        download = self.client.get(reverse("reports:download", args=[job.pk, "pdf"]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertIn("attachment", download["Content-Disposition"])
        self.assertEqual(b"".join(download.streaming_content), job.pdf.open("rb").read())

    def test_form_field_errors(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("reports:request"), {"kind": "competency_quarterly", "year": YEAR}
        )
        self.assertContains(response, "Laporan triwulanan memerlukan triwulan.", status_code=422)
        response = self.client.post(reverse("reports:request"), {"kind": "service_point", "year": YEAR})
        self.assertContains(response, "Pilih tempat layanan.", status_code=422)

    def test_progress_card_polls_while_running(self) -> None:
        job = ReportJob.objects.create(
            kind="skm",
            year=YEAR,
            quarter=QUARTER,
            unit=self.tembalang,
            status="running",
            progress=45,
            message="Menyusun PDF…",
        )
        self.login(self.camat)
        page = self.client.get(reverse("reports:job", args=[job.pk]))
        self.assertContains(page, f'hx-get="{reverse("reports:progress", args=[job.pk])}"')
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, 'aria-valuenow="45"')
        self.assertContains(page, "Menyusun PDF…")
        card = self.client.get(reverse("reports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
        self.assertNotIn("HX-Refresh", card)
        ReportJob.objects.filter(pk=job.pk).update(status="failed", error="Alasan uji.")
        card = self.client.get(reverse("reports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
        self.assertEqual(card["HX-Refresh"], "true")
        self.assertContains(card, "Alasan uji.")
        self.login(self.other)
        self.assertEqual(self.client.get(reverse("reports:progress", args=[job.pk])).status_code, 404)

    def test_executive_reads_all_requests_none(self) -> None:
        self.login(self.executive)
        page = self.client.get(reverse("reports:archive"))
        self.assertContains(page, f'data-job="{self.own["id"]}"')
        self.assertContains(page, f'data-job="{self.others["id"]}"')
        self.assertNotContains(page, reverse("reports:request"))
        self.assertEqual(
            self.client.get(reverse("reports:download", args=[self.others["id"], "xlsx"])).status_code, 200
        )
        self.assertEqual(self.client.get(reverse("reports:request")).status_code, 403)
        self.api_request(self.executive, {"kind": "skm", "year": YEAR, "quarter": QUARTER}, 403)

    def test_archive_filters(self) -> None:
        self.login(self.admin)
        page = self.client.get(reverse("reports:archive"), {"kind": "skm"})
        self.assertContains(page, f'data-job="{self.others["id"]}"')
        self.assertNotContains(page, f'data-job="{self.own["id"]}"')
        page = self.client.get(reverse("reports:archive"), {"year": 2025})
        self.assertNotContains(page, "data-job=")

    # --- API ------------------------------------------------------------------------------------------------

    def test_api(self) -> None:
        body = self.api_request(
            self.admin, {"kind": "competency_quarterly", "year": YEAR, "quarter": QUARTER}
        )
        # 201 as soon as the job is queued; the worker runs after the commit.
        self.assertEqual((body["status"], body["unit"], body["pdf_url"]), ("queued", None, None))
        status = self.client.get(f"/api/v1/reports/jobs/{body['id']}").json()
        self.assertEqual((status["status"], status["progress"]), ("done", 100))
        self.assertEqual(status["pdf_url"], f"/api/v1/reports/jobs/{body['id']}/pdf")
        self.assertEqual(status["pdf_sha256"], ReportJob.objects.get(pk=body["id"]).pdf_sha256)
        pdf = self.client.get(status["pdf_url"])
        self.assertEqual(pdf.status_code, 200)
        self.assertTrue(b"".join(pdf.streaming_content).startswith(b"%PDF-"))
        listing = self.client.get("/api/v1/reports/jobs", {"kind": "competency_quarterly"}).json()
        self.assertEqual([j["id"] for j in listing["items"]], [body["id"]])
        self.assertEqual(self.client.get(f"/api/v1/reports/jobs/{body['id']}/docx").status_code, 404)
        self.login(self.camat)
        ids = [j["id"] for j in self.client.get("/api/v1/reports/jobs").json()["items"]]
        self.assertEqual(ids, [self.own["id"]])
        self.login(self.employee)
        self.assertEqual(self.client.get("/api/v1/reports/jobs").status_code, 403)
        self.api_request(self.employee, {"kind": "skm", "year": YEAR, "quarter": QUARTER}, 403)

    def test_api_field_errors(self) -> None:
        body = self.api_request(self.admin, {"kind": "skm", "year": 1999, "quarter": 7}, 422)
        self.assertIn("Tahun harus antara 2015 dan", body["errors"]["year"][0])
        self.assertEqual(body["errors"]["quarter"], ["Triwulan harus 1, 2, 3 atau 4."])
