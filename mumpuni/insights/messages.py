"""Words for the estimator's results: outcome names and refusal reasons, in Indonesian (gettext)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mumpuni.lib import did

OUTCOME_LABELS = {
    "service_minutes": gettext_lazy("Waktu layanan (menit per tiket)"),
    "wait_minutes": gettext_lazy("Waktu tunggu (menit per tiket)"),
    "skm": gettext_lazy("Nilai SKM (skala 25–100)"),
    "complaints": gettext_lazy("Pengaduan per 100 tiket"),
    "total_minutes": gettext_lazy("Waktu layanan + tunggu (menit per tiket)"),
}
# Which direction is an improvement: fewer minutes and complaints, a higher SKM score.
BETTER_WHEN_LOWER = {"service_minutes": True, "wait_minutes": True, "skm": False, "complaints": True}


def refusal_reason(result: did.TooThin) -> str:
    d = result.detail
    if result.reason == "few_treated":
        return _(
            "Data terlalu sedikit: hanya %(n)s petugas lulusan yang punya data sebelum dan sesudah "
            "lulus (minimal %(needed)s)."
        ) % {"n": d.get("treated", 0), "needed": d.get("needed", did.MIN_TREATED)}
    if result.reason == "few_control":
        return _(
            "Data terlalu sedikit: hanya %(n)s petugas pembanding (belum/tidak pernah ikut) pada bulan "
            "yang sama (minimal %(needed)s)."
        ) % {"n": d.get("control", 0), "needed": d.get("needed", did.MIN_CONTROL)}
    return _("Data terlalu sedikit untuk perkiraan.")
