"""Channels a message can travel through. The in-app bell (`common.Notification`) is always written;
e-mail goes through Django's mail backend; SMS/WhatsApp through an HTTP gateway (one JSON POST
`{"to": ..., "text": ...}` with a bearer token), configured by MUMPUNI_SMS_GATEWAY_URL and
MUMPUNI_SMS_GATEWAY_TOKEN. Any provider (a WhatsApp Business relay, an SMS aggregator) sits behind a
small relay that accepts that shape, so the platform holds no provider-specific code.

A channel's `send` raises `ChannelError` on failure; the caller (tasks.send_delivery) records it and
retries later. Channels know nothing about preferences or retries.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from mumpuni.common.models import Notification

GATEWAY_TIMEOUT_SECONDS = 10


class ChannelError(Exception):
    """Sending failed; the text is stored on the delivery (no personal data in it)."""


@dataclass(frozen=True)
class Outgoing:
    address: str
    title: str
    body: str
    link: str = ""

    def text(self) -> str:
        return self.body + (f"\n\n{self.link}" if self.link else "")


class Channel(Protocol):
    name: ClassVar[str]

    def address_for(self, user: Any) -> str:
        """Where this user is reached on this channel, or "" when they cannot be."""
        ...

    def send(self, outgoing: Outgoing) -> None: ...


def _employee(user: Any) -> Any:
    try:
        return user.employee
    except Exception:  # noqa: BLE001 — RelatedObjectDoesNotExist: a user without an employee record
        return None


class InAppChannel:
    """The bell in the navigation bar: a `common.Notification` row, written immediately and always."""

    name: ClassVar[str] = "in_app"

    def address_for(self, user: Any) -> str:
        return str(user.pk)

    def send(self, outgoing: Outgoing) -> None:  # pragma: no cover — notify() writes rows in bulk
        Notification.objects.create(
            recipient_id=int(outgoing.address),
            title=outgoing.title[:200],
            body=outgoing.body,
            link=outgoing.link,
        )


class EmailChannel:
    name: ClassVar[str] = "email"

    def address_for(self, user: Any) -> str:
        if user.email:
            return str(user.email)
        employee = _employee(user)
        return str(employee.email) if employee is not None and employee.email else ""

    def send(self, outgoing: Outgoing) -> None:
        message = EmailMessage(
            subject=outgoing.title,
            body=outgoing.text(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outgoing.address],
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 — SMTP errors of every kind become a retry
            raise ChannelError(f"surel gagal: {type(exc).__name__}") from exc


_PHONE_CLEAN = re.compile(r"[\s\-().]")


def normalise_phone(raw: str) -> str:
    """Indonesian numbers to E.164 without '+': 0812… / +62812… / 62812… → 62812…; "" when implausible."""
    phone = _PHONE_CLEAN.sub("", raw or "")
    if phone.startswith("+"):
        phone = phone[1:]
    if phone.startswith("0"):
        phone = "62" + phone[1:]
    return phone if phone.isdigit() and phone.startswith("62") and 10 <= len(phone) <= 15 else ""


def gateway_settings() -> tuple[str, str]:
    url = getattr(settings, "MUMPUNI_SMS_GATEWAY_URL", None) or os.environ.get("MUMPUNI_SMS_GATEWAY_URL", "")
    token = getattr(settings, "MUMPUNI_SMS_GATEWAY_TOKEN", None) or os.environ.get(
        "MUMPUNI_SMS_GATEWAY_TOKEN", ""
    )
    return url, token


class GatewayChannel:
    """SMS/WhatsApp through the configured HTTP gateway; unavailable when no URL is set."""

    name: ClassVar[str] = "sms"
    max_length = 480  # three SMS segments; the link is kept, the body shortened

    def configured(self) -> bool:
        return bool(gateway_settings()[0])

    def address_for(self, user: Any) -> str:
        employee = _employee(user)
        return normalise_phone(employee.phone) if employee is not None else ""

    def compose(self, outgoing: Outgoing) -> str:
        tail = f" {outgoing.link}" if outgoing.link else ""
        head = f"{outgoing.title}: {outgoing.body}".strip().rstrip(":")
        room = self.max_length - len(tail)
        if len(head) > room:
            head = head[: max(room - 1, 0)] + "…"
        return head + tail

    def send(self, outgoing: Outgoing) -> None:
        url, token = gateway_settings()
        if not url:
            raise ChannelError("gateway SMS belum dikonfigurasi")
        payload = json.dumps({"to": outgoing.address, "text": self.compose(outgoing)}).encode()
        request = urllib.request.Request(  # noqa: S310 — the URL is the operator's configured gateway
            url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT_SECONDS) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise ChannelError(f"gateway menjawab {response.status}")
        except urllib.error.HTTPError as exc:
            raise ChannelError(f"gateway menjawab {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ChannelError(f"gateway tidak terjangkau: {type(exc).__name__}") from exc


EXTERNAL_CHANNELS: dict[str, Channel] = {
    EmailChannel.name: EmailChannel(),
    GatewayChannel.name: GatewayChannel(),
}


def channel(name: str) -> Channel:
    return EXTERNAL_CHANNELS[name]
