"""Enrolment pages: request, nominate, the approval queues (HTMX and bulk), cancellation, my classes."""

from __future__ import annotations

from django.urls import reverse

from mumpuni.learning.models import Enrollment
from mumpuni.learning.services import enrollment as services
from mumpuni.learning.tests.catalogue_fixtures import LearningTestCase, make_class


class EnrollmentViewTests(LearningTestCase):
    def test_it_requests_a_seat_from_the_class_page(self) -> None:
        self.login(self.employee)
        page = self.client.get(reverse("learning:class_detail", args=[self.klass.pk]))
        self.assertContains(page, reverse("learning:enrollment_request", args=[self.klass.pk]))
        response = self.client.post(
            reverse("learning:enrollment_request", args=[self.klass.pk]), {"reason": "Loket"}, follow=True
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "menunggu persetujuan kepala unit")
        e = Enrollment.objects.get(training_class=self.klass, employee=self.employee_employee)
        self.assertEqual((e.status, e.reason), ("requested", "Loket"))

    def test_it_shows_a_refusal_as_a_message(self) -> None:
        services.enrollment_request(actor=self.employee, training_class=self.klass)
        self.login(self.employee)
        response = self.client.post(reverse("learning:enrollment_request", args=[self.klass.pk]), follow=True)
        self.assertContains(response, "sudah terdaftar")
        self.assertEqual(Enrollment.objects.filter(training_class=self.klass).count(), 1)

    def test_it_nominates_a_team_member(self) -> None:
        self.login(self.supervisor)
        page = self.client.get(reverse("learning:nominate", args=[self.klass.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Rina Kurniawati")
        self.assertNotContains(page, "Siti Aminah")
        response = self.client.post(
            reverse("learning:nominate", args=[self.klass.pk]),
            {"employee": self.officer_employee.pk, "reason": "Petugas loket"},
        )
        self.assertEqual(response.status_code, 302)
        e = Enrollment.objects.get(employee=self.officer_employee)
        self.assertEqual((e.status, e.requested_by), ("nominated", self.supervisor))

    def test_it_approves_with_htmx_and_returns_the_row(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        self.login(self.camat)
        queue = self.client.get(reverse("learning:approvals"))
        self.assertContains(queue, "Agus Prasetyo")
        response = self.client.post(
            reverse("learning:decide", args=[e.pk]),
            {"action": "approve", "note": "Setuju"},
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'id="enr-{e.pk}"')
        self.assertContains(response, "Disetujui kepala unit")
        e.refresh_from_db()
        self.assertEqual(e.status, "unit_approved")

    def test_it_reports_a_refused_decision_in_the_row(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        self.login(self.camat)
        response = self.client.post(
            reverse("learning:decide", args=[e.pk]), {"action": "reject", "note": ""}, HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "alasan penolakan", status_code=422)
        e.refresh_from_db()
        self.assertEqual(e.status, "requested")

    def test_it_bulk_approves_and_seats_people(self) -> None:
        first = services.enrollment_request(actor=self.employee, training_class=self.klass)
        second = services.enrollment_request(actor=self.officer, training_class=self.klass)
        for e in (first, second):
            services.enrollment_unit_approve(actor=self.camat, enrollment=e)
        self.login(self.admin)
        response = self.client.post(
            reverse("learning:bulk_decide"), {"action": "approve", "ids": [first.pk, second.pk]}
        )
        self.assertEqual(response.status_code, 302)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.status, second.status), ("enrolled", "enrolled"))

    def test_it_lists_my_classes_and_cancels(self) -> None:
        e = self.request_and_approve(self.employee, self.klass)
        self.login(self.employee)
        page = self.client.get(reverse("learning:my_classes"))
        self.assertContains(page, self.klass.name)
        self.assertContains(page, reverse("learning:cancel", args=[e.pk]))
        response = self.client.post(reverse("learning:cancel", args=[e.pk]))
        self.assertEqual(response.status_code, 302)
        e.refresh_from_db()
        self.assertEqual(e.status, "cancelled")

    def test_it_refuses_outsiders(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        self.login(self.other)  # camat of Banyumanik
        queue = self.client.get(reverse("learning:approvals"))
        self.assertEqual(queue.status_code, 200)
        self.assertNotContains(queue, "Agus Prasetyo")
        response = self.client.post(reverse("learning:decide", args=[e.pk]), {"action": "approve"})
        self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("learning:bulk_decide"), {"action": "approve", "ids": [e.pk]})
        self.assertEqual(response.status_code, 302)
        self.login(self.employee)
        self.assertEqual(self.client.get(reverse("learning:approvals")).status_code, 403)
        self.assertEqual(self.client.get(reverse("learning:nominate", args=[self.klass.pk])).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("learning:decide", args=[e.pk]), {"action": "approve"}).status_code, 403
        )
        self.login(self.officer)
        self.assertEqual(self.client.post(reverse("learning:cancel", args=[e.pk])).status_code, 404)
        self.login(self.supervisor)
        response = self.client.post(
            reverse("learning:nominate", args=[self.klass.pk]), {"employee": self.other_officer_employee.pk}
        )
        self.assertEqual(response.status_code, 422)  # not in the team: not even a choice
        e.refresh_from_db()
        self.assertEqual(e.status, "requested")
        self.assertFalse(Enrollment.objects.filter(employee=self.other_officer_employee).exists())


class ClassPageCancellationTests(LearningTestCase):
    def test_it_lets_bkpp_cancel_from_the_class_page_and_promotes_the_waiting_list(self) -> None:
        small = make_class(self.program, "SMALL", capacity=1, starts_in=60)
        seated = self.request_and_approve(self.employee, small)
        waiting = self.request_and_approve(self.officer, small)
        self.login(self.admin)
        page = self.client.get(reverse("learning:class_detail", args=[small.pk]))
        self.assertContains(page, reverse("learning:cancel", args=[seated.pk]))
        response = self.client.post(
            reverse("learning:cancel", args=[seated.pk]),
            {"next": reverse("learning:class_detail", args=[small.pk])},
        )
        self.assertRedirects(response, reverse("learning:class_detail", args=[small.pk]))
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, "enrolled")

    def test_it_filters_the_queue_by_class(self) -> None:
        other = make_class(self.program, "OTHER", starts_in=120)
        services.enrollment_request(actor=self.employee, training_class=self.klass)
        services.enrollment_request(actor=self.officer, training_class=other)
        self.login(self.camat)
        response = self.client.get(reverse("learning:approvals"), {"kelas": other.pk})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Rina Kurniawati")
        self.assertNotContains(response, "Agus Prasetyo")
