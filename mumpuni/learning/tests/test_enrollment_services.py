"""Enrolment services: the two approvals, seats and the waiting list, promotion, overlap/duplicate/closed/
prerequisite refusals, who may decide (never about oneself), cancellation, audit; a race on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import unittest

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.learning.models import Enrollment, TrainingClass
from mumpuni.learning.services import enrollment as services
from mumpuni.learning.tests.catalogue_fixtures import LearningTestCase, make_class, make_program
from mumpuni.testing import create_cast


class EnrollmentFlowTests(LearningTestCase):
    def test_it_walks_request_unit_approval_bkpp_approval_to_a_seat(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass, reason="Butuh")
        self.assertEqual(e.status, "requested")
        services.enrollment_unit_approve(actor=self.camat, enrollment=e, note="Silakan")
        e.refresh_from_db()
        self.assertEqual((e.status, e.unit_approved_by), ("unit_approved", self.camat))
        services.enrollment_approve(actor=self.admin, enrollment=e, note="OK")
        e.refresh_from_db()
        self.assertEqual((e.status, e.approved_by, e.decision_note), ("enrolled", self.admin, "OK"))
        actions = list(
            AuditEntry.objects.filter(object_type="learning.enrollment", object_id=str(e.pk))
            .order_by("pk")
            .values_list("action", "actor__username", "note", "changes")
        )
        self.assertEqual(
            actions,
            [
                ("create", "pegawai", "pengajuan pegawai: Butuh", {"status": [None, "requested"]}),
                (
                    "update",
                    "camat",
                    "persetujuan kepala unit: Silakan",
                    {"status": ["requested", "unit_approved"]},
                ),
                ("update", "admin", "persetujuan BKPP: OK", {"status": ["unit_approved", "enrolled"]}),
            ],
        )

    def test_it_waitlists_when_full_and_promotes_in_order_on_cancellation(self) -> None:
        small = make_class(self.program, "SMALL", capacity=1)
        first = self.request_and_approve(self.employee, small)
        second = self.request_and_approve(self.officer, small)
        third = self.request_and_approve(self.supervisor, small)
        self.assertEqual(
            [first.status, second.status, third.status], ["enrolled", "waitlisted", "waitlisted"]
        )
        services.enrollment_cancel(actor=self.employee, enrollment=first, note="Sakit")
        first.refresh_from_db()
        second.refresh_from_db()
        third.refresh_from_db()
        self.assertEqual([first.status, second.status, third.status], ["cancelled", "enrolled", "waitlisted"])
        self.assertTrue(
            AuditEntry.objects.filter(
                object_type="learning.enrollment", object_id=str(second.pk), note__contains="daftar tunggu"
            ).exists()
        )

    def test_it_refuses_overlapping_classes_naming_the_other_class(self) -> None:
        self.request_and_approve(self.employee, self.klass)
        other = make_class(make_program("KOM", name="Komunikasi"), "KOM-2099-01", starts_in=31)
        with self.assertRaises(ValidationFailed) as caught:
            services.enrollment_request(actor=self.employee, training_class=other)
        self.assertIn("Jadwal bentrok", caught.exception.message)
        self.assertIn(self.klass.code, caught.exception.message)
        self.assertFalse(Enrollment.objects.filter(training_class=other).exists())

    def test_it_refuses_a_second_enrolment_in_the_same_class(self) -> None:
        services.enrollment_request(actor=self.employee, training_class=self.klass)
        with self.assertRaises(ValidationFailed) as caught:
            services.enrollment_nominate(
                actor=self.supervisor, training_class=self.klass, employee=self.employee_employee
            )
        self.assertIn("sudah terdaftar", caught.exception.message)
        self.assertEqual(Enrollment.objects.filter(training_class=self.klass).count(), 1)

    def test_it_allows_a_new_request_after_cancellation(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        services.enrollment_cancel(actor=self.employee, enrollment=e)
        again = services.enrollment_request(actor=self.employee, training_class=self.klass)
        self.assertEqual((again.pk, again.status), (e.pk, "requested"))

    def test_it_refuses_classes_not_open(self) -> None:
        for status in ("planned", "cancelled"):
            training_class = make_class(self.program, f"C-{status}", starts_in=200, status="planned")
            if status == "cancelled":
                TrainingClass.objects.filter(pk=training_class.pk).update(status=status)
                training_class.refresh_from_db()
            with self.subTest(status=status), self.assertRaises(ValidationFailed) as caught:
                services.enrollment_request(actor=self.employee, training_class=training_class)
            self.assertIn("tidak menerima pendaftaran", caught.exception.message)

    def test_it_checks_prerequisites(self) -> None:
        advanced = make_program("ADV", name="Lanjutan", prerequisites=[self.program])
        advanced_class = make_class(advanced, "ADV-01", starts_in=120)
        with self.assertRaises(ValidationFailed) as caught:
            services.enrollment_request(actor=self.employee, training_class=advanced_class)
        self.assertIn("harus sudah lulus program PLY-PRIMA", caught.exception.message)
        done = self.request_and_approve(self.employee, self.klass)
        Enrollment.objects.filter(pk=done.pk).update(status=Enrollment.Status.COMPLETED)
        e = services.enrollment_request(actor=self.employee, training_class=advanced_class)
        self.assertEqual(e.status, "requested")

    def test_it_refuses_bkpp_approval_before_the_unit_head(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        with self.assertRaises(ValidationFailed) as caught:
            services.enrollment_approve(actor=self.admin, enrollment=e)
        self.assertIn("belum disetujui kepala unit", caught.exception.message)
        e.refresh_from_db()
        self.assertEqual(e.status, "requested")

    def test_it_requires_a_reason_to_reject(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        with self.assertRaises(ValidationFailed) as caught:
            services.enrollment_reject(actor=self.camat, enrollment=e)
        self.assertIn("note", caught.exception.fields)
        services.enrollment_reject(actor=self.camat, enrollment=e, note="Beban kerja tinggi")
        e.refresh_from_db()
        self.assertEqual((e.status, e.decision_note), ("rejected", "Beban kerja tinggi"))


class EnrollmentAccessTests(LearningTestCase):
    def test_it_refuses_outsiders(self) -> None:
        """The camat of Banyumanik cannot approve or reject a Tembalang request."""
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_unit_approve(actor=self.other, enrollment=e)
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_reject(actor=self.other, enrollment=e, note="Tidak")
        for user in (self.supervisor, self.officer, self.executive, self.trainer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.enrollment_unit_approve(actor=user, enrollment=e)
        e.refresh_from_db()
        self.assertEqual(e.status, "requested")

    def test_it_refuses_deciding_about_ones_own_request(self) -> None:
        own = services.enrollment_request(actor=self.camat, training_class=self.klass)
        with self.assertRaises(PermissionDeniedError) as caught:
            services.enrollment_unit_approve(actor=self.camat, enrollment=own)
        self.assertIn("sendiri", caught.exception.message)
        admin_own = services.enrollment_request(
            actor=self.admin, training_class=make_class(self.program, "ADM", starts_in=150)
        )
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_unit_approve(actor=self.admin, enrollment=admin_own)
        own.refresh_from_db()
        self.assertEqual(own.status, "requested")

    def test_it_lets_only_the_team_be_nominated(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_nominate(
                actor=self.employee, training_class=self.klass, employee=self.officer_employee
            )
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_nominate(
                actor=self.supervisor, training_class=self.klass, employee=self.other_officer_employee
            )
        e = services.enrollment_nominate(
            actor=self.supervisor, training_class=self.klass, employee=self.officer_employee, reason="Loket"
        )
        self.assertEqual((e.status, e.requested_by), ("nominated", self.supervisor))
        self.assertEqual(Enrollment.objects.filter(training_class=self.klass).count(), 1)

    def test_it_refuses_a_request_for_someone_else(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_request(
                actor=self.employee, training_class=self.klass, employee=self.officer_employee
            )
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_request(actor=self.executive, training_class=self.klass)

    def test_it_lets_the_employee_cancel_only_before_the_start(self) -> None:
        e = self.request_and_approve(self.employee, self.klass)
        with self.assertRaises(PermissionDeniedError):
            services.enrollment_cancel(actor=self.officer, enrollment=e)
        TrainingClass.objects.filter(pk=self.klass.pk).update(
            starts_on=timezone.localdate(), ends_on=timezone.localdate() + dt.timedelta(days=1)
        )
        with self.assertRaises(ValidationFailed) as caught:
            services.enrollment_cancel(actor=self.employee, enrollment=e)
        self.assertIn("sudah dimulai", caught.exception.message)
        services.enrollment_cancel(actor=self.admin, enrollment=e, note="Dinas luar")
        e.refresh_from_db()
        self.assertEqual(e.status, "cancelled")


@unittest.skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class SeatRaceTests(TransactionTestCase):
    def test_it_hands_out_the_last_seat_once(self) -> None:
        create_cast(self)
        from mumpuni.learning.tests.catalogue_fixtures import make_class as build

        program = make_program()
        small = build(program, "RACE", capacity=1)
        pending = []
        for user in (self.employee, self.officer):  # type: ignore[attr-defined]
            e = services.enrollment_request(actor=user, training_class=small)
            pending.append(services.enrollment_unit_approve(actor=self.camat, enrollment=e))  # type: ignore[attr-defined]
        barrier = threading.Barrier(2)

        def approve(e: Enrollment) -> None:
            barrier.wait()
            try:
                services.enrollment_approve(actor=self.admin, enrollment=e)  # type: ignore[attr-defined]
            finally:
                connection.close()

        threads = [threading.Thread(target=approve, args=(e,)) for e in pending]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(Enrollment.objects.filter(training_class=small).values_list("status", flat=True))
        self.assertEqual(statuses, ["enrolled", "waitlisted"])
