"""Class services: sessions inside the dates, trainers with the trainer role, status transitions,
cancelling a class, capacity changes and the waiting list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.learning.models import Enrollment, TrainingClass
from mumpuni.learning.services import catalogue
from mumpuni.learning.tests.catalogue_fixtures import LearningTestCase, make_class, sessions_for


class ClassServiceTests(LearningTestCase):
    def test_it_creates_a_class_with_sessions_and_trainers(self) -> None:
        start = timezone.localdate() + dt.timedelta(days=60)
        training_class = catalogue.class_create(
            actor=self.admin,
            program=self.program,
            code="ply-prima-x",
            name="Angkatan X",
            starts_on=start,
            ends_on=start + dt.timedelta(days=2),
            online_url="https://zoom.us/j/1",
            capacity=25,
            sessions=sessions_for(start, 3),
            trainers=[self.trainer],
        )
        training_class.refresh_from_db()
        self.assertEqual(training_class.code, "PLY-PRIMA-X")
        self.assertEqual(training_class.sessions.count(), 3)
        self.assertEqual(list(training_class.trainers.all()), [self.trainer])
        self.assertEqual(training_class.min_attendance_percent, self.program.min_attendance_percent)
        self.assertTrue(all(len(s.checkin_secret) == 64 for s in training_class.sessions.all()))
        self.assertTrue(
            AuditEntry.objects.filter(
                action="create", object_type="learning.trainingclass", object_id=str(training_class.pk)
            ).exists()
        )

    def test_it_refuses_sessions_outside_the_dates_and_non_trainers(self) -> None:
        start = timezone.localdate() + dt.timedelta(days=60)
        with self.assertRaises(ValidationFailed) as caught:
            catalogue.class_create(
                actor=self.admin,
                program=self.program,
                code="Y",
                name="Y",
                starts_on=start,
                ends_on=start,
                venue="Aula",
                capacity=10,
                sessions=sessions_for(start, 2),
                trainers=[self.employee],
            )
        self.assertIn("di luar tanggal kelas", caught.exception.fields["sessions"][0])
        self.assertIn("trainers", caught.exception.fields)
        self.assertFalse(TrainingClass.objects.filter(code="Y").exists())

    def test_it_refuses_anyone_but_bkpp(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            catalogue.class_set_status(actor=self.camat, training_class=self.klass, status="running")
        with self.assertRaises(PermissionDeniedError):
            catalogue.class_update(actor=self.trainer, training_class=self.klass, capacity=99)
        self.klass.refresh_from_db()
        self.assertEqual((self.klass.status, self.klass.capacity), ("open", 20))

    def test_it_follows_the_allowed_transitions(self) -> None:
        catalogue.class_set_status(actor=self.admin, training_class=self.klass, status="running")
        with self.assertRaises(ValidationFailed) as caught:
            catalogue.class_set_status(actor=self.admin, training_class=self.klass, status="open")
        self.assertIn("tidak dapat diubah", caught.exception.message)
        catalogue.class_set_status(actor=self.admin, training_class=self.klass, status="finished")
        self.klass.refresh_from_db()
        self.assertEqual(self.klass.status, "finished")
        with self.assertRaises(ValidationFailed):
            catalogue.class_set_status(actor=self.admin, training_class=self.klass, status="cancelled")

    def test_it_cancels_active_enrolments_with_the_class(self) -> None:
        seated = self.request_and_approve(self.employee, self.klass)
        catalogue.class_set_status(
            actor=self.admin, training_class=self.klass, status="cancelled", note="Banjir"
        )
        seated.refresh_from_db()
        self.assertEqual(seated.status, Enrollment.Status.CANCELLED)
        self.assertEqual(seated.decision_note, "Banjir")

    def test_it_admits_the_waiting_list_when_the_capacity_grows(self) -> None:
        small = make_class(self.program, "SMALL", capacity=1, starts_in=90)
        first = self.request_and_approve(self.employee, small)
        second = self.request_and_approve(self.officer, small)
        self.assertEqual((first.status, second.status), ("enrolled", "waitlisted"))
        with self.assertRaises(ValidationFailed):
            catalogue.class_update(actor=self.admin, training_class=small, capacity=0)
        catalogue.class_update(actor=self.admin, training_class=small, capacity=2)
        second.refresh_from_db()
        self.assertEqual(second.status, Enrollment.Status.ENROLLED)

    def test_it_replaces_the_sessions(self) -> None:
        start = self.klass.starts_on
        catalogue.class_update(actor=self.admin, training_class=self.klass, sessions=sessions_for(start, 1))
        self.klass.refresh_from_db()
        self.assertEqual(self.klass.sessions.count(), 1)
