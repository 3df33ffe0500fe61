"""(2) Laporan SKM — the surveys app's own official report (surveys/report_pdf.py and report_xlsx.py, the
layout units submit to the Bagian Organisasi), generated here in the background for the chosen unit (or the
city) and period, and archived. Nothing is recomputed here: the figures are surveys.selectors.figures, the
same as the IKM page's "Unduh PDF/XLSX". The archive number and who asked are added to the identity table.
"""

from __future__ import annotations

import dataclasses

from django.utils import timezone

from mumpuni.learning.pdf import tanggal
from mumpuni.reports import selectors
from mumpuni.reports.generators import Context, Output, Progress, slug
from mumpuni.reports.models import ReportJob

PDF_SUGGESTIONS = 40  # as the IKM page's PDF: the latest 40; the XLSX has them all
XLSX_SUGGESTIONS = 50_000


def generate(job: ReportJob, progress: Progress) -> Output:
    from mumpuni.surveys import report_pdf, report_xlsx
    from mumpuni.surveys import selectors as sel
    from mumpuni.surveys.views.reports import period_label, unsur_rows

    ctx = Context.of(job)
    period = selectors.Period(job.year, job.quarter)
    f = sel.IkmFilter(unit=job.unit, date_from=period.start, date_to=period.end)
    progress(15, "Menghitung IKM, profil responden dan saran…")
    figs = sel.figures(f, suggestions_limit=XLSX_SUGGESTIONS)
    identity = sel.unit_identity(job.unit)
    label = period_label(f)
    local = timezone.localtime(ctx.generated_at)
    narrowed = [
        ("Nomor arsip", f"Laporan #{job.pk}"),
        ("Dibuat", f"{tanggal(local.date())} pukul {local:%H.%M} WIB oleh {ctx.generated_by}"),
    ]
    unsur = unsur_rows(figs)
    progress(50, "Menyusun PDF laporan SKM…")
    pdf_figs = dataclasses.replace(figs, suggestions=figs.suggestions[:PDF_SUGGESTIONS])
    pdf = report_pdf.render_report(pdf_figs, identity, label, narrowed, unsur, today=local.date())
    progress(75, "Menyusun XLSX laporan SKM…")
    xlsx = report_xlsx.render_report(figs, identity, label, narrowed, unsur)
    scope = job.unit.name if job.unit else "Kota Semarang"
    stem = f"laporan-skm-{slug(job.unit.code if job.unit else 'kota')}-{period.year}"
    stem += f"-tw{period.quarter}" if period.quarter else ""
    return Output(title=f"Laporan SKM — {scope} — {period.label}", stem=stem, pdf=pdf, xlsx=xlsx)
