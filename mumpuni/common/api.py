"""API plumbing shared by every router: authentication and error mapping. (Filled in by the API work.)"""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

session_or_key_auth: Any = [django_auth]


def install_error_handlers(api: NinjaAPI) -> None:
    return None


def _unused(request: HttpRequest) -> None:
    return None
