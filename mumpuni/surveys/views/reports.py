"""Staff IKM pages (/ikm/, login): the figures of a unit and period, the quarterly trend, the comparison of
units, and the official report as PDF and XLSX. Reads only through surveys.selectors; who sees what is
surveys.access (admin/executive city-wide, unit heads their subtree, nobody else).

A filter naming a unit, point, counter or officer outside the user's scope (or unknown) is a 404, on the
pages and the downloads alike; a bad date or population shows its error and falls back to the default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mumpuni.lib.ikm import classify, to_decimal
from mumpuni.people.models import Employee, Unit
from mumpuni.queueing.models import Counter, Service, ServicePoint
from mumpuni.surveys import access
from mumpuni.surveys import selectors as sel
from mumpuni.surveys.models import SurveyResponse

MAX_DAYS = 731
PDF_SUGGESTIONS = 40  # the latest in the PDF; the XLSX has them all (up to a sane bound)
XLSX_SUGGESTIONS = 50_000
SCOPED_FIELDS = ("unit", "point", "counter", "officer")
MUTU_COLOUR = {"A": "success", "B": "primary", "C": "warning", "D": "danger"}
GROUP_TITLES = {
    "service": gettext_lazy("Per layanan"),
    "counter": gettext_lazy("Per loket"),
    "officer": gettext_lazy("Per petugas"),
}
PROFILE_TITLES = {
    "age_band": gettext_lazy("Usia"),
    "sex": gettext_lazy("Jenis kelamin"),
    "education": gettext_lazy("Pendidikan"),
    "occupation": gettext_lazy("Pekerjaan"),
}


class _Choice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Unit):
            return f"{obj.code} {obj.name}"
        if isinstance(obj, Counter):
            return f"{obj.point.name} — {obj.name}"
        return str(getattr(obj, "name", obj))


def _quarter_choices(today: dt.date) -> list[tuple[str, str]]:
    return [(q.key, q.label) for q in reversed(sel.last_quarters(today, 8))]


class IkmFilterForm(forms.Form):
    unit = _Choice(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Semua unit"),
    )
    point = _Choice(
        label=gettext_lazy("Tempat pelayanan"),
        queryset=ServicePoint.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua"),
    )
    service = _Choice(
        label=gettext_lazy("Layanan"),
        queryset=Service.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Semua"),
    )
    counter = _Choice(
        label=gettext_lazy("Loket"),
        queryset=Counter.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua"),
    )
    officer = _Choice(
        label=gettext_lazy("Petugas"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua"),
    )
    quarter = forms.ChoiceField(label=gettext_lazy("Triwulan"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("Dari"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Sampai"), required=False, widget=forms.DateInput({"type": "date"})
    )
    population = forms.IntegerField(
        label=gettext_lazy("Populasi (opsional)"),
        required=False,
        min_value=0,
        max_value=100_000_000,
        help_text=gettext_lazy("Jumlah pengguna layanan; kosong = tiket selesai dalam periode."),
    )

    def __init__(self, data: Any, *, user: Any, fields: tuple[str, ...] | None = None) -> None:
        super().__init__(data)
        self.today = timezone.localdate()
        self.fields["unit"].queryset = access.report_units(user)  # type: ignore[attr-defined]
        self.fields["point"].queryset = access.visible_points(user).order_by("unit__code")  # type: ignore[attr-defined]
        self.fields["counter"].queryset = access.visible_counters(user).order_by(  # type: ignore[attr-defined]
            "point__unit__code", "number"
        )
        self.fields["officer"].queryset = access.visible_officers(user).order_by("name")  # type: ignore[attr-defined]
        current = sel.Quarter.of(self.today)
        self.fields["quarter"].choices = [  # type: ignore[attr-defined]
            ("", _("Triwulan berjalan (%(label)s)") % {"label": current.label}),
            *_quarter_choices(self.today)[1:],
        ]
        if not access.is_city_wide(user):
            # A unit head always looks at one of their units: no "all units" choice.
            self.fields["unit"].empty_label = None  # type: ignore[attr-defined]
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )

    def out_of_scope(self) -> bool:
        """A unit/point/counter/officer the user may not see (or that does not exist) was asked for."""
        self.is_valid()
        return any(name in self.errors for name in SCOPED_FIELDS if name in self.fields)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to:
            if date_from > date_to:
                self.add_error("date_from", _("Tanggal awal harus sebelum tanggal akhir."))
            elif (date_to - date_from).days > MAX_DAYS:
                self.add_error("date_from", _("Rentang paling lama dua tahun."))
        return cleaned

    def period(self) -> tuple[dt.date, dt.date, str]:
        """From, to and a label: explicit dates win, then the chosen quarter, else the current quarter."""
        data = getattr(self, "cleaned_data", {})
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if "date_from" not in self.errors and (date_from or date_to):
            date_to = date_to or self.today
            date_from = date_from or sel.Quarter.of(date_to).start
            if date_from <= date_to:
                return date_from, date_to, f"{sel_tanggal(date_from)} s.d. {sel_tanggal(date_to)}"
        quarter = sel.Quarter.of(self.today)
        if data.get("quarter"):
            quarter = sel.Quarter.parse(data["quarter"])
        return (
            quarter.start,
            quarter.end,
            f"{quarter.label} ({sel_tanggal(quarter.start)} s.d. {sel_tanggal(quarter.end)})",
        )

    def filter(self, user: Any) -> sel.IkmFilter:
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit") or access.default_unit(user)
        date_from, date_to, _label = self.period()
        return sel.IkmFilter(
            unit=unit,
            point_id=data["point"].pk if data.get("point") else None,
            service_id=data["service"].pk if data.get("service") else None,
            counter_id=data["counter"].pk if data.get("counter") else None,
            officer_id=data["officer"].pk if data.get("officer") else None,
            date_from=date_from,
            date_to=date_to,
        )

    def given_population(self) -> int | None:
        value = getattr(self, "cleaned_data", {}).get("population")
        return None if value is None else int(value)

    def describe(self) -> list[tuple[str, str]]:
        """The narrowing filters as (label, value) for headings and the report."""
        data = getattr(self, "cleaned_data", {})
        out = []
        for name in ("point", "service", "counter", "officer"):
            if name in self.fields and data.get(name):
                field = self.fields[name]
                out.append((str(field.label), field.label_from_instance(data[name])))  # type: ignore[attr-defined]
        return out


def sel_tanggal(day: dt.date) -> str:
    from mumpuni.learning.pdf import tanggal

    return tanggal(day)


def _form(request: HttpRequest, fields: tuple[str, ...] | None = None) -> IkmFilterForm:
    if not access.can_see_ikm(request.user):
        raise PermissionDenied(_("Hanya pimpinan dan kepala unit yang dapat melihat IKM."))
    data = request.GET.copy()
    if not data.get("unit") and not access.is_city_wide(request.user):
        unit = access.default_unit(request.user)
        if unit is not None:
            data["unit"] = unit.code
    form = IkmFilterForm(data, user=request.user, fields=fields)
    if form.out_of_scope():
        raise Http404(_("Unit, tempat, loket atau petugas tidak ditemukan dalam cakupan Anda."))
    return form


# --- presentation helpers (the PDF and XLSX use them too) ------------------------------------------


@dataclass(frozen=True)
class UnsurRow:
    code: str
    name: str
    answers: int
    nrr: Decimal | None  # 3 decimals
    converted: Decimal | None  # NRR × 25, 2 decimals
    mutu: str | None
    lowest: bool

    @property
    def percent(self) -> float:
        return float(self.converted or 0)


def unsur_rows(figures: sel.IkmFigures) -> list[UnsurRow]:
    result = figures.result
    lowest = set(figures.lowest)
    rows = []
    for code, name in sel.UNSUR_NAMES.items():
        nrr: Fraction | None = result.nrr.get(code)
        converted = to_decimal(nrr * 25) if nrr is not None else None
        rows.append(
            UnsurRow(
                code,
                name,
                figures.answers.get(code, 0),
                to_decimal(nrr, Decimal("0.001")) if nrr is not None else None,
                converted,
                classify(converted)[0] if converted is not None else None,
                code in lowest,
            )
        )
    return rows


def period_label(f: sel.IkmFilter) -> str:
    assert f.date_from is not None and f.date_to is not None
    q = sel.Quarter.of(f.date_from)
    if f.date_from == q.start and f.date_to == q.end:
        return f"{q.label} ({sel_tanggal(f.date_from)} s.d. {sel_tanggal(f.date_to)})"
    return f"{sel_tanggal(f.date_from)} s.d. {sel_tanggal(f.date_to)}"


def _query(request: HttpRequest, **extra: str) -> str:
    query = request.GET.copy()
    for key, value in extra.items():
        query[key] = value
    return query.urlencode()


# --- pages -----------------------------------------------------------------------------------------


@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    f = form.filter(request.user)
    # City-wide, the counter and officer tables run to hundreds of rows: they are in the XLSX, and on the
    # page once a unit or point is chosen.
    per_person = f.unit is not None or f.point_id is not None
    group_by = ("service", "counter", "officer") if per_person else ("service",)
    figs = sel.figures(f, given_population=form.given_population(), group_by=group_by)
    context = {
        "form": form,
        "f": f,
        "identity": sel.unit_identity(f.unit),
        "period": period_label(f),
        "narrowed": form.describe(),
        "figs": figs,
        "report": figs.report,
        "result": figs.result,
        "ikm_text": _ikm_text(figs.result.ikm),
        "mutu_colour": MUTU_COLOUR.get(figs.result.mutu or "", "secondary"),
        "unsur": unsur_rows(figs),
        "groups": [(GROUP_TITLES[k], k, v) for k, v in figs.groups.items()],
        "profile": [(PROFILE_TITLES[k], rows) for k, rows in figs.profile.items()],
        "channels": [
            (gettext(label), figs.channels[value]) for value, label in SurveyResponse.Channel.choices
        ],
        "query": request.GET.urlencode(),
        "mutu_colours": MUTU_COLOUR,
        "per_person_hidden": not per_person,
    }
    return render(request, "surveys/reports/figures.html", context)


def _ikm_text(ikm: Decimal | None) -> str:
    """Two decimals with the page language's decimal mark (77,23 in Indonesian, 77.23 in English)."""
    if ikm is None:
        return "—"
    text = f"{ikm:.2f}"
    return text if get_language() == "en" else text.replace(".", ",")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: str


def _trend_chart(rows: list[sel.QuarterIkm]) -> dict[str, Any]:
    """IKM per quarter as an SVG line over the four mutu bands (coordinates computed here, the template
    only draws), and respondents as bars below."""
    width, height, left, right, top, bottom = 720, 280, 44, 16, 16, 36
    lo, hi = 50.0, 100.0
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(len(rows), 1)

    def y_of(value: float) -> float:
        value = min(max(value, lo), hi)
        return round(top + plot_h - (value - lo) / (hi - lo) * plot_h, 1)

    points = [
        Point(
            round(left + slot * (i + 0.5), 1),
            y_of(float(r.result.ikm)),
            r.quarter.label,
            _ikm_text(r.result.ikm),
        )
        for i, r in enumerate(rows)
        if r.result.ikm is not None
    ]
    bands = []
    edges = [("A", 100.0, 88.31), ("B", 88.305, 76.61), ("C", 76.605, 65.0), ("D", 64.995, lo)]
    for mutu, top_v, bottom_v in edges:
        y1, y2 = y_of(top_v), y_of(bottom_v)
        bands.append({"mutu": mutu, "y": y1, "h": round(y2 - y1, 1), "colour": MUTU_COLOUR[mutu]})
    peak = max((r.result.respondents for r in rows), default=0) or 1
    bars = [
        {
            "x": round(left + slot * i + slot * 0.2, 1),
            "w": round(slot * 0.6, 1),
            "h": round(r.result.respondents / peak * 60, 1),
            "y": round(80 - r.result.respondents / peak * 60, 1),
            "cx": round(left + slot * (i + 0.5), 1),
            "n": r.result.respondents,
            "label": r.quarter.label,
        }
        for i, r in enumerate(rows)
    ]
    ticks = [
        {"v": label, "y": y_of(v)}
        for v, label in ((50, "50"), (65, "65"), (76.61, "76,61"), (88.31, "88,31"), (100, "100"))
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right_x": width - right,
        "plot_w": plot_w,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "bands": bands,
        "bars": bars,
        "ticks": ticks,
        "labels": [
            {"x": round(left + slot * (i + 0.5), 1), "label": r.quarter.label} for i, r in enumerate(rows)
        ],
    }


@login_required
@require_GET
def trends_page(request: HttpRequest) -> HttpResponse:
    form = _form(request, fields=("unit", "point", "service", "counter", "officer", "quarter"))
    f = form.filter(request.user)
    try:
        count = min(max(int(request.GET.get("quarters") or 8), 4), 8)
    except ValueError:
        count = 8
    until = f.date_to or timezone.localdate()
    rows = sel.quarterly(f, until=until, quarters=count)
    table = [
        {
            "quarter": r.quarter,
            "result": r.result,
            "ikm_text": _ikm_text(r.result.ikm),
            "nrr": [
                to_decimal(r.result.nrr[c], Decimal("0.01")) if c in r.result.nrr else None
                for c in sel.UNSUR_NAMES
            ],
            "lowest": sel.lowest_unsur(r.result),
        }
        for r in rows
    ]
    context = {
        "form": form,
        "identity": sel.unit_identity(f.unit),
        "narrowed": form.describe(),
        "rows": table,
        "codes": list(sel.UNSUR_NAMES),
        "chart": _trend_chart(rows),
        "quarters": count,
        "quarter_options": [4, 6, 8],
        "mutu_colours": MUTU_COLOUR,
        "query": request.GET.urlencode(),
    }
    return render(request, "surveys/reports/trends.html", context)


@login_required
@require_GET
def compare_page(request: HttpRequest) -> HttpResponse:
    form = _form(request, fields=("service", "quarter", "date_from", "date_to"))
    f = form.filter(request.user)
    # The comparison is across units: no unit narrowing beyond the user's scope.
    f = replace(f, unit=None)
    paths = access.ikm_paths(request.user)
    units = access.visible_units(request.user).filter(service_point__isnull=False).order_by("code")
    if paths is not None and not paths:
        units = units.none()
    # A unit head's comparison stays inside their subtree(s): only those units are candidates.
    ranked = sel.compare_units(f, units)
    codes = dict(units.values_list("pk", "code"))
    rows = [
        {
            "rank": i + 1 if g.result.ikm is not None else None,
            "group": g,
            "ikm_text": _ikm_text(g.result.ikm),
            "width": round(float(g.result.ikm or 0), 1),
            "lowest_name": sel.UNSUR_NAMES.get(g.lowest_code or "", ""),
            "unit_code": codes.get(g.key, ""),
        }
        for i, g in enumerate(ranked)
    ]
    context = {
        "form": form,
        "period": period_label(f),
        "rows": rows,
        "mutu_colours": MUTU_COLOUR,
        "query": request.GET.urlencode(),
    }
    return render(request, "surveys/reports/compare.html", context)


# --- the official report -----------------------------------------------------------------------------


def _report_parts(
    request: HttpRequest, suggestions_limit: int
) -> tuple[sel.IkmFigures, sel.UnitIdentity, str, list[tuple[str, str]]]:
    form = _form(request)
    f = form.filter(request.user)
    figs = sel.figures(f, given_population=form.given_population(), suggestions_limit=suggestions_limit)
    return figs, sel.unit_identity(f.unit), period_label(f), form.describe()


def _file_name(identity: sel.UnitIdentity, f: sel.IkmFilter, ext: str) -> str:
    code = (identity.code or "kota").replace(".", "-")
    return f"laporan-skm-{code}-{f.date_from}-{f.date_to}.{ext}"


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    from mumpuni.surveys.report_pdf import render_report

    figs, identity, period, narrowed = _report_parts(request, PDF_SUGGESTIONS)
    content = render_report(figs, identity, period, narrowed, unsur_rows(figs), today=timezone.localdate())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(identity, figs.filter, "pdf")}"'
    return response


@login_required
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponse:
    from mumpuni.surveys.report_xlsx import render_report

    figs, identity, period, narrowed = _report_parts(request, XLSX_SUGGESTIONS)
    content = render_report(figs, identity, period, narrowed, unsur_rows(figs))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(identity, figs.filter, "xlsx")}"'
    return response


urlpatterns = [
    path("", figures_page, name="figures"),
    path("tren/", trends_page, name="trends"),
    path("perbandingan/", compare_page, name="compare"),
    path("laporan.pdf", report_pdf, name="report_pdf"),
    path("laporan.xlsx", report_xlsx, name="report_xlsx"),
]
