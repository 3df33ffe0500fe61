"""Production mode: the task runs on a worker, in its own database connection, while the person watches the
job page. Each progress step must be committed at once so the page's separate connection sees it (no
transaction around the generator). A worker thread here stands in for the Celery worker."""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from mumpuni.people.models import Role
from mumpuni.reports import services
from mumpuni.reports.generators import Output
from mumpuni.reports.models import ReportJob
from mumpuni.reports.tests.fixtures import MediaMixin
from mumpuni.testing import make_account


class WorkerProgressTests(MediaMixin, TransactionTestCase):
    def test_page_sees_progress_while_the_worker_runs(self) -> None:
        admin = make_account("admin-uji", [(Role.ADMIN, None)])
        job = ReportJob.objects.create(kind="skm", year=2026, quarter=2, requested_by=admin)
        step_written, may_finish = threading.Event(), threading.Event()

        def fake(job: ReportJob, progress: Any) -> Output:
            progress(30, "Langkah uji di worker")
            step_written.set()
            assert may_finish.wait(20)
            return Output("Uji", "uji", b"%PDF-1.4 uji", b"PK uji")

        def worker() -> None:
            try:
                services.run_report(job.pk)
            finally:
                connection.close()

        with mock.patch("mumpuni.reports.generators.generate", fake):
            thread = threading.Thread(target=worker)
            thread.start()
            try:
                self.assertTrue(step_written.wait(20))
                self.client.force_login(admin)
                card = self.client.get(reverse("reports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
                self.assertContains(card, 'aria-valuenow="30"')
                self.assertContains(card, "Langkah uji di worker")
                self.assertContains(card, 'hx-trigger="every 1s"')
            finally:
                may_finish.set()
                thread.join(30)
        card = self.client.get(reverse("reports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
        self.assertEqual(card["HX-Refresh"], "true")
        job.refresh_from_db()
        self.assertEqual((job.status, job.progress), (ReportJob.Status.DONE, 100))
