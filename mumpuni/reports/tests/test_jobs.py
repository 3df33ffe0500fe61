"""The job lifecycle: queued → running → done with both files and their checksums; progress written while the
generator runs (each step committed on its own, so a polling page sees it); failure → failed with a readable
reason; stuck jobs failed by the sweep; a new request never touches an archived job."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from unittest import mock

from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.reports import services
from mumpuni.reports.generators import Output
from mumpuni.reports.models import ReportJob
from mumpuni.reports.tests.fixtures import QUARTER, YEAR, MediaMixin, build
from mumpuni.testing import BaseTestCase

TODAY = dt.date(2026, 11, 28)


class JobLifecycleTests(MediaMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build(cls)

    def request(self, actor: Any = None, **params: Any) -> ReportJob:
        values = {
            "kind": ReportJob.Kind.COMPETENCY_QUARTERLY,
            "year": YEAR,
            "quarter": QUARTER,
            "today": TODAY,
        }
        values.update(params)
        with self.captureOnCommitCallbacks(execute=True):
            job = services.request_report(actor=actor or self.admin, **values)
        job.refresh_from_db()
        return job

    def test_queued_then_done_with_files_and_checksums(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            job = services.request_report(
                actor=self.camat,
                kind="service_point",
                year=YEAR,
                quarter=QUARTER,
                point=self.point,
                today=TODAY,
            )
        self.assertEqual(job.status, ReportJob.Status.QUEUED)
        self.assertEqual(job.unit, self.tembalang)  # the point's unit: what the scope filters on
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()  # the worker (eager Celery in tests)
        job.refresh_from_db()
        self.assertEqual(job.status, ReportJob.Status.DONE, job.error)
        self.assertEqual(job.progress, 100)
        self.assertIsNotNone(job.started_at)
        self.assertGreaterEqual(job.finished_at, job.started_at)
        pdf, xlsx = job.pdf.read(), job.xlsx.read()
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertTrue(xlsx.startswith(b"PK"))
        self.assertEqual(job.pdf_sha256, hashlib.sha256(pdf).hexdigest())
        self.assertEqual(job.xlsx_sha256, hashlib.sha256(xlsx).hexdigest())
        self.assertTrue(job.pdf.name.startswith(f"reports/{job.created_at:%Y}/"))
        self.assertIn("Kantor Kecamatan Tembalang", job.title)

    def test_progress_increases_and_is_visible_while_running(self) -> None:
        seen: list[tuple[str, int, str]] = []

        def fake(job: ReportJob, progress: Any) -> Output:
            for percent, message in ((20, "langkah satu"), (60, "langkah dua")):
                progress(percent, message)
                row = ReportJob.objects.get(pk=job.pk)
                seen.append((row.status, row.progress, row.message))
            return Output("Uji", "uji", b"%PDF-1.4 uji", b"PK uji")

        with mock.patch("mumpuni.reports.generators.generate", fake):
            job = self.request()
        self.assertEqual(seen, [("running", 20, "langkah satu"), ("running", 60, "langkah dua")])
        self.assertEqual((job.status, job.progress), (ReportJob.Status.DONE, 100))

    def test_failure_marks_failed_with_reason(self) -> None:
        with mock.patch("mumpuni.reports.generators.generate", side_effect=RuntimeError("disk penuh")):
            job = self.request()
        self.assertEqual(job.status, ReportJob.Status.FAILED)
        self.assertIn("Terjadi kesalahan sistem saat membuat laporan", job.error)
        self.assertIn("(kode: RuntimeError)", job.error)
        self.assertNotIn("disk penuh", job.error)  # the exception's text goes to the log only
        self.assertFalse(job.pdf)
        self.assertIsNotNone(job.finished_at)

    def test_claimed_once(self) -> None:
        job = self.request()
        first = job.pdf_sha256
        services.run_report(job.pk)  # a duplicated message does nothing
        job.refresh_from_db()
        self.assertEqual((job.status, job.pdf_sha256), (ReportJob.Status.DONE, first))

    def test_new_request_never_touches_the_archive(self) -> None:
        old = self.request()
        with self.captureOnCommitCallbacks(execute=True):
            new = services.request_again(actor=self.admin, job=old)
        new.refresh_from_db()
        old_again = ReportJob.objects.get(pk=old.pk)
        self.assertNotEqual(new.pk, old.pk)
        self.assertEqual((old_again.pdf.name, old_again.pdf_sha256), (old.pdf.name, old.pdf_sha256))
        self.assertNotEqual(new.pdf.name, old.pdf.name)
        self.assertEqual(new.status, ReportJob.Status.DONE)

    def test_stale_jobs_failed(self) -> None:
        stuck = ReportJob.objects.create(kind="skm", year=YEAR, status=ReportJob.Status.RUNNING, progress=40)
        fresh = ReportJob.objects.create(kind="skm", year=YEAR, status=ReportJob.Status.QUEUED)
        ReportJob.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=45))
        self.assertEqual(services.fail_stale_jobs(), 1)
        stuck.refresh_from_db()
        fresh.refresh_from_db()
        self.assertEqual(stuck.status, ReportJob.Status.FAILED)
        self.assertIn("tidak selesai dalam 30 menit", stuck.error)
        self.assertEqual(fresh.status, ReportJob.Status.QUEUED)

    def test_stale_verdict_kept_when_the_worker_finishes_late(self) -> None:
        def slow(job: ReportJob, progress: Any) -> Output:
            services.fail_stale_jobs(now=timezone.now() + dt.timedelta(hours=1))
            return Output("Uji", "uji", b"%PDF-1.4", b"PK")

        with mock.patch("mumpuni.reports.generators.generate", slow):
            job = self.request()
        self.assertEqual(job.status, ReportJob.Status.FAILED)
        self.assertFalse(job.pdf)


class RequestValidationTests(BaseTestCase):
    def refused(self, actor: Any, **params: Any) -> dict[str, list[str]]:
        values = {"kind": "competency_quarterly", "year": 2026, "quarter": 2, "today": TODAY}
        values.update(params)
        with self.assertRaises(ValidationFailed) as ctx:
            services.request_report(actor=actor, **values)
        self.assertFalse(ReportJob.objects.exists())
        return ctx.exception.fields

    def test_field_errors_in_indonesian(self) -> None:
        self.assertEqual(self.refused(self.admin, kind="lain")["kind"], ["Pilih jenis laporan."])
        self.assertEqual(
            self.refused(self.admin, year="dua ribu")["year"], ["Tahun harus antara 2015 dan 2026."]
        )
        self.assertEqual(self.refused(self.admin, year=2027)["year"], ["Tahun harus antara 2015 dan 2026."])
        self.assertEqual(self.refused(self.admin, quarter=5)["quarter"], ["Triwulan harus 1, 2, 3 atau 4."])
        self.assertEqual(
            self.refused(self.admin, quarter=None)["quarter"], ["Laporan triwulanan memerlukan triwulan."]
        )
        self.assertEqual(
            self.refused(self.admin, quarter=2, today=dt.date(2026, 2, 1))["quarter"],
            ["Triwulan ini belum dimulai."],
        )
        self.assertEqual(self.refused(self.admin, kind="service_point")["point"], ["Pilih tempat layanan."])

    def test_scope(self) -> None:
        errors = self.refused(self.camat, unit=None)
        self.assertIn("hanya dapat diminta oleh admin BKPP", errors["unit"][0])
        errors = self.refused(self.camat, unit=self.banyumanik)
        self.assertEqual(errors["unit"], ["Unit atau tempat layanan ini di luar cakupan Anda."])
        for outsider in (self.employee, self.supervisor, self.officer, self.executive):
            with self.assertRaises(PermissionDeniedError):
                services.request_report(actor=outsider, kind="skm", year=2026, quarter=2, unit=self.tembalang)
