"""Pages under /pengingat/: my notification preferences (every logged-in person), and the effect of
nudges (BKPP admins and executives only; anyone else 403)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mumpuni.common.errors import ValidationFailed
from mumpuni.lib.tabular import write_xlsx
from mumpuni.nudges import selectors, services
from mumpuni.nudges.channels import EmailChannel, GatewayChannel
from mumpuni.nudges.forms import PreferenceForm, channel_field
from mumpuni.nudges.models import Category, Channel


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    pref = services.preference_for(request.user)
    kinds = services.rule_kinds()
    gateway = GatewayChannel()
    sms_available = gateway.configured()
    form_kwargs = {"kinds": kinds, "sms_available": sms_available}
    if request.method == "POST":
        # initial: a disabled field (SMS while the gateway is off) keeps the saved choice
        form = PreferenceForm(request.POST, initial=PreferenceForm.initial_for(pref), **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.preference_update(
                    actor=request.user,
                    user=request.user,
                    channels=form.chosen_channels(),
                    muted_kinds=data["muted_kinds"],
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                    digest_mode=data["digest_mode"],
                    digest_hour=data["digest_hour"],
                )
            except ValidationFailed as exc:
                for field, errors in (exc.fields or {}).items():
                    targets = (
                        [
                            channel_field(c, Channel.SMS)
                            for c in Category.values
                            if data.get(channel_field(c, Channel.SMS))
                        ]
                        if field == "sms"
                        else [field if field in form.fields else None]
                    )
                    for error in errors:
                        form.add_error(targets[0] if targets else None, error)
            else:
                messages.success(request, _("Preferensi notifikasi disimpan."))
                return redirect("nudges:preferences")
        status = 422
    else:
        form = PreferenceForm(initial=PreferenceForm.initial_for(pref), **form_kwargs)
        status = 200
    context = {
        "form": form,
        "email_address": EmailChannel().address_for(request.user),
        "phone": gateway.address_for(request.user),
        "sms_available": sms_available,
    }
    return render(request, "nudges/preferences.html", context, status=status)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("tahun", "")
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and this_year - 10 <= int(raw) <= this_year else this_year


def _labels() -> dict[str, str]:
    labels = services.rule_kinds()
    return labels


@login_required
def effects(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_effects(request.user):
        raise PermissionDenied(_("Halaman ini untuk admin BKPP dan pimpinan."))
    year = _year(request)
    rows = selectors.effect_rows(year=year)
    labels = _labels()
    for row in rows:
        row.label = labels.get(row.kind, row.kind)  # type: ignore[attr-defined]
    totals = selectors.effect_totals(rows)
    for row in totals:
        row.label = labels.get(row.kind, row.kind)  # type: ignore[attr-defined]
    if request.GET.get("format") == "xlsx":
        return _effects_xlsx(year, rows, labels)
    return render(
        request,
        "nudges/effects.html",
        {"year": year, "years": selectors.log_years(), "rows": rows, "totals": totals},
    )


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _effects_xlsx(year: int, rows: list[selectors.EffectRow], labels: dict[str, str]) -> HttpResponse:
    headers = [
        _("Jenis"),
        _("Bulan"),
        _("Terkirim"),
        _("Masih diamati"),
        _("Terukur"),
        _("Bertindak ≤14 hari"),
        _("Persentase bertindak"),
        _("Median hari"),
        _("Pembanding: terukur"),
        _("Pembanding: bertindak"),
        _("Pembanding: persentase"),
    ]
    data = [
        [
            labels.get(r.kind, r.kind),
            r.month,
            r.sent,
            r.pending,
            r.measured,
            r.acted,
            _pct(r.rate),
            "" if r.median_days is None else f"{r.median_days:.1f}",
            r.comparison_measured,
            r.comparison_acted,
            _pct(r.comparison_rate),
        ]
        for r in rows
    ]
    content = write_xlsx(headers, data, sheet_title=f"Efek pengingat {year}")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="efek-pengingat-{year}-{dt.date.today().isoformat()}.xlsx"'
    )
    return response


urlpatterns = [
    path("preferensi/", preferences, name="preferences"),
    path("efek/", effects, name="effects"),
]
