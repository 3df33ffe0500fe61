"""Public pages: landing, tracking (never personal data), the complainant's page (rate, dispute, wrong secret),
lookups and their light rate limit, and the "Adukan layanan ini" link on the queue ticket page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mumpuni.complaints.models import Complaint, ComplaintEvent
from mumpuni.complaints.services import workflow
from mumpuni.complaints.services.intake import ComplaintInput, submit_complaint
from mumpuni.complaints.tests.test_intake import PublicComplaintCase, served_ticket
from mumpuni.complaints.views.public import LOOKUP_LIMIT
from mumpuni.queueing.services.tickets import ticket_issue

NIK = "3374105001900001"
NAME = "Wulandari Kusumaningrum"
EMAIL = "wulan.rahasia@example.org"
PHONE = "081299887766"
NOTE = "Catatan internal: petugas sudah ditegur lisan"
ANSWER = "Mohon maaf atas ketidaknyamanan. Petugas loket sudah kami beri pembinaan dan antrean dipantau."


class TrackingCase(PublicComplaintCase):
    def make(self, **extra: object) -> Complaint:
        ticket = served_ticket(self)
        data = ComplaintInput(
            category="perilaku",
            title="Petugas loket tidak ramah",
            description=f"Saya {NAME}, NIK {NIK}, dibentak petugas di loket 1 saat menanyakan berkas.",
            point_code="33.74.10",
            service_code="KTP-REKAM",
            ticket_token=ticket.public_token,
            identity="confidential",
            name=NAME,
            email=EMAIL,
            phone=PHONE,
            address_string="Jl. Mawar Rahasia No. 9",
            **extra,  # type: ignore[arg-type]
        )
        return submit_complaint(data, client_address="10.1.1.1")

    def answered(self) -> Complaint:
        c = self.make()
        workflow.forward(c, self.admin, unit=self.tembalang, message="Diteruskan ke Kecamatan Tembalang.")
        workflow.add_note(c, self.admin, text=NOTE)
        workflow.start_progress(c, self.camat)
        workflow.answer(c, self.camat, text=ANSWER)
        c.refresh_from_db()
        return c

    def track_url(self, c: Complaint) -> str:
        return reverse("complaints_public:track", args=[c.tracking_code])

    def secret_url(self, c: Complaint, secret: str | None = None) -> str:
        return reverse(
            "complaints_public:complainant", args=[c.tracking_code, secret or c.complainant_secret]
        )

    def mine_url(self, c: Complaint) -> str:
        return reverse("complaints_public:mine", args=[c.tracking_code])

    def open_link(self, c: Complaint) -> str:
        """Open the personal link as the citizen does; the page itself is at a URL without the secret."""
        response = self.client.get(self.secret_url(c))
        self.assertRedirects(response, self.mine_url(c), fetch_redirect_response=False)
        return self.mine_url(c)


class LandingTests(TrackingCase):
    def test_it_explains_the_three_kinds_and_offers_tracking(self) -> None:
        response = self.client.get(reverse("complaints_public:landing"))
        self.assertEqual(response.status_code, 200)
        for text in ("Pengaduan", "Aspirasi", "Permintaan informasi", "Lacak laporan", "Buat laporan"):
            self.assertContains(response, text)
        self.assertContains(response, reverse("complaints_public:new"))
        self.assertContains(response, 'name="kode"')


class TrackingPageTests(TrackingCase):
    def test_it_shows_status_dates_events_and_the_answer(self) -> None:
        c = self.answered()
        response = self.client.get(self.track_url(c))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, c.tracking_code)
        # the title anyone sees is category and place; the citizen's own words stay on their page
        self.assertContains(response, "Perilaku petugas — Kantor Kecamatan Tembalang")
        self.assertNotContains(response, "Petugas loket tidak ramah")
        self.assertContains(response, "Kantor Kecamatan Tembalang")
        self.assertContains(response, "Perekaman KTP-el")
        self.assertContains(response, "Dijawab")
        self.assertContains(response, ANSWER)
        self.assertContains(response, "Diteruskan ke Kecamatan Tembalang.")
        self.assertEqual(response["X-Robots-Tag"], "noindex")

    def test_it_never_shows_personal_or_internal_data(self) -> None:
        c = self.answered()
        c.latitude, c.longitude = "-7.054321", "110.438765"
        c.save(update_fields=["latitude", "longitude"])
        self.assertIsNotNone(c.officer)
        self.assertTrue(c.events.filter(public=False, message=NOTE).exists())  # the note really is there
        response = self.client.get(self.track_url(c))
        body = response.content.decode()
        for secret in (
            NAME,
            EMAIL,
            PHONE,
            NIK,
            NOTE,
            "dibentak",  # description
            "Jl. Mawar Rahasia",
            self.officer_employee.name,  # the officer tied through the ticket
            "Loket 1",  # the counter
            self.admin_employee.name,  # the desk officer who forwarded
            self.camat_employee.name,  # who answered
            "-7.054321",
            "110.438765",
            c.complainant_secret,
            "Rahasia (hanya petugas pengaduan)",  # the identity mode
        ):
            self.assertNotIn(secret, body, secret)

    def test_a_received_complaint_shows_the_verification_due_date_in_indonesian(self) -> None:
        c = self.make()
        c.verify_due = dt.date(2026, 12, 2)
        c.answer_due = dt.date(2026, 12, 15)
        c.save(update_fields=["verify_due", "answer_due"])
        response = self.client.get(self.track_url(c))
        self.assertContains(response, "Rabu, 2 Desember 2026")
        self.assertContains(response, "Selasa, 15 Desember 2026")
        self.assertContains(response, 'aria-current="step"')

    def test_a_rejected_complaint_shows_the_reason(self) -> None:
        c = self.make()
        workflow.reject(c, self.admin, reason="not_authority")
        response = self.client.get(self.track_url(c))
        self.assertContains(response, "Ditolak")
        self.assertContains(response, "Bukan kewenangan Pemerintah Kota")

    def test_the_dispute_reason_is_not_public(self) -> None:
        c = self.answered()
        workflow.dispute(c, secret=c.complainant_secret, reason=f"Saya {NAME} masih dibentak kemarin.")
        response = self.client.get(self.track_url(c))
        self.assertContains(response, "Disanggah pelapor")
        self.assertNotContains(response, NAME)

    def test_an_unknown_code_is_a_helpful_404(self) -> None:
        response = self.client.get(reverse("complaints_public:track", args=["ADU-AAAA-BBBB"]))
        self.assertContains(response, "Laporan tidak ditemukan", status_code=404)
        self.assertContains(response, "ADU-AAAA-BBBB", status_code=404)
        self.assertContains(response, 'name="kode"', status_code=404)

    def test_the_lookup_form_normalises_the_code(self) -> None:
        c = self.make()
        raw = c.tracking_code.lower().replace("-", " ")
        response = self.client.get(reverse("complaints_public:track_lookup"), {"kode": raw})
        self.assertRedirects(response, self.track_url(c))

    def test_the_lookup_form_without_a_code_shows_the_form(self) -> None:
        response = self.client.get(reverse("complaints_public:track_lookup"))
        self.assertContains(response, 'name="kode"')

    def test_the_lookup_form_404s_an_unknown_code(self) -> None:
        response = self.client.get(reverse("complaints_public:track_lookup"), {"kode": "ADU-ZZZZ-ZZZZ"})
        self.assertContains(response, "Tidak ada laporan dengan kode", status_code=404)

    def test_lookups_are_rate_limited_per_client(self) -> None:
        url = reverse("complaints_public:track_lookup")
        for _ in range(LOOKUP_LIMIT):
            self.client.get(url, {"kode": "ADU-ZZZZ-ZZZZ"}, REMOTE_ADDR="10.5.5.5")
        response = self.client.get(url, {"kode": "ADU-ZZZZ-ZZZZ"}, REMOTE_ADDR="10.5.5.5")
        self.assertContains(response, "Terlalu banyak pencarian kode", status_code=429)
        other = self.client.get(url, {"kode": "ADU-ZZZZ-ZZZZ"}, REMOTE_ADDR="10.5.5.6")
        self.assertEqual(other.status_code, 404)


class ComplainantPageTests(TrackingCase):
    def test_a_wrong_secret_is_a_404(self) -> None:
        c = self.answered()
        response = self.client.get(self.secret_url(c, "salah" * 6))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, c.title, status_code=404)
        self.assertContains(response, "Tautan ini tidak berlaku.", status_code=404)
        self.assertNotContains(response, "Dijawab", status_code=404)

    def test_a_wrong_secret_cannot_rate(self) -> None:
        c = self.answered()
        response = self.client.post(self.secret_url(c, "salah" * 6), {"action": "rate", "rating": "5"})
        self.assertEqual(response.status_code, 404)
        c.refresh_from_db()
        self.assertIsNone(c.rating)

    def test_the_secret_of_another_complaint_is_a_404(self) -> None:
        c = self.answered()
        other = submit_complaint(
            ComplaintInput(
                category="sarana",
                title="Toilet rusak",
                description="Toilet umum di kantor rusak lama.",
                identity="anonymous",
            )
        )
        response = self.client.get(self.secret_url(c, other.complainant_secret))
        self.assertEqual(response.status_code, 404)

    def test_before_the_answer_there_is_nothing_to_rate(self) -> None:
        c = self.make()
        response = self.client.get(self.open_link(c))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="rating"')
        self.assertNotContains(response, 'name="reason"')
        response = self.client.post(self.mine_url(c), {"action": "rate", "rating": "4"})
        self.assertEqual(response.status_code, 409)
        c.refresh_from_db()
        self.assertIsNone(c.rating)

    def test_the_complainant_rates_the_answer(self) -> None:
        c = self.answered()
        page = self.client.get(self.open_link(c))
        self.assertContains(page, 'name="rating"')
        self.assertContains(page, 'name="reason"')
        self.assertEqual(page["Referrer-Policy"], "same-origin")
        self.assertContains(page, "Petugas loket tidak ramah")  # their own title, on their own page
        response = self.client.post(
            self.mine_url(c), {"action": "rate", "rating": "4", "comment": "Cepat ditangani."}
        )
        self.assertRedirects(response, self.mine_url(c), fetch_redirect_response=False)
        c.refresh_from_db()
        self.assertEqual((c.rating, c.rating_comment), (4, "Cepat ditangani."))
        self.assertTrue(c.events.filter(action=ComplaintEvent.Action.RATED).exists())
        page = self.client.get(self.mine_url(c))
        self.assertContains(page, "Anda memberi nilai 4 dari 5.")
        self.assertContains(page, "Terima kasih, penilaian Anda tersimpan.")

    def test_a_rating_outside_1_to_5_is_a_field_error(self) -> None:
        c = self.answered()
        response = self.client.post(self.open_link(c), {"action": "rate", "rating": "9"})
        self.assertContains(response, "Pilih nilai 1 sampai 5.", status_code=422)
        c.refresh_from_db()
        self.assertIsNone(c.rating)

    def test_the_complainant_disputes_within_the_window(self) -> None:
        c = self.answered()
        response = self.client.post(
            self.open_link(c), {"action": "dispute", "reason": "Petugas yang sama masih bersikap kasar."}
        )
        self.assertRedirects(response, self.mine_url(c), fetch_redirect_response=False)
        c.refresh_from_db()
        self.assertEqual(c.status, "reopened")
        page = self.client.get(self.mine_url(c))
        self.assertContains(page, "Sanggahan Anda diterima")
        self.assertContains(page, "Petugas yang sama masih bersikap kasar.")  # their own words, on their page

    def test_a_short_dispute_reason_is_a_field_error(self) -> None:
        c = self.answered()
        response = self.client.post(self.open_link(c), {"action": "dispute", "reason": "kurang"})
        self.assertContains(response, "Tulis alasan minimal 10 karakter.", status_code=422)
        c.refresh_from_db()
        self.assertEqual(c.status, "answered")

    def test_no_dispute_after_the_window(self) -> None:
        c = self.answered()
        Complaint.objects.filter(pk=c.pk).update(answered_at=timezone.now() - dt.timedelta(days=8))
        page = self.client.get(self.open_link(c))
        self.assertNotContains(page, 'name="reason"')
        self.assertContains(page, "Masa sanggah untuk jawaban ini sudah lewat.")
        self.assertContains(page, 'name="rating"')  # rating still possible
        response = self.client.post(
            self.mine_url(c), {"action": "dispute", "reason": "Masih belum puas sama sekali."}
        )
        self.assertContains(response, "Masa sanggah sudah lewat.", status_code=409)
        c.refresh_from_db()
        self.assertEqual(c.status, "answered")

    def test_the_complainant_page_shows_no_personal_data_either(self) -> None:
        # The secret link can leak (shared phone, forwarded mail): it shows no more identity than tracking.
        c = self.answered()
        body = self.client.get(self.open_link(c)).content.decode()
        for secret in (NAME, EMAIL, PHONE, NIK, NOTE, self.officer_employee.name):
            self.assertNotIn(secret, body)


class QueueTicketLinkTests(TrackingCase):
    def test_a_finished_ticket_offers_the_complaint_link(self) -> None:
        ticket = served_ticket(self)
        response = self.client.get(reverse("queue_public:ticket", args=[ticket.public_token]))
        self.assertContains(response, "Adukan layanan ini")
        self.assertContains(response, f"/pengaduan/baru/?tiket={ticket.public_token}")

    def test_a_waiting_ticket_does_not(self) -> None:
        ticket = ticket_issue(point=self.point, service=self.ktp)
        response = self.client.get(reverse("queue_public:ticket", args=[ticket.public_token]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Adukan layanan ini")
