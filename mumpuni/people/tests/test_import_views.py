from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mumpuni.people.models import Employee, ImportJob
from mumpuni.people.tests.import_files import EMPLOYEE_HEADER, csv_file, xlsx_file
from mumpuni.testing import BaseTestCase, make_nip


class ImportViewTestCase(BaseTestCase):
    def good_file(self, *nips: str) -> bytes:
        rows = [
            [nip, f"Pegawai {nip[-3:]}", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"] for nip in nips
        ]
        return csv_file(EMPLOYEE_HEADER, rows)

    def upload(self, data: bytes, name: str = "pegawai.csv", kind: str = "employees"):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
            )

    def confirm(self, job: ImportJob):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("imports:confirm", args=[job.pk]))


class ImportAccessTests(ImportViewTestCase):
    def test_it_refuses_outsiders(self) -> None:
        job = ImportJob.objects.create(
            kind="employees", file_name="a.csv", content=b"", created_by=self.admin
        )
        pages = [
            ("get", reverse("imports:home")),
            ("get", reverse("imports:jobs")),
            ("get", reverse("imports:job", args=[job.pk])),
            ("get", reverse("imports:errors", args=[job.pk])),
            ("post", reverse("imports:upload")),
            ("post", reverse("imports:confirm", args=[job.pk])),
        ]
        for persona in (self.camat, self.other, self.executive, self.employee, self.officer):
            self.login(persona)
            for method, url in pages:
                with self.subTest(persona=persona.username, url=url):
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, 403)
        self.client.logout()
        for method, url in pages:
            with self.subTest(persona="anonymous", url=url):
                response = getattr(self.client, method)(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("next=", response["Location"])
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.UPLOADED)


class ImportFlowTests(ImportViewTestCase):
    def setUp(self) -> None:
        self.login(self.admin)

    def test_the_home_page_offers_upload_templates_exports_and_recent_jobs(self) -> None:
        ImportJob.objects.create(kind="units", file_name="unit-lama.csv", content=b"", created_by=self.admin)
        response = self.client.get(reverse("imports:home"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Unggah dan periksa")
        self.assertContains(response, reverse("imports:template", args=["employees", "xlsx"]))
        self.assertContains(response, reverse("imports:export_positions"))
        self.assertContains(response, "unit-lama.csv")

    def test_it_checks_an_upload_and_shows_the_preview(self) -> None:
        nips = [make_nip(), make_nip()]
        response = self.upload(self.good_file(*nips))
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("imports:job", args=[job.pk]))
        self.assertEqual(job.status, ImportJob.Status.READY)
        self.assertEqual((job.total_rows, job.summary["created"]), (2, 2))
        self.assertFalse(Employee.objects.filter(nip__in=nips).exists())
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "akan dibuat")
        self.assertContains(page, nips[0])
        self.assertContains(page, reverse("imports:confirm", args=[job.pk]))

    def test_it_shows_every_error_and_offers_them_as_csv(self) -> None:
        good = make_nip()
        data = csv_file(
            EMPLOYEE_HEADER,
            [
                [good, "Baik", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"],
                ["123", "NIP Salah", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"],
                [make_nip(), "Unit Salah", "33.74.99", "", "", "bukan-email", "", "aktif"],
            ],
        )
        self.upload(data, "salah.csv")
        job = ImportJob.objects.get()
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(
            [(e["row"], e["column"]) for e in job.errors], [(3, "nip"), (4, "unit_kode"), (4, "email")]
        )
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "3 kesalahan di 2 baris")
        self.assertContains(page, "33.74.99")
        self.assertNotContains(page, reverse("imports:confirm", args=[job.pk]))
        report = self.client.get(reverse("imports:errors", args=[job.pk]))
        self.assertEqual(report.status_code, 200)
        lines = report.content.decode("utf-8-sig").splitlines()
        self.assertEqual(lines[0], "baris,kolom,pesan")
        self.assertEqual(len(lines), 4)
        self.assertTrue(lines[1].startswith("3,nip,"))
        self.assertFalse(Employee.objects.filter(nip=good).exists())

    def test_confirming_applies_the_file_once(self) -> None:
        nips = [make_nip(), make_nip()]
        self.upload(self.good_file(*nips), "pegawai.csv")
        job = ImportJob.objects.get()
        response = self.confirm(job)
        self.assertRedirects(response, reverse("imports:job", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual((job.summary["created"], job.processed_rows, job.progress_percent), (2, 2, 100))
        self.assertEqual(Employee.objects.filter(nip__in=nips).count(), 2)
        again = self.confirm(job)
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Employee.objects.filter(nip__in=nips).count(), 2)
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "Impor selesai")
        self.assertContains(page, "dibuat")

    def test_it_takes_xlsx_uploads(self) -> None:
        nip = make_nip()
        data = xlsx_file(EMPLOYEE_HEADER, [[nip, "Budi", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"]])
        self.upload(data, "pegawai.xlsx")
        job = ImportJob.objects.get()
        self.assertEqual(job.status, ImportJob.Status.READY, job.errors)

    def test_it_refuses_files_of_unknown_formats_at_the_form(self) -> None:
        response = self.upload(b"%PDF-1.4", "pegawai.pdf")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "tidak dikenal", status_code=400)
        self.assertFalse(ImportJob.objects.exists())

    def test_the_progress_fragment_polls_while_running_and_reloads_when_done(self) -> None:
        job = ImportJob.objects.create(
            kind="employees",
            file_name="a.csv",
            content=b"",
            created_by=self.admin,
            status=ImportJob.Status.APPLYING,
            total_rows=200,
            processed_rows=50,
        )
        url = reverse("imports:progress", args=[job.pk])
        fragment = self.client.get(url, headers={"HX-Request": "true"})
        self.assertEqual(fragment.status_code, 200)
        self.assertContains(fragment, 'hx-trigger="every 1s"')
        self.assertContains(fragment, "width: 25%")
        self.assertContains(fragment, "50 dari 200 baris")
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, 'hx-trigger="every 1s"')
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
        done = self.client.get(url, headers={"HX-Request": "true"})
        self.assertEqual(done.status_code, 204)
        self.assertEqual(done["HX-Refresh"], "true")
        self.assertRedirects(self.client.get(url), reverse("imports:job", args=[job.pk]))

    def test_the_job_list_pages_through_history(self) -> None:
        for i in range(30):
            ImportJob.objects.create(
                kind="units", file_name=f"unit-{i}.csv", content=b"", created_by=self.admin
            )
        response = self.client.get(reverse("imports:jobs"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "unit-29.csv")
        self.assertNotContains(response, "unit-0.csv<")
        self.assertEqual(self.client.get(reverse("imports:jobs") + "?page=2").status_code, 200)

    def test_an_unknown_job_is_404(self) -> None:
        self.assertEqual(self.client.get(reverse("imports:job", args=[999999])).status_code, 404)
