"""Import jobs whose worker died are marked failed and can be retried (review finding 12)."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mumpuni.people import tasks
from mumpuni.people.models import Employee, ImportJob
from mumpuni.people.tests.import_files import EMPLOYEE_HEADER, csv_file
from mumpuni.testing import BaseTestCase, make_nip


class StaleImportJobTests(BaseTestCase):
    def make_job(self, status: str, minutes_ago: int, nip: str | None = None) -> ImportJob:
        rows = [[nip or make_nip(), "Budi", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"]]
        job = ImportJob.objects.create(
            kind="employees",
            file_name="pegawai.csv",
            content=csv_file(EMPLOYEE_HEADER, rows),
            created_by=self.admin,
            status=status,
        )
        ImportJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
        )
        return job

    def test_it_fails_jobs_stuck_longer_than_15_minutes(self) -> None:
        stuck_check = self.make_job(ImportJob.Status.VALIDATING, 16)
        stuck_apply = self.make_job(ImportJob.Status.APPLYING, 60)
        busy = self.make_job(ImportJob.Status.APPLYING, 5)
        ready = self.make_job(ImportJob.Status.READY, 600)
        self.assertEqual(tasks.fail_stale_import_jobs(), 2)
        for job, status in (
            (stuck_check, ImportJob.Status.FAILED),
            (stuck_apply, ImportJob.Status.FAILED),
            (busy, ImportJob.Status.APPLYING),
            (ready, ImportJob.Status.READY),
        ):
            job.refresh_from_db()
            self.assertEqual(job.status, status)
        self.assertIn("15 menit", stuck_apply.errors[0]["message"])
        self.assertIsNotNone(stuck_apply.finished_at)

    def test_the_command_reports_how_many_it_failed(self) -> None:
        self.make_job(ImportJob.Status.VALIDATING, 20)
        out = StringIO()
        call_command("fail_stale_import_jobs", stdout=out)
        self.assertIn("1 impor macet ditandai gagal", out.getvalue())

    def test_it_offers_and_performs_a_retry_of_a_failed_job(self) -> None:
        nip = make_nip()
        job = self.make_job(ImportJob.Status.APPLYING, 30, nip=nip)
        tasks.fail_stale_import_jobs()
        self.login(self.admin)
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "Coba lagi")
        self.assertContains(page, reverse("imports:retry", args=[job.pk]))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("imports:retry", args=[job.pk]))
        self.assertEqual(response.status_code, 302)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.READY)  # checked again (tasks run eagerly in tests)
        self.assertEqual(job.errors, [])
        self.assertFalse(Employee.objects.filter(nip=nip).exists())

    def test_it_retries_only_failed_jobs(self) -> None:
        job = self.make_job(ImportJob.Status.READY, 1)
        self.login(self.admin)
        response = self.client.post(reverse("imports:retry", args=[job.pk]), follow=True)
        self.assertContains(response, "Hanya impor yang gagal yang dapat dicoba lagi.")
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.READY)

    def test_it_refuses_outsiders(self) -> None:
        job = self.make_job(ImportJob.Status.FAILED, 1)
        self.login(self.camat)
        self.assertEqual(self.client.post(reverse("imports:retry", args=[job.pk])).status_code, 403)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
