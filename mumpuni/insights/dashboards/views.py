"""Dashboard pages under /dasbor/ (namespace "dashboards"): executive, BKPP and unit head, the drill-down
(/dasbor/rincian/<metric>/) and each dashboard's XLSX export (?format=xlsx). Thin: the figures come from
`dashboards.selectors`, the charts from `common.charts` (the same drawings the PDF reports use)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from mumpuni.common.charts import Chart, bar_chart, format_number, line_chart, stacked_bar
from mumpuni.insights.dashboards import selectors as sel
from mumpuni.insights.messages import OUTCOME_LABELS
from mumpuni.lib.tabular import defuse
from mumpuni.people.models import Role
from mumpuni.people.scopes import scope_for

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
PAGE_SIZE = 50
CHART_POINTS = 15  # bars in a chart; the table lists every row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B3D6B")
TITLE_FONT = Font(bold=True, size=13, color="0B3D6B")


def _month_label(month: Any) -> str:
    return f"{MONTHS[month.month - 1]} {month:%y}"


def _filter(request: HttpRequest) -> sel.Filter:
    try:
        return sel.resolve_filter(
            request.user,
            unit_code=request.GET.get("unit"),
            start=request.GET.get("from"),
            end=request.GET.get("to"),
        )
    except sel.OutOfScopeError:
        raise Http404(_("Unit tidak ditemukan.")) from None


def _choices(request: HttpRequest, f: sel.Filter) -> list[tuple[str, str]]:
    """The unit picker; a unit chosen deeper in the tree (a link from a table) is added so it shows selected."""
    choices = sel.unit_choices(request.user)
    if f.unit is not None and all(code != f.unit.code for code, _name in choices):
        choices.insert(0, (f.unit.code, f.unit.name))
    return choices


def _base_context(request: HttpRequest, f: sel.Filter, name: str) -> dict[str, Any]:
    return {
        "f": f,
        "query": f.query,
        "period_query": f.period.query,
        "units": _choices(request, f),
        "from_value": f"{f.period.start:%Y-%m}",
        "to_value": f"{f.period.end:%Y-%m}",
        "dashboard": name,
        "xlsx_url": f"{request.path}?{f.query}&format=xlsx",
        "can_executive": sel.can_see_executive(request.user),
        "can_bkpp": sel.can_see_bkpp(request.user),
    }


def _drill(metric: str, f: sel.Filter, extra: str = "") -> str:
    return f"{reverse('dashboards:drilldown', args=[metric])}?{f.query}{extra}"


def _kpi(key: str, label: str, value: Any, note: str = "", href: str = "", unit: str = "") -> dict[str, str]:
    shown = value if isinstance(value, str) else format_number(value, unit)
    return {"key": key, "label": label, "value": shown, "note": note, "href": href}


def _ikm_kpi(ikm: sel.IkmFigure, f: sel.Filter) -> dict[str, str]:
    if ikm.ikm is None:
        note = _("Belum ada jawaban SKM")
    else:
        note = _("Mutu %(mutu)s (%(kinerja)s) · %(n)s responden") % {
            "mutu": ikm.mutu,
            "kinerja": ikm.kinerja,
            "n": format_number(ikm.respondents),
        }
    value = format_number(float(ikm.ikm), decimals=2) if ikm.ikm is not None else "–"
    return _kpi("ikm", _("IKM"), value, note, _drill("skm", f))


def _complaint_kpis(c: sel.ComplaintFigures, f: sel.Filter) -> list[dict[str, str]]:
    return [
        _kpi(
            "complaints",
            _("Pengaduan diterima"),
            c.received,
            _("%(n)s sudah dijawab") % {"n": format_number(c.answered)},
            _drill("pengaduan", f),
        ),
        _kpi("ontime", _("Dijawab tepat waktu"), c.on_time_percent, "", _drill("pengaduan", f), "%"),
        _kpi("overdue", _("Terbuka lewat batas"), c.open_overdue, "", _drill("pengaduan", f, "&lewat=1")),
    ]


def _compliance_kpi(total: sel.ComplianceRow, f: sel.Filter) -> dict[str, str]:
    note = _("%(c)s dari %(e)s ASN, %(y)s") % {
        "c": format_number(total.compliant),
        "e": format_number(total.employees),
        "y": f.period.year,
    }
    return _kpi("jp", _("Pegawai ≥ 20 JP"), total.compliant_percent, note, _drill("jp", f), "%")


def _queue_kpis(q: sel.QueueFigures, f: sel.Filter) -> list[dict[str, str]]:
    tickets = _drill("tiket", f)
    return [
        _kpi(
            "wait",
            _("Rata-rata waktu tunggu"),
            q.wait_mean,
            _("%(n)s tiket · p90 %(p90)s")
            % {"n": format_number(q.issued), "p90": format_number(q.wait_p90, "mnt")},
            tickets,
            _("mnt"),
        ),
        _kpi("standard", _("Dilayani sesuai standar"), q.within_standard_percent, "", tickets, "%"),
    ]


def _budget_kpi(total: sel.BudgetRow | None, f: sel.Filter) -> list[dict[str, str]]:
    if total is None:
        return []
    note = _("Sisa Rp %(r)s") % {"r": format_number(total.remaining)}
    href = f"{reverse('planning:budget')}?tahun={f.period.year}"
    return [_kpi("budget", _("Anggaran pelatihan terpakai"), total.used_percent, note, href, "%")]


# --- /dasbor/ --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's role; supervisors and employees go to their development pages."""
    scope = scope_for(request.user)
    if scope.has_role(Role.ADMIN) or scope.city_manager:
        return redirect("dashboards:bkpp")
    if scope.city_wide:
        return redirect("dashboards:executive")
    if sel.can_see_unit(request.user):
        return redirect("dashboards:unit")
    if scope.has_role(Role.SUPERVISOR):
        return redirect("development:team")
    if scope.own_employee_id:
        return redirect("development:my")
    raise PermissionDenied(_("Tidak ada dasbor untuk peran Anda."))


# --- charts ----------------------------------------------------------------------------------------------------


def _trend_charts(trend: Sequence[sel.MonthPoint]) -> dict[str, Chart]:
    labels = [_month_label(p.month) for p in trend]
    return {
        "ikm": line_chart(
            _("IKM per bulan"),
            labels,
            {_("IKM"): [float(p.ikm) if p.ikm is not None else None for p in trend]},
        ),
        "wait": line_chart(
            _("Rata-rata waktu tunggu per bulan"),
            labels,
            {_("Menit"): [p.wait_mean for p in trend]},
            unit=_("mnt"),
            y_min=0,
        ),
        "complaints": bar_chart(
            _("Pengaduan diterima per bulan"), labels, [p.complaints for p in trend], horizontal=False
        ),
    }


def _short(name: str) -> str:
    """Chart labels: "Kecamatan Semarang Tengah" → "Kec. Semarang Tengah" (tables keep the full name)."""
    for long, short in (
        ("Kantor Kecamatan ", "Kec. "),
        ("Kecamatan ", "Kec. "),
        ("Mal Pelayanan Publik ", "MPP "),
        ("Kelurahan ", "Kel. "),
    ):
        if name.startswith(long):
            return short + name[len(long) :].lstrip()
    return name


def _points_chart(points: Sequence[sel.PointRow]) -> Chart:
    rows = sorted(
        (p for p in points if p.figures.wait_mean is not None), key=lambda p: -(p.figures.wait_mean or 0)
    )[:CHART_POINTS]
    return bar_chart(
        _("Rata-rata waktu tunggu per tempat pelayanan"),
        [_short(p.name) for p in rows],
        {
            _("Rata-rata"): [p.figures.wait_mean for p in rows],
            _("p90"): [p.figures.wait_p90 for p in rows],
        },
        unit=_("mnt"),
    )


def _compliance_chart(rows: Sequence[sel.ComplianceRow]) -> Chart:
    top = sorted(rows, key=lambda r: r.compliant_percent or 0)[:CHART_POINTS]
    return bar_chart(
        _("Pegawai dengan ≥ 20 JP per unit"),
        [_short(r.name) for r in top],
        [r.compliant_percent for r in top],
        unit="%",
    )


# --- executive -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def executive(request: HttpRequest) -> HttpResponse:
    if not sel.can_see_executive(request.user):
        raise PermissionDenied(_("Dasbor pimpinan hanya untuk pimpinan dan BKPP."))
    f = _filter(request)
    d = sel.executive(request.user, f)
    if request.GET.get("format") == "xlsx":
        return _executive_xlsx(d)
    charts = _trend_charts(d.trend)
    charts["points"] = replace(_points_chart(d.points), width=900)
    charts["compliance"] = _compliance_chart(d.compliance)
    kpis = [
        _ikm_kpi(d.ikm, f),
        *_queue_kpis(d.queue, f),
        *_complaint_kpis(d.complaints, f),
        _compliance_kpi(d.compliance_total, f),
        *_budget_kpi(d.budget_total, f),
    ]
    context = _base_context(request, f, "executive")
    context.update({"d": d, "charts": charts, "kpis": kpis})
    return render(request, "insights/dashboards/executive.html", context)


# --- BKPP --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def bkpp(request: HttpRequest) -> HttpResponse:
    if not sel.can_see_bkpp(request.user):
        raise PermissionDenied(_("Dasbor BKPP hanya untuk admin BKPP."))
    f = _filter(request)
    d = sel.bkpp(request.user, f)
    if request.GET.get("format") == "xlsx":
        return _bkpp_xlsx(d)
    labels = [_month_label(p.month) for p in d.trend]
    charts = {
        "gaps": bar_chart(
            _("Kompetensi dengan kesenjangan terbanyak (pegawai di bawah standar)"),
            [g.competency for g in d.gaps],
            [g.employees_below for g in d.gaps],
        ),
        "classes": stacked_bar(
            _("Kelas yang mulai dalam periode"),
            [_("Kelas")],
            {
                _("Direncanakan"): [d.classes.planned],
                _("Pendaftaran"): [d.classes.open],
                _("Berlangsung"): [d.classes.running],
                _("Selesai"): [d.classes.finished],
            },
        ),
        "jp": bar_chart(_("JP diberikan per bulan"), labels, [p.jp for p in d.trend], horizontal=False),
        "compliance": replace(_compliance_chart(d.compliance), width=900),
        "budget": stacked_bar(
            _("Anggaran per sumber"),
            [b.label for b in d.budget_sources],
            {
                _("Terealisasi"): [b.realised for b in d.budget_sources],
                _("Terikat"): [b.committed for b in d.budget_sources],
                _("Sisa"): [max(b.remaining or 0, 0) for b in d.budget_sources],
            },
            unit="Rp",
            width=900,
        ),
    }
    t = d.compliance_total
    kpis = [
        _kpi(
            "jp_total",
            _("JP diberikan"),
            d.jp_total,
            _("%(n)s penyelesaian") % {"n": format_number(d.completions)},
        ),
        _compliance_kpi(t, f),
        _kpi(
            "plans",
            _("Pegawai dengan rencana"),
            t.plan_percent,
            _("%(a)s disetujui dari %(w)s")
            % {"a": format_number(t.plan_agreed), "w": format_number(t.with_plan)},
            reverse("development:coverage"),
            "%",
        ),
        _kpi(
            "classes",
            _("Kelas dalam periode"),
            d.classes.planned + d.classes.open + d.classes.running + d.classes.finished,
            _("%(s)s kursi") % {"s": format_number(d.classes.seats)},
            reverse("learning:home"),
        ),
        *_budget_kpi(d.budget_total, f),
    ]
    context = _base_context(request, f, "bkpp")
    context.update({"d": d, "charts": charts, "kpis": kpis})
    return render(request, "insights/dashboards/bkpp.html", context)


# --- unit head ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def unit(request: HttpRequest) -> HttpResponse:
    if not sel.can_see_unit(request.user):
        raise PermissionDenied(_("Dasbor unit hanya untuk kepala unit/camat, pimpinan dan BKPP."))
    f = _filter(request)
    d = sel.unit_dashboard(request.user, f)
    if request.GET.get("format") == "xlsx":
        return _unit_xlsx(d)
    charts = _trend_charts(d.trend)
    top = d.services[:CHART_POINTS]
    charts["services"] = replace(
        bar_chart(_("Tiket bulan ini per layanan"), [s.name for s in top], [s.figures.issued for s in top]),
        width=900,
    )
    charts["compliance"] = _compliance_chart(d.compliance)
    kpis = [
        _ikm_kpi(d.ikm, f),
        *_complaint_kpis(d.complaints, f),
        _compliance_kpi(d.compliance_total, f),
    ]
    context = _base_context(request, f, "unit")
    context.update({"d": d, "charts": charts, "kpis": kpis, "today": timezone.localdate()})
    return render(request, "insights/dashboards/unit.html", context)


# --- drill-down --------------------------------------------------------------------------------------------------

DRILL_TITLES = {
    "tiket": _("Tiket antrean"),
    "pengaduan": _("Pengaduan"),
    "skm": _("Jawaban SKM"),
    "jp": _("Pegawai di bawah 20 JP"),
}


@login_required
@require_GET
def drilldown(request: HttpRequest, metric: str) -> HttpResponse:
    """The raw rows behind a figure, within the user's scope, a page at a time (no personal data of citizens)."""
    if metric not in sel.DRILL_METRICS:
        raise Http404
    if not sel.can_see_unit(request.user):  # city-wide users and unit heads: the dashboards' audience
        raise PermissionDenied(_("Rincian dasbor hanya untuk pimpinan, BKPP dan kepala unit."))
    f = _filter(request)
    point_id = None
    if metric == "tiket":
        try:
            point_id = int(request.GET.get("titik") or 0) or None
        except ValueError:
            raise Http404 from None
        qs: Any = sel.rows_tickets(f, point_id)
    elif metric == "pengaduan":
        qs = sel.rows_complaints(f, overdue=request.GET.get("lewat") == "1")
    elif metric == "skm":
        qs = sel.rows_survey(f)
    else:
        qs = sel.rows_below_target(f)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    context = _base_context(request, f, "drilldown")
    context.update(
        {
            "metric": metric,
            "title": DRILL_TITLES[metric],
            "page": page,
            "keep": keep.urlencode(),
            "detail_url": _detail_url(metric, f),
        }
    )
    return render(request, "insights/dashboards/drilldown.html", context)


def _detail_url(metric: str, f: sel.Filter) -> str:
    """The existing detailed page of the metric with the period (and unit) applied."""
    start, end = f.period.start.isoformat(), f.period.last_day.isoformat()
    unit = f"&unit={f.unit.code}" if f.unit else ""
    if metric == "tiket":
        point = f"&point={f.unit.code}" if f.unit else ""
        return f"{reverse('queueing:stats')}?date_from={start}&date_to={end}{point}"
    if metric == "pengaduan":
        return reverse("complaints:inbox") + (f"?unit={f.unit.pk}" if f.unit else "")
    if metric == "skm":
        return f"{reverse('surveys:figures')}?date_from={start}&date_to={end}{unit}"
    return f"{reverse('learning:compliance')}?tahun={f.period.year}{unit}"


# --- XLSX --------------------------------------------------------------------------------------------------------

Sheet = tuple[str, list[str], list[list[Any]]]


def _workbook(title: str, f: sel.Filter, sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in sheets:
        ws = wb.create_sheet(name[:31])
        ws.cell(row=1, column=1, value=title).font = TITLE_FONT
        scope = f.unit.name if f.unit else _("Seluruh kota / cakupan Anda")
        ws.cell(
            row=2, column=1, value=f"{_('Periode')}: {f.period.start:%Y-%m} – {f.period.end:%Y-%m} · {scope}"
        )
        for col, header in enumerate(headers, start=1):
            cell = ws.cell(row=4, column=col, value=header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            ws.column_dimensions[get_column_letter(col)].width = max(12, min(40, len(header) + 4))
        ws.column_dimensions["A"].width = 36
        for r, values in enumerate(rows, start=5):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c, value=defuse(value) if isinstance(value, str) else value)
                if isinstance(value, str):
                    cell.data_type = "s"
        ws.freeze_panes = "B5"
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = f"{f.period.start:%Y%m}-{f.period.end:%Y%m}"
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _trend_sheet(trend: Sequence[sel.MonthPoint]) -> Sheet:
    return (
        _("Tren bulanan"),
        [_("Bulan"), _("IKM"), _("Responden"), _("Rata-rata tunggu (menit)"), _("Tiket"), _("Pengaduan"),
         _("Dijawab tepat waktu (%)"), _("JP"), _("Penyelesaian")],
        [
            [f"{p.month:%Y-%m}", _num(p.ikm), p.respondents, p.wait_mean, p.tickets, p.complaints,
             p.on_time_percent, p.jp, p.completions]
            for p in trend
        ],
    )  # fmt: skip


def _points_sheet(points: Sequence[sel.PointRow]) -> Sheet:
    return (
        _("Waktu tunggu"),
        [_("Tempat pelayanan"), _("Tiket"), _("Dilayani"), _("Rata-rata tunggu (menit)"), _("p50 (menit)"),
         _("p90 (menit)"), _("Sesuai standar (%)")],
        [
            [p.name, p.figures.issued, p.figures.served, p.figures.wait_mean, p.figures.wait_p50,
             p.figures.wait_p90, p.figures.within_standard_percent]
            for p in points
        ],
    )  # fmt: skip


def _compliance_sheet(total: sel.ComplianceRow, rows: Sequence[sel.ComplianceRow]) -> Sheet:
    return (
        _("Kepatuhan 20 JP"),
        [_("Unit"), _("Pegawai"), _("≥ 20 JP"), _("≥ 20 JP (%)"), _("Punya rencana"), _("Rencana disetujui"),
         _("JP")],
        [
            [r.name, r.employees, r.compliant, r.compliant_percent, r.with_plan, r.plan_agreed, r.jp_sum]
            for r in [*rows, total]
        ],
    )  # fmt: skip


def _budget_sheet(rows: Sequence[sel.BudgetRow]) -> Sheet:
    return (
        _("Anggaran"),
        [_("Anggaran"), _("Pagu (Rp)"), _("Terikat (Rp)"), _("Terealisasi (Rp)"), _("Sisa (Rp)"), _("Terpakai (%)")],
        [[b.label, b.amount, b.committed, b.realised, b.remaining, b.used_percent] for b in rows],
    )  # fmt: skip


def _summary_sheet(pairs: Sequence[tuple[str, Any]]) -> Sheet:
    return (_("Ringkasan"), [_("Angka"), _("Nilai")], [[label, _num(value)] for label, value in pairs])


def _executive_xlsx(d: sel.Executive) -> HttpResponse:
    c = d.complaints
    summary = _summary_sheet(
        [
            (_("IKM"), d.ikm.ikm),
            (_("Mutu"), d.ikm.mutu or ""),
            (_("Responden SKM"), d.ikm.respondents),
            (_("Tiket"), d.queue.issued),
            (_("Rata-rata tunggu (menit)"), d.queue.wait_mean),
            (_("Sesuai standar (%)"), d.queue.within_standard_percent),
            (_("Pengaduan diterima"), c.received),
            (_("Dijawab tepat waktu (%)"), c.on_time_percent),
            (_("Terbuka lewat batas"), c.open_overdue),
            (_("Pegawai ≥ 20 JP (%)"), d.compliance_total.compliant_percent),
        ]
    )
    proven = (
        _("Program terbukti"),
        [_("Kode"), _("Program"), _("Hasil"), _("Efek"), _("IK 95% bawah"), _("IK 95% atas"), _("Petugas lulusan")],
        [[p.program_code, p.program_name, str(OUTCOME_LABELS.get(p.outcome, p.outcome)), p.effect, p.ci_low,
          p.ci_high, p.officers_treated] for p in d.proven],
    )  # fmt: skip
    budget = [*d.budget_sources, *([d.budget_total] if d.budget_total else [])]
    sheets = [summary, _trend_sheet(d.trend), _points_sheet(d.points),
              _compliance_sheet(d.compliance_total, d.compliance), _budget_sheet(budget), proven]  # fmt: skip
    return _workbook(_("Dasbor pimpinan"), d.filter, sheets, "dasbor-pimpinan")


def _bkpp_xlsx(d: sel.Bkpp) -> HttpResponse:
    k = d.classes
    summary = _summary_sheet(
        [
            (_("JP diberikan"), d.jp_total),
            (_("Penyelesaian"), d.completions),
            (_("Realisasi belanja pelatihan (Rp)"), d.realised_spend),
            (_("Kelas direncanakan"), k.planned),
            (_("Kelas pendaftaran dibuka"), k.open),
            (_("Kelas berlangsung"), k.running),
            (_("Kelas selesai"), k.finished),
            (_("Kursi"), k.seats),
            (_("Pegawai ≥ 20 JP (%)"), d.compliance_total.compliant_percent),
            (_("Pegawai dengan rencana"), d.compliance_total.with_plan),
            (_("Rencana disetujui"), d.compliance_total.plan_agreed),
        ]
    )
    gaps = (
        _("Kesenjangan"),
        [_("Kompetensi"), _("Pegawai wajib"), _("Di bawah standar"), _("Jumlah kesenjangan"), _("Belum dinilai")],
        [[g.competency, g.employees, g.employees_below, g.total_gap, g.unassessed] for g in d.gaps],
    )  # fmt: skip
    budget = [*d.budget_sources, *([d.budget_total] if d.budget_total else []), *d.budget_units]
    sheets = [summary, gaps, _trend_sheet(d.trend), _compliance_sheet(d.compliance_total, d.compliance),
              _budget_sheet(budget)]  # fmt: skip
    return _workbook(_("Dasbor BKPP"), d.filter, sheets, "dasbor-bkpp")


def _unit_xlsx(d: sel.UnitDashboard) -> HttpResponse:
    services = (
        _("Layanan bulan ini"),
        [_("Layanan"), _("Tiket"), _("Dilayani"), _("Rata-rata tunggu (menit)"), _("p90 (menit)"),
         _("Sesuai standar (%)")],
        [[s.name, s.figures.issued, s.figures.served, s.figures.wait_mean, s.figures.wait_p90,
          s.figures.within_standard_percent] for s in d.services],
    )  # fmt: skip
    summary = _summary_sheet(
        [
            (_("IKM"), d.ikm.ikm),
            (_("Responden SKM"), d.ikm.respondents),
            (_("Pengaduan diterima"), d.complaints.received),
            (_("Dijawab tepat waktu (%)"), d.complaints.on_time_percent),
            (_("Terbuka lewat batas"), d.complaints.open_overdue),
            (_("Pegawai ≥ 20 JP (%)"), d.compliance_total.compliant_percent),
        ]
    )
    sheets = [summary, services, _points_sheet(d.points), _trend_sheet(d.trend),
              _compliance_sheet(d.compliance_total, d.compliance)]  # fmt: skip
    return _workbook(_("Dasbor unit"), d.filter, sheets, "dasbor-unit")
