"""(3) Laporan kinerja pelayanan per tempat layanan — one point (kecamatan office, MPP…) for a quarter or a
year: tickets, no-show, waiting time (mean; median and 90th percentile from the waiting-time histogram),
service time, share within the service's standard, per service and per month, the IKM of the point's unit
(SKM answers) and the complaints about it.

Figures: QueueDay (per service), QueueMonth (per month), SurveyMonth (IKM), ComplaintDay (reports.selectors).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from mumpuni.insights.models import WAIT_BUCKETS
from mumpuni.lib.ikm import IkmResult
from mumpuni.reports import pdfkit, selectors
from mumpuni.reports.charts_bridge import bar_chart
from mumpuni.reports.generators import Context, Output, Progress, slug
from mumpuni.reports.models import ReportJob
from mumpuni.reports.xlsxkit import Book

TITLE = "Laporan Kinerja Pelayanan"
SOURCE = (
    "Roll-up harian Mumpuni: QueueDay (per layanan per hari), QueueMonth (per bulan), SurveyMonth (jawaban SKM, "
    "IKM menurut PermenPANRB 14/2017), ComplaintDay (pengaduan menurut tanggal diterima). Median dan persentil "
    "90 waktu tunggu diperkirakan dari histogram waktu tunggu (batas kelas "
    + ", ".join(map(str, WAIT_BUCKETS))
    + " menit)."
)


def _minutes(value: tuple[float | None, bool] | float | None) -> str:
    if isinstance(value, tuple):
        minutes, open_ = value
        if minutes is None:
            return "—"
        return f"> {pdfkit.num(minutes, 0)}" if open_ else pdfkit.num(minutes, 1)
    return pdfkit.num(value, 1)


def _xl_minutes(value: tuple[float | None, bool]) -> Any:
    minutes, open_ = value
    if minutes is None:
        return None
    return f"> {minutes:g}" if open_ else minutes


def _ikm_text(result: IkmResult) -> str:
    if result.ikm is None:
        return "—"
    return f"{pdfkit.num(result.ikm, 2)} ({result.mutu})"


def generate(job: ReportJob, progress: Progress) -> Output:
    assert job.point is not None
    ctx = Context.of(job)
    period = selectors.Period(job.year, job.quarter)
    progress(15, "Membaca antrean, SKM dan pengaduan dari roll-up…")
    figs = selectors.point_figures(job.point, period)
    progress(45, "Menyusun PDF…")
    title = f"{TITLE} — {job.point.name} — {period.label}"
    pdf = pdfkit.build(lambda width: _story(figs, ctx, width), title=title, wide=True)
    progress(75, "Menyusun XLSX…")
    xlsx = _xlsx(figs, ctx)
    stem = f"laporan-pelayanan-{slug(job.point.unit.code)}-{period.year}"
    stem += f"-tw{period.quarter}" if period.quarter else ""
    return Output(title=title, stem=stem, pdf=pdf, xlsx=xlsx)


def _queue_cells(f: selectors.QueueFigures) -> list[str]:
    return [
        pdfkit.num(f.issued, 0),
        pdfkit.num(f.served, 0),
        pdfkit.num(f.no_show, 0),
        pdfkit.percent(f.no_show_percent),
        _minutes(f.wait_mean),
        _minutes(f.wait_p50),
        _minutes(f.wait_p90),
        _minutes(f.service_mean),
        pdfkit.percent(f.within_standard_percent),
    ]


QUEUE_HEADER = [
    "Tiket",
    "Dilayani",
    "Tidak hadir",
    "% tidak hadir",
    "Tunggu rata-rata",
    "Tunggu median",
    "Tunggu P90",
    "Layanan rata-rata",
    "Sesuai standar",
]


def _story(figs: selectors.PointFigures, ctx: Context, width: float) -> list[Any]:
    st = pdfkit.styles()
    t, c = figs.total, figs.complaints
    story: list[Any] = pdfkit.kop(
        st,
        title=TITLE,
        period=figs.period.label,
        scope=figs.point.name,
        generated_by=ctx.generated_by,
        generated_at=ctx.generated_at,
        width=width,
    )
    story.append(Paragraph("I. Ringkasan", st["h2"]))
    story.append(
        pdfkit.key_figures(
            [
                ("Tiket diambil", pdfkit.num(t.issued, 0)),
                ("Dilayani", pdfkit.num(t.served, 0)),
                ("Tunggu rata-rata (menit)", _minutes(t.wait_mean)),
                ("Tunggu P90 (menit)", _minutes(t.wait_p90)),
                ("Waktu layanan rata-rata (menit)", _minutes(t.service_mean)),
                ("Sesuai standar waktu layanan", pdfkit.percent(t.within_standard_percent)),
                ("IKM (mutu)", _ikm_text(figs.ikm)),
                ("Pengaduan dijawab tepat waktu", pdfkit.percent(c.on_time_percent)),
            ],
            width,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            "Waktu dalam menit. Tunggu: dari ambil tiket sampai dipanggil; median dan P90 diperkirakan dari "
            "histogram waktu tunggu. Sesuai standar: waktu layanan di loket tidak melebihi target layanan. "
            f"IKM dari {pdfkit.num(figs.ikm.respondents, 0)} responden SKM unit ini dalam periode.",
            st["small"],
        )
    )

    story.append(Paragraph("II. Per layanan", st["h2"]))
    data: list[list[Any]] = [["Layanan", "Target", *QUEUE_HEADER]]
    for f in figs.services:
        data.append(
            [Paragraph(escape(f.label), st["cell"]), pdfkit.num(f.target_minutes, 0), *_queue_cells(f)]
        )
    data.append(["Semua layanan", "", *_queue_cells(t)])
    widths = [0.25] + [0.075] * 10
    story.append(pdfkit.grid(data, [width * w for w in widths], total_row=True))

    story.append(CondPageBreak(70 * mm))
    story.append(Paragraph("III. Per bulan", st["h2"]))
    data = [["Bulan", *QUEUE_HEADER, "Responden SKM", "IKM"]]
    for _month, f, ikm in figs.months:
        data.append([f.label, *_queue_cells(f), pdfkit.num(ikm.respondents, 0), _ikm_text(ikm)])
    widths = [0.14] + [0.07] * 9 + [0.09, 0.14]
    story.append(pdfkit.grid(data, [width * w for w in widths]))
    labels = [selectors.MONTH_NAMES[m.month - 1][:3] for m, _f, _i in figs.months]
    chart = bar_chart(
        labels,
        {"Tiket": [float(f.issued) for _m, f, _i in figs.months]},
        title="Tiket per bulan",
        width=width / 2 - 3 * mm,
        height=55 * mm,
    )
    hist_labels = [f"≤{b}" for b in WAIT_BUCKETS] + [f">{WAIT_BUCKETS[-1]}"]
    hist = bar_chart(
        hist_labels,
        {"Tiket": [float(n) for n in t.wait_hist]},
        title="Sebaran waktu tunggu (menit)",
        width=width / 2 - 3 * mm,
        height=55 * mm,
    )
    if chart is not None and hist is not None:
        from reportlab.platypus import Table

        pair = Table([[chart, hist]], colWidths=[width / 2, width / 2])
        story += [CondPageBreak(62 * mm), Spacer(1, 3 * mm), pair]

    story.append(CondPageBreak(45 * mm))
    story.append(Paragraph("IV. Pengaduan", st["h2"]))
    data = [
        [
            "Diterima",
            "Dijawab",
            "Dijawab tepat waktu",
            "% tepat waktu",
            "Masih terbuka",
            "Terbuka lewat batas",
            "Rata-rata hari menjawab",
        ],
        [
            pdfkit.num(c.received, 0),
            pdfkit.num(c.answered, 0),
            pdfkit.num(c.answered_on_time, 0),
            pdfkit.percent(c.on_time_percent),
            pdfkit.num(c.open, 0),
            pdfkit.num(c.open_overdue, 0),
            pdfkit.num(c.answer_days_mean, 1),
        ],
    ]
    story.append(pdfkit.grid(data, [width / 7] * 7, numeric_from=0))
    story.append(
        Paragraph(
            "Pengaduan yang ditujukan ke unit tempat layanan ini (dan sub-unitnya), menurut tanggal diterima; "
            "status terbuka per penyegaran roll-up terakhir.",
            st["small"],
        )
    )
    return story


def _xl_queue(f: selectors.QueueFigures) -> list[Any]:
    return [
        f.issued,
        f.served,
        f.no_show,
        f.no_show_percent,
        f.wait_mean,
        _xl_minutes(f.wait_p50),
        _xl_minutes(f.wait_p90),
        f.service_mean,
        f.within_standard,
        f.within_standard_percent,
    ]


XL_QUEUE = [
    "Tiket",
    "Dilayani",
    "Tidak hadir",
    "Tidak hadir (%)",
    "Tunggu rata-rata (menit)",
    "Tunggu median (menit)",
    "Tunggu P90 (menit)",
    "Layanan rata-rata (menit)",
    "Sesuai standar",
    "Sesuai standar (%)",
]


def _xlsx(figs: selectors.PointFigures, ctx: Context) -> bytes:
    book = Book(
        title=TITLE,
        period=figs.period.label,
        scope=figs.point.name,
        generated_by=ctx.generated_by,
        generated_at=ctx.generated_at,
        source=SOURCE,
    )
    book.sheet(
        "Per layanan",
        ["Layanan", "Target (menit)", *XL_QUEUE],
        [[f.label, f.target_minutes, *_xl_queue(f)] for f in figs.services],
        total=["Semua layanan", None, *_xl_queue(figs.total)],
    )
    book.sheet(
        "Per bulan",
        ["Bulan", *XL_QUEUE, "Responden SKM", "IKM", "Mutu"],
        [
            [
                f.label,
                *_xl_queue(f),
                ikm.respondents,
                float(ikm.ikm) if ikm.ikm is not None else None,
                ikm.mutu,
            ]
            for _m, f, ikm in figs.months
        ],
    )
    hist_labels = [f"≤ {b}" for b in WAIT_BUCKETS] + [f"> {WAIT_BUCKETS[-1]}"]
    book.sheet(
        "Sebaran tunggu",
        ["Waktu tunggu (menit)", "Tiket"],
        list(zip(hist_labels, figs.total.wait_hist, strict=True)),
    )
    c = figs.complaints
    book.sheet(
        "Pengaduan",
        [
            "Diterima",
            "Dijawab",
            "Dijawab tepat waktu",
            "Tepat waktu (%)",
            "Masih terbuka",
            "Terbuka lewat batas",
            "Rata-rata hari menjawab",
        ],
        [
            [
                c.received,
                c.answered,
                c.answered_on_time,
                c.on_time_percent,
                c.open,
                c.open_overdue,
                c.answer_days_mean,
            ]
        ],
    )
    ikm = figs.ikm
    book.sheet(
        "IKM",
        ["Responden", "IKM", "Mutu", "Kinerja"],
        [[ikm.respondents, float(ikm.ikm) if ikm.ikm is not None else None, ikm.mutu, ikm.kinerja]],
    )
    return book.bytes()
