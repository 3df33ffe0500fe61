"""Further education: applying (eligibility), documents, every step by the right role, quota, the service
bond at graduation, the shortlist order and the report per institution."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry, Notification
from mumpuni.talent import selectors, services
from mumpuni.talent.models import Application, ApplicationEvent, ServiceBond
from mumpuni.talent.tests.fixtures import TalentTestCase, pdf

S = Application.Status


class ApplyTests(TalentTestCase):
    def test_an_eligible_employee_applies(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            application = self.apply()
        self.assertEqual(application.status, S.APPLIED)
        self.assertTrue(all(r["passed"] for r in application.eligibility))
        self.assertEqual(ApplicationEvent.objects.get(application=application).to_status, "applied")
        self.assertTrue(AuditEntry.objects.filter(action="talent.application_submit").exists())
        self.assertTrue(Notification.objects.filter(recipient=self.admin, kind="talent_application").exists())

    def test_an_ineligible_employee_is_refused_with_every_reason(self) -> None:
        # The kasi has no golongan and no 9-box placement.
        with self.assertRaises(ValidationFailed) as caught:
            self.apply(employee=self.supervisor_employee, user=self.supervisor)
        reasons = " ".join(caught.exception.fields["eligibility"])
        self.assertIn("Golongan pegawai belum tercatat", reasons)
        self.assertIn("Belum ada penempatan 9-box", reasons)

    def test_a_closed_window_and_a_second_application_are_refused(self) -> None:
        closed = self.make_program(
            code="OLD",
            opens_on=self.today - dt.timedelta(days=60),
            closes_on=self.today - dt.timedelta(days=1),
        )
        with self.assertRaises(ValidationFailed) as caught:
            self.apply(program=closed)
        self.assertIn("program", caught.exception.fields)
        self.apply()
        with self.assertRaises(ValidationFailed):
            self.apply()

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.supervisor, self.camat, self.other, self.executive):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                self.apply(user=user)
        self.apply(user=self.admin)  # BKPP may file it

    def test_documents_must_be_real_pdfs_of_limited_size(self) -> None:
        application = self.apply()
        for upload, message in [
            (pdf("ijazah.docx"), "harus berkas PDF"),
            (pdf("ijazah.pdf", b"GIF89a not a pdf"), "bukan PDF"),
            (pdf("ijazah.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "terlalu besar"),
        ]:
            with self.subTest(message=message), self.assertRaises(ValidationFailed) as caught:
                services.document_add(
                    actor=self.employee, application=application, kind="ijazah", upload=upload
                )
            self.assertIn(message, caught.exception.fields["file"][0])
        with self.assertRaises(PermissionDeniedError):
            services.document_add(actor=self.supervisor, application=application, kind="ijazah", upload=pdf())


class FlowTests(TalentTestCase):
    def test_the_whole_flow_ends_in_a_service_bond(self) -> None:
        application = self.with_documents(self.apply())
        services.application_step(actor=self.admin, application=application, step="verify", comment="Lengkap")
        services.application_step(actor=self.admin, application=application, step="select")
        start = self.today - dt.timedelta(days=800)
        services.application_step(actor=self.admin, application=application, step="enroll", on=start)
        graduated = self.today - dt.timedelta(days=60)
        services.application_step(actor=self.admin, application=application, step="graduate", on=graduated)
        application.refresh_from_db()
        self.assertEqual(application.status, S.GRADUATED)
        self.assertEqual((application.enrolled_on, application.graduated_on), (start, graduated))
        bond = ServiceBond.objects.get(application=application)
        self.assertEqual(bond.months, 2 * 24 + 12)  # tugas belajar: 2 × study + 12 months
        self.assertEqual(bond.starts_on, graduated)
        self.assertEqual(
            [e.to_status for e in application.events.all()],
            ["applied", "verified", "selected", "enrolled", "graduated"],
        )
        self.assertEqual(application.events.get(to_status="verified").comment, "Lengkap")
        # The running bond now fails the rule for another programme.
        other = self.make_program(code="UNDIP-TB-S3", quota=3)
        verdict = selectors.eligibility_for(self.employee_employee, other)
        self.assertEqual([r.code for r in verdict.failed], ["bond"])

    def test_izin_belajar_has_no_bond_by_default(self) -> None:
        program = self.make_program(code="IB", kind="izin_belajar")
        application = self.with_documents(self.apply(program=program))
        for step in ("verify", "select", "enroll", "graduate"):
            services.application_step(actor=self.admin, application=application, step=step)
        self.assertFalse(ServiceBond.objects.filter(application=application).exists())

    def test_verification_needs_the_documents(self) -> None:
        application = self.apply()
        with self.assertRaises(ValidationFailed) as caught:
            services.application_step(actor=self.admin, application=application, step="verify")
        self.assertIn("Surat permohonan", caught.exception.fields["documents"][0])

    def test_steps_out_of_order_are_refused(self) -> None:
        application = self.apply()
        for step in ("select", "enroll", "graduate"):
            with self.subTest(step=step), self.assertRaises(services.TransitionError):
                services.application_step(actor=self.admin, application=application, step=step)

    def test_the_quota_is_kept(self) -> None:
        first = self.with_documents(self.apply())
        second = self.with_documents(
            self.apply(employee=self.officer_employee, user=self.officer), self.officer
        )
        for application in (first, second):
            services.application_step(actor=self.admin, application=application, step="verify")
        services.application_step(actor=self.admin, application=first, step="select")
        with self.assertRaises(services.TransitionError) as caught:
            services.application_step(actor=self.admin, application=second, step="select")
        self.assertIn("Kuota", caught.exception.message)

    def test_rejection_needs_a_reason_and_withdrawal_is_the_applicants(self) -> None:
        application = self.apply()
        with self.assertRaises(ValidationFailed):
            services.application_step(actor=self.admin, application=application, step="reject")
        with self.assertRaises(PermissionDeniedError):
            services.application_step(actor=self.supervisor, application=application, step="withdraw")
        services.application_step(actor=self.employee, application=application, step="withdraw")
        application.refresh_from_db()
        self.assertEqual(application.status, S.WITHDRAWN)

    def test_each_step_by_the_right_role(self) -> None:
        application = self.with_documents(self.apply())
        for user in (self.employee, self.camat, self.supervisor, self.executive, self.other):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.application_step(actor=user, application=application, step="verify")
        application.refresh_from_db()
        self.assertEqual(application.status, S.APPLIED)


class ApplicationPageTests(TalentTestCase):
    def test_applying_from_the_programme_page(self) -> None:
        self.login(self.employee)
        url = reverse("talent:program", args=[self.program.pk])
        response = self.client.get(url)
        self.assertContains(response, 'data-rule="box" data-passed="1"')
        response = self.client.post(
            reverse("talent:apply", args=[self.program.pk]), {"motivation": "Belajar"}
        )
        application = Application.objects.get(employee=self.employee_employee)
        self.assertRedirects(response, reverse("talent:application", args=[application.pk]))
        response = self.client.post(
            reverse("talent:document_upload", args=[application.pk]), {"kind": "ijazah", "file": pdf("x.txt")}
        )
        self.assertContains(response, "harus berkas PDF", status_code=422)

    def test_who_sees_an_application(self) -> None:
        application = self.apply()
        url = reverse("talent:application", args=[application.pk])
        for user, status in [
            (self.employee, 200),
            (self.supervisor, 200),
            (self.camat, 200),
            (self.admin, 200),
            (self.executive, 200),
            (self.officer, 404),
            (self.other, 404),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_documents_download_for_those_who_see_the_application(self) -> None:
        application = self.with_documents(self.apply())
        document = application.documents.get(kind="ijazah")
        url = reverse("talent:document_download", args=[application.pk, document.pk])
        self.login(self.admin)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))
        for user in (self.officer, self.other):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_admin_steps_through_the_page(self) -> None:
        application = self.with_documents(self.apply())
        self.login(self.admin)
        response = self.client.post(
            reverse("talent:step", args=[application.pk, "verify"]), {"comment": "ok"}
        )
        self.assertRedirects(response, reverse("talent:application", args=[application.pk]))
        application.refresh_from_db()
        self.assertEqual(application.status, S.VERIFIED)

    def test_it_refuses_outsiders(self) -> None:
        application = self.with_documents(self.apply())
        self.login(self.camat)
        response = self.client.post(reverse("talent:step", args=[application.pk, "verify"]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.get(reverse("talent:shortlist", args=[self.program.pk])).status_code, 403
        )
        self.assertEqual(self.client.get(reverse("talent:report")).status_code, 403)
        self.login(self.other)
        response = self.client.post(reverse("talent:step", args=[application.pk, "withdraw"]))
        self.assertEqual(response.status_code, 404)


class ShortlistAndReportTests(TalentTestCase):
    def test_the_shortlist_ranks_by_box_then_performance_with_reasons(self) -> None:
        self.program.quota = 5
        self.program.save()
        self.apply(employee=self.officer_employee, user=self.officer)  # box 7
        self.apply()  # box 8
        candidates = selectors.shortlist(self.program)
        self.assertEqual([c.employee for c in candidates], [self.employee_employee, self.officer_employee])
        self.assertTrue(candidates[0].reasons[0].startswith("Kotak 8"))
        self.assertIn(f"SKP {self.year}: Sangat Baik", candidates[0].reasons)
        self.login(self.admin)
        response = self.client.get(reverse("talent:shortlist", args=[self.program.pk]))
        self.assertContains(response, self.employee_employee.nip)

    def test_the_report_counts_per_institution(self) -> None:
        application = self.with_documents(self.apply())
        for step in ("verify", "select", "enroll", "graduate"):
            services.application_step(actor=self.admin, application=application, step=step)
        self.apply(employee=self.officer_employee, user=self.officer)
        (row,) = selectors.institution_report()
        self.assertEqual(
            (row["applicants"], row["selected"], row["enrolled"], row["graduated"], row["bonds"]),
            (2, 1, 0, 1, 1),
        )
        self.login(self.executive)
        self.assertContains(self.client.get(reverse("talent:report")), "Universitas Diponegoro")
        response = self.client.get(reverse("talent:report"), {"format": "xlsx"})
        self.assertTrue(response.content.startswith(b"PK"))
