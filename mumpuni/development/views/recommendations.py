"""Recommendation pages: my recommendations (full page and the panel on /pengembangan/saya/), and one
employee's for the people who review their plan. Everyone else gets 404 (the person's scores are not
revealed). Each recommendation shows its score and every part of it with the numbers used.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mumpuni.development import recommend
from mumpuni.people.models import Employee
from mumpuni.people.scopes import scope_for

PAGE_LIMIT = 10
PANEL_LIMIT = 3


def _context(employee: Employee, limit: int, *, own: bool) -> dict[str, object]:
    recs = recommend.recommendations_of(employee, limit=limit)
    weights = recommend.configured_weights()
    return {
        "employee": employee,
        "recommendations": recs,
        "own": own,
        "weights": [(recommend.core.part_label(k), weights[k]) for k in recommend.PART_KEYS],
        "weight_total": sum(weights.values()),
    }


def _own(request: HttpRequest) -> Employee:
    employee_id = scope_for(request.user).own_employee_id
    if employee_id is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    return Employee.objects.select_related("unit", "position").get(pk=employee_id)


@login_required
@require_GET
def my_recommendations(request: HttpRequest) -> HttpResponse:
    employee = _own(request)
    return render(request, "development/recommendations.html", _context(employee, PAGE_LIMIT, own=True))


@login_required
@require_GET
def my_panel(request: HttpRequest) -> HttpResponse:
    """The fragment the my-development page loads (HTMX) under the plan."""
    employee = _own(request)
    return render(
        request, "development/_recommendations_panel.html", _context(employee, PANEL_LIMIT, own=True)
    )


@login_required
@require_GET
def employee_recommendations(request: HttpRequest, nip: str) -> HttpResponse:
    employee = Employee.objects.select_related("unit", "position").filter(nip=nip, active=True).first()
    if employee is None or not recommend.can_see(request.user, employee):
        raise Http404
    own = scope_for(request.user).own_employee_id == employee.pk
    return render(request, "development/recommendations.html", _context(employee, PAGE_LIMIT, own=own))


urlpatterns = [
    path("rekomendasi/", my_recommendations, name="recommendations"),
    path("rekomendasi/panel/", my_panel, name="recommendations_panel"),
    path("rekomendasi/pegawai/<str:nip>/", employee_recommendations, name="recommendations_employee"),
]
