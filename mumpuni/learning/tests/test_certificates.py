"""Certificates: numbering, validity, verification tokens, who may download, the PDF."""

from __future__ import annotations

import datetime as dt
import threading

from django.db import connection
from django.test import TransactionTestCase, skipUnlessDBFeature
from django.urls import reverse
from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import Certificate, Enrollment
from mumpuni.learning.pdf import certificate_data, render_certificate
from mumpuni.learning.services import certificates as services
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase, enroll, make_class, make_program
from mumpuni.testing import make_employee


def complete(enrollment: Enrollment, on: dt.date) -> Enrollment:
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.completed_on = on
    enrollment.save()
    return enrollment


class CertificateIssueTests(ProgressTestCase):
    def test_it_numbers_per_programme_and_year(self) -> None:
        first = services.certificate_issue(
            actor=None, enrollment=complete(self.enrollment, dt.date(2026, 3, 5))
        )
        second = services.certificate_issue(
            actor=None, enrollment=complete(self.officer_enrollment, dt.date(2026, 3, 5))
        )
        self.assertEqual(first.number, "800/BKPP/PLY-PRIMA/2026/000001")
        self.assertEqual(second.number, "800/BKPP/PLY-PRIMA/2026/000002")
        other_year = make_class(self.program, code="PLY-2025", starts_on=dt.date(2025, 6, 1))
        third = services.certificate_issue(
            actor=None, enrollment=complete(enroll(other_year, self.employee_employee), dt.date(2025, 6, 2))
        )
        self.assertEqual(third.number, "800/BKPP/PLY-PRIMA/2025/000001")

    def test_it_is_idempotent_and_refuses_the_unfinished(self) -> None:
        with self.assertRaises(ValidationFailed):
            services.certificate_issue(actor=None, enrollment=self.enrollment)
        complete(self.enrollment, dt.date(2026, 3, 5))
        a = services.certificate_issue(actor=None, enrollment=self.enrollment)
        b = services.certificate_issue(actor=None, enrollment=self.enrollment)
        self.assertEqual(a.pk, b.pk)

    def test_it_sets_validity_from_the_programme(self) -> None:
        limited = make_program("K3", certificate_valid_years=3)
        c = make_class(limited, code="K3-01", starts_on=dt.date(2020, 2, 28), days=2)
        certificate = services.certificate_issue(
            actor=None, enrollment=complete(enroll(c, self.employee_employee), dt.date(2020, 2, 29))
        )
        self.assertEqual(certificate.valid_until, dt.date(2023, 2, 28))
        self.assertEqual(services.validity(certificate), "expired")

    def test_only_bkpp_revokes(self) -> None:
        certificate = services.certificate_issue(
            actor=None, enrollment=complete(self.enrollment, dt.date(2026, 3, 5))
        )
        with self.assertRaises(PermissionDeniedError):
            services.certificate_revoke(actor=self.camat, certificate=certificate)
        services.certificate_revoke(actor=self.admin, certificate=certificate)
        certificate.refresh_from_db()
        self.assertEqual(services.validity(certificate), "revoked")


class VerificationTokenTests(ProgressTestCase):
    def test_it_verifies_and_refuses_a_tampered_number(self) -> None:
        certificate = services.certificate_issue(
            actor=None, enrollment=complete(self.enrollment, dt.date(2026, 3, 5))
        )
        token = services.verification_token(certificate)
        self.assertEqual(services.certificate_from_token(token), certificate)
        payload, _, signature = token.partition(":")
        forged = services.verification_token(Certificate(number="800/BKPP/PLY-PRIMA/2026/000002"))
        self.assertIsNone(services.certificate_from_token(forged.split(":")[0] + ":" + signature))
        # Change the signature's last character to a different one (replacing it with a fixed letter made
        # the test pass the real token 1 time in 64).
        flipped = "B" if signature[-1] == "A" else "A"
        self.assertIsNone(services.certificate_from_token(payload + ":" + signature[:-1] + flipped))
        self.assertIsNone(services.certificate_from_token("800-BKPP-PLY-PRIMA-2026-000001"))


class DownloadAccessTests(ProgressTestCase):
    def setUp(self) -> None:
        self.certificate = services.certificate_issue(
            actor=None, enrollment=complete(self.enrollment, dt.date(2026, 3, 5))
        )

    def test_it_lets_owner_chain_unit_head_and_bkpp_download(self) -> None:
        for user in (self.employee, self.supervisor, self.camat, self.admin):
            self.assertTrue(services.can_download(user, self.certificate), user)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.other, self.officer, self.trainer, self.other_officer):
            self.assertFalse(services.can_download(user, self.certificate), user)
        self.login(self.other)
        response = self.client.get(reverse("learning:certificate_pdf", args=[self.certificate.pk]))
        self.assertEqual(response.status_code, 404)

    def test_the_owner_downloads_a_pdf(self) -> None:
        self.login(self.employee)
        response = self.client.get(reverse("learning:certificate_pdf", args=[self.certificate.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF"))


class PdfTests(ProgressTestCase):
    def test_it_renders_a_one_page_pdf(self) -> None:
        certificate = services.certificate_issue(
            actor=None, enrollment=complete(self.enrollment, dt.date(2026, 3, 5))
        )
        pdf = render_certificate(certificate_data(certificate, "http://testserver/verifikasi/x/"))
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertIn(b"/Count 1", pdf)


@skipUnlessDBFeature("has_select_for_update")
class ConcurrentNumberTests(TransactionTestCase):
    """Two threads issuing certificates of the same programme and year never share a number (PostgreSQL)."""

    def test_it_hands_out_distinct_numbers(self) -> None:
        from mumpuni.testing import make_unit

        unit = make_unit("33.74", "Kota", "pemda")
        program = make_program()
        training_class = make_class(program, starts_on=timezone.localdate() - dt.timedelta(days=5))
        enrollments = [
            complete(enroll(training_class, make_employee(f"Peserta {i}", unit)), training_class.ends_on)
            for i in range(8)
        ]
        errors: list[BaseException] = []

        def issue(chunk: list[Enrollment]) -> None:
            try:
                for e in chunk:
                    services.certificate_issue(actor=None, enrollment=e)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=issue, args=(enrollments[i::2],)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        numbers = list(Certificate.objects.values_list("number", flat=True))
        self.assertEqual(len(numbers), 8)
        self.assertEqual(len(set(numbers)), 8)
