"""Form helpers shared by the apps' views."""

from __future__ import annotations

from django import forms

from mumpuni.common.errors import ApplicationError


def add_service_errors(
    form: forms.Form, exc: ApplicationError, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's refusal onto the form: each field error under its field (renamed through `field_map`
    when the service and the form name it differently; unknown fields become form errors), and the message
    itself as a form error when the service named no field."""
    placed = False
    for name, texts in exc.fields.items():
        target = (field_map or {}).get(name, name)
        for text in texts:
            form.add_error(target if target in form.fields else None, text)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
