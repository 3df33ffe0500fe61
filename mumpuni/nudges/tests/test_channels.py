"""Channels: e-mail through Django's mail, the SMS/WhatsApp gateway against a local HTTP server (no outside
network), failures recorded per delivery with backoff, and no duplicate on a retry."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

from django.core import mail
from django.test import SimpleTestCase, override_settings

from mumpuni.nudges import services
from mumpuni.nudges.channels import ChannelError, GatewayChannel, Outgoing, normalise_phone
from mumpuni.nudges.models import Category, Delivery, Message, NotificationPreference
from mumpuni.nudges.tests.fixtures import NOON, NudgeTestCase, clock


class GatewayHandler(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:  # noqa: N802 — http.server's naming
        length = int(self.headers.get("Content-Length", "0"))
        GatewayHandler.received.append(
            {"body": json.loads(self.rfile.read(length)), "auth": self.headers.get("Authorization")}
        )
        self.send_response(GatewayHandler.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class LocalGateway:
    def __enter__(self) -> str:
        GatewayHandler.received = []
        GatewayHandler.status = 200
        self.server = HTTPServer(("127.0.0.1", 0), GatewayHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_port}/kirim"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class PhoneTests(SimpleTestCase):
    def test_it_normalises_indonesian_numbers(self) -> None:
        self.assertEqual(normalise_phone("0812-3456-7890"), "6281234567890")
        self.assertEqual(normalise_phone("+62 812 3456 7890"), "6281234567890")
        self.assertEqual(normalise_phone("024 76480000"), "622476480000")
        self.assertEqual(normalise_phone("12345"), "")
        self.assertEqual(normalise_phone("bukan nomor"), "")

    def test_the_text_keeps_the_link_and_shortens_the_body(self) -> None:
        text = GatewayChannel().compose(Outgoing("62812", "Judul", "x" * 1000, "https://mumpuni.example/p/"))
        self.assertLessEqual(len(text), GatewayChannel.max_length)
        self.assertTrue(text.endswith(" https://mumpuni.example/p/"))


class GatewayTests(NudgeTestCase):
    def route(self) -> Message:
        message = self.try_route()
        assert message is not None
        return message

    def try_route(self) -> Message | None:
        NotificationPreference.objects.create(
            user=self.employee, channels={"workflow": ["sms"], "reminder": ["sms"], "recognition": []}
        )
        with clock(NOON):
            message = services.route_message(
                user=self.employee,
                title="Kelas besok",
                body="Datang 08.00",
                link="/pelatihan/kelas/1/",
                kind="class_soon",
                category=Category.REMINDER,
            )
        return message

    def test_it_posts_to_the_gateway_once(self) -> None:
        with (
            LocalGateway() as url,
            override_settings(MUMPUNI_SMS_GATEWAY_URL=url, MUMPUNI_SMS_GATEWAY_TOKEN="rahasia"),
        ):
            with clock(NOON), self.captureOnCommitCallbacks(execute=True):
                message = self.route()
            delivery = message.deliveries.get()
            with clock(NOON):
                self.assertEqual(services.send_delivery(delivery.pk).status, "not_claimed")
        self.assertEqual(len(GatewayHandler.received), 1)
        sent = GatewayHandler.received[0]
        self.assertEqual(sent["body"]["to"], "6281234567890")
        self.assertIn("Kelas besok", sent["body"]["text"])
        self.assertEqual(sent["auth"], "Bearer rahasia")
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts), (Delivery.Status.SENT, 1))
        self.assertEqual(len(mail.outbox), 0)

    def test_a_failure_is_recorded_and_retried_later_then_given_up(self) -> None:
        with LocalGateway() as url, override_settings(MUMPUNI_SMS_GATEWAY_URL=url):
            GatewayHandler.status = 503
            with clock(NOON), self.captureOnCommitCallbacks(execute=True):
                message = self.route()
            delivery = message.deliveries.get()
            delivery.refresh_from_db()
            self.assertEqual(delivery.status, Delivery.Status.PENDING)
            self.assertEqual(delivery.last_error, "gateway menjawab 503")
            self.assertEqual(delivery.not_before, NOON + dt.timedelta(minutes=1))
            with clock(NOON + dt.timedelta(seconds=30)):  # not yet due: not even tried
                self.assertEqual(services.send_delivery(delivery.pk).status, "not_claimed")
            moment = NOON
            for _ in range(services.MAX_ATTEMPTS - 1):
                moment += dt.timedelta(hours=3)
                with clock(moment):
                    services.send_delivery(delivery.pk)
            delivery.refresh_from_db()
            self.assertEqual(
                (delivery.status, delivery.attempts), (Delivery.Status.FAILED, services.MAX_ATTEMPTS)
            )
            self.assertEqual(len(GatewayHandler.received), services.MAX_ATTEMPTS)

    def test_a_recovered_gateway_gets_the_message_once(self) -> None:
        with LocalGateway() as url, override_settings(MUMPUNI_SMS_GATEWAY_URL=url):
            GatewayHandler.status = 500
            with clock(NOON), self.captureOnCommitCallbacks(execute=True):
                message = self.route()
            GatewayHandler.status = 200
            with clock(NOON + dt.timedelta(minutes=2)), self.captureOnCommitCallbacks(execute=True):
                services.flush_due_deliveries()
                services.flush_due_deliveries()
            self.assertEqual(message.deliveries.get().status, Delivery.Status.SENT)
            self.assertEqual(len(GatewayHandler.received), 2)  # the failed try and the one success

    def test_an_unreachable_gateway_is_a_channel_error(self) -> None:
        with (
            override_settings(MUMPUNI_SMS_GATEWAY_URL="http://127.0.0.1:9/tidak-ada"),
            self.assertRaises(ChannelError),
        ):
            GatewayChannel().send(Outgoing("6281234567890", "a", "b"))

    def test_without_a_gateway_sms_is_not_routed(self) -> None:
        with override_settings(MUMPUNI_SMS_GATEWAY_URL=""):
            self.assertIsNone(self.try_route())


class EmailTests(NudgeTestCase):
    def test_smtp_failure_becomes_a_retry(self) -> None:
        with clock(NOON):
            message = services.route_message(
                user=self.employee, title="T", body="B", link="", kind="x", category=Category.WORKFLOW
            )
        assert message is not None
        delivery = message.deliveries.get()
        with clock(NOON), override_settings(EMAIL_BACKEND="mumpuni.nudges.tests.test_channels.BrokenBackend"):
            result = services.send_delivery(delivery.pk)
        self.assertEqual(result.status, Delivery.Status.PENDING)
        delivery.refresh_from_db()
        self.assertIn("surel gagal", delivery.last_error)
        self.assertNotIn("agus@example.org", delivery.last_error)


class BrokenBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("smtp down")
