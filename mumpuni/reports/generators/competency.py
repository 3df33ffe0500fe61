"""(1) Laporan triwulanan pengembangan kompetensi — for the city or one unit (its subtree):

- key figures: JP delivered and completions in the quarter, realised spend, JP compliance of the year so far;
- JP, completions and spend per month of the quarter (with a chart);
- one row per sub-unit: staff, compliant (>= 20 JP this year), compliance %, JP this year, JP and completions
  this quarter, spend, development plans (with a chart of compliance per unit);
- the year's training budget with committed and realised spend (as the budget page shows it to the requester).

Figures: TrainingMonth (quarter), UnitYear (year to date), planning budget_overview (reports.selectors).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from mumpuni.reports import pdfkit, selectors
from mumpuni.reports.charts_bridge import bar_chart
from mumpuni.reports.generators import Context, Output, Progress, slug
from mumpuni.reports.models import ReportJob
from mumpuni.reports.xlsxkit import Book

TITLE = "Laporan Triwulanan Pengembangan Kompetensi ASN"
SOURCE = (
    "Roll-up harian Mumpuni: TrainingMonth (JP dan kelulusan per bulan, realisasi biaya), UnitYear (kepatuhan "
    "20 JP per tahun, rencana pengembangan, s.d. penyegaran terakhir), anggaran pelatihan (perencanaan: pagu, "
    "terikat, terealisasi)."
)


def _jp(value: Any) -> str:
    return pdfkit.num(value, 1)


def generate(job: ReportJob, progress: Progress) -> Output:
    ctx = Context.of(job)
    period = selectors.Period(job.year, job.quarter)
    scope = job.unit.name if job.unit else "Kota Semarang"
    progress(15, "Membaca JP, kelulusan dan kepatuhan dari roll-up…")
    figs = selectors.competency_figures(job.unit, period, user=job.requested_by)
    progress(45, "Menyusun PDF…")
    title = f"{TITLE} — {scope} — {period.label}"
    pdf = pdfkit.build(lambda width: _story(figs, ctx, scope, width), title=title)
    progress(75, "Menyusun XLSX…")
    xlsx = _xlsx(figs, ctx, scope)
    stem = f"laporan-kompetensi-{slug(job.unit.code if job.unit else 'kota')}-{period.year}"
    stem += f"-tw{period.quarter}" if period.quarter else ""
    return Output(title=title, stem=stem, pdf=pdf, xlsx=xlsx)


def _story(figs: selectors.CompetencyFigures, ctx: Context, scope: str, width: float) -> list[Any]:
    st = pdfkit.styles()
    t = figs.total
    story: list[Any] = pdfkit.kop(
        st,
        title=TITLE,
        period=figs.period.label,
        scope=scope,
        generated_by=ctx.generated_by,
        generated_at=ctx.generated_at,
        width=width,
    )
    story.append(Paragraph("I. Ringkasan", st["h2"]))
    story.append(
        pdfkit.key_figures(
            [
                ("JP diberikan dalam periode", _jp(t.jp_period)),
                ("Kelulusan (baris JP)", pdfkit.num(t.completions, 0)),
                ("Realisasi biaya dalam periode", pdfkit.rupiah(t.spend)),
                (
                    f"Pegawai ≥ {selectors.JP_TARGET} JP tahun {figs.period.year}",
                    pdfkit.percent(t.compliance_percent),
                ),
                ("Pegawai aktif", pdfkit.num(t.employees, 0)),
                (f"Sudah ≥ {selectors.JP_TARGET} JP", pdfkit.num(t.compliant, 0)),
                (f"JP tahun {figs.period.year} s.d. kini", _jp(t.jp_year)),
                ("Rata-rata JP per pegawai", _jp(t.jp_per_employee)),
            ],
            width,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            f"Setiap ASN berhak atas paling sedikit {selectors.JP_TARGET} JP pengembangan kompetensi setahun. "
            "Kepatuhan dihitung atas pegawai aktif di unit (termasuk sub-unitnya) dengan JP tahun berjalan "
            "sampai penyegaran roll-up terakhir.",
            st["small"],
        )
    )

    story.append(Paragraph("II. Per bulan", st["h2"]))
    data: list[list[Any]] = [["Bulan", "JP", "Kelulusan", "Realisasi biaya"]]
    for m in figs.months:
        data.append(
            [selectors.month_label(m.month), _jp(m.jp), pdfkit.num(m.completions, 0), pdfkit.rupiah(m.spend)]
        )
    data.append(["Jumlah", _jp(t.jp_period), pdfkit.num(t.completions, 0), pdfkit.rupiah(t.spend)])
    story.append(pdfkit.grid(data, [width * 0.34, width * 0.2, width * 0.2, width * 0.26], total_row=True))
    chart = bar_chart(
        [selectors.month_label(m.month) for m in figs.months],
        {"JP": [float(m.jp) for m in figs.months]},
        title="JP diberikan per bulan",
        width=width,
        height=55 * mm,
    )
    if chart is not None:
        story += [Spacer(1, 3 * mm), chart]

    story.append(CondPageBreak(60 * mm))
    story.append(Paragraph("III. Per unit", st["h2"]))
    header = [
        "Unit",
        "Pegawai",
        f"≥ {selectors.JP_TARGET} JP",
        "% patuh",
        f"JP {figs.period.year}",
        "JP periode",
        "Lulus",
        "Realisasi biaya (Rp)",
        "Dengan rencana",
    ]
    data = [header]
    for r in figs.rows:
        data.append(
            [
                Paragraph(escape(r.name), st["cell"]),
                pdfkit.num(r.employees, 0),
                pdfkit.num(r.compliant, 0),
                pdfkit.percent(r.compliance_percent),
                _jp(r.jp_year),
                _jp(r.jp_period),
                pdfkit.num(r.completions, 0),
                pdfkit.num(r.spend, 0),
                pdfkit.num(r.with_plan, 0),
            ]
        )
    data.append(
        [
            "Jumlah",
            pdfkit.num(t.employees, 0),
            pdfkit.num(t.compliant, 0),
            pdfkit.percent(t.compliance_percent),
            _jp(t.jp_year),
            _jp(t.jp_period),
            pdfkit.num(t.completions, 0),
            pdfkit.num(t.spend, 0),
            pdfkit.num(t.with_plan, 0),
        ]
    )
    widths = [0.265, 0.085, 0.07, 0.09, 0.09, 0.085, 0.07, 0.145, 0.10]
    story.append(pdfkit.grid(data, [width * w for w in widths], total_row=True))
    ranked = sorted((r for r in figs.rows if r.employees), key=lambda r: r.compliance_percent or 0)[:15]
    if ranked:
        chart = bar_chart(
            [r.name for r in ranked],
            {"Kepatuhan (%)": [r.compliance_percent or 0 for r in ranked]},
            title=f"Kepatuhan {selectors.JP_TARGET} JP — {len(ranked)} unit terendah",
            width=width,
            horizontal=True,
            unit="%",
        )
        if chart is not None:
            story += [CondPageBreak(chart.height + 5 * mm), Spacer(1, 3 * mm), chart]

    story.append(CondPageBreak(40 * mm))
    story.append(Paragraph(f"IV. Anggaran pelatihan tahun {figs.period.year}", st["h2"]))
    if figs.budget:
        data = [["Pagu", "Sumber", "Pagu (Rp)", "Terikat (Rp)", "Terealisasi (Rp)", "Sisa (Rp)", "Terpakai"]]
        for b in figs.budget:
            data.append(
                [
                    Paragraph(escape(b.label), st["cell"]),
                    Paragraph(escape(b.source), st["cell"]),
                    pdfkit.num(b.amount, 0),
                    pdfkit.num(b.committed, 0),
                    pdfkit.num(b.realised, 0),
                    pdfkit.num(b.remaining, 0),
                    pdfkit.percent(b.used_percent),
                ]
            )
        widths = [0.24, 0.16, 0.13, 0.12, 0.13, 0.12, 0.10]
        story.append(pdfkit.grid(data, [width * w for w in widths], numeric_from=2))
        story.append(
            Paragraph(
                "Terikat: peserta diusulkan, disetujui atau terdaftar di kelas yang mulai tahun ini; terealisasi: "
                "peserta yang sudah menyelesaikan kelas (lulus atau tidak). Biaya = biaya per peserta program.",
                st["small"],
            )
        )
    else:
        story.append(Paragraph(escape(figs.budget_note), st["body"]))
    return story


def _xlsx(figs: selectors.CompetencyFigures, ctx: Context, scope: str) -> bytes:
    book = Book(
        title=TITLE,
        period=figs.period.label,
        scope=scope,
        generated_by=ctx.generated_by,
        generated_at=ctx.generated_at,
        source=SOURCE,
    )
    t = figs.total
    book.sheet(
        "Per bulan",
        ["Bulan", "JP", "Kelulusan", "Realisasi biaya (Rp)"],
        [[selectors.month_label(m.month), float(m.jp), m.completions, float(m.spend)] for m in figs.months],
        total=["Jumlah", float(t.jp_period), t.completions, float(t.spend)],
        formats={1: "0.0", 3: "#,##0"},
    )
    header = [
        "Kode unit",
        "Unit",
        "Pegawai aktif",
        f"Pegawai ≥ {selectors.JP_TARGET} JP",
        "Kepatuhan (%)",
        f"JP tahun {figs.period.year}",
        "JP periode",
        "Kelulusan periode",
        "Realisasi biaya periode (Rp)",
        "Dengan rencana",
        "Rencana disepakati",
    ]

    def line(r: selectors.CompetencyRow) -> list[Any]:
        return [
            r.code,
            r.name,
            r.employees,
            r.compliant,
            r.compliance_percent,
            float(r.jp_year),
            float(r.jp_period),
            r.completions,
            float(r.spend),
            r.with_plan,
            r.plan_agreed,
        ]

    book.sheet(
        "Per unit",
        header,
        [line(r) for r in figs.rows],
        total=line(t),
        formats={4: "0.0", 5: "0.0", 6: "0.0", 8: "#,##0"},
    )
    book.sheet(
        "Anggaran",
        ["Pagu", "Sumber", "Pagu (Rp)", "Terikat (Rp)", "Terealisasi (Rp)", "Sisa (Rp)", "Terpakai (%)"],
        [
            [b.label, b.source, b.amount, b.committed, b.realised, b.remaining, b.used_percent]
            for b in figs.budget
        ],
        formats={2: "#,##0", 3: "#,##0", 4: "#,##0", 5: "#,##0"},
        note=figs.budget_note,
    )
    return book.bytes()
