"""The public verification page: only name, programme, date and validity; tampered links are invalid."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mumpuni.learning.models import Enrollment
from mumpuni.learning.services import certificates as services
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase


class VerifyPageTests(ProgressTestCase):
    def setUp(self) -> None:
        self.enrollment.status = Enrollment.Status.COMPLETED
        self.enrollment.completed_on = dt.date(2026, 3, 5)
        self.enrollment.save()
        self.certificate = services.certificate_issue(actor=None, enrollment=self.enrollment)
        self.url = services.verification_path(self.certificate)

    def test_it_shows_a_valid_certificate_without_login(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-state="valid"')
        self.assertContains(response, self.employee_employee.name)
        self.assertContains(response, self.program.name)
        self.assertNotContains(response, self.employee_employee.nip)
        self.assertNotContains(response, self.employee_employee.unit.name)

    def test_it_shows_revoked_and_expired(self) -> None:
        self.certificate.revoked_at = timezone.now()
        self.certificate.save()
        self.assertContains(self.client.get(self.url), 'data-state="revoked"')
        self.certificate.revoked_at = None
        self.certificate.valid_until = dt.date(2026, 3, 6)
        self.certificate.save()
        self.assertContains(self.client.get(self.url), 'data-state="expired"')

    def test_it_calls_a_tampered_link_invalid(self) -> None:
        token = services.verification_token(self.certificate)
        payload, _, signature = token.partition(":")
        for bad in (payload + "x:" + signature, payload + ":" + signature[::-1], "000001"):
            response = self.client.get(reverse("learning_public:verify", args=[bad]))
            self.assertEqual(response.status_code, 404)
            self.assertContains(response, 'data-state="invalid"', status_code=404)
            self.assertNotContains(response, self.employee_employee.name, status_code=404)

    def test_it_refuses_outsiders(self) -> None:
        # The page is public, but it never reveals more than the four facts, logged in or not.
        self.login(self.other)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.certificate.number)
        self.assertNotContains(response, self.employee_employee.nip)
