"""Queue statistics page (/layanan/statistik/): filters, tables per group, SVG bar charts, XLSX export and
Erlang C staffing advice per hour of day for one point. Reads only through selectors/stats.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.lib.tabular import write_xlsx
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import Service, ServicePoint
from mumpuni.queueing.selectors import stats as selectors
from mumpuni.queueing.views.points import WEEKDAYS

GROUP_TITLES = {
    "point": gettext_lazy("Per tempat pelayanan"),
    "service": gettext_lazy("Per layanan"),
    "counter": gettext_lazy("Per loket"),
    "officer": gettext_lazy("Per petugas"),
    "hour": gettext_lazy("Per jam"),
    "day": gettext_lazy("Per hari"),
}
MAX_DAYS = 366


class CodeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice named by its code in the query string, as the API names it (`?point=33.74.10`,
    `?service=KTP-REKAM`); a bare number is still read as the row id, so links made before keep working."""

    def __init__(self, *args: Any, code_lookup: str, code_attribute: str, **kwargs: Any) -> None:
        self.code_lookup = code_lookup
        self.code_attribute = code_attribute
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, models.Model):
            return getattr(value, self.code_attribute)
        if isinstance(value, str) and value.isdigit():
            found = self._lookup(value)  # an old link: show its choice selected, by code
            return getattr(found, self.code_attribute) if found is not None else value
        return value

    def _lookup(self, value: str) -> Any:
        queryset = self.queryset
        if queryset is None:
            return None
        found = queryset.filter(**{self.code_lookup: value}).first()
        if found is None and value.isdigit():
            found = queryset.filter(pk=int(value)).first()
        return found

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        found = self._lookup(str(value).strip())
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return found


class StatsFilterForm(forms.Form):
    point = CodeChoiceField(
        label=gettext_lazy("Tempat pelayanan"),
        queryset=ServicePoint.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua"),
        code_lookup="unit__code",
        code_attribute="code",
    )
    service = CodeChoiceField(
        label=gettext_lazy("Layanan"),
        queryset=Service.objects.all(),
        required=False,
        empty_label=gettext_lazy("Semua"),
        code_lookup="code",
        code_attribute="code",
    )
    date_from = forms.DateField(
        label=gettext_lazy("Dari"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Sampai"), required=False, widget=forms.DateInput({"type": "date"})
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Hari (saran loket)"),
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        required=False,
    )
    target_wait = forms.FloatField(
        label=gettext_lazy("Target tunggu (menit)"), min_value=0, max_value=240, required=False
    )
    service_level = forms.FloatField(
        label=gettext_lazy("Target tingkat layanan (%)"), min_value=1, max_value=99.9, required=False
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.fields["point"].queryset = selectors.visible_points(user)  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = (
                f"{css} form-control-sm" if css == "form-control" else "form-select form-select-sm"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        date_to = cleaned.get("date_to") or today
        date_from = cleaned.get("date_from") or date_to - dt.timedelta(days=29)
        if date_from > date_to:
            self.add_error("date_from", _("Tanggal awal harus sebelum tanggal akhir."))
        elif (date_to - date_from).days > MAX_DAYS:
            self.add_error("date_from", _("Rentang paling lama satu tahun."))
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        return cleaned

    def filters(self) -> selectors.StatsFilter:
        """The valid part of the filters; a bad field falls back to its default (and shows its error)."""
        today = timezone.localdate()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - dt.timedelta(days=29)
        date_from = min(date_from, date_to)
        return selectors.StatsFilter(
            date_from=date_from, date_to=date_to, point=data.get("point"), service=data.get("service")
        )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    cx: float
    label: str
    value: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    max_label: str


def bar_chart(title: str, points: list[tuple[str, float | None]], *, unit: str = "") -> Chart:
    """Bars with coordinates computed here so the template only draws <rect>s (no chart library)."""
    width, height, top, bottom = 640, 240, 24, 34
    plot = height - top - bottom
    peak = max((v for _, v in points if v), default=0.0) or 1.0
    slot = width / max(len(points), 1)
    bars = []
    for index, (label, value) in enumerate(points):
        h = (value or 0) / peak * plot
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.15, 1),
                y=round(top + plot - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                cx=round(index * slot + slot / 2, 1),
                label=label,
                value="—"
                if value is None
                else f"{value:.1f}{unit}"
                if isinstance(value, float)
                else f"{value}{unit}",
            )
        )
    return Chart(title, width, height, top + plot, bars, f"{peak:.4g}{unit}")


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


EXPORT_HEADERS = [
    "kelompok",
    "nama",
    "jumlah",
    "selesai",
    "tidak_hadir",
    "tingkat_tidak_hadir_persen",
    "sesuai_standar_persen",
    "tunggu_rata_menit",
    "tunggu_p50_menit",
    "tunggu_p90_menit",
    "layanan_rata_menit",
    "layanan_p50_menit",
    "layanan_p90_menit",
]


def _export_row(group: str, g: selectors.GroupStats) -> list[Any]:
    return [
        group,
        g.label,
        g.count,
        g.finished,
        g.no_show,
        _share(g.no_show_rate),
        _share(g.within_target_share),
        _minutes(g.wait_mean),
        _minutes(g.wait_p50),
        _minutes(g.wait_p90),
        _minutes(g.service_mean),
        _minutes(g.service_p50),
        _minutes(g.service_p90),
    ]


@login_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    try:
        data = request.GET.copy()
        # Show the effective defaults in the form (last 30 days; 10 minutes, 80 %) rather than empty fields.
        today = timezone.localdate()
        if not data.get("date_from") and not data.get("date_to"):
            data["date_from"] = (today - dt.timedelta(days=29)).isoformat()
            data["date_to"] = today.isoformat()
        for name, default in (
            ("target_wait", "10"),
            ("service_level", "80"),
            ("weekday", str(today.weekday())),  # the staffing advice is for today unless chosen
        ):
            if not data.get(name):
                data[name] = default
        form = StatsFilterForm(data, user=request.user)
        filters = form.filters()
        report = selectors.ticket_stats(request.user, filters)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc

    if request.GET.get("format") == "xlsx":
        rows = [_export_row("total", report.total)]
        for group, items in report.groups.items():
            rows.extend(_export_row(group, g) for g in items)
        content = write_xlsx(EXPORT_HEADERS, rows, sheet_title="Statistik antrean")
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"statistik-antrean-{filters.date_from}-{filters.date_to}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    hours = report.groups["hour"]
    charts = [
        bar_chart(_("Kedatangan per jam"), [(f"{g.key:02d}", float(g.count)) for g in hours]),
        bar_chart(
            _("Rata-rata waktu tunggu per jam (menit)"), [(f"{g.key:02d}", g.wait_mean) for g in hours]
        ),
    ]
    staffing = None
    weekday = timezone.localdate().weekday()
    if filters.point is not None and selectors.stats_access(scope_for(request.user)) != "own":
        cleaned: dict[str, Any] = getattr(form, "cleaned_data", {})
        if cleaned.get("weekday") not in (None, ""):
            weekday = int(cleaned["weekday"])
        level = float(cleaned.get("service_level") or 80.0)
        target_wait = cleaned.get("target_wait")
        staffing = selectors.staffing_by_hour(
            request.user,
            filters.point,
            weekday=weekday,
            target_wait_minutes=10.0 if target_wait is None else float(target_wait),
            target_service_level=level / 100.0,
        )
    # City-wide, the counter and officer tables run to hundreds of rows (slow to render, unreadable):
    # they are in the XLSX export, and on the page once a point is chosen.
    hidden = {"hour"} if filters.point is not None else {"hour", "counter", "officer"}
    export_query = request.GET.copy()
    export_query["format"] = "xlsx"
    context = {
        "form": form,
        "report": report,
        "groups": [(GROUP_TITLES[k], k, v) for k, v in report.groups.items() if k not in hidden],
        "per_person_hidden": bool(hidden - {"hour"}),
        "hours": hours,
        "charts": charts,
        "staffing": staffing,
        "staffing_weekday": WEEKDAYS[weekday],
        "export_query": export_query.urlencode(),
    }
    return render(request, "queueing/stats/stats.html", context)


urlpatterns = [path("statistik/", stats_page, name="stats")]
