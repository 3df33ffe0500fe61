from unittest import mock, skipUnless

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import TransactionTestCase
from django.utils import timezone

from mumpuni.people import services, tasks
from mumpuni.people.models import Employee, ImportJob, User
from mumpuni.people.tests.import_files import EMPLOYEE_HEADER, csv_file
from mumpuni.testing import BaseTestCase, make_nip


class ImportTaskTests(BaseTestCase):
    def make_job(self, *nips: str, status: str = ImportJob.Status.UPLOADED) -> ImportJob:
        rows = [[nip, "Budi", "33.74.10", "KEC10-PELAKSANA", "", "", "", "aktif"] for nip in nips]
        return ImportJob.objects.create(
            kind="employees",
            file_name="pegawai.csv",
            content=csv_file(EMPLOYEE_HEADER, rows),
            created_by=self.admin,
            status=status,
        )

    def test_validation_prepares_a_preview(self) -> None:
        nip = make_nip()
        job = self.make_job(nip)
        tasks.validate_import(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.READY)
        self.assertEqual(job.total_rows, 1)
        self.assertEqual(job.summary["created"], 1)
        self.assertEqual(job.summary["preview"][0]["values"]["nip"], nip)
        self.assertIsNone(job.finished_at)

    def test_running_apply_twice_applies_once(self) -> None:
        nip = make_nip()
        job = self.make_job(nip)
        tasks.validate_import(job.pk)
        with mock.patch.object(tasks.imports, "import_file", wraps=tasks.imports.import_file) as spy:
            tasks.apply_import(job.pk)
            tasks.apply_import(job.pk)
        self.assertEqual(spy.call_count, 1)
        job.refresh_from_db()
        self.assertEqual((job.status, job.processed_rows, job.summary["created"]), ("done", 1, 1))
        self.assertIsNotNone(job.finished_at)
        self.assertEqual(Employee.objects.filter(nip=nip).count(), 1)

    def test_tasks_leave_jobs_in_other_states_alone(self) -> None:
        job = self.make_job(make_nip(), status=ImportJob.Status.APPLYING)
        tasks.validate_import(job.pk)
        tasks.apply_import(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.APPLYING)
        uploaded = self.make_job(make_nip())
        tasks.apply_import(uploaded.pk)  # not checked yet: nothing to apply
        uploaded.refresh_from_db()
        self.assertEqual(uploaded.status, ImportJob.Status.UPLOADED)

    def test_it_rechecks_at_apply_time(self) -> None:
        nip = make_nip()
        job = self.make_job(nip)
        tasks.validate_import(job.pk)
        # Between the preview and the confirmation someone renames the position the file names.
        services.position_update(actor=None, position=self.pos_staff, code="KEC10-STAF")
        tasks.apply_import(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(job.errors[0]["column"], "jabatan_kode")
        self.assertIn("berubah sejak pemeriksaan", job.summary["note"])
        self.assertFalse(Employee.objects.filter(nip=nip).exists())

    def test_a_crash_marks_the_job_failed_and_changes_nothing(self) -> None:
        job = self.make_job(make_nip())
        tasks.validate_import(job.pk)
        count = Employee.objects.count()
        with (
            mock.patch.object(tasks.imports, "import_file", side_effect=RuntimeError("disk full")),
            self.assertLogs("mumpuni.people.tasks", "ERROR"),
        ):
            tasks.apply_import(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertIn("kesalahan sistem", job.errors[0]["message"])
        self.assertEqual(Employee.objects.count(), count)


@skipUnless(connection.vendor == "postgresql", "SQLite allows one writer at a time; progress shows at commit")
class ProgressVisibilityTests(TransactionTestCase):
    """Progress written during the import's transaction is visible to another connection (PostgreSQL)."""

    def test_progress_is_visible_outside_the_import_transaction(self) -> None:

        user = User.objects.create(username="pengimpor")
        job = ImportJob.objects.create(
            kind="employees",
            file_name="a.csv",
            content=b"",
            created_by=user,
            total_rows=10,
            updated_at=timezone.now(),
        )
        reporter = tasks.ProgressReporter(job.pk)
        observer = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with transaction.atomic():
                reporter(7)
                with observer.cursor() as cursor:
                    cursor.execute("SELECT processed_rows FROM people_importjob WHERE id = %s", [job.pk])
                    self.assertEqual(cursor.fetchone()[0], 7)
        finally:
            reporter.close()
            observer.close()
