"""Public certificate verification (no login): /verifikasi/<signed token>/ shows only the holder's name,
the programme, the date and the validity. A forged or tampered link shows "tidak valid" and nothing else.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from mumpuni.learning.services.certificates import VALIDITY_LABELS, certificate_from_token, validity


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    certificate = certificate_from_token(token)
    if certificate is None:
        return render(request, "learning/public/verify.html", {"found": False}, status=404)
    state = validity(certificate)
    enrollment = certificate.enrollment
    response = render(
        request,
        "learning/public/verify.html",
        {
            "found": True,
            "state": state,
            "state_label": VALIDITY_LABELS[state],
            "name": enrollment.employee.name,
            "program": enrollment.training_class.program.name,
            "issued_on": certificate.issued_on,
            "valid_until": certificate.valid_until,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [path("<str:token>/", verify, name="verify")]
