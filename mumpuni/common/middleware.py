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
