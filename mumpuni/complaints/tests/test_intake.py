"""The public complaint form (/pengaduan/baru/): identity modes, field errors, ticket link, wilayah check,
honeypot, rate limits, the confirmation page and mail. Helpers here are shared by the other public tests."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mumpuni.complaints.models import Attachment, Complaint, ComplaintPolicy
from mumpuni.complaints.views.public import SESSION_KEY
from mumpuni.queueing.models import Ticket
from mumpuni.queueing.services.tickets import counter_call_next, ticket_finish, ticket_issue, ticket_start
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import BaseTestCase

NEW = reverse("complaints_public:new")


def served_ticket(case: Any, outcome: str = "done") -> Ticket:
    """A ticket issued, called, served and finished at counter 1 by the `officer` persona (real actions)."""
    ticket = ticket_issue(point=case.point, service=case.ktp)
    called = counter_call_next(counter=case.counter1, actor=case.officer)
    assert called is not None and called.pk == ticket.pk
    ticket_start(ticket=called, actor=case.officer)
    finished = ticket_finish(ticket=called, outcome=outcome, actor=case.officer)
    finished.refresh_from_db()
    return finished


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "pengaduan",
        "category": "waktu_tunggu",
        "point": "33.74.10",
        "service": "KTP-REKAM",
        "ticket_number": "",
        "visit_date": "",
        "ticket_token": "",
        "kecamatan": "33.74.10",
        "kelurahan": "33.74.10.1001",
        "latitude": "-7.054321",
        "longitude": "110.438765",
        "address": "Depan loket",
        "title": "Antrean tidak dipanggil dua jam",
        "description": "Saya menunggu sejak pukul 08.00 dan nomor saya dilewati tanpa penjelasan.",
        "identity": "public",
        "name": "Budi Santoso",
        "email": "budi@example.org",
        "phone": "0812 3456 7890",
        "hp_fax": "",
    }
    data.update(overrides)
    return data


class PublicComplaintCase(BaseTestCase):
    """The cast + a Tembalang point (KTP, KK, two counters, the officer on shift) and a scratch MEDIA_ROOT."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.media = tempfile.mkdtemp(prefix="intake-media-")
        self._media = override_settings(MEDIA_ROOT=self.media)
        self._media.enable()

    def tearDown(self) -> None:
        self._media.disable()
        shutil.rmtree(self.media, ignore_errors=True)
        super().tearDown()

    def submit(self, client: str = "10.0.0.1", files: Any = None, **overrides: Any) -> Any:
        data = form_data(**overrides)
        if files is not None:
            data["attachments"] = files
        return self.client.post(NEW, data, REMOTE_ADDR=client)


class ComplaintFormTests(PublicComplaintCase):
    def test_it_shows_the_form_without_login(self) -> None:
        response = self.client.get(NEW)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kantor Kecamatan Tembalang")
        self.assertContains(response, 'name="hp_fax"')
        self.assertNotContains(response, 'name="website"')  # browsers autofill that for people
        self.assertContains(response, "Gunakan lokasi saya")
        # the dependent selects' data: point → its services, kecamatan → kelurahan
        self.assertContains(response, "complaint-form-data")
        self.assertContains(response, "Meteseh")

    def test_it_accepts_a_public_complaint(self) -> None:
        response = self.submit()
        complaint = Complaint.objects.get()
        self.assertRedirects(response, reverse("complaints_public:sent", args=[complaint.tracking_code]))
        self.assertEqual(complaint.identity, "public")
        self.assertEqual(complaint.name, "Budi Santoso")
        self.assertEqual(complaint.email, "budi@example.org")
        self.assertNotEqual(complaint.contact_hash, "")
        self.assertEqual(complaint.client_hash, "")  # device limits live in SubmissionAttempt (pruned hourly)
        self.assertEqual(complaint.point, self.point)
        self.assertEqual(complaint.service, self.ktp)
        self.assertEqual(complaint.kecamatan, self.tembalang)
        self.assertEqual(complaint.kelurahan_code, "33.74.10.1001")
        self.assertEqual(str(complaint.latitude), "-7.054321")
        self.assertEqual(complaint.source, "web")
        self.assertEqual(complaint.status, "received")

    def test_it_stores_a_confidential_identity(self) -> None:
        self.submit(identity="confidential", email="", phone="081234567890")
        complaint = Complaint.objects.get()
        self.assertEqual(complaint.identity, "confidential")
        self.assertEqual(complaint.name, "Budi Santoso")
        self.assertEqual(complaint.phone, "081234567890")
        self.assertNotEqual(complaint.contact_hash, "")

    def test_an_anonymous_complaint_stores_no_identity(self) -> None:
        # The browser hides and clears these fields; a client without JavaScript may still send them.
        response = self.submit(identity="anonymous")
        self.assertEqual(response.status_code, 302)
        complaint = Complaint.objects.get()
        self.assertEqual(complaint.identity, "anonymous")
        self.assertEqual(
            (complaint.name, complaint.email, complaint.phone, complaint.contact_hash), ("", "", "", "")
        )
        self.assertEqual(len(mail.outbox), 0)

    def test_anonymous_needs_no_contact(self) -> None:
        response = self.submit(identity="anonymous", name="", email="", phone="")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Complaint.objects.count(), 1)

    def test_it_shows_field_errors_in_indonesian_and_keeps_the_input(self) -> None:
        response = self.submit(
            title="abc",
            description="pendek",
            category="",
            identity="",
            name="",
            email="bukan-email",
            phone="",
            address="Jl. Tetap Di Sini 12",
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Complaint.objects.count(), 0)
        self.assertContains(response, "Judul minimal 5 karakter.", status_code=422)
        self.assertContains(response, "Uraikan laporan Anda minimal 20 karakter.", status_code=422)
        self.assertContains(response, "Pilih kategori.", status_code=422)
        self.assertContains(response, "Pilih cara identitas Anda ditangani.", status_code=422)
        self.assertContains(response, "Masukkan alamat email yang valid.", status_code=422)
        self.assertContains(response, "Periksa kembali isian yang ditandai.", status_code=422)
        self.assertContains(response, 'value="Jl. Tetap Di Sini 12"', status_code=422)
        self.assertContains(response, 'value="bukan-email"', status_code=422)
        self.assertContains(response, 'id="err-title"', status_code=422)

    def test_service_errors_ask_for_a_name_unless_anonymous(self) -> None:
        response = self.submit(name="", email="", phone="")
        self.assertContains(response, "Isi nama Anda, atau pilih anonim.", status_code=422)
        self.assertContains(response, "Isi email atau nomor telepon", status_code=422)
        self.assertEqual(Complaint.objects.count(), 0)

    def test_it_says_files_must_be_chosen_again(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from mumpuni.complaints.tests.test_attachments import png_bytes

        response = self.submit(title="x", files=[SimpleUploadedFile("a.png", png_bytes(), "image/png")])
        self.assertContains(response, "pilih ulang berkas lampiran Anda", status_code=422)
        self.assertEqual(Attachment.objects.count(), 0)

    def test_the_service_must_be_offered_at_the_point(self) -> None:
        from mumpuni.queueing.models import Service

        Service.objects.create(code="IMB", name="Izin Bangunan")
        response = self.submit(service="IMB")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Complaint.objects.count(), 0)

    def test_a_kelurahan_outside_the_kecamatan_is_refused(self) -> None:
        # 33.74.11.1001 is in Banyumanik, not Tembalang
        response = self.submit(kecamatan="33.74.10", kelurahan="33.74.11.1001")
        self.assertContains(
            response, "Kelurahan itu tidak berada di kecamatan yang dipilih.", status_code=422
        )
        self.assertEqual(Complaint.objects.count(), 0)

    def test_a_kelurahan_alone_sets_its_kecamatan(self) -> None:
        self.submit(kecamatan="", kelurahan="33.74.11.1001", point="", service="")
        self.assertEqual(Complaint.objects.get().kecamatan, self.banyumanik)

    def test_a_typed_ticket_number_links_the_ticket_but_not_the_officer(self) -> None:
        # Numbers are guessable (A-001, A-002 …): only the ticket page's link proves the citizen held it.
        ticket = served_ticket(self)
        self.submit(ticket_number=ticket.number.lower(), visit_date=ticket.service_date.isoformat())
        complaint = Complaint.objects.get()
        self.assertEqual(complaint.ticket, ticket)
        self.assertIsNone(complaint.counter)
        self.assertIsNone(complaint.officer)

    def test_an_unknown_ticket_number_is_a_field_error(self) -> None:
        response = self.submit(ticket_number="Z-999", visit_date=timezone.localdate().isoformat())
        self.assertContains(response, "Nomor tiket Z-999 tidak ada di tempat itu", status_code=422)
        self.assertEqual(Complaint.objects.count(), 0)

    def test_the_ticket_link_prefills_the_form(self) -> None:
        ticket = served_ticket(self)
        response = self.client.get(NEW, {"tiket": ticket.public_token})
        self.assertContains(response, f'value="{ticket.public_token}"')
        self.assertContains(response, f'value="{ticket.number}"')
        self.assertContains(response, '<option value="33.74.10" selected>')
        self.assertContains(response, '<option value="KTP-REKAM" selected>')
        self.assertContains(response, "Laporan ini terhubung dengan tiket")

    def test_the_ticket_token_links_counter_and_officer(self) -> None:
        ticket = served_ticket(self)
        self.submit(ticket_token=ticket.public_token, ticket_number=ticket.number, visit_date="")
        complaint = Complaint.objects.get()
        self.assertEqual((complaint.ticket, complaint.officer), (ticket, self.officer_employee))
        self.assertEqual(complaint.counter, self.counter1)

    def test_a_changed_ticket_number_drops_the_token(self) -> None:
        ticket = served_ticket(self)
        response = self.submit(
            ticket_token=ticket.public_token,
            ticket_number="B-077",
            visit_date=ticket.service_date.isoformat(),
        )
        self.assertContains(response, "Nomor tiket B-077 tidak ada", status_code=422)

    def test_an_unknown_ticket_link_is_ignored(self) -> None:
        response = self.client.get(NEW, {"tiket": "tidak-ada"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Laporan ini terhubung dengan tiket")

    def test_the_honeypot_pretends_success_and_stores_nothing(self) -> None:
        response = self.submit(hp_fax="http://spam.example")
        self.assertEqual(response.status_code, 302)  # the same answer as a real submission …
        self.assertTrue(response["Location"].startswith("/pengaduan/terkirim/ADU-"))
        response = self.client.get(response["Location"])  # … and the same success page
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Laporan Anda terkirim")
        self.assertContains(response, "ADU-")
        self.assertEqual(Complaint.objects.count(), 0)
        self.assertEqual(len(mail.outbox), 0)
        self.assertNotContains(response, "Tautan pribadi Anda")

    def test_it_limits_submissions_per_client(self) -> None:
        policy = ComplaintPolicy.current()
        policy.submissions_per_client_per_hour = 2
        policy.save()
        for n in range(2):
            self.assertEqual(self.submit(email=f"warga{n}@example.org").status_code, 302)
        response = self.submit(email="warga9@example.org")
        self.assertContains(response, "Terlalu banyak laporan dari perangkat ini", status_code=429)
        self.assertEqual(Complaint.objects.count(), 2)
        # another device is not affected
        self.assertEqual(self.submit(client="10.0.0.2", email="warga8@example.org").status_code, 302)

    def test_it_limits_submissions_per_contact(self) -> None:
        policy = ComplaintPolicy.current()
        policy.submissions_per_contact_per_day = 1
        policy.save()
        self.assertEqual(self.submit(client="10.0.0.1", email="Sama@Example.org").status_code, 302)
        response = self.submit(client="10.0.0.2", email="sama@example.org")
        self.assertContains(response, "batas harian", status_code=429)
        self.assertEqual(Complaint.objects.count(), 1)

    def test_it_passes_the_client_address(self) -> None:
        from mumpuni.complaints.models import SubmissionAttempt
        from mumpuni.complaints.services.intake import _hash

        self.submit(client="192.0.2.7")
        attempt = SubmissionAttempt.objects.get()
        self.assertEqual((attempt.client_hash, attempt.accepted), (_hash("ip:192.0.2.7"), True))


class ConfirmationTests(PublicComplaintCase):
    def test_it_shows_the_code_and_the_personal_link_once_submitted(self) -> None:
        response = self.submit()
        complaint = Complaint.objects.get()
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, complaint.tracking_code)
        personal = reverse(
            "complaints_public:complainant", args=[complaint.tracking_code, complaint.complainant_secret]
        )
        self.assertContains(page, personal)
        self.assertEqual(page["Referrer-Policy"], "same-origin")
        # shown once: taken out of the session (a shared device's next user finds only the public page)
        self.assertEqual(self.client.session[SESSION_KEY], {})
        again = self.client.get(response["Location"])
        self.assertRedirects(again, reverse("complaints_public:track", args=[complaint.tracking_code]))

    def test_it_mails_the_code_and_the_personal_link(self) -> None:
        self.submit()
        complaint = Complaint.objects.get()
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["budi@example.org"])
        self.assertIn(complaint.tracking_code, message.subject)
        self.assertIn(complaint.complainant_secret, message.body)
        self.assertIn("/pengaduan/lacak/", message.body)

    def test_no_mail_without_an_email(self) -> None:
        self.submit(email="", phone="081234567890")
        self.assertEqual(len(mail.outbox), 0)

    def test_another_browser_sees_only_the_tracking_page(self) -> None:
        self.submit()
        complaint = Complaint.objects.get()
        self.client.logout()
        self.client.cookies.clear()
        response = self.client.get(reverse("complaints_public:sent", args=[complaint.tracking_code]))
        self.assertRedirects(response, reverse("complaints_public:track", args=[complaint.tracking_code]))
