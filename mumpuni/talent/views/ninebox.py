"""9-box pages: the grid of a unit (subtree) or the city, the people of one box, the talent pool, one
placement explained, SKP entry and SKP import (with a preview).

Thin views: reads through selectors, writes through services. A page the user may not see answers 403
(the grid) or 404 (somebody else's placement: its existence is not revealed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mumpuni.common.errors import ApplicationError
from mumpuni.common.forms import add_service_errors
from mumpuni.lib.tabular import write_xlsx
from mumpuni.people.models import Employee, Unit
from mumpuni.people.scopes import scope_for
from mumpuni.talent import access, ninebox, selectors, services
from mumpuni.talent.forms import ImportForm, RatingForm, SettingsForm
from mumpuni.talent.imports import NOTES, import_skp
from mumpuni.talent.models import TalentSettings
from mumpuni.talent.tasks import refresh_placements

PAGE_SIZE = 50


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("tahun", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else selectors.default_year()


def _root(request: HttpRequest) -> Unit | None:
    scope = scope_for(request.user)
    code = request.GET.get("unit", "")
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or not selectors.can_view_root(scope, unit):
            raise Http404(_("Unit tidak ditemukan."))
        return unit
    return selectors.default_root(scope)


def _require_grid(request: HttpRequest) -> None:
    if not access.can_view_grid(request.user):
        raise PermissionDenied(_("Halaman 9-box untuk admin BKPP, pimpinan, kepala unit dan atasan."))


def _context(request: HttpRequest, year: int, root: Unit | None) -> dict[str, Any]:
    crumbs = []
    scope = scope_for(request.user)
    if root is not None:
        ids = [int(p) for p in root.path.strip("/").split("/") if p]
        units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        crumbs = [units[i] for i in ids if i in units and selectors.can_view_root(scope, units[i])]
    return {"year": year, "root": root, "years": selectors.placement_years() or [year], "crumbs": crumbs}


@login_required
@require_GET
def grid_page(request: HttpRequest) -> HttpResponse:
    if not access.can_view_grid(request.user):
        own = scope_for(request.user).own_employee_id
        if own:
            return redirect("talent:mine")
        raise PermissionDenied(_("Halaman 9-box untuk admin BKPP, pimpinan, kepala unit dan atasan."))
    year = _year(request)
    root = _root(request)
    result = selectors.grid(request.user, year, root)
    return render(
        request,
        "talent/grid.html",
        {
            **_context(request, year, root),
            "grid": result,
            "can_enter": access.can_enter_ratings(request.user),
            "can_import": access.can_import(request.user),
        },
    )


def _box_param(raw: str) -> int | None:
    if raw == "belum":
        return None
    if raw.isdigit() and 1 <= int(raw) <= 9:
        return int(raw)
    raise Http404(_("Kotak tidak dikenal."))


@login_required
@require_GET
def box_page(request: HttpRequest, box: str) -> HttpResponse:
    _require_grid(request)
    number = _box_param(box)
    year = _year(request)
    root = _root(request)
    people = selectors.box_people(request.user, year, root, number)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    numbering = TalentSettings.load().numbering
    return render(
        request,
        "talent/box.html",
        {
            **_context(request, year, root),
            "box": number,
            "box_label": ninebox.box_label(number, numbering) if number else _("Belum dapat ditempatkan"),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


@login_required
@require_GET
def pool_page(request: HttpRequest) -> HttpResponse:
    _require_grid(request)
    year = _year(request)
    root = _root(request)
    people = selectors.talent_pool(request.user, year, root)
    if request.GET.get("format") == "xlsx":
        return _pool_xlsx(people, year, root)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/pool.html",
        {
            **_context(request, year, root),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "pool_boxes": TalentSettings.load().pool_boxes,
        },
    )


def _pool_xlsx(people: Any, year: int, root: Unit | None) -> HttpResponse:
    headers = [
        "nip",
        "nama",
        "unit",
        "jabatan",
        "kotak",
        "potensi",
        "kinerja",
        "predikat_skp",
        "skor_potensi",
    ]
    rows = (
        [
            p.employee.nip,
            p.employee.name,
            p.employee.unit.name,
            p.employee.position.name if p.employee.position else "",
            p.box,
            p.get_potential_display(),
            p.get_performance_display(),
            p.get_predikat_display(),
            p.potential_score,
        ]
        for p in people.iterator(chunk_size=2000)
    )
    data = write_xlsx(headers, rows, sheet_title=f"Kelompok talenta {year}")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    code = root.code if root else "tim"
    response["Content-Disposition"] = f'attachment; filename="kelompok-talenta-{code}-{year}.xlsx"'
    return response


def _explain(request: HttpRequest, employee: Employee) -> HttpResponse:
    year = _year(request)
    placement = selectors.placement_of(employee, year)
    if placement is None and "tahun" not in request.GET:
        placement = selectors.latest_placement(employee)
        year = placement.year if placement else year
    conf = TalentSettings.load()
    return render(
        request,
        "talent/placement.html",
        {
            "employee": employee,
            "placement": placement,
            "year": year,
            "years": selectors.placement_years() or [year],
            "box_label": ninebox.box_label(placement.box, conf.numbering)
            if placement and placement.box
            else "",
            "conf": conf,
            "is_self": scope_for(request.user).own_employee_id == employee.pk,
            "can_rate": access.can_rate(request.user, employee),
        },
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    own = scope_for(request.user).own_employee_id
    if own is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    return _explain(request, Employee.objects.select_related("unit", "position").get(pk=own))


@login_required
@require_GET
def employee_placement(request: HttpRequest, nip: str) -> HttpResponse:
    employee = get_object_or_404(Employee.objects.select_related("unit", "position"), nip=nip)
    if not access.can_view_placement(request.user, employee):
        raise Http404(_("Pegawai tidak ditemukan."))
    return _explain(request, employee)


@login_required
@require_http_methods(["GET", "POST"])
def rating_entry(request: HttpRequest) -> HttpResponse:
    if not access.can_enter_ratings(request.user):
        raise PermissionDenied(_("Predikat SKP diisi oleh admin BKPP atau kepala unit."))
    initial = {"nip": request.GET.get("nip", ""), "year": selectors.default_year()}
    form = RatingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        employee = Employee.objects.select_related("unit").filter(nip=form.cleaned_data["nip"]).first()
        if employee is None or not access.can_view_people_of(request.user, employee):
            form.add_error("nip", _("NIP tidak ditemukan di unit Anda."))
        else:
            try:
                services.rating_record(
                    actor=request.user,
                    employee=employee,
                    year=form.cleaned_data["year"],
                    predikat=form.cleaned_data["predikat"],
                    grade=form.cleaned_data["grade"],
                )
            except ApplicationError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from exc
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Predikat SKP %(name)s tersimpan; penempatan 9-box diperbarui.")
                    % {"name": employee.name},
                )
                return redirect(
                    f"{reverse('talent:employee', args=[employee.nip])}?tahun={form.cleaned_data['year']}"
                )
    if request.method == "POST" and not form.is_valid():
        status = 422
    return render(request, "talent/rating_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def skp_import(request: HttpRequest) -> HttpResponse:
    if not access.can_import(request.user):
        raise PermissionDenied(_("Impor predikat SKP hanya untuk admin BKPP."))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        dry_run = request.POST.get("mode") != "simpan"
        result = import_skp(data, upload.name, request.user, dry_run=dry_run)
        if result.ok and not dry_run:
            messages.success(
                request,
                _("Impor selesai: %(new)s predikat baru, %(upd)s diganti; penempatan 9-box diperbarui.")
                % {"new": result.created, "upd": result.updated},
            )
            return redirect("talent:grid")
        if not result.ok:
            status = 422
    return render(
        request, "talent/skp_import.html", {"form": form, "result": result, "notes": NOTES}, status=status
    )


@login_required
@require_GET
def skp_template(request: HttpRequest) -> HttpResponse:
    if not access.can_import(request.user):
        raise PermissionDenied
    data = write_xlsx(
        ["nip", "year", "predikat", "golongan"],
        [[n.example for n in NOTES]],
        sheet_title="SKP",
        notes=NOTES,
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="templat-skp-{dt.date.today():%Y}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """BKPP: numbering, SKP map, thresholds, pool and bond rule; saving queues a refresh of the snapshot."""
    if not scope_for(request.user).city_manager:
        raise PermissionDenied(_("Pengaturan talenta hanya untuk admin BKPP."))
    conf = TalentSettings.load()
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(conf))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.settings_update(actor=request.user, **form.values())
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                year = selectors.default_year()
                transaction.on_commit(lambda: refresh_placements.delay(year))
                messages.success(request, _("Pengaturan tersimpan; penempatan 9-box sedang dihitung ulang."))
                return redirect("talent:settings")
        status = 422
    return render(request, "talent/settings.html", {"form": form}, status=status)


urlpatterns = [
    path("", grid_page, name="grid"),
    path("kotak/<str:box>/", box_page, name="box"),
    path("kelompok/", pool_page, name="pool"),
    path("saya/", mine, name="mine"),
    path("pegawai/<str:nip>/", employee_placement, name="employee"),
    path("skp/isi/", rating_entry, name="rating_entry"),
    path("skp/impor/", skp_import, name="skp_import"),
    path("skp/templat/", skp_template, name="skp_template"),
    path("pengaturan/", settings_page, name="settings"),
]
