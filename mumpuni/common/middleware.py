"""Request-wide guards: the client's real address behind the proxy, the client address for audit entries,
Indonesian first, and no NUL bytes."""

import ipaddress
from collections.abc import Callable, Iterable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from mumpuni.common.audit import set_request_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """`127.0.0.1`, `::1`, `10.0.0.0/8` → networks; a bad entry stops start-up with its name."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"MUMPUNI_TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8)."
            ) from None
    return tuple(networks)


def _address(raw: str) -> Address | None:
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # [2001:db8::1]:443
        raw = raw[1 : raw.index("]")]
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class TrustedProxyMiddleware:
    """REMOTE_ADDR becomes the citizen's address when the request came through one of our proxies.

    gunicorn listens on 127.0.0.1 behind nginx, so REMOTE_ADDR is nginx for everyone: one rate-limit bucket
    for the whole city, one address in every audit entry. nginx appends the address it saw to
    X-Forwarded-For (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`); only hops appended by
    trusted proxies can be believed, so the header is read from the right, skipping trusted proxies, and the
    first other address is the client. Anything to its left was written by the client and is ignored. A
    request that did not come from a trusted proxy keeps its REMOTE_ADDR whatever headers it sends.
    First in MIDDLEWARE, so every later layer (axes, rate limits, audit) sees the same address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = parse_networks(getattr(settings, "MUMPUNI_TRUSTED_PROXIES", ()))

    def _trusted(self, address: Address | None) -> bool:
        return address is not None and any(address in network for network in self.trusted)

    def client_address(self, remote: str, forwarded: str) -> str:
        if not forwarded or not self._trusted(_address(remote)):
            return remote
        client = remote
        for hop in reversed(forwarded.split(",")):
            address = _address(hop)
            if address is None:  # garbage in the header: trust nothing further left
                break
            client = str(address)
            if not self._trusted(address):
                break
        return client

    def __call__(self, request: HttpRequest) -> HttpResponse:
        remote = str(request.META.get("REMOTE_ADDR") or "")
        client = self.client_address(remote, str(request.META.get("HTTP_X_FORWARDED_FOR") or ""))
        if client != remote:
            request.META["MUMPUNI_PROXY_ADDR"] = remote
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


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
