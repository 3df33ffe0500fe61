"""One application error type, mapped to HTTP errors by the API and to form errors by views."""

from __future__ import annotations


class ApplicationError(Exception):
    """A refusal with a message for users (Indonesian) and optional field-level messages."""

    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(ApplicationError):
    status_code = 422


class PermissionDeniedError(ApplicationError):
    status_code = 403


class NotFoundError(ApplicationError):
    status_code = 404
