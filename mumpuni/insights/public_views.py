"""The public transparency page (/transparansi/) and its JSON (/transparansi/data.json): no login.

Both read one cached `Transparency` (public_selectors) so they always agree; the HTML is cached per
language as well. The page is rendered without the request (no CSRF token, no session, no user), so the
same bytes can be served to everyone and marked `Cache-Control: public`. For that reason the language is
switched with plain links (?lang=en / ?lang=id) rather than the site's POST switcher, which needs a
CSRF token; without ?lang the visitor's chosen language (the language cookie) applies.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from mumpuni.insights import public_selectors as sel

CACHE_SECONDS = 600  # server-side: the figures are recomputed at most every 10 minutes
MAX_AGE = 300  # browsers and proxies
DATA_KEY = "transparency:data:v1"
PAGE_KEY = "transparency:page:v1:{lang}:{stamp}"
MUTU_COLOUR = {"A": "success", "B": "primary", "C": "warning", "D": "danger"}


def _compute() -> sel.Transparency:
    return sel.transparency()


def cached_figures() -> sel.Transparency:
    figures = cache.get_or_set(DATA_KEY, lambda: _compute(), CACHE_SECONDS)
    assert isinstance(figures, sel.Transparency)
    return figures


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    codes = [code for code, _ in settings.LANGUAGES]
    if wanted in codes:
        return wanted
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return current if current in codes else settings.LANGUAGE_CODE


def _public(response: HttpResponse, *, by_language: bool) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    if by_language:
        # The language may come from the cookie: a shared cache must not hand one visitor's language to
        # another.
        patch_vary_headers(response, ("Cookie",))
    return response


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _context(figures: sel.Transparency, lang: str) -> dict[str, Any]:
    bar_scale = figures.max_wait
    points = [
        {
            "row": p,
            "colour": MUTU_COLOUR.get(p.ikm_quarter.mutu or "", "secondary"),
            "ikm_width": round(float(p.ikm_quarter.ikm or 0), 1),
            "wait_width": round(100 * (p.times_recent.wait_median or 0) / bar_scale, 1),
            "on_time_percent": _percent(p.complaints.on_time_share),
        }
        for p in figures.points
    ]
    return {
        "f": figures,
        "points": points,
        "lang": lang,
        "city_name": settings.MUMPUNI_CITY_NAME,
        "city_colour": MUTU_COLOUR.get(figures.city_ikm_quarter.mutu or "", "secondary"),
        "city_on_time_percent": _percent(figures.city_complaints.on_time_share),
        "pns_percent": _percent(figures.training.pns_share),
        "asn_percent": _percent(figures.training.asn_share),
        "min_records": sel.MIN_RECORDS,
        "jp_target": sel.ANNUAL_JP_TARGET,
        "cache_minutes": CACHE_SECONDS // 60,
        # Rendered without the request: keep base.html from asking for a CSRF token or the messages.
        "csrf_token": "",
        "messages": (),
    }


def _render_page(figures: sel.Transparency, lang: str) -> str:
    with translation.override(lang):
        return render_to_string("insights/public/transparency.html", _context(figures, lang))


@require_GET
def transparency_page(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    figures = cached_figures()
    # The page of exactly these figures: when the figures are recomputed, the page is rendered anew.
    key = PAGE_KEY.format(lang=lang, stamp=int(figures.generated_at.timestamp() * 1000))
    html = cache.get_or_set(key, lambda: _render_page(figures, lang), CACHE_SECONDS)
    response = HttpResponse(html)
    response["Content-Language"] = lang
    return _public(response, by_language=True)


@require_GET
def transparency_data(request: HttpRequest) -> HttpResponse:
    figures = cached_figures()
    response = JsonResponse(figures.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return _public(response, by_language=False)
