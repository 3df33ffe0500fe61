"""Notifications to users: a row per recipient (the bell in the navigation bar, always, at once), and the
same message through the user's external channels (e-mail, SMS/WhatsApp) according to their preferences,
quiet hours and digest choice — routed by the `nudges` app and sent by Celery after commit.

`common` otherwise imports no domain app; the import of `nudges` below is deliberately late and guarded,
so `common` still works alone (then mail goes straight through Django's mail backend, as before).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mass_mail

from mumpuni.common.models import Notification


def notify(recipients: Iterable[Any], title: str, body: str = "", link: str = "", kind: str = "") -> int:
    """Notify each distinct active user once; returns how many were notified."""
    users = {u.pk: u for u in recipients if u is not None and getattr(u, "is_active", True)}
    if not users:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=pk, title=title[:200], body=body, link=link[:255], kind=kind)
            for pk in users
        ]
    )
    if apps.is_installed("mumpuni.nudges"):
        from mumpuni.nudges.services import route_notification

        route_notification(list(users.values()), title, body, link, kind)
        return len(users)
    text = body + (f"\n\n{link}" if link else "")
    mails = [(title, text, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in users.values() if u.email]
    if mails:
        send_mass_mail(mails, fail_silently=True)
    return len(users)
