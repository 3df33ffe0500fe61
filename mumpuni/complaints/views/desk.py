"""Staff complaint pages under /meja-pengaduan/: the inbox, one complaint with its handling steps, the
attachments (through this access-checked view only), answer templates and routing rules.

Who: the desk (BKPP admins, `complaint_desk`) handles everything; unit heads see their scope and follow up
and answer what is assigned to their units; executives read. A complaint outside the reader's scope is 404;
a step the reader may not take is 403. Each step posts to its own URL and calls one workflow service:
ValidationFailed puts field errors on the form (422), TransitionError shows its message (409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, register_converter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.common.forms import add_service_errors
from mumpuni.complaints import access
from mumpuni.complaints.forms_desk import (
    AnswerForm,
    AnswerTemplateForm,
    ForwardForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    ReassignForm,
    RejectForm,
    RoutingRuleForm,
)
from mumpuni.complaints.models import AnswerTemplate, Complaint, RoutingRule
from mumpuni.complaints.selectors import inbox as selectors
from mumpuni.complaints.services import workflow
from mumpuni.complaints.services.workflow import TransitionError

S = Complaint.Status
PAGE_SIZE = 30


class TrackingCodeConverter:
    regex = "ADU-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(TrackingCodeConverter, "tracking_code")


def _require_reader(request: HttpRequest) -> None:
    if not selectors.can_use_desk(request.user):
        raise PermissionDenied(_("Akun Anda tidak memiliki akses ke pengaduan."))


def _require_desk(request: HttpRequest) -> None:
    if not access.is_desk(request.user):
        raise PermissionDenied(_("Hanya petugas pengaduan yang dapat membuka halaman ini."))


def _complaint(request: HttpRequest, code: str) -> Complaint:
    try:
        return selectors.complaint_for(request.user, code)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


# --- inbox -------------------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = InboxFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.InboxFilter(
        status=data.get("status") or "",
        category=data.get("category") or "",
        kind=data.get("kind") or "",
        unit=data.get("unit"),
        point=data.get("point"),
        overdue=bool(data.get("overdue")),
        q=data.get("q") or "",
    )
    today = timezone.localdate()
    page = Paginator(selectors.inbox(request.user, filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "today": today,
        "is_desk": access.is_desk(request.user),
        "filtered": any(v for v in data.values()),
    }
    return render(request, "complaints/desk/inbox.html", context)


# --- detail and steps --------------------------------------------------------------------------------


def _step_forms(request: HttpRequest, c: Complaint) -> dict[str, forms.Form]:
    """The unbound forms of the steps this reader may take on this complaint now."""
    desk = access.is_desk(request.user)
    handler = access.can_handle_as_unit(request.user, c)
    found: dict[str, forms.Form] = {}
    if desk:
        if c.status == S.RECEIVED:
            found["verify"] = MessageForm(prefix="verify")
        if c.status in (S.RECEIVED, S.VERIFIED):
            found["forward"] = ForwardForm(prefix="forward", initial={"unit": c.suggested_unit_id})
            found["reject"] = RejectForm(prefix="reject")
        if c.status in (S.FORWARDED, S.IN_PROGRESS, S.REOPENED):
            found["reassign"] = ReassignForm(prefix="reassign")
        if c.status == S.ANSWERED:
            found["close"] = MessageForm(prefix="close")
    if handler:
        if c.status in (S.FORWARDED, S.REOPENED):
            found["start"] = MessageForm(prefix="start")
        if c.status in (S.FORWARDED, S.IN_PROGRESS, S.REOPENED):
            found["answer"] = AnswerForm(prefix="answer", templates=selectors.answer_templates(c.category))
    if desk or handler:
        found["note"] = NoteForm(prefix="note")
    return found


def _render_detail(
    request: HttpRequest,
    c: Complaint,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    step_forms = _step_forms(request, c)
    if bound is not None and bound[0] in step_forms:
        step_forms[bound[0]] = bound[1]
    answer_form = step_forms.get("answer")
    templates = list(answer_form.fields["template"].queryset) if answer_form else []  # type: ignore[attr-defined]
    if answer_form is not None:
        answer_form.fields["template"].widget.attrs["data-confirm"] = _(
            "Ganti isi jawaban dengan templat ini?"
        )
    context = {
        "c": c,
        "events": list(c.events.all()),
        "attachments": list(c.attachments.all()),
        "shows_identity": access.shows_identity(request.user, c),
        "is_desk": access.is_desk(request.user),
        "can_handle": access.can_handle_as_unit(request.user, c),
        "forms": step_forms,
        "answer_templates": templates,
        "answer_templates_json": {str(t.pk): t.body for t in templates},
        "due": workflow.current_due(c),
        "due_field": workflow.current_due_field(c),
        "dispute_deadline": workflow.dispute_deadline(c) if c.status == S.ANSWERED else None,
        "step_error": error,
        "open_step": bound[0] if bound else "",
        "today": timezone.localdate(),
    }
    return render(request, "complaints/desk/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    _require_reader(request)
    return _render_detail(request, _complaint(request, code))


StepAction = Callable[[Complaint, Any, dict[str, Any]], Any]


def _step(
    request: HttpRequest,
    code: str,
    name: str,
    form_class: Callable[..., forms.Form],
    action: StepAction,
    success: str,
    *,
    field_map: dict[str, str] | None = None,
    form_kwargs: Callable[[Complaint], dict[str, Any]] | None = None,
) -> HttpResponse:
    _require_reader(request)
    c = _complaint(request, code)
    form = form_class(request.POST, prefix=name, **(form_kwargs(c) if form_kwargs else {}))
    if not form.is_valid():
        return _render_detail(request, c, bound=(name, form), status=422)
    try:
        action(c, request.user, form.cleaned_data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except TransitionError as exc:
        c = _complaint(request, code)
        messages.error(request, exc.message)
        return _render_detail(request, c, status=409, error=exc.message)
    except ValidationFailed as exc:
        add_service_errors(form, exc, field_map)
        return _render_detail(request, c, bound=(name, form), status=422)
    messages.success(request, success)
    return redirect("complaints:detail", code=c.tracking_code)


@login_required
@require_POST
def verify(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "verify",
        MessageForm,
        lambda c, user, d: workflow.verify(c, user, message=d["message"]),
        _("Pengaduan diverifikasi."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "reject",
        RejectForm,
        lambda c, user, d: workflow.reject(
            c, user, reason=d["reason"], message=d["message"], duplicate_of=d["duplicate_of"]
        ),
        _("Pengaduan ditolak."),
    )


@login_required
@require_POST
def forward(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "forward",
        ForwardForm,
        lambda c, user, d: workflow.forward(c, user, unit=d["unit"], message=d["message"]),
        _("Pengaduan diteruskan ke unit."),
    )


@login_required
@require_POST
def reassign(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "reassign",
        ReassignForm,
        lambda c, user, d: workflow.reassign(c, user, unit=d["unit"], message=d["message"]),
        _("Pengaduan dialihkan ke unit lain."),
    )


@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "close",
        MessageForm,
        lambda c, user, d: workflow.close(c, user, message=d["message"]),
        _("Pengaduan ditutup."),
    )


@login_required
@require_POST
def start_progress(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "start",
        MessageForm,
        lambda c, user, d: workflow.start_progress(c, user, message=d["message"]),
        _("Pengaduan sedang ditindaklanjuti."),
    )


@login_required
@require_POST
def answer(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "answer",
        AnswerForm,
        lambda c, user, d: workflow.answer(c, user, text=d["text"]),
        _("Jawaban dikirim ke pelapor."),
        form_kwargs=lambda c: {"templates": selectors.answer_templates(c.category)},
    )


@login_required
@require_POST
def note(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        "note",
        NoteForm,
        lambda c, user, d: workflow.add_note(c, user, text=d["text"]),
        _("Catatan internal disimpan."),
    )


@login_required
@require_GET
def attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """An attachment, to whoever may read the complaint; never cached by shared caches, never sniffed."""
    _require_reader(request)
    c = _complaint(request, code)
    item = next((a for a in c.attachments.all() if a.pk == pk), None)
    if item is None:
        raise Http404(_("Lampiran tidak ditemukan."))
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas lampiran tidak ada di penyimpanan.")) from exc
    response = FileResponse(handle, content_type=item.content_type or "application/octet-stream")
    inline = item.content_type in ("image/jpeg", "image/png", "image/webp", "application/pdf")
    response["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="lampiran-{c.tracking_code}-{item.pk}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


# --- answer templates --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    form = AnswerTemplateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Templat jawaban disimpan."))
            return redirect("complaints:templates")
        status = 422
    templates = AnswerTemplate.objects.order_by("category", "title")
    return render(
        request, "complaints/desk/templates.html", {"form": form, "templates": templates}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    template = get_object_or_404(AnswerTemplate, pk=pk)
    form = AnswerTemplateForm(request.POST or None, instance=template)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Templat jawaban diperbarui."))
            return redirect("complaints:templates")
        status = 422
    return render(
        request, "complaints/desk/template_edit.html", {"form": form, "template": template}, status=status
    )


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    get_object_or_404(AnswerTemplate, pk=pk).delete()
    messages.success(request, _("Templat jawaban dihapus."))
    return redirect("complaints:templates")


# --- routing rules -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def routing_list(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    form = RoutingRuleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Aturan penerusan disimpan."))
            return redirect("complaints:routing")
        status = 422
    return render(
        request,
        "complaints/desk/routing.html",
        {"form": form, "rules": selectors.routing_rules()},
        status=status,
    )


@login_required
@require_POST
def routing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    get_object_or_404(RoutingRule, pk=pk).delete()
    messages.success(request, _("Aturan penerusan dihapus."))
    return redirect("complaints:routing")


urlpatterns = [
    path("", inbox, name="inbox"),
    path("templat/", template_list, name="templates"),
    path("templat/<int:pk>/", template_edit, name="template_edit"),
    path("templat/<int:pk>/hapus/", template_delete, name="template_delete"),
    path("penerusan/", routing_list, name="routing"),
    path("penerusan/<int:pk>/hapus/", routing_delete, name="routing_delete"),
    path("<tracking_code:code>/", detail, name="detail"),
    path("<tracking_code:code>/verifikasi/", verify, name="verify"),
    path("<tracking_code:code>/tolak/", reject, name="reject"),
    path("<tracking_code:code>/teruskan/", forward, name="forward"),
    path("<tracking_code:code>/alihkan/", reassign, name="reassign"),
    path("<tracking_code:code>/tutup/", close, name="close"),
    path("<tracking_code:code>/tindak-lanjut/", start_progress, name="start"),
    path("<tracking_code:code>/jawab/", answer, name="answer"),
    path("<tracking_code:code>/catatan/", note, name="note"),
    path("<tracking_code:code>/lampiran/<int:pk>/", attachment, name="attachment"),
]
