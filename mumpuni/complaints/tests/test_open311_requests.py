"""Open311 GeoReport v2 requests: POST with deferred creation (tokens), GET requests with its filters, window
and cap, GET requests/{id}, GET tokens/{token} — JSON and XML, errors 400/403/404/429, and no personal data
in any public response."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from typing import Any
from unittest import mock

from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from mumpuni.complaints.models import Complaint, ComplaintEvent, ComplaintPolicy, Open311Submission
from mumpuni.complaints.open311 import services, tasks
from mumpuni.complaints.services import intake, workflow
from mumpuni.complaints.tests.test_open311_services import assert_error, xml
from mumpuni.people.services import api_key_create, api_key_revoke
from mumpuni.queueing.models import Ticket
from mumpuni.queueing.tests.points_fixtures import setup_points
from mumpuni.testing import BaseTestCase, Cast, create_cast

# Personal data that must never appear in a public response.
NAME, EMAIL, PHONE = "Sulastri Wibowo", "sulastri.w@example.com", "081234567890"
SECRET_WORDS = "URAIAN-PRIBADI-PELAPOR"
A = ComplaintEvent.Action
DESCRIPTION = "Antrean perekaman KTP sangat lama, sudah menunggu tiga jam tanpa kepastian. "


def make_key(name: str = "mitra-lapor", unit: Any = None) -> tuple[Any, str]:
    return api_key_create(actor=None, name=name, role="partner", unit=unit)


def post_data(key: str, **overrides: str) -> dict[str, str]:
    data = {
        "api_key": key,
        "service_code": "waktu_tunggu",
        "attribute[kind]": "pengaduan",
        "attribute[point]": "33.74.10",
        "lat": "-7.0512345",
        "long": "110.4412345",
        "description": DESCRIPTION,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def complaint_at(when: dt.datetime, **fields: Any) -> Complaint:
    """A verified complaint received at `when` (the ORM directly: windows and caps need many, at set times)."""
    values: dict[str, Any] = {
        "status": Complaint.Status.VERIFIED,
        "category": "waktu_tunggu",
        "title": "Antrean lama di Tembalang",
        "description": f"{SECRET_WORDS} {DESCRIPTION}",
        "received_at": when,
        "verify_due": when.date() + dt.timedelta(days=3),
        "answer_due": when.date() + dt.timedelta(days=20),
    }
    values.update(fields)
    return Complaint.objects.create(**values)


def step(
    complaint: Complaint,
    status: str,
    action: str,
    at: dt.datetime,
    message: str = "",
    unit: Any = None,
) -> None:
    """Move a complaint as the workflow does (status, assigned unit, one event; notes are not public)."""
    fields: dict[str, Any] = {"status": status}
    if unit is not None:
        fields["assigned_unit"] = unit
    Complaint.objects.filter(pk=complaint.pk).update(**fields)
    workflow.record(
        complaint,
        action,
        to_status=status,
        message=message,
        unit=unit,
        public=action != A.NOTE,
        at=at,
    )


def assert_no_personal_data(test: Any, response: Any) -> None:
    text = response.content.decode()
    for needle in (NAME, "Sulastri", EMAIL, PHONE, SECRET_WORDS, "Rina Kurniawati", "CATATAN-INTERNAL"):
        test.assertNotIn(needle, text)
    test.assertNotIn("Jl. Mawar", text)  # the citizen's own address text
    test.assertNotIn("ALASAN-SANGGAH", text)


class PostRequestTests(BaseTestCase):
    """TestCase: on_commit callbacks are captured, so the pending state is visible before the task runs."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        setup_points(cls)
        cls.key_record, cls.key = make_key(unit=cls.city)

    def post(self, fmt: str = "json", execute: bool = True, **overrides: str) -> Any:
        with self.captureOnCommitCallbacks(execute=execute):
            return self.client.post(f"/open311/v2/requests.{fmt}", post_data(self.key, **overrides))

    def test_it_answers_with_a_token_and_creates_the_complaint_in_the_background(self):
        response = self.post()
        self.assertEqual(response.status_code, 200)
        (item,) = response.json()
        self.assertTrue(item["token"])
        self.assertIn("hari kerja", item["service_notice"])
        submission = Open311Submission.objects.get(token=item["token"])
        self.assertEqual(submission.status, Open311Submission.Status.CREATED)
        self.assertEqual(submission.api_key, self.key_record)
        complaint = submission.complaint
        self.assertEqual(complaint.source, Complaint.Source.OPEN311)
        self.assertEqual(complaint.category, "waktu_tunggu")
        self.assertEqual(complaint.kind, "pengaduan")
        self.assertEqual(complaint.point, self.point)
        self.assertEqual(complaint.kecamatan, self.tembalang)
        self.assertEqual(complaint.description, DESCRIPTION.strip())
        self.assertEqual(complaint.title, "Waktu tunggu — Kecamatan Tembalang")
        self.assertEqual(complaint.latitude, Decimal("-7.051"))  # anonymous: rounded to ~100 m
        self.assertEqual(complaint.identity, Complaint.Identity.ANONYMOUS)
        self.assertEqual((complaint.name, complaint.email, complaint.phone), ("", "", ""))
        self.assertEqual(complaint.events.get().action, ComplaintEvent.Action.RECEIVED)
        # The token now resolves to the tracking code.
        token = self.client.get(f"/open311/v2/tokens/{item['token']}.json").json()
        self.assertEqual(token, [{"service_request_id": complaint.tracking_code, "token": item["token"]}])

    def test_a_broker_failure_keeps_the_submission_and_the_sweep_creates_it(self):
        with mock.patch.object(
            tasks.create_complaint_from_submission, "delay", side_effect=ConnectionError("broker down")
        ):
            response = self.post()
        self.assertEqual(response.status_code, 200)  # the client gets its token, not a 500
        (item,) = response.json()
        submission = Open311Submission.objects.get(token=item["token"])
        self.assertEqual(submission.status, Open311Submission.Status.PENDING)
        self.assertEqual(Complaint.objects.count(), 0)
        # Too young for the sweep: left to its own task.
        self.assertEqual(services.complete_stale_submissions(now=submission.created_at), 0)
        later = submission.created_at + services.STALE_AFTER + dt.timedelta(seconds=1)
        self.assertEqual(services.complete_stale_submissions(now=later), 1)
        submission.refresh_from_db()
        self.assertEqual(submission.status, Open311Submission.Status.CREATED)
        self.assertEqual(Complaint.objects.count(), 1)
        self.assertEqual(services.complete_stale_submissions(now=later), 0)  # done once
        self.assertEqual(tasks.complete_stale_submissions(), 0)

    def test_the_token_is_pending_until_the_task_runs(self):
        with mock.patch.object(tasks.create_complaint_from_submission, "delay") as delay:
            response = self.post("xml")
        self.assertEqual(response.status_code, 200)
        root = xml(response)
        self.assertEqual(root.tag, "service_requests")
        token = root.find("request").findtext("token")
        self.assertIsNone(root.find("request").find("service_request_id"))
        submission = Open311Submission.objects.get(token=token)
        delay.assert_called_once_with(submission.pk)
        self.assertEqual(Complaint.objects.count(), 0)

        pending = self.client.get(f"/open311/v2/tokens/{token}.json")
        self.assertEqual(pending.json(), [{"service_request_id": None, "token": token}])
        pending_xml = xml(self.client.get(f"/open311/v2/tokens/{token}.xml")).find("request")
        self.assertEqual(pending_xml.findtext("token"), token)
        self.assertEqual(pending_xml.findtext("service_request_id"), "")  # present and empty

        self.assertEqual(tasks.create_complaint_from_submission(submission.pk), "created")
        self.assertEqual(tasks.create_complaint_from_submission(submission.pk), "created")  # idempotent
        self.assertEqual(Complaint.objects.count(), 1)
        done = xml(self.client.get(f"/open311/v2/tokens/{token}.xml")).find("request")
        self.assertEqual(done.findtext("service_request_id"), Complaint.objects.get().tracking_code)

    def test_the_submission_forgets_personal_data_once_done(self):
        response = self.post(first_name="Sulastri", last_name="Wibowo", email=EMAIL, phone=PHONE)
        submission = Open311Submission.objects.get(token=response.json()[0]["token"])
        self.assertNotIn("Sulastri", json.dumps(submission.payload))
        self.assertNotIn(EMAIL, json.dumps(submission.payload))
        self.assertNotIn("description", submission.payload)
        self.assertEqual(submission.complaint.name, NAME)
        self.assertEqual(submission.complaint.email, EMAIL)
        self.assertEqual(submission.complaint.identity, Complaint.Identity.PUBLIC)

    def test_a_confidential_identity_is_an_attribute(self):
        response = self.post(first_name="Sulastri", phone=PHONE, **{"attribute[identity]": "confidential"})
        submission = Open311Submission.objects.get(token=response.json()[0]["token"])
        self.assertEqual(submission.complaint.identity, Complaint.Identity.CONFIDENTIAL)
        self.assertEqual(submission.complaint.name, "Sulastri")

    def test_without_contact_the_identity_attribute_cannot_make_it_non_anonymous(self):
        response = self.post(**{"attribute[identity]": "public"})
        submission = Open311Submission.objects.get(token=response.json()[0]["token"])
        self.assertEqual(submission.complaint.identity, Complaint.Identity.ANONYMOUS)

    def test_a_ticket_number_links_the_ticket_but_not_the_officer(self):
        # A number is guessable (A-001, A-002 …): the desk sees the ticket, the officer figures do not count it.
        now = timezone.now()
        counter = self.point.counters.get()
        ticket = Ticket.objects.create(
            point=self.point,
            service=self.ktp,
            service_date=timezone.localdate(),
            group_letter="A",
            sequence=12,
            number="A-012",
            queue_at=now,
            issued_at=now,
            counter=counter,
            officer=self.officer_employee,
        )
        named = {"first_name": NAME, "phone": PHONE}
        response = self.post(
            **{"attribute[ticket_number]": "a-012", "attribute[service]": "KTP-REKAM"}, **named
        )
        complaint = Open311Submission.objects.get(token=response.json()[0]["token"]).complaint
        self.assertEqual(complaint.ticket, ticket)
        self.assertEqual(complaint.service, self.ktp)
        self.assertIsNone(complaint.officer)
        self.assertIsNone(complaint.counter)
        self.assertEqual(counter.point, self.point)
        # Anonymous: no ticket at all (it leads to the booking's name and NIK); point and service stay.
        response = self.post(**{"attribute[ticket_number]": "a-012", "attribute[service]": "KTP-REKAM"})
        anonymous = Open311Submission.objects.get(token=response.json()[0]["token"]).complaint
        self.assertEqual((anonymous.ticket, anonymous.officer), (None, None))
        self.assertEqual((anonymous.point, anonymous.service), (self.point, self.ktp))

    def test_an_unknown_ticket_number_is_400(self):
        response = self.post(**{"attribute[ticket_number]": "Z-999"})
        assert_error(self, response, 400, "json", "attribute[ticket_number]")
        self.assertFalse(Open311Submission.objects.exists())

    def test_address_id_is_a_kelurahan_code(self):
        response = self.post(lat="", long="", address_id="33.74.10.1004", service_code="lainnya")
        complaint = Open311Submission.objects.get(token=response.json()[0]["token"]).complaint
        self.assertEqual(complaint.kelurahan_code, "33.74.10.1004")
        self.assertEqual(complaint.kecamatan, self.tembalang)
        self.assertIsNone(complaint.latitude)
        self.assertEqual(complaint.title, "Lainnya — Kelurahan Bulusan")

    def test_an_address_string_alone_is_a_location(self):
        response = self.post(lat="", long="", address_string="Jl. Mawar 5, Tembalang", service_code="sarana")
        complaint = Open311Submission.objects.get(token=response.json()[0]["token"]).complaint
        self.assertEqual(complaint.address_string, "Jl. Mawar 5, Tembalang")
        self.assertEqual(complaint.category, "sarana")

    def test_media_url_is_kept_as_text_and_never_fetched(self):
        url = "https://foto.example.org/antrean.jpg"
        with mock.patch("socket.create_connection", side_effect=AssertionError("no network")):
            response = self.post(media_url=url)
        complaint = Open311Submission.objects.get(token=response.json()[0]["token"]).complaint
        self.assertIn(url, complaint.description)
        self.assertFalse(complaint.attachments.exists())

    def test_it_refuses_outsiders_a_missing_bad_or_revoked_key_with_403(self):
        for fmt, key in (("json", ""), ("xml", "mpn_salah"), ("json", "bukan-kunci")):
            with self.subTest(key=key):
                response = self.post(fmt, api_key=key)
                assert_error(self, response, 403, fmt, "api_key")
        api_key_revoke(actor=None, key=self.key_record)
        assert_error(self, self.post("xml"), 403, "xml", "dicabut")
        self.assertFalse(Open311Submission.objects.exists())

    def test_a_key_of_a_deactivated_account_is_refused(self):
        user = self.key_record.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert_error(self, self.post(), 403, "json", "api_key")

    def test_missing_or_unknown_service_code_is_400(self):
        assert_error(self, self.post(service_code=""), 400, "json", "service_code")
        assert_error(self, self.post("xml", service_code="jalan_rusak"), 400, "xml", "service_code")

    def test_a_missing_required_attribute_is_400(self):
        data = post_data(self.key)
        del data["attribute[point]"]
        response = self.client.post("/open311/v2/requests.json", data)
        text = assert_error(self, response, 400, "json", "attribute[point]")
        self.assertIn("Wajib diisi", text)
        response = self.post("xml", **{"attribute[kind]": ""})
        assert_error(self, response, 400, "xml", "attribute[kind]")
        self.assertFalse(Open311Submission.objects.exists())

    def test_attribute_values_must_come_from_the_definition(self):
        response = self.post(**{"attribute[point]": "33.74.99"})
        assert_error(self, response, 400, "json", "attribute[point]")
        response = self.post(**{"attribute[kind]": "keluhan"})
        assert_error(self, response, 400, "json", "attribute[kind]")
        response = self.post(**{"attribute[ticket_date]": "kemarin"})
        assert_error(self, response, 400, "json", "attribute[ticket_date]")

    def test_optional_attributes_may_be_left_out_on_other_services(self):
        data = post_data(self.key, service_code="kualitas")
        del data["attribute[point]"], data["attribute[kind]"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/open311/v2/requests.json", data)
        self.assertEqual(response.status_code, 200)
        complaint = Complaint.objects.get()
        self.assertIsNone(complaint.point)
        self.assertEqual(complaint.kind, "pengaduan")

    def test_a_location_is_required(self):
        response = self.post(lat="", long="")
        text = assert_error(self, response, 400, "json", "lat")
        self.assertIn("address_string", text)
        response = self.post("xml", long="")
        assert_error(self, response, 400, "xml", "lat")
        response = self.post(lat="utara")
        assert_error(self, response, 400, "json", "lat")
        response = self.post(lat="95")
        assert_error(self, response, 400, "json", "Lintang")

    def test_field_messages_name_the_spec_parameters_in_indonesian(self):
        response = self.post(description="pendek")
        assert_error(self, response, 400, "json", "description: Uraikan laporan Anda minimal 20 karakter.")
        response = self.post(email=EMAIL)  # contact without a name
        assert_error(self, response, 400, "json", "first_name:")
        response = self.post(first_name="Sulastri")  # a name without contact
        assert_error(self, response, 400, "json", "email:")
        response = self.post(first_name="Sulastri", phone="12")
        assert_error(self, response, 400, "json", "phone:")
        response = self.post(media_url="javascript:alert(1)")
        assert_error(self, response, 400, "json", "media_url:")

    def test_every_problem_is_one_error_item(self):
        data = post_data(self.key, description="x", lat="", long="")
        del data["attribute[point]"]
        body = self.client.post("/open311/v2/requests.json", data).json()
        self.assertEqual(
            sorted(item["description"].split(":")[0] for item in body),
            ["attribute[point]", "description", "lat"],
        )
        self.assertTrue(all(item["code"] == 400 for item in body))

    def test_the_contact_rate_limit_is_checked_before_accepting(self):
        policy = ComplaintPolicy.current()
        for _ in range(policy.submissions_per_contact_per_day):
            self.assertEqual(self.post(first_name="Sulastri", email=EMAIL).status_code, 200)
        response = self.post(first_name="Sulastri", email=EMAIL)
        assert_error(self, response, 429, "json", "batas harian")
        self.assertEqual(Complaint.objects.count(), policy.submissions_per_contact_per_day)

    def test_a_submission_that_fails_later_reports_why_on_its_token(self):
        with mock.patch.object(tasks.create_complaint_from_submission, "delay"):
            response = self.post()
        token = response.json()[0]["token"]
        self.point.active = False  # the point closed between the POST and the task
        self.point.save(update_fields=["active"])
        submission = Open311Submission.objects.get(token=token)
        self.assertEqual(tasks.create_complaint_from_submission(submission.pk), "failed")
        submission.refresh_from_db()
        self.assertIn("attribute[point]", submission.error)
        self.assertNotIn("description", submission.payload)
        assert_error(self, self.client.get(f"/open311/v2/tokens/{token}.json"), 404, "json", "tidak dibuat")

    def test_an_unknown_token_is_404(self):
        assert_error(self, self.client.get("/open311/v2/tokens/tidak-ada.json"), 404, "json", "tidak-ada")
        assert_error(self, self.client.get("/open311/v2/tokens/tidak-ada.xml"), 404, "xml", "tidak-ada")

    def test_a_foreign_jurisdiction_is_refused_on_post(self):
        response = self.post(jurisdiction_id="sf.gov")
        assert_error(self, response, 404, "json", "sf.gov")
        self.assertFalse(Open311Submission.objects.exists())

    def test_post_needs_no_csrf_token(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post("/open311/v2/requests.json", post_data(self.key))
        self.assertEqual(response.status_code, 200)


class EagerCreationTests(TransactionTestCase):
    """Without a broker Celery runs the task eagerly on commit, so the POST answers with the id at once."""

    def setUp(self):
        cast = Cast()
        create_cast(cast)
        setup_points(cast)
        self.cast = cast
        _record, self.key = make_key(unit=cast.city)

    def test_json_response_carries_the_service_request_id(self):
        response = self.client.post("/open311/v2/requests.json", post_data(self.key))
        self.assertEqual(response.status_code, 200)
        (item,) = response.json()
        complaint = Complaint.objects.get()
        self.assertEqual(item["service_request_id"], complaint.tracking_code)
        self.assertEqual(Open311Submission.objects.get(token=item["token"]).complaint, complaint)

    def test_xml_response_carries_the_service_request_id(self):
        response = self.client.post("/open311/v2/requests.xml", post_data(self.key))
        request = xml(response).find("request")
        self.assertEqual(request.findtext("service_request_id"), Complaint.objects.get().tracking_code)
        self.assertTrue(request.findtext("token"))


class GetRequestsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        setup_points(cls)
        cls.now = timezone.now()
        # A public-identity web complaint with everything personal filled in, handled to the answer.
        cls.answered = intake.submit_complaint(
            intake.ComplaintInput(
                category="perilaku",
                title="Petugas loket tidak ramah",
                description=f"{SECRET_WORDS} petugas membentak saya di loket dua kemarin siang.",
                point_code="33.74.10",
                kelurahan_code="33.74.10.1004",
                latitude=Decimal("-7.054321"),
                longitude=Decimal("110.438765"),
                address_string="Jl. Mawar 5, rumah saya",
                name=NAME,
                email=EMAIL,
                phone=PHONE,
            ),
            now=cls.now - dt.timedelta(days=2),
        )
        Complaint.objects.filter(pk=cls.answered.pk).update(officer=cls.officer_employee)
        step(cls.answered, "forwarded", A.FORWARDED, cls.now - dt.timedelta(days=1), unit=cls.tembalang)
        step(cls.answered, "forwarded", A.NOTE, cls.now - dt.timedelta(hours=6), "CATATAN-INTERNAL: cek CCTV")
        step(
            cls.answered,
            "answered",
            A.ANSWERED,
            cls.now - dt.timedelta(hours=5),
            "Petugas sudah ditegur dan mengikuti pelatihan pelayanan prima.",
        )
        cls.open = complaint_at(cls.now - dt.timedelta(days=1), category="waktu_tunggu")
        cls.rejected = complaint_at(
            cls.now - dt.timedelta(days=3), category="lainnya", title="Jalan berlubang"
        )
        step(
            cls.rejected,
            "rejected",
            A.REJECTED,
            cls.now - dt.timedelta(days=2),
            "Bukan kewenangan Pemerintah Kota",
        )
        cls.old = complaint_at(cls.now - dt.timedelta(days=100), category="waktu_tunggu", title="Lama sekali")

    def get(self, fmt: str = "json", **params: str) -> Any:
        return self.client.get(f"/open311/v2/requests.{fmt}", params)

    def ids(self, response: Any) -> list[str]:
        return [row["service_request_id"] for row in response.json()]

    def test_it_lists_the_last_90_days_newest_first(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        # rejected ones (and unverified ones) are not listed
        self.assertEqual(self.ids(response), [self.open.tracking_code, self.answered.tracking_code])

    def test_each_request_has_the_spec_fields_and_public_values_only(self):
        rows = {row["service_request_id"]: row for row in self.get().json()}
        rows.update(
            {
                row["service_request_id"]: row
                for row in self.get(service_request_id=self.rejected.tracking_code).json()
            }
        )
        row = rows[self.answered.tracking_code]
        self.assertEqual(
            set(row),
            {
                "service_request_id",
                "status",
                "status_notes",
                "service_name",
                "service_code",
                "description",
                "agency_responsible",
                "service_notice",
                "requested_datetime",
                "updated_datetime",
                "expected_datetime",
                "address",
                "address_id",
                "zipcode",
                "lat",
                "long",
                "media_url",
            },
        )
        self.assertEqual(row["status"], "closed")
        self.assertEqual(
            row["status_notes"], "Petugas sudah ditegur dan mengikuti pelatihan pelayanan prima."
        )
        self.assertEqual(row["service_code"], "perilaku")
        self.assertEqual(row["service_name"], "Perilaku petugas")
        # derived from category and place: the citizen's own title may name the officer
        self.assertEqual(row["description"], f"Perilaku petugas — {self.point.name}")
        self.assertEqual(row["agency_responsible"], "Kecamatan Tembalang")
        self.assertEqual(row["address"], "Kelurahan Bulusan, Kecamatan Tembalang")
        self.assertEqual(row["address_id"], "33.74.10.1004")
        self.assertEqual((row["lat"], row["long"]), (-7.054, 110.439))
        self.assertIsNone(row["media_url"])
        received = timezone.localtime(self.answered.received_at).replace(microsecond=0)
        self.assertEqual(row["requested_datetime"], received.isoformat())
        self.assertTrue(row["requested_datetime"].endswith("+07:00"))
        self.assertTrue(row["updated_datetime"].endswith("+07:00"))
        self.assertGreater(row["updated_datetime"], row["requested_datetime"])
        self.assertEqual(row["expected_datetime"], f"{self.answered.answer_due.isoformat()}T23:59:59+07:00")
        rejected = rows[self.rejected.tracking_code]
        self.assertEqual(rejected["status"], "closed")
        self.assertEqual(rejected["status_notes"], "Bukan kewenangan Pemerintah Kota")
        self.assertIsNone(rejected["agency_responsible"])
        self.assertIsNone(rejected["lat"])
        self.assertEqual(rows[self.open.tracking_code]["status"], "open")
        self.assertEqual(rows[self.open.tracking_code]["status_notes"], "Terverifikasi")

    def test_no_public_response_carries_personal_data(self):
        step(
            self.answered,
            "reopened",
            A.DISPUTED,
            self.now,
            "ALASAN-SANGGAH dari Sulastri Wibowo 081234567890",
        )
        step(self.answered, "reopened", A.RATED, self.now, "Nilai 1/5 Sulastri")
        responses = [
            self.get(),
            self.get("xml"),
            self.client.get(f"/open311/v2/requests/{self.answered.tracking_code}.json"),
            self.client.get(f"/open311/v2/requests/{self.answered.tracking_code}.xml"),
        ]
        for response in responses:
            self.assertEqual(response.status_code, 200)
            assert_no_personal_data(self, response)
        row = responses[2].json()[0]
        self.assertEqual(row["status"], "open")
        self.assertEqual(row["status_notes"], "Dibuka kembali atas sanggahan pelapor.")

    def test_it_lists_requests_in_xml(self):
        root = xml(self.get("xml"))
        self.assertEqual(root.tag, "service_requests")
        requests = root.findall("request")
        self.assertEqual(len(requests), 2)
        answered = next(
            r for r in requests if r.findtext("service_request_id") == self.answered.tracking_code
        )
        self.assertEqual(answered.findtext("status"), "closed")
        self.assertEqual(answered.findtext("lat"), "-7.054")
        self.assertEqual(answered.findtext("agency_responsible"), "Kecamatan Tembalang")
        self.assertEqual(answered.findtext("media_url"), "")  # present and empty

    def test_service_request_id_overrides_the_other_filters(self):
        codes = f"{self.old.tracking_code}, {self.answered.tracking_code.lower()},ADU-TIDAK-ADA"
        response = self.get(service_request_id=codes, service_code="lainnya", status="open")
        self.assertEqual(self.ids(response), [self.answered.tracking_code, self.old.tracking_code])

    def test_it_filters_by_service_code(self):
        self.assertEqual(self.ids(self.get(service_code="waktu_tunggu")), [self.open.tracking_code])
        response = self.get("xml", service_code="lainnya,perilaku")
        self.assertEqual(
            [r.findtext("service_request_id") for r in xml(response).findall("request")],
            [self.answered.tracking_code],
        )
        assert_error(self, self.get(service_code="jalan_rusak"), 400, "json", "jalan_rusak")

    def test_it_filters_by_status(self):
        self.assertEqual(self.ids(self.get(status="open")), [self.open.tracking_code])
        self.assertEqual(self.ids(self.get(status="closed")), [self.answered.tracking_code])
        self.assertEqual(len(self.ids(self.get(status="open,closed"))), 2)
        assert_error(self, self.get("xml", status="answered"), 400, "xml", "status")

    def test_it_filters_by_dates(self):
        start = timezone.localtime(self.now - dt.timedelta(days=110)).isoformat()
        end = timezone.localtime(self.now - dt.timedelta(days=50)).isoformat()
        self.assertEqual(self.ids(self.get(start_date=start, end_date=end)), [self.old.tracking_code])
        utc_start = (
            (self.now - dt.timedelta(days=2, hours=1)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        self.assertEqual(
            self.ids(self.get(start_date=utc_start)), [self.open.tracking_code, self.answered.tracking_code]
        )
        only_end = timezone.localtime(self.now - dt.timedelta(days=95)).date().isoformat()
        self.assertEqual(self.ids(self.get(end_date=only_end)), [self.old.tracking_code])

    def test_bad_dates_and_long_ranges_are_400(self):
        assert_error(self, self.get(start_date="kemarin"), 400, "json", "start_date")
        assert_error(self, self.get("xml", end_date="2026-13-45"), 400, "xml", "end_date")
        assert_error(
            self,
            self.get(start_date="2026-01-01T00:00:00Z", end_date="2026-06-01T00:00:00Z"),
            400,
            "json",
            "90",
        )
        assert_error(
            self, self.get(start_date="2026-06-01T00:00:00Z", end_date="2026-05-01T00:00:00Z"), 400, "json"
        )

    def test_a_single_request_in_json_and_xml(self):
        response = self.client.get(f"/open311/v2/requests/{self.open.tracking_code}.json")
        self.assertEqual(response.status_code, 200)
        (row,) = response.json()
        self.assertEqual(row["service_request_id"], self.open.tracking_code)
        root = xml(self.client.get(f"/open311/v2/requests/{self.old.tracking_code.lower()}.xml"))
        (request,) = root.findall("request")
        self.assertEqual(request.findtext("service_request_id"), self.old.tracking_code)

    def test_an_unknown_request_is_404(self):
        assert_error(
            self, self.client.get("/open311/v2/requests/ADU-AAAA-AAAA.json"), 404, "json", "ADU-AAAA"
        )
        assert_error(self, self.client.get("/open311/v2/requests/ADU-AAAA-AAAA.xml"), 404, "xml", "ADU-AAAA")

    def test_the_list_costs_the_same_queries_for_many_rows(self):
        ComplaintPolicy.current()
        with self.assertNumQueries(2):  # the policy (service_notice) and the list with its subqueries
            self.get()
        for hours in range(10):
            complaint_at(
                self.now - dt.timedelta(hours=hours + 1), assigned_unit=self.banyumanik, point=self.point
            )
        with self.assertNumQueries(2):
            self.assertEqual(len(self.get().json()), 12)


class XmlSafetyTests(TestCase):
    def test_characters_xml_cannot_carry_are_dropped_not_breaking_the_document(self):
        complaint = complaint_at(
            timezone.now(), source=Complaint.Source.OPEN311, title="Antrean\x0b lama <b>&amp; \x01berisik"
        )
        root = xml(self.client.get(f"/open311/v2/requests/{complaint.tracking_code}.xml"))
        self.assertEqual(root.find("request").findtext("description"), "Antrean lama <b>&amp; berisik")


class CeleryRegistrationTests(TestCase):
    def test_a_worker_knows_the_open311_task(self):
        # A fresh interpreter imports what a worker imports at start (autodiscovery), nothing more.
        script = (
            "import django; django.setup(); from mumpuni.config.celery import app; "
            "app.loader.import_default_modules(); print(sorted(app.tasks))"
        )
        env = {**os.environ, "MUMPUNI_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "mumpuni.config.settings"}
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=True
        )
        self.assertIn("complaints.open311_create_complaint", result.stdout)


class CapTests(TestCase):
    def test_it_returns_at_most_1000_requests_newest_first(self):
        now = timezone.now()
        Complaint.objects.bulk_create(
            Complaint(
                status=Complaint.Status.VERIFIED,
                source=Complaint.Source.OPEN311,  # its stored title is public: shows the order below
                category="lainnya",
                title=f"Laporan {n}",
                description=DESCRIPTION,
                received_at=now - dt.timedelta(minutes=n),
                verify_due=now.date(),
                answer_due=now.date(),
            )
            for n in range(1005)
        )
        rows = self.client.get("/open311/v2/requests.json").json()
        self.assertEqual(len(rows), 1000)
        self.assertEqual(rows[0]["description"], "Laporan 0")
        self.assertEqual(rows[-1]["description"], "Laporan 999")
        root = xml(self.client.get("/open311/v2/requests.xml"))
        self.assertEqual(len(root.findall("request")), 1000)
