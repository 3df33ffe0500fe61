"""The security and privacy review of the complaints feature (2026-11-28): one test class per finding, each
test failing on the code the review read. Numbers are the review's."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import smtplib
from decimal import Decimal
from typing import Any
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image
from pypdf import PdfReader

from mumpuni.common.middleware import TrustedProxyMiddleware
from mumpuni.complaints.models import (
    Complaint,
    ComplaintPolicy,
    Open311Submission,
    SubmissionAttempt,
    secret_digest,
)
from mumpuni.complaints.services import attachments
from mumpuni.complaints.services.intake import ComplaintInput, register_attempt, submit_complaint, validate
from mumpuni.complaints.tests.test_intake import NEW, PublicComplaintCase, form_data, served_ticket
from mumpuni.complaints.views.public import SESSION_KEY
from mumpuni.people.services import api_key_create

# --------------------------------------------------------------------------- file builders


def jpeg_with_exif(size: tuple[int, int] = (64, 64)) -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KAMERA-RAHASIA"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (7.0, 3.0, 17.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 = catalogue), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def stream(header: bytes, data: bytes) -> bytes:
    return b"<< " + header + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


PROGRAM = b"MZ\x90\x00PROGRAM-TERSELIP"
EMPTY_PAGE = stream(b"", b"")


def pdf_with_script_and_attached_program() -> bytes:
    return assemble_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 8 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R 5 0 R] /Contents 7 0 R"
            b" /AA << /O 8 0 R >> >>",
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 200 200] /A 8 0 R >>",
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10]"
            b" /FS << /Type /Filespec /F (foto.exe) /EF << /F 6 0 R >> >> >>",
            stream(b"/Type /EmbeddedFile", PROGRAM),
            EMPTY_PAGE,
            b"<< /S /JavaScript /JS (app.alert\\('SKRIP-JAHAT'\\)) >>",
        ]
    )


def pdf_with_scanned_photo(jpeg: bytes) -> bytes:
    """What phone "scan to PDF" apps make: the camera's JPEG, EXIF and all, as the page image."""
    return assemble_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 64 64]"
            b" /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
            stream(
                b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceRGB"
                b" /BitsPerComponent 8 /Filter /DCTDecode",
                jpeg,
            ),
            stream(b"", b"q 64 0 0 64 0 0 cm /Im0 Do Q"),
        ]
    )


def pdf_with_program_in_resources() -> bytes:
    """An attached program hidden where page resources are kept (not an annotation): cleaning keeps it,
    the check of the written file must refuse it."""
    return assemble_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]"
            b" /Resources << /XObject << /F1 4 0 R >> >> /Contents 6 0 R >>",
            b"<< /Type /Filespec /F (foto.exe) /EF << /F 5 0 R >> >>",
            stream(b"/Type /EmbeddedFile", PROGRAM),
            EMPTY_PAGE,
        ]
    )


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def png_of_nothing(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


ANONYMOUS = {"identity": "anonymous", "name": "", "email": "", "phone": ""}


# --------------------------------------------------------------------------- 1


class TrustedProxyTests(PublicComplaintCase):
    """1. Behind nginx every citizen was 127.0.0.1: one rate-limit bucket for the whole city."""

    def post_via_nginx(self, forwarded: str, **overrides: Any) -> Any:
        return self.client.post(
            NEW, form_data(**overrides), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        )

    def test_citizens_behind_the_proxy_are_counted_apart(self) -> None:
        policy = ComplaintPolicy.current()
        policy.submissions_per_client_per_hour = 2
        policy.save()
        for n in range(2):
            self.assertEqual(self.post_via_nginx("1.2.3.4", email=f"a{n}@example.org").status_code, 302)
        refused = self.post_via_nginx("1.2.3.4", email="a9@example.org")
        self.assertContains(refused, "Terlalu banyak laporan dari perangkat ini", status_code=429)
        # another citizen behind the same nginx is not refused
        self.assertEqual(self.post_via_nginx("9.9.9.9", email="b@example.org").status_code, 302)

    def test_hops_written_by_the_client_are_ignored(self) -> None:
        middleware = TrustedProxyMiddleware(lambda request: HttpResponse())
        self.assertEqual(middleware.client_address("127.0.0.1", "6.6.6.6, 1.2.3.4"), "1.2.3.4")
        self.assertEqual(middleware.client_address("::1", "2001:db8::7"), "2001:db8::7")
        self.assertEqual(middleware.client_address("127.0.0.1", "bukan-alamat"), "127.0.0.1")
        # not from our proxy: the header is the client's own invention
        self.assertEqual(middleware.client_address("203.0.113.5", "1.2.3.4"), "203.0.113.5")

    @override_settings(MUMPUNI_TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_the_proxies_are_a_setting_and_nested_proxies_are_skipped(self) -> None:
        middleware = TrustedProxyMiddleware(lambda request: HttpResponse())
        self.assertEqual(middleware.client_address("10.1.1.1", "5.5.5.5, 10.2.2.2"), "5.5.5.5")
        self.assertEqual(middleware.client_address("127.0.0.1", "5.5.5.5"), "127.0.0.1")

    def test_it_serves_the_whole_site_first(self) -> None:
        self.assertEqual(settings.MIDDLEWARE[0], "mumpuni.common.middleware.TrustedProxyMiddleware")
        seen: dict[str, str] = {}

        def view(request: Any) -> HttpResponse:
            seen["addr"] = request.META["REMOTE_ADDR"]
            return HttpResponse()

        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="8.8.4.4")
        TrustedProxyMiddleware(view)(request)
        self.assertEqual(seen["addr"], "8.8.4.4")

    @override_settings(MUMPUNI_TRUSTED_PROXIES=["nginx"])
    def test_a_bad_setting_stops_start_up(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "MUMPUNI_TRUSTED_PROXIES"):
            TrustedProxyMiddleware(lambda request: HttpResponse())


# --------------------------------------------------------------------------- 2


class DecodingCostTests(PublicComplaintCase):
    """2. Crafted images: decoded even for refused submissions, at any pixel count, with attempts free."""

    def photos(self) -> list[SimpleUploadedFile]:
        return [upload(f"{n}.jpg", jpeg_with_exif(), "image/jpeg") for n in range(3)]

    def test_a_refused_submission_decodes_nothing(self) -> None:
        with mock.patch.object(attachments, "_open_image", wraps=attachments._open_image) as opened:
            response = self.submit(files=self.photos(), description="pendek")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(opened.call_count, 0)
        with mock.patch.object(attachments, "_open_image", wraps=attachments._open_image) as opened:
            self.assertEqual(self.submit(files=self.photos()).status_code, 302)
        self.assertEqual(opened.call_count, 3)  # once per file: not once to check and again to clean

    def test_refused_attempts_count_towards_the_limit(self) -> None:
        policy = ComplaintPolicy.current()
        policy.submissions_per_client_per_hour = 1  # 4 attempts an hour
        policy.save()
        for _ in range(4):
            self.assertEqual(self.submit(description="pendek").status_code, 422)
        with mock.patch.object(attachments, "_open_image") as opened:
            response = self.submit(files=self.photos())
        self.assertContains(response, "Terlalu banyak laporan dari perangkat ini", status_code=429)
        opened.assert_not_called()
        self.assertEqual(Complaint.objects.count(), 0)
        self.assertEqual(self.submit(client="10.0.0.99").status_code, 302)  # another device

    def test_attempts_live_in_the_database_and_only_for_the_window(self) -> None:
        policy = ComplaintPolicy.current()
        now = timezone.now()
        register_attempt(policy, "a" * 64, now - dt.timedelta(hours=2))
        register_attempt(policy, "b" * 64, now)
        # any process sees the same rows; the old one went when the new one came
        self.assertEqual(list(SubmissionAttempt.objects.values_list("client_hash", flat=True)), ["b" * 64])

    def test_a_lossless_bomb_is_refused_from_its_header(self) -> None:
        bomb = png_of_nothing(4200, 4200)  # 17.6 MP of zeros in a few kilobytes
        self.assertLess(len(bomb), 100_000)
        with mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")):
            messages = attachments.check_attachments([upload("layar.png", bomb, "image/png")], 5)
        self.assertEqual(messages, ["Gambar “layar.png” terlalu besar (resolusinya berlebihan)."])

    def test_a_large_jpeg_is_decoded_at_a_reduced_scale(self) -> None:
        out = io.BytesIO()
        Image.new("RGB", (6400, 4800), "red").save(out, format="JPEG")
        image = attachments._open_image(out.getvalue(), attachments.JPEG)
        self.assertEqual(image.size, (3200, 2400))  # a quarter of the pixels, still above MAX_SIDE


# --------------------------------------------------------------------------- 3


class PdfCleaningTests(PublicComplaintCase):
    """3. PDFs kept JavaScript, attached programs and the scanning phone's EXIF/GPS."""

    def stored(self, data: bytes) -> bytes:
        response = self.submit(files=[upload("surat.pdf", data, "application/pdf")])
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        with Complaint.objects.get().attachments.get().file.open("rb") as handle:
            return handle.read()

    def test_scripts_links_and_attached_files_are_removed(self) -> None:
        original = pdf_with_script_and_attached_program()
        self.assertIn(b"PROGRAM-TERSELIP", original)
        data = self.stored(original)
        for needle in (
            b"SKRIP-JAHAT",
            b"PROGRAM-TERSELIP",
            b"/JavaScript",
            b"/Annots",
            b"/OpenAction",
            b"/AA",
        ):
            self.assertNotIn(needle, data)
        self.assertEqual(len(PdfReader(io.BytesIO(data)).pages), 1)

    def test_images_inside_are_re_encoded_without_exif(self) -> None:
        photo = jpeg_with_exif()
        self.assertIn(b"KAMERA-RAHASIA", photo)
        data = self.stored(pdf_with_scanned_photo(photo))
        self.assertNotIn(b"KAMERA-RAHASIA", data)
        (image,) = PdfReader(io.BytesIO(data)).pages[0].images
        self.assertEqual(image.image.size, (64, 64))
        self.assertEqual(dict(image.image.getexif()), {})

    def test_active_content_that_cleaning_cannot_reach_refuses_the_file(self) -> None:
        response = self.submit(
            files=[upload("surat.pdf", pdf_with_program_in_resources(), "application/pdf")]
        )
        self.assertContains(response, "berisi skrip, formulir, tautan atau berkas sisipan", status_code=422)
        self.assertEqual(Complaint.objects.count(), 0)


# --------------------------------------------------------------------------- 4 and 15


class AnonymityTests(PublicComplaintCase):
    """4. Anonymous complaints could be tied to their author: device hash, ticket → booking, file names, GPS."""

    def test_no_device_hash_links_an_anonymous_complaint_to_a_named_one(self) -> None:
        self.assertEqual(self.submit(client="10.9.9.9").status_code, 302)
        self.assertEqual(self.submit(client="10.9.9.9", **ANONYMOUS).status_code, 302)
        named, anonymous = Complaint.objects.order_by("id")
        self.assertEqual((named.client_hash, anonymous.client_hash), ("", ""))

    def test_the_ticket_is_dropped_but_the_place_and_the_counter_kept(self) -> None:
        ticket = served_ticket(self)
        response = self.submit(ticket_token=ticket.public_token, ticket_number=ticket.number, **ANONYMOUS)
        self.assertEqual(response.status_code, 302)
        complaint = Complaint.objects.get()
        self.assertIsNone(complaint.ticket)  # the ticket leads to its booking: name, phone, NIK
        self.assertEqual((complaint.point, complaint.service), (self.point, self.ktp))
        self.assertEqual((complaint.counter, complaint.officer), (self.counter1, self.officer_employee))

    def test_file_names_and_exact_position_are_not_kept(self) -> None:
        photo = upload("KTP_Budi_Santoso_3374101234567890.jpg", jpeg_with_exif(), "image/jpeg")
        response = self.submit(files=[photo], latitude="-7.054321", longitude="110.438765", **ANONYMOUS)
        self.assertEqual(response.status_code, 302)
        complaint = Complaint.objects.get()
        self.assertEqual(complaint.attachments.get().original_name, "lampiran-1.jpg")
        self.assertEqual((complaint.latitude, complaint.longitude), (Decimal("-7.054"), Decimal("110.439")))

    def test_named_complaints_keep_their_file_names_and_position(self) -> None:
        photo = upload("kwitansi.jpg", jpeg_with_exif(), "image/jpeg")
        self.assertEqual(self.submit(files=[photo]).status_code, 302)
        complaint = Complaint.objects.get()
        self.assertEqual(complaint.attachments.get().original_name, "kwitansi.jpg")
        self.assertEqual(complaint.latitude, Decimal("-7.054321"))

    def test_the_database_refuses_an_anonymous_complaint_with_a_ticket(self) -> None:
        ticket = served_ticket(self)
        now = timezone.now()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Complaint.objects.create(
                category="lainnya",
                title="Uji",
                description="Uji batasan basis data.",
                identity="anonymous",
                ticket=ticket,
                received_at=now,
                verify_due=now.date(),
                answer_due=now.date(),
            )


class TicketNumberTests(PublicComplaintCase):
    """15. A guessed ticket number + date tied a complaint to an officer."""

    def test_a_typed_number_does_not_name_the_officer(self) -> None:
        ticket = served_ticket(self)
        response = self.submit(ticket_number=ticket.number, visit_date=ticket.service_date.isoformat())
        self.assertEqual(response.status_code, 302)
        complaint = Complaint.objects.get()
        self.assertEqual(complaint.ticket, ticket)  # the desk can still look at it
        self.assertEqual((complaint.officer, complaint.counter), (None, None))

    def test_the_ticket_pages_link_does(self) -> None:
        ticket = served_ticket(self)
        self.submit(ticket_token=ticket.public_token, ticket_number=ticket.number)
        self.assertEqual(Complaint.objects.get().officer, self.officer_employee)


# --------------------------------------------------------------------------- 6, 7, 8, 16


class Open311Tests(PublicComplaintCase):
    def post(self, key: str, query: str = "", **extra: str) -> Any:
        data = {
            "api_key": key,
            "service_code": "waktu_tunggu",
            "attribute[kind]": "pengaduan",
            "attribute[point]": "33.74.10",
            "lat": "-7.05",
            "long": "110.44",
            "description": "Antrean perekaman KTP sangat lama, sudah menunggu tiga jam.",
            **extra,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/open311/v2/requests.json{query}", data)

    def partner(self, name: str = "mitra") -> str:
        return api_key_create(actor=None, name=name, role="partner", unit=self.tembalang)[1]

    def test_6_the_public_feed_shows_no_citizens_title_and_no_unverified_or_rejected(self) -> None:
        self.submit(title="Petugas Slamet Riyadi loket 2 minta uang")
        complaint = Complaint.objects.get()
        listed = self.client.get("/open311/v2/requests.json").content.decode()
        self.assertNotIn(complaint.tracking_code, listed)  # not verified yet
        Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.VERIFIED)
        (row,) = self.client.get("/open311/v2/requests.json").json()
        self.assertEqual(row["description"], "Waktu tunggu — Kantor Kecamatan Tembalang")
        self.assertNotIn("Slamet", str(row))
        Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.REJECTED)
        self.assertEqual(self.client.get("/open311/v2/requests.json").json(), [])
        # …but a client looking up the id it was given finds it, whatever its status
        by_id = self.client.get("/open311/v2/requests.json", {"service_request_id": complaint.tracking_code})
        self.assertEqual([r["service_request_id"] for r in by_id.json()], [complaint.tracking_code])
        one = self.client.get(f"/open311/v2/requests/{complaint.tracking_code}.json")
        self.assertEqual(one.status_code, 200)
        self.assertNotIn("Slamet", one.content.decode())

    def test_6_the_tracking_page_shows_the_derived_title(self) -> None:
        self.submit(title="Petugas Slamet Riyadi loket 2 minta uang")
        complaint = Complaint.objects.get()
        page = self.client.get(reverse("complaints_public:track", args=[complaint.tracking_code]))
        self.assertContains(page, "Waktu tunggu — Kantor Kecamatan Tembalang")
        self.assertNotContains(page, "Slamet")

    def test_7_only_partner_keys_file_complaints(self) -> None:
        kiosk = api_key_create(actor=None, name="kios-1", role="kiosk", unit=self.tembalang)[1]
        response = self.post(kiosk)
        self.assertEqual(response.status_code, 403)
        self.assertIn("mitra", response.json()[0]["description"])
        self.assertFalse(Complaint.objects.exists())
        self.assertEqual(self.post(self.partner()).status_code, 200)

    def test_8_a_key_has_an_hourly_limit(self) -> None:
        policy = ComplaintPolicy.current()
        policy.open311_submissions_per_key_per_hour = 2
        policy.save()
        key = self.partner()
        for _ in range(2):
            self.assertEqual(self.post(key).status_code, 200)
        response = self.post(key)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()[0]["code"], 429)
        self.assertEqual(Open311Submission.objects.count(), 2)
        self.assertEqual(self.post(self.partner("mitra-2")).status_code, 200)  # another partner

    def test_16_the_key_is_not_taken_from_the_query_string(self) -> None:
        key = self.partner()
        response = self.post("", query=f"?api_key={key}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("api_key", response.json()[0]["description"])
        self.assertFalse(Open311Submission.objects.exists())


# --------------------------------------------------------------------------- 11, 12, 14


class ComplainantSecretTests(PublicComplaintCase):
    """11. The secret sat in every request path (logged on 4xx) and in the database in plain text."""

    def test_only_its_digest_is_needed_to_check_it(self) -> None:
        self.submit()
        complaint = Complaint.objects.get()
        secret = complaint.complainant_secret
        self.assertEqual(complaint.complainant_secret_hash, hashlib.sha256(secret.encode()).hexdigest())
        self.assertEqual(secret_digest(secret), complaint.complainant_secret_hash)
        complaint.complainant_secret = ""  # once the plain column is gone
        self.assertTrue(complaint.secret_matches(secret))
        self.assertFalse(complaint.secret_matches(secret + "x"))
        self.assertFalse(complaint.secret_matches(""))

    def test_the_link_moves_the_secret_into_the_session(self) -> None:
        self.submit()
        complaint = Complaint.objects.get()
        secret = complaint.complainant_secret
        link = reverse("complaints_public:complainant", args=[complaint.tracking_code, secret])
        mine = reverse("complaints_public:mine", args=[complaint.tracking_code])
        self.assertRedirects(self.client.get(link), mine, fetch_redirect_response=False)
        self.assertNotIn(secret, mine)
        with self.assertLogs("django.request", level="WARNING") as logs:
            response = self.client.post(mine, {"action": "rate", "rating": "9"})
        self.assertIn(response.status_code, (409, 422))
        self.assertNotIn(secret, "\n".join(logs.output))
        self.assertNotIn(secret, response.content.decode())

    def test_the_page_without_the_link_opened_here_is_the_public_one(self) -> None:
        self.submit()
        complaint = Complaint.objects.get()
        self.client.cookies.clear()
        mine = reverse("complaints_public:mine", args=[complaint.tracking_code])
        self.assertRedirects(
            self.client.get(mine),
            reverse("complaints_public:track", args=[complaint.tracking_code]),
            fetch_redirect_response=False,
        )
        response = self.client.post(mine, {"action": "rate", "rating": "5"})
        self.assertEqual(response.status_code, 302)
        complaint.refresh_from_db()
        self.assertIsNone(complaint.rating)

    def test_the_session_grant_expires(self) -> None:
        self.submit()
        complaint = Complaint.objects.get()
        secret = complaint.complainant_secret
        self.client.get(reverse("complaints_public:complainant", args=[complaint.tracking_code, secret]))
        mine = reverse("complaints_public:mine", args=[complaint.tracking_code])
        self.assertEqual(self.client.get(mine).status_code, 200)
        with mock.patch("mumpuni.complaints.views.public.time.time", return_value=4e9):
            self.assertEqual(self.client.get(mine).status_code, 302)


class ConfirmationPrivacyTests(PublicComplaintCase):
    def test_12_a_failed_mail_logs_no_address(self) -> None:
        error = smtplib.SMTPRecipientsRefused({"budi@example.org": (550, b"no such user")})
        with (
            mock.patch("mumpuni.complaints.views.public.send_mail", side_effect=error),
            self.assertLogs("mumpuni.complaints.views.public", level="ERROR") as logs,
        ):
            self.assertEqual(self.submit().status_code, 302)
        output = "\n".join(logs.output)
        self.assertIn(Complaint.objects.get().tracking_code, output)
        self.assertIn("SMTPRecipientsRefused", output)
        self.assertNotIn("budi@example.org", output)

    def test_14_the_personal_link_is_shown_once(self) -> None:
        response = self.submit()
        complaint = Complaint.objects.get()
        self.assertContains(self.client.get(response["Location"]), complaint.complainant_secret)
        again = self.client.get(response["Location"])  # the next person at a shared device
        self.assertEqual(again.status_code, 302)
        self.assertNotIn(complaint.complainant_secret, again.content.decode())
        self.assertEqual(self.client.session[SESSION_KEY], {})

    def test_the_mail_carries_the_link_but_not_the_title(self) -> None:
        self.submit(title="Petugas Slamet Riyadi minta uang")
        complaint = Complaint.objects.get()
        (message,) = mail.outbox
        self.assertIn(complaint.complainant_secret, message.body)
        self.assertNotIn("Slamet", message.body)


# --------------------------------------------------------------------------- smaller notes


class SmallerNotesTests(PublicComplaintCase):
    def test_the_honeypot_answers_like_a_real_submission(self) -> None:
        real = self.submit()
        bot = self.submit(hp_fax="+62 24 1234", email="bot@example.org")
        self.assertEqual((bot.status_code, real.status_code), (302, 302))
        self.assertEqual(self.client.get(bot["Location"]).status_code, 200)
        self.assertEqual(Complaint.objects.count(), 1)

    def test_the_honeypot_is_not_a_field_browsers_autofill(self) -> None:
        self.submit(website="https://warga.example.org")  # autofilled by a browser: a person, not a bot
        self.assertEqual(Complaint.objects.count(), 1)

    def test_the_service_checks_the_email_format(self) -> None:
        data = ComplaintInput(
            category="lainnya",
            title="Judul laporan",
            description="Uraian yang cukup panjang untuk diterima.",
            name="Budi",
            email="budi@",
        )
        self.assertEqual(validate(data)["email"], ["Alamat email tidak valid."])
        data.email = "budi@example.org"
        self.assertNotIn("email", validate(data))

    def test_open311_refuses_a_bad_email(self) -> None:
        key = api_key_create(actor=None, name="mitra", role="partner", unit=self.tembalang)[1]
        response = self.client.post(
            "/open311/v2/requests.json",
            {
                "api_key": key,
                "service_code": "lainnya",
                "address_id": "33.74.10.1004",
                "description": "Antrean perekaman KTP sangat lama, sudah menunggu tiga jam.",
                "first_name": "Budi",
                "email": "budi@@example",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("email", response.json()[0]["description"])

    def test_submit_complaint_for_the_desk_still_works_without_a_client(self) -> None:
        complaint = submit_complaint(
            ComplaintInput(
                category="lainnya",
                title="Dicatat di meja",
                description="Warga datang langsung ke meja pengaduan.",
                **ANONYMOUS,
            )
        )
        self.assertEqual(complaint.client_hash, "")
        self.assertFalse(SubmissionAttempt.objects.exists())
