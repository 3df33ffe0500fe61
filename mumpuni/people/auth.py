"""Log in with a NIP (18 digits) or a username; django-axes counts failures per normalised identity."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from mumpuni.people.models import User


def _is_nip(identifier: str) -> bool:
    # ASCII digits only: str.isdigit() accepts full-width and other Unicode digits.
    return len(identifier) == 18 and identifier.isascii() and identifier.isdigit()


def normalise_identifier(raw: str | None) -> str:
    """What the backend matches on: spaces removed, lower-case ("Pelatih " and "pelatih" are one account)."""
    return (raw or "").strip().replace(" ", "").lower()


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: one failure counter per account, however its name or NIP is typed.

    The backend accepts any case and spacing of a username, and the NIP of the account's employee; axes
    must count all of those spellings against the same key or five tries per spelling would be allowed.
    """
    raw = None
    if credentials:
        raw = credentials.get("username")
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get("username")
    identifier = normalise_identifier(raw if isinstance(raw, str) else None)
    if _is_nip(identifier):
        username = User.objects.filter(employee__nip=identifier).values_list("username", flat=True).first()
        if username:
            return username.lower()
    return identifier


class NipOrUsernameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        identifier = normalise_identifier(username)
        user: User | None
        if _is_nip(identifier):
            user = User.objects.filter(employee__nip=identifier).first()
        else:
            user = User.objects.filter(username__iexact=identifier).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            return None
        if user.is_service_account:
            return None  # devices and partners use API keys, never the login form
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def authenticate_api_key(key: str) -> User | None:
    from django.utils import timezone

    from mumpuni.people.models import ApiKey

    if not key or not key.startswith("mpn_"):
        return None
    record = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=ApiKey.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
