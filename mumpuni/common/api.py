"""API plumbing shared by every router: authentication, page-number pagination and error mapping.

Authentication: a browser session (CSRF checked on unsafe methods, as django-ninja's `django_auth` does) or
`Authorization: Bearer KEY` for service accounts; either way `request.user` is the account.
A key is checked against the database on every request (a revoked key or a deactivated account is refused
at once), in one query that also reads everything the account's scope is built from; the account and its
scope are reused from the previous request with that key while those inputs are unchanged.
Errors: every refusal is JSON `{"detail": "...", "errors": {field: [messages]}}` in Indonesian, and bad
input of any shape (malformed JSON, wrong types, huge numbers) is a 4xx, never a 500.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from mumpuni.common.errors import ApplicationError

NON_FIELD_ERRORS = "__all__"
INVALID_DATA = "Data tidak valid."
NOT_FOUND = "Tidak ditemukan."
UNAUTHENTICATED = (
    "Autentikasi diperlukan: masuk terlebih dahulu atau kirim header Authorization: Bearer KUNCI."
)
BAD_KEY = "Kunci API tidak valid atau sudah dicabut."
FORBIDDEN = "Anda tidak berwenang melakukan tindakan ini."
CSRF_FAILED = "Pemeriksaan CSRF gagal; muat ulang halaman lalu coba lagi."
MALFORMED_BODY = "Isi permintaan bukan JSON yang valid."

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


# --- authentication --------------------------------------------------------------------------------


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer mpn_…` for service accounts (kiosks, displays, partner systems)."""

    openapi_description = "Kunci API akun layanan (dibuat dengan `manage.py create_api_key`)."

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            return None  # no key offered: let the session authenticator try
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            # Not ours (e.g. Basic auth of a proxy in front of a staging site): leave it to the session.
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_key(token)
        if user is None:
            # A wrong key is refused outright, even with a session cookie, so clients notice bad keys.
            raise AuthenticationError(401, BAD_KEY)
        request.user = user
        return user


# key hash -> (scope inputs, account, scope) of the last request with that key, per process
_key_accounts: dict[str, tuple[tuple[Any, ...], Any, Any]] = {}
_key_accounts_lock = threading.Lock()
KEY_CACHE_SIZE = 1000
LAST_USED_EVERY = dt.timedelta(minutes=1)


def _key_sql() -> str:
    """One row per role assignment of the key's account: the key, the account's flags, the role, the role's
    unit path and the account's employee record — every input of people.scopes.build_scope."""
    from mumpuni.people.models import ApiKey, Employee, RoleAssignment, Unit, User

    def table(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    return (
        "SELECT k.id, k.last_used_at, u.id, u.is_active, u.is_superuser, r.role, n.path, e.id, e.unit_id "  # noqa: S608 (quoted table names)
        f"FROM {table(ApiKey)} k JOIN {table(User)} u ON u.id = k.user_id "
        f"LEFT JOIN {table(RoleAssignment)} r ON r.user_id = u.id "
        f"LEFT JOIN {table(Unit)} n ON n.id = r.unit_id "
        f"LEFT JOIN {table(Employee)} e ON e.user_id = u.id "
        "WHERE k.key_hash = %s AND k.revoked_at IS NULL"
    )


def _scope_inputs(key_hash: str) -> tuple[tuple[Any, ...], int, Any, int] | None:
    """(scope inputs, key id, last used at, account id) of a live key of an active account, else None."""
    with connection.cursor() as cursor:
        cursor.execute(_key_sql(), [key_hash])
        rows = cursor.fetchall()
    if not rows or not rows[0][3]:
        return None
    key_id, last_used_at, user_id = rows[0][0], rows[0][1], rows[0][2]
    inputs = tuple(sorted((tuple(row[2:]) for row in rows), key=repr))
    if isinstance(last_used_at, str):  # SQLite through a raw cursor: text, or naive UTC
        last_used_at = dt.datetime.fromisoformat(last_used_at)
    if last_used_at is not None and last_used_at.tzinfo is None:
        last_used_at = last_used_at.replace(tzinfo=dt.UTC)
    return inputs, key_id, last_used_at, user_id


def authenticate_key(token: str) -> Any:
    """The active account of a live (not revoked) key, with its scope attached; None otherwise.

    Same rules as people.auth.authenticate_api_key (which the rest of the code may keep using), in one
    query on the hot path: the account and its scope are rebuilt only when the roles, their units, the
    employee link or the account's flags have changed since the last request with this key.
    """
    # Imported here so the shared `common` app does not load the people app's models at import time.
    from django.utils import timezone

    from mumpuni.people.models import ApiKey, User
    from mumpuni.people.scopes import build_scope

    if not token or not token.startswith("mpn_"):
        return None
    key_hash = ApiKey.hash_key(token)
    found = _scope_inputs(key_hash)
    if found is None:
        return None
    inputs, key_id, last_used_at, user_id = found
    now = timezone.now()
    if last_used_at is None or now - last_used_at > LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key_id).update(last_used_at=now)
    cached = _key_accounts.get(key_hash)
    if cached is not None and cached[0] == inputs:
        _, account, scope = cached
    else:
        account = User.objects.get(pk=user_id)
        scope = build_scope(account)
        # Keep it only if nothing changed while it was built, so a cached scope is never older than the
        # inputs it is filed under.
        again = _scope_inputs(key_hash)
        if again is not None and again[0] == inputs:
            with _key_accounts_lock:
                if len(_key_accounts) >= KEY_CACHE_SIZE:
                    _key_accounts.clear()
                _key_accounts[key_hash] = (inputs, account, scope)
    # Each request gets its own account instance and scope instance: per-request caches (the scope's lazily
    # computed team, related objects) must not outlive the request or be shared between threads.
    user = copy.copy(account)
    user._mumpuni_scope = dataclasses.replace(scope)
    return user


class SessionAuth(APIKeyCookie):
    """Django's session, with the CSRF check on unsafe methods (as `ninja.security.django_auth`)."""

    openapi_description = "Sesi peramban (setelah masuk di /akun/masuk/); butuh token CSRF untuk perubahan."

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # anonymous: 401, not a CSRF 403
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method not in SAFE_METHODS and not exempt and check_csrf(request) is not None:
            raise AuthorizationError(403, CSRF_FAILED)
        return user


# Bearer first: a request carrying a key must be judged by the key, and must not meet the CSRF check.
session_or_key_auth: list[Any] = [ApiKeyAuth(), SessionAuth()]


# --- schemas ---------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every refusal: a message for people and, for invalid data, messages per field."""

    detail: str = Field(description="Pesan untuk pengguna (Bahasa Indonesia).")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Pesan per kolom; '__all__' untuk kesalahan yang tidak terkait kolom.",
    )


# --- pagination ------------------------------------------------------------------------------------

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class PageInput(Schema):
    page: int = Field(1, ge=1, description="Nomor halaman, mulai dari 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Baris per halaman (1–{MAX_PAGE_SIZE})."
    )


class PagePagination(PaginationBase):
    """`?page=N&page_size=M` (at most 200). A page past the end is empty, however large its number."""

    Input = PageInput  # type: ignore[assignment]

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Jumlah seluruh baris yang cocok.")
        page: int
        page_size: int
        pages: int = Field(description="Jumlah halaman.")

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page, page_size = pagination.page, pagination.page_size
        count = self._items_count(queryset)
        offset = (page - 1) * page_size
        # Never send an offset past the end to the database: a huge page number would overflow SQLite.
        items = list(queryset[offset : offset + page_size]) if offset < count else []
        return {
            "items": items,
            "count": count,
            "page": page,
            "page_size": page_size,
            "pages": (count + page_size - 1) // page_size,
        }


# --- validation messages ---------------------------------------------------------------------------

_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}

# Pydantic error type -> Indonesian message; {name} is filled from the error's ctx.
_MESSAGES: dict[str, str] = {
    "missing": "Wajib diisi.",
    "missing_argument": "Wajib diisi.",
    "extra_forbidden": "Kolom ini tidak dikenal.",
    "string_type": "Harus berupa teks.",
    "string_too_short": "Paling sedikit {min_length} karakter.",
    "string_too_long": "Paling banyak {max_length} karakter.",
    "string_pattern_mismatch": "Formatnya tidak sesuai.",
    "string_unicode": "Teks tidak valid (bukan UTF-8).",
    "int_type": "Harus berupa bilangan bulat.",
    "int_parsing": "Harus berupa bilangan bulat.",
    "int_parsing_size": "Bilangan terlalu besar.",
    "int_from_float": "Harus bilangan bulat, bukan pecahan.",
    "float_type": "Harus berupa angka.",
    "float_parsing": "Harus berupa angka.",
    "finite_number": "Harus berupa angka terhingga.",
    "decimal_parsing": "Harus berupa angka desimal.",
    "bool_type": "Harus bernilai benar atau salah (true/false).",
    "bool_parsing": "Harus bernilai benar atau salah (true/false).",
    "date_type": "Harus berupa tanggal dengan format TTTT-BB-HH.",
    "date_parsing": "Tanggal tidak valid; gunakan format TTTT-BB-HH.",
    "date_from_datetime_parsing": "Tanggal tidak valid; gunakan format TTTT-BB-HH.",
    "date_from_datetime_inexact": "Harus berupa tanggal saja, tanpa jam.",
    "date_past": "Tanggal harus di masa lalu.",
    "date_future": "Tanggal harus di masa depan.",
    "datetime_type": "Harus berupa waktu (ISO 8601).",
    "datetime_parsing": "Waktu tidak valid; gunakan format ISO 8601.",
    "datetime_from_date_parsing": "Waktu tidak valid; gunakan format ISO 8601.",
    "time_parsing": "Jam tidak valid; gunakan format JJ:MM.",
    "enum": "Harus salah satu dari: {expected}.",
    "literal_error": "Harus salah satu dari: {expected}.",
    "greater_than": "Harus lebih besar dari {gt}.",
    "greater_than_equal": "Paling kecil {ge}.",
    "less_than": "Harus lebih kecil dari {lt}.",
    "less_than_equal": "Paling besar {le}.",
    "multiple_of": "Harus kelipatan {multiple_of}.",
    "json_invalid": "JSON tidak valid.",
    "json_type": "Harus berupa JSON.",
    "dict_type": "Harus berupa objek JSON.",
    "model_type": "Harus berupa objek JSON.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "list_type": "Harus berupa daftar.",
    "tuple_type": "Harus berupa daftar.",
    "set_type": "Harus berupa daftar.",
    "too_short": "Paling sedikit {min_length} butir.",
    "too_long": "Paling banyak {max_length} butir.",
    "none_required": "Harus kosong (null).",
    "uuid_type": "Harus berupa UUID.",
    "uuid_parsing": "Harus berupa UUID.",
    "url_type": "Harus berupa URL.",
    "url_parsing": "URL tidak valid.",
    "value_error": "{error}",
    "assertion_error": "{error}",
}
FALLBACK_MESSAGE = "Nilai tidak valid."

_VALUE_ERROR_PREFIX = re.compile(r"^(Value error|Assertion failed), ?")


def _expected(text: str) -> str:
    return text.replace(" or ", " atau ")


def translate_error(error: dict[str, Any]) -> str:
    """One pydantic error (as django-ninja reports it) in Indonesian."""
    kind = str(error.get("type", ""))
    template = _MESSAGES.get(kind)
    ctx = dict(error.get("ctx") or {})
    if kind in {"value_error", "assertion_error"}:
        # Our own validators raise ValueError with an Indonesian message: show it as written.
        message = str(ctx.get("error") or error.get("msg") or FALLBACK_MESSAGE)
        return _VALUE_ERROR_PREFIX.sub("", message)
    if kind in {"string_too_short", "too_short"} and ctx.get("min_length") == 1:
        return "Wajib diisi."
    if "expected" in ctx:
        ctx["expected"] = _expected(str(ctx["expected"]))
    if template is None:
        return FALLBACK_MESSAGE
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return FALLBACK_MESSAGE


def error_path(loc: tuple[Any, ...] | list[Any], body_params: frozenset[str] = frozenset()) -> str:
    """'body.payload.unit' -> 'unit': the source and the handler's parameter name are noise to clients."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        # A schema parameter (`payload`, `filters`, `ninja_pagination`) wraps the real fields.
        if parts and (source == "body" or parts[0] in body_params or parts[0] == "ninja_pagination"):
            parts.pop(0)
    return ".".join(str(p) for p in parts) or NON_FIELD_ERRORS


def validation_errors(
    errors: list[dict[str, Any]], body_params: frozenset[str] = frozenset()
) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        if not isinstance(error, dict):
            continue
        path = error_path(tuple(error.get("loc") or ()), body_params)
        message = translate_error(error)
        if path == NON_FIELD_ERRORS and error.get("type") in {
            "missing",
            "model_attributes_type",
            "dict_type",
        }:
            message = "Isi permintaan harus berupa objek JSON."
        bucket = fields.setdefault(path, [])
        if message not in bucket:
            bucket.append(message)
    return fields


# --- error handlers --------------------------------------------------------------------------------

# Names django-ninja gives wrapper parameters in `loc`; query schemas in our routers are named `filters`.
QUERY_SCHEMA_PARAMS = frozenset({"filters"})

_NINJA_DEFAULTS = {
    "Unauthorized": UNAUTHENTICATED,
    "Forbidden": FORBIDDEN,
    "CSRF check Failed": CSRF_FAILED,
    "Too many requests.": "Terlalu banyak permintaan; coba lagi nanti.",
}


def _json(api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Map every refusal to JSON with an Indonesian message; bad input never becomes a 500."""

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = validation_errors(list(exc.errors), QUERY_SCHEMA_PARAMS)
        return _json(api, request, 422, INVALID_DATA, errors=fields)

    def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return _json(api, request, exc.status_code, exc.message, errors=exc.fields)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(api, request, 404, NOT_FOUND)

    def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) or FORBIDDEN
        return _json(api, request, 403, message)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and exc.__cause__ is not None:
            # django-ninja's "Cannot parse request body": the JSON itself is broken.
            return _json(api, request, 422, MALFORMED_BODY, errors={NON_FIELD_ERRORS: [MALFORMED_BODY]})
        message = _NINJA_DEFAULTS.get(exc.message, exc.message)
        response = _json(api, request, exc.status_code, message)
        if exc.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="mumpuni"'
        return response

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        else:
            fields = {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}
        return _json(api, request, 422, INVALID_DATA, errors=fields)

    def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Two writes raced past the service's checks; the database kept its invariant. Ask for a retry.
        return _json(api, request, 409, "Data bertabrakan dengan perubahan lain; muat ulang lalu coba lagi.")

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _json(api, request, 413, "Isi permintaan terlalu besar.")

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return _json(api, request, 400, "Permintaan ditolak.")

    handlers: dict[type[Exception], Callable[..., HttpResponse]] = {
        ValidationError: on_validation,
        ApplicationError: on_application_error,
        Http404: on_not_found,
        PermissionDenied: on_permission_denied,
        HttpError: on_http_error,
        DjangoValidationError: on_django_validation,
        IntegrityError: on_integrity_error,
        RequestDataTooBig: on_too_big,
        SuspiciousOperation: on_suspicious,
    }
    for exception_class, handler in handlers.items():
        api.add_exception_handler(exception_class, handler)
