"""Log in with a NIP (18 digits) or a username."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from mumpuni.people.models import User


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
        identifier = username.strip().replace(" ", "")
        user: User | None
        if identifier.isdigit() and len(identifier) == 18:
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
