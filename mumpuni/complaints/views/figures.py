"""Complaint figures (/meja-pengaduan/angka/): per unit and per category, per 1,000 tickets per point and per
officer, horizontal CSS bars (no chart library) and an XLSX export. Reads only through selectors/figures.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mumpuni.complaints import access
from mumpuni.complaints.forms_desk import FiguresFilterForm
from mumpuni.complaints.selectors import figures as selectors
from mumpuni.lib.tabular import write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float
    text: str
    percent: float  # of the widest bar, for the CSS width


def bars(rows: list[tuple[str, float | None]], fmt: str = "{:.0f}", limit: int = 15) -> list[BarRow]:
    """Horizontal bars, widest first; rows without a value are left out."""
    present = sorted(((label, v) for label, v in rows if v is not None), key=lambda r: -r[1])[:limit]
    peak = max((v for _, v in present), default=0.0) or 1.0
    return [BarRow(label, v, fmt.format(v), round(v / peak * 100, 1)) for label, v in present]


def _num(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


EXPORT_HEADERS = [
    "kelompok",
    "nama",
    "jumlah",
    "terverifikasi",
    "ditolak",
    "dijawab",
    "dijawab_tepat_waktu",
    "tepat_waktu_persen",
    "terbuka",
    "lewat_batas",
    "median_verifikasi_jam",
    "median_verifikasi_hari_kerja",
    "median_jawaban_jam",
    "median_jawaban_hari_kerja",
    "rata_nilai",
    "jumlah_nilai",
]
RATE_HEADERS = ["kelompok", "nama", "unit", "pengaduan", "tiket", "pengaduan_per_1000_tiket"]


def _group_row(group: str, g: selectors.GroupFigures) -> list[Any]:
    share = g.on_time_share
    return [
        group,
        g.label,
        g.total,
        g.verified,
        g.rejected,
        g.answered,
        g.on_time,
        "" if share is None else f"{share * 100:.1f}",
        g.open,
        g.overdue,
        _num(g.verify_hours),
        _num(g.verify_days),
        _num(g.answer_hours),
        _num(g.answer_days),
        _num(g.rating_mean, 2),
        g.rating_count,
    ]


def _export(report: selectors.FiguresReport) -> HttpResponse:
    rows = [_group_row("total", report.total)]
    rows += [_group_row("unit", g) for g in report.by_unit]
    rows += [_group_row("kategori", g) for g in report.by_category]
    rows.append([""] * len(EXPORT_HEADERS))
    rows.append([*RATE_HEADERS, *[""] * (len(EXPORT_HEADERS) - len(RATE_HEADERS))])
    for group, items in (("tempat", report.by_point), ("petugas", report.by_officer)):
        for r in items:
            rows.append(
                [
                    group,
                    r.label,
                    r.unit_label,
                    r.complaints,
                    r.tickets,
                    _num(r.per_thousand, 2),
                    *[""] * (len(EXPORT_HEADERS) - len(RATE_HEADERS)),
                ]
            )
    content = write_xlsx(EXPORT_HEADERS, rows, sheet_title="Angka pengaduan")
    response = HttpResponse(content, content_type=XLSX)
    name = f"angka-pengaduan-{report.date_from}-{report.date_to}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    if selectors.figures_access(request.user) is None:
        raise PermissionDenied(_("Anda tidak berhak melihat angka pengaduan."))
    form = FiguresFilterForm(request.GET or None)
    date_from, date_to = form.period(selectors.DEFAULT_DAYS)
    if not form.is_bound:
        form = FiguresFilterForm(initial={"date_from": date_from, "date_to": date_to})
    report = selectors.complaint_figures(request.user, date_from, date_to)
    if request.GET.get("format") == "xlsx":
        return _export(report)

    export_query = request.GET.copy()
    export_query["format"] = "xlsx"
    export_query.setdefault("date_from", date_from.isoformat())
    export_query.setdefault("date_to", date_to.isoformat())
    charts = [
        (_("Pengaduan per kategori"), bars([(g.label, float(g.total)) for g in report.by_category])),
        (_("Pengaduan per unit"), bars([(g.label, float(g.total)) for g in report.by_unit])),
        (
            _("Median waktu jawaban per unit (hari kerja)"),
            bars([(g.label, g.answer_days) for g in report.by_unit], "{:.1f}"),
        ),
        (
            _("Dijawab tepat waktu per unit (%)"),
            bars(
                [
                    (g.label, None if g.on_time_share is None else g.on_time_share * 100)
                    for g in report.by_unit
                ],
                "{:.0f} %",
            ),
        ),
        (
            _("Pengaduan per 1.000 tiket per tempat layanan"),
            bars([(r.label, r.per_thousand) for r in report.by_point], "{:.2f}"),
        ),
    ]
    context = {
        "form": form,
        "report": report,
        "charts": charts,
        "officers": report.by_officer[: selectors.NO_OFFICER_ROWS],
        "officers_hidden": max(len(report.by_officer) - selectors.NO_OFFICER_ROWS, 0),
        "export_query": export_query.urlencode(),
        "user_is_desk": access.is_desk(request.user),
    }
    return render(request, "complaints/figures/figures.html", context)


urlpatterns = [path("angka/", figures_page, name="figures")]
