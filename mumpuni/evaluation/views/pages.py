"""Pages of the evaluation: my L1 forms (/evaluasi/saya/), one L1 form, the L3 work list and form
(/evaluasi/perilaku/), one class's aggregates for its trainers (/evaluasi/kelas/<id>/) and the results per
programme, trainer, provider or class with an XLSX export (/evaluasi/hasil/).

Thin views: reads through selectors, writes through services. What the user may not see answers 404; a
write the user may not make answers 403; invalid answers come back on the form with 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.evaluation import selectors, services
from mumpuni.evaluation.models import (
    CHANGE_LABELS,
    LIKERT_LABELS,
    QUESTIONS,
    REACTION_FIELDS,
    BehaviourRequest,
    EvaluationPolicy,
    ReactionResponse,
    Status,
)
from mumpuni.learning.models import TrainingClass
from mumpuni.lib.tabular import write_xlsx
from mumpuni.people.scopes import scope_for

GROUP_LABELS = {
    "program": gettext_lazy("Program"),
    "trainer": gettext_lazy("Pelatih"),
    "provider": gettext_lazy("Penyelenggara"),
    "class": gettext_lazy("Kelas"),
}


# --- L1: my forms ------------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).own_employee_id is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    today = timezone.localdate()
    forms = list(selectors.my_reactions(request.user)[:100])
    pending = [f for f in forms if f.status == Status.PENDING and f.expires_on >= today]
    others = [f for f in forms if f not in pending]
    return render(request, "evaluation/mine.html", {"pending": pending, "others": others})


def _reaction_context(
    response: ReactionResponse, values: dict[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    questions = QUESTIONS[response.version]
    items = [
        {
            "field": f,
            "title": questions[f][0],
            "text": questions[f][1],
            "value": str(values.get(f) or ""),
            "errors": errors.get(f, []),
        }
        for f in REACTION_FIELDS
    ]
    return {
        "response": response,
        "training_class": response.enrollment.training_class,
        "items": items,
        "scale": list(enumerate(LIKERT_LABELS, start=1)),
        "comment": values.get("comment", ""),
        "comment_errors": errors.get("comment", []),
        "form_errors": errors.get("__all__", []),
        "editable": response.status == Status.PENDING and response.expires_on >= timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def reaction(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        response = services.reaction_for_user(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if request.method == "GET":
        values: dict[str, Any] = {**response.answers(), "comment": response.comment}
        return render(request, "evaluation/reaction.html", _reaction_context(response, values, {}))
    answers = {f: request.POST.get(f) for f in REACTION_FIELDS}
    comment = request.POST.get("comment", "")
    try:
        services.reaction_submit(actor=request.user, response=response, answers=answers, comment=comment)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        if exc.status_code == 409:
            messages.error(request, exc.message)
            return redirect("evaluation:mine")
        context = _reaction_context(response, {**answers, "comment": comment}, exc.fields)
        context["message"] = exc.message
        return render(request, "evaluation/reaction.html", context, status=422)
    messages.success(request, _("Terima kasih, evaluasi Anda tersimpan."))
    return redirect("evaluation:mine")


# --- L3: work list and form ----------------------------------------------------------------------------


@login_required
@require_GET
def behaviour_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Status.PENDING)
    status = status if status in Status.values or status == "all" else Status.PENDING
    qs = selectors.behaviour_worklist(request.user, "" if status == "all" else status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/behaviour_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


def _behaviour_context(
    request: HttpRequest,
    item: BehaviourRequest,
    posted: dict[int, dict[str, str]] | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    ratings = []
    for rating in item.ratings.select_related("competency").order_by("id"):
        given = (posted or {}).get(rating.pk, {})
        prefix = f"ratings.{rating.pk}"
        ratings.append(
            {
                "rating": rating,
                "change": given.get("change", str(rating.change or "")),
                "observed": given.get("observed_level", str(rating.observed_level or "")),
                "comment": given.get("comment", rating.comment),
                "change_errors": errors.get(f"{prefix}.change", []),
                "observed_errors": errors.get(f"{prefix}.observed_level", []),
                "comment_errors": errors.get(f"{prefix}.comment", []),
            }
        )
    can_rate = services.can_rate_behaviour(request.user, item)
    return {
        "item": item,
        "ratings": ratings,
        "change_scale": list(enumerate(CHANGE_LABELS, start=1)),
        "levels": range(1, 6),
        "comment": (posted or {}).get(0, {}).get("comment", item.comment),
        "comment_errors": errors.get("comment", []),
        "form_errors": errors.get("__all__", []),
        "records_assessment": EvaluationPolicy.current().record_supervisor_assessment,
        "editable": can_rate and item.status == Status.PENDING and item.expires_on >= timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def behaviour(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = services.behaviour_for_user(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if request.method == "GET":
        return render(request, "evaluation/behaviour.html", _behaviour_context(request, item, None, {}))
    posted: dict[int, dict[str, str]] = {0: {"comment": request.POST.get("comment", "")}}
    inputs = []
    for rating_id in item.ratings.values_list("pk", flat=True):
        row = {
            "change": request.POST.get(f"change-{rating_id}", ""),
            "observed_level": request.POST.get(f"observed-{rating_id}", ""),
            "comment": request.POST.get(f"comment-{rating_id}", ""),
        }
        posted[rating_id] = row
        inputs.append(services.RatingInput(rating_id, row["change"], row["observed_level"], row["comment"]))
    try:
        services.behaviour_submit(
            actor=request.user, request=item, ratings=inputs, comment=posted[0]["comment"]
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        if exc.status_code == 409:
            messages.error(request, exc.message)
            return redirect("evaluation:behaviour", pk=item.pk)
        context = _behaviour_context(request, item, posted, exc.fields)
        context["message"] = exc.message
        return render(request, "evaluation/behaviour.html", context, status=422)
    messages.success(request, _("Penilaian perilaku tersimpan. Terima kasih."))
    return redirect("evaluation:behaviour_list")


# --- one class -------------------------------------------------------------------------------------------


@login_required
@require_GET
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = get_object_or_404(TrainingClass.objects.select_related("program"), pk=pk)
    if not selectors.can_view_class(request.user, training_class):
        raise Http404
    view = selectors.class_evaluation(training_class)
    questions = QUESTIONS[1]
    items = [
        {
            "field": f,
            "title": questions[f][0],
            "text": questions[f][1],
            "mean": view.l1.means.get(f),
            "counts": view.distribution.get(f, []),
        }
        for f in REACTION_FIELDS
    ]
    return render(
        request,
        "evaluation/class.html",
        {"view": view, "c": training_class, "items": items, "scale": LIKERT_LABELS},
    )


# --- results ---------------------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    end = parse_date(request.GET.get("sampai") or "") or today
    start = parse_date(request.GET.get("dari") or "") or end - dt.timedelta(days=365)
    if start > end:
        start, end = end, start
    return start, end


def _results(request: HttpRequest) -> selectors.Results:
    if not selectors.can_view_results(request.user):
        raise PermissionDenied(_("Hasil evaluasi hanya untuk BKPP, pimpinan, kepala unit dan pelatih."))
    start, end = _period(request)
    return selectors.results(
        user=request.user, group_by=request.GET.get("per", "program"), start=start, end=end
    )


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    result = _results(request)
    questions = QUESTIONS[1]
    return render(
        request,
        "evaluation/results.html",
        {
            "r": result,
            "group_labels": GROUP_LABELS,
            "questions": [(f, questions[f][0]) for f in REACTION_FIELDS],
            "query": request.GET.urlencode(),
            "rscope": selectors.results_scope(request.user),
        },
    )


HEADERS = (
    "Kelompok",
    "Kelas",
    "Peserta",
    "L1 jawaban",
    "L1 tingkat respons",
    *[f"L1 {QUESTIONS[1][f][0]}" for f in REACTION_FIELDS],
    "L1 indeks",
    "L2 n",
    "L2 rata-rata pre-test",
    "L2 rata-rata post-test",
    "L2 kenaikan",
    "L2 gain ternormalisasi (Hake)",
    "L2 rata-rata gain individual",
    "L2 lulus post-test",
    "L3 diminta",
    "L3 diisi",
    "L3 rata-rata perubahan (1-5)",
    "L3 rata-rata level teramati (1-5)",
)


def _fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _export_row(row: selectors.ResultRow) -> list[Any]:
    assert row.l1 is not None and row.l2 is not None
    return [
        row.label,
        len(row.classes),
        row.participants,
        row.l1.n,
        _fmt(row.l1_response_rate, 3),
        *[_fmt(row.l1.means[f]) for f in REACTION_FIELDS],
        _fmt(row.l1.index),
        row.l2.n,
        _fmt(row.l2.mean_pre),
        _fmt(row.l2.mean_post),
        _fmt(row.l2.raw_gain),
        _fmt(row.l2.normalised_gain, 3),
        _fmt(row.l2.mean_individual_gain, 3),
        _fmt(row.l2.pass_rate, 3),
        row.l3_requested,
        row.l3_submitted,
        _fmt(row.l3_mean_change),
        _fmt(row.l3_mean_observed),
    ]


@login_required
@require_GET
def results_export(request: HttpRequest) -> HttpResponse:
    result = _results(request)
    rows = [_export_row(r) for r in [*result.rows, result.total]]
    data = write_xlsx(HEADERS, rows, sheet_title=f"Evaluasi per {str(GROUP_LABELS[result.group_by]).lower()}")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"evaluasi-{result.group_by}-{result.start:%Y%m%d}-{result.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/evaluasi/: the page that fits the user best."""
    if selectors.can_view_results(request.user):
        return redirect("evaluation:results")
    if selectors.behaviour_worklist(request.user, Status.PENDING).exists():
        return redirect("evaluation:behaviour_list")
    return redirect(reverse("evaluation:mine"))


urlpatterns = [
    path("", index, name="index"),
    path("saya/", mine, name="mine"),
    path("reaksi/<int:pk>/", reaction, name="reaction"),
    path("perilaku/", behaviour_list, name="behaviour_list"),
    path("perilaku/<int:pk>/", behaviour, name="behaviour"),
    path("kelas/<int:pk>/", class_detail, name="class"),
    path("hasil/", results, name="results"),
    path("hasil.xlsx", results_export, name="results_export"),
]
