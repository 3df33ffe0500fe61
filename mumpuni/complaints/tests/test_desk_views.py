"""The staff complaint pages: inbox, detail, each step's URL, attachments, answer templates and routing rules,
for every persona."""

from __future__ import annotations

import shutil
import tempfile

from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mumpuni.complaints.models import AnswerTemplate, Attachment, Complaint, ComplaintEvent, RoutingRule
from mumpuni.complaints.services import workflow
from mumpuni.complaints.tests.desk_fixtures import WEDNESDAY, ComplaintTestCase, at

S = Complaint.Status
IDENTITY = Complaint.Identity
CONFIDENTIAL_NOTE = "Identitas dirahasiakan (hanya petugas pengaduan)"
ANSWER = "Terima kasih, loket tambahan sudah kami buka mulai besok pagi."

MEDIA = tempfile.mkdtemp(prefix="mumpuni-desk-media-")


def tearDownModule() -> None:
    shutil.rmtree(MEDIA, ignore_errors=True)


class InboxTests(ComplaintTestCase):
    url = reverse("complaints:inbox")

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tembalang_one = cls().received(title="Antrean KTP lama sekali")
        cls.banyumanik_one = cls().received(point=cls.other_point, title="Petugas tidak ramah")

    def codes(self, response) -> set[str]:  # type: ignore[no-untyped-def]
        return {c.tracking_code for c in response.context["page"].object_list}

    def test_the_desk_sees_everything_with_due_dates(self) -> None:
        self.login(self.desk)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.codes(response), {self.tembalang_one.tracking_code, self.banyumanik_one.tracking_code}
        )
        self.assertContains(response, "lewat batas")  # received 9 Sep 2026, verify_due 14 Sep has passed
        row = response.context["page"].object_list[0]
        self.assertEqual(row.due, row.verify_due)

    def test_a_camat_sees_his_scope_only(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url)
        self.assertEqual(self.codes(response), {self.tembalang_one.tracking_code})
        self.assertNotContains(response, self.banyumanik_one.tracking_code)

    def test_the_executive_reads(self) -> None:
        self.login(self.executive)
        response = self.client.get(self.url)
        self.assertEqual(len(self.codes(response)), 2)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.supervisor, self.employee, self.officer, self.other_officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/akun/", response["Location"])

    def test_filters(self) -> None:
        forwarded = workflow.forward(
            self.received(title="Biaya tidak resmi"), self.desk, unit=self.banyumanik
        )
        self.login(self.desk)
        cases = {
            "q=ktp": {self.tembalang_one.tracking_code},
            f"q={self.banyumanik_one.tracking_code.lower()}": {self.banyumanik_one.tracking_code},
            f"q={self.banyumanik_one.tracking_code[4:].replace('-', '')}": {
                self.banyumanik_one.tracking_code
            },
            "status=forwarded": {forwarded.tracking_code},
            "status=open": {
                self.tembalang_one.tracking_code,
                self.banyumanik_one.tracking_code,
                forwarded.tracking_code,
            },
            f"unit={self.banyumanik.pk}": {forwarded.tracking_code},
            f"point={self.other_point.pk}": {self.banyumanik_one.tracking_code},
            "category=perilaku": set(),
            "kind=aspirasi": set(),
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(self.codes(self.client.get(f"{self.url}?{query}")), expected)

    def test_the_overdue_filter_uses_the_current_deadline(self) -> None:
        from django.utils import timezone

        fresh = self.received(timezone.localdate())
        self.login(self.desk)
        codes = self.codes(self.client.get(self.url, {"overdue": "on"}))
        self.assertIn(self.tembalang_one.tracking_code, codes)
        self.assertNotIn(fresh.tracking_code, codes)

    def test_query_count_does_not_grow_with_rows(self) -> None:
        self.login(self.desk)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            return len(ctx.captured_queries)

        before = count()
        for _ in range(5):
            workflow.forward(self.received(), self.desk, unit=self.tembalang)
        self.assertEqual(count(), before)


class DetailTests(ComplaintTestCase):
    def url(self, c: Complaint) -> str:
        return reverse("complaints:detail", args=[c.tracking_code])

    def test_the_desk_sees_everything_and_the_steps(self) -> None:
        c = self.received(identity=IDENTITY.CONFIDENTIAL, name="Siti Rahasia")
        workflow.add_note(c, self.desk, text="Pelapor minta ditelepon sore.")
        self.login(self.desk)
        response = self.client.get(self.url(c))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Siti Rahasia")
        self.assertNotContains(response, CONFIDENTIAL_NOTE)
        self.assertContains(response, "internal")
        self.assertContains(response, "Pelapor minta ditelepon sore.")
        for step in ("verify", "forward", "reject", "note"):
            self.assertContains(response, reverse(f"complaints:{step}", args=[c.tracking_code]))
        # The forward form preselects the routing suggestion (the point's own unit here).
        self.assertEqual(response.context["forms"]["forward"].initial["unit"], self.tembalang.pk)

    def test_the_unit_does_not_see_a_confidential_identity(self) -> None:
        c = self.forwarded(identity=IDENTITY.CONFIDENTIAL, name="Siti Rahasia")
        self.login(self.camat)
        response = self.client.get(self.url(c))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, CONFIDENTIAL_NOTE)
        self.assertNotContains(response, "Siti Rahasia")
        self.assertNotContains(response, "08123")
        self.assertIn("start", response.context["forms"])
        self.assertIn("answer", response.context["forms"])
        self.assertNotIn("reassign", response.context["forms"])

    def test_the_unit_sees_a_public_identity(self) -> None:
        c = self.forwarded(identity=IDENTITY.PUBLIC, name="Budi Terbuka")
        self.login(self.camat)
        self.assertContains(self.client.get(self.url(c)), "Budi Terbuka")

    def test_the_executive_reads_without_steps_or_confidential_identity(self) -> None:
        c = self.forwarded(identity=IDENTITY.CONFIDENTIAL, name="Siti Rahasia")
        self.login(self.executive)
        response = self.client.get(self.url(c))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["forms"], {})
        self.assertNotContains(response, "Siti Rahasia")

    def test_answer_templates_are_filtered_by_category(self) -> None:
        AnswerTemplate.objects.create(
            title="Antrean", category="waktu_tunggu", body="Mohon maaf atas antrean."
        )
        AnswerTemplate.objects.create(title="Umum", category="", body="Terima kasih atas laporan Anda.")
        AnswerTemplate.objects.create(title="Biaya", category="persyaratan_biaya", body="Layanan ini gratis.")
        AnswerTemplate.objects.create(title="Lama", category="", body="Nonaktif.", active=False)
        c = self.in_progress()
        self.login(self.camat)
        response = self.client.get(self.url(c))
        self.assertEqual({t.title for t in response.context["answer_templates"]}, {"Antrean", "Umum"})
        self.assertContains(response, "Mohon maaf atas antrean.")

    def test_it_refuses_outsiders(self) -> None:
        c = self.received()
        self.login(self.other)
        self.assertEqual(self.client.get(self.url(c)).status_code, 404)
        for user in (self.supervisor, self.employee, self.officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url(c)).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url(c)).status_code, 302)

    def test_an_unknown_code_is_404(self) -> None:
        self.login(self.desk)
        self.assertEqual(self.client.get("/meja-pengaduan/ADU-AAAA-AAAA/").status_code, 404)


class StepTests(ComplaintTestCase):
    def post(self, c: Complaint, step: str, data: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
        payload = {f"{step}-{k}": v for k, v in (data or {}).items()}
        return self.client.post(reverse(f"complaints:{step}", args=[c.tracking_code]), payload)

    def test_the_desk_verifies_forwards_and_closes(self) -> None:
        c = self.received()
        self.login(self.desk)
        response = self.post(c, "verify", {"message": "Lengkap."})
        self.assertRedirects(response, reverse("complaints:detail", args=[c.tracking_code]))
        c.refresh_from_db()
        self.assertEqual(c.status, S.VERIFIED)
        self.post(c, "forward", {"unit": self.tembalang.pk})
        c.refresh_from_db()
        self.assertEqual((c.status, c.assigned_unit), (S.FORWARDED, self.tembalang))
        self.post(c, "reassign", {"unit": self.banyumanik.pk, "message": "Wilayah Banyumanik."})
        c.refresh_from_db()
        self.assertEqual(c.assigned_unit, self.banyumanik)
        c = workflow.answer(c, self.other, text=ANSWER)
        self.post(c, "close", {})
        c.refresh_from_db()
        self.assertEqual(c.status, S.CLOSED)

    def test_the_unit_starts_answers_and_notes(self) -> None:
        c = self.forwarded()
        self.login(self.camat)
        self.assertEqual(self.post(c, "start", {}).status_code, 302)
        self.assertEqual(self.post(c, "note", {"text": "Dibahas di rapat pagi."}).status_code, 302)
        response = self.post(c, "answer", {"text": ANSWER})
        self.assertEqual(response.status_code, 302)
        c.refresh_from_db()
        self.assertEqual((c.status, c.public_answer, c.answered_by), (S.ANSWERED, ANSWER, self.camat))
        self.assertTrue(c.events.filter(action=ComplaintEvent.Action.NOTE, public=False).exists())

    def test_reject_as_duplicate_by_tracking_code(self) -> None:
        original = self.received()
        c = self.received()
        self.login(self.desk)
        response = self.post(c, "reject", {"reason": "duplicate"})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response.context["forms"]["reject"].errors["duplicate_of"])
        response = self.post(c, "reject", {"reason": "duplicate", "duplicate_of": "ADU-ZZZZ-ZZZZ"})
        self.assertEqual(response.status_code, 422)
        response = self.post(
            c, "reject", {"reason": "duplicate", "duplicate_of": original.tracking_code.lower()}
        )
        self.assertEqual(response.status_code, 302)
        c.refresh_from_db()
        self.assertEqual((c.status, c.duplicate_of), (S.REJECTED, original))

    def test_service_errors_are_field_errors(self) -> None:
        c = self.in_progress()
        self.login(self.camat)
        response = self.post(c, "answer", {"text": "Oke."})
        self.assertEqual(response.status_code, 422)
        self.assertIn(
            "Tulis jawaban minimal 20 karakter.", response.context["forms"]["answer"].errors["text"]
        )
        c.refresh_from_db()
        self.assertEqual(c.status, S.IN_PROGRESS)

    def test_a_wrong_status_is_409_with_a_message(self) -> None:
        c = workflow.verify(self.received(), self.desk)
        self.login(self.desk)
        response = self.post(c, "verify", {})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "tidak dapat diverifikasi", status_code=409)

    def test_it_refuses_outsiders(self) -> None:
        c = self.forwarded()
        # Another camat does not even see it.
        self.login(self.other)
        for step in ("verify", "forward", "start", "answer", "note", "close", "reject", "reassign"):
            with self.subTest(step=step):
                self.assertEqual(
                    self.post(c, step, {"text": ANSWER, "unit": self.banyumanik.pk}).status_code, 404
                )
        # The executive sees it and may not act.
        self.login(self.executive)
        for step in ("start", "answer", "note", "reassign"):
            with self.subTest(step=step):
                self.assertEqual(
                    self.post(c, step, {"text": ANSWER, "unit": self.banyumanik.pk}).status_code, 403
                )
        # The camat handles it, but desk steps are not his.
        self.login(self.camat)
        self.assertEqual(self.post(c, "reassign", {"unit": self.banyumanik.pk}).status_code, 403)
        for user in (self.officer, self.employee, self.supervisor):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post(c, "note", {"text": "x"}).status_code, 403)
        c.refresh_from_db()
        self.assertEqual((c.status, c.assigned_unit), (S.FORWARDED, self.tembalang))
        self.assertFalse(c.events.filter(action=ComplaintEvent.Action.NOTE).exists())

    def test_steps_need_post(self) -> None:
        c = self.received()
        self.login(self.desk)
        self.assertEqual(
            self.client.get(reverse("complaints:verify", args=[c.tracking_code])).status_code, 405
        )


@override_settings(MEDIA_ROOT=MEDIA)
class AttachmentTests(ComplaintTestCase):
    def setUp(self) -> None:
        self.c = self.received(identity=IDENTITY.CONFIDENTIAL)
        self.item = Attachment(
            complaint=self.c, original_name="foto.png", content_type="image/png", size=8, sha256="0" * 64
        )
        self.item.file.save("foto.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
        self.url = reverse("complaints:attachment", args=[self.c.tracking_code, self.item.pk])

    def test_readers_of_the_complaint_get_the_file(self) -> None:
        for user in (self.desk, self.admin, self.executive, self.camat):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(b"".join(response.streaming_content), b"\x89PNG\r\n\x1a\n")
                self.assertEqual(response["Content-Type"], "image/png")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertIn("no-store", response["Cache-Control"])

    def test_the_detail_links_the_view_not_the_media_url(self) -> None:
        self.login(self.desk)
        response = self.client.get(reverse("complaints:detail", args=[self.c.tracking_code]))
        self.assertContains(response, self.url)
        self.assertNotContains(response, self.item.file.name)

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        other_complaint = self.received(point=self.other_point)
        self.login(self.other)
        wrong_pair = reverse("complaints:attachment", args=[other_complaint.tracking_code, self.item.pk])
        self.assertEqual(self.client.get(wrong_pair).status_code, 404)
        for user in (self.officer, self.employee, self.supervisor):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)


class TemplateAndRoutingTests(ComplaintTestCase):
    def test_the_desk_manages_answer_templates(self) -> None:
        self.login(self.desk)
        url = reverse("complaints:templates")
        response = self.client.post(
            url, {"title": "Antrean", "category": "waktu_tunggu", "body": "Maaf.", "active": "on"}
        )
        self.assertRedirects(response, url)
        template = AnswerTemplate.objects.get()
        self.assertEqual(self.client.post(url, {"title": "", "body": ""}).status_code, 422)
        edit = reverse("complaints:template_edit", args=[template.pk])
        self.client.post(edit, {"title": "Antrean panjang", "category": "", "body": "Maaf sekali."})
        template.refresh_from_db()
        self.assertEqual((template.title, template.category, template.active), ("Antrean panjang", "", False))
        self.client.post(reverse("complaints:template_delete", args=[template.pk]))
        self.assertFalse(AnswerTemplate.objects.exists())

    def test_the_desk_manages_routing_rules(self) -> None:
        self.login(self.desk)
        url = reverse("complaints:routing")
        self.assertEqual(self.client.post(url, {"unit": self.banyumanik.pk, "active": "on"}).status_code, 422)
        response = self.client.post(
            url, {"category": "perilaku", "point": self.point.pk, "unit": self.banyumanik.pk, "active": "on"}
        )
        self.assertRedirects(response, url)
        rule = RoutingRule.objects.get()
        self.assertContains(self.client.get(url), "Kecamatan Banyumanik")
        # The rule now drives the suggestion of new complaints.
        c = self.received(category="perilaku")
        self.assertEqual(c.suggested_unit, self.banyumanik)
        self.client.post(reverse("complaints:routing_delete", args=[rule.pk]))
        self.assertFalse(RoutingRule.objects.exists())

    def test_it_refuses_outsiders(self) -> None:
        template = AnswerTemplate.objects.create(title="T", body="B")
        rule = RoutingRule.objects.create(category="perilaku", unit=self.tembalang)
        for user in (self.executive, self.camat, self.other, self.officer, self.employee):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("complaints:templates")).status_code, 403)
                self.assertEqual(self.client.get(reverse("complaints:routing")).status_code, 403)
                self.assertEqual(
                    self.client.post(reverse("complaints:template_delete", args=[template.pk])).status_code,
                    403,
                )
                self.assertEqual(
                    self.client.post(reverse("complaints:routing_delete", args=[rule.pk])).status_code, 403
                )
        self.assertTrue(AnswerTemplate.objects.exists())
        self.assertTrue(RoutingRule.objects.exists())


class HomeCardTests(ComplaintTestCase):
    def test_overdue_for_desk_and_unit_heads_only(self) -> None:
        from mumpuni.complaints.selectors.inbox import overdue_for

        c = self.received()
        self.received(point=self.other_point)
        today = at(WEDNESDAY).date().replace(day=20)
        card = overdue_for(self.desk, today=today)
        assert card is not None
        self.assertEqual(card.count, 2)
        camat_card = overdue_for(self.camat, today=today)
        assert camat_card is not None
        self.assertEqual([x.tracking_code for x in camat_card.items], [c.tracking_code])
        for user in (self.executive, self.officer, self.employee):
            self.assertIsNone(overdue_for(user, today=today))

    def test_the_card_template_renders_for_the_home_page(self) -> None:
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        c = self.received()
        request = RequestFactory().get("/")
        for user, shown in (
            (self.desk, True),
            (self.camat, True),
            (self.other, True),
            (self.executive, False),
        ):
            with self.subTest(user=user.username):
                request.user = user
                html = render_to_string("complaints/desk/_overdue_card.html", request=request)
                self.assertEqual("Pengaduan lewat batas" in html, shown)
                self.assertEqual(c.tracking_code in html, user in (self.desk, self.camat))
