"""Makes the client address available to audit entries written during a request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
