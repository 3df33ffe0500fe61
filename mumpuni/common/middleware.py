"""Request-wide guards: the client address for audit entries, Indonesian first, and no NUL bytes."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from mumpuni.common.audit import set_request_ip


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_request_ip(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            set_request_ip(None)


class IndonesianFirstMiddleware:
    """Language comes from the user's choice (the language cookie), never from the browser's header.

    The platform speaks Bahasa Indonesia first: an English-language browser still gets Indonesian until the
    user picks English in the switcher.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """Answer 400 to any page request whose path, query string or form values hold a NUL byte.

    PostgreSQL cannot store or compare text containing NUL (psycopg raises DataError), so such a value
    reaching any query is a 500. No legitimate page input contains one; refusing it here keeps every view
    and export safe at once. The API (/api/) is left to its own guards, which answer in JSON.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and self._has_nul(request):
            return HttpResponseBadRequest(
                _("Permintaan berisi karakter yang tidak diizinkan (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "\x00" in request.path_info:
            return True
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return True
        if request.method in {"POST", "PUT", "PATCH"} and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return True
        return False
