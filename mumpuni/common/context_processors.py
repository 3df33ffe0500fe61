"""Navigation items for the current user's roles, and the city this installation serves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mumpuni.people.models import Role
from mumpuni.people.scopes import primary_role, scope_for

# Role names as people read them in the user menu (the model's labels are not marked for translation).
ROLE_LABELS: dict[str, str | Promise] = {
    Role.ADMIN.value: _("Admin BKPP"),
    Role.UNIT_HEAD.value: _("Kepala unit / camat"),
    Role.SUPERVISOR.value: _("Atasan langsung"),
    Role.EMPLOYEE.value: pgettext_lazy("peran", "Pegawai"),
    Role.COUNTER_OFFICER.value: _("Petugas loket"),
    Role.TRAINER.value: _("Pelatih / widyaiswara"),
    Role.EXECUTIVE.value: _("Pimpinan (baca saja)"),
    Role.COMPLAINT_DESK.value: _("Petugas pengaduan"),
}

# Roles whose holders work with many people and units (the others see their own record).
STRUCTURE_ROLES = {Role.ADMIN.value, Role.EXECUTIVE.value, Role.UNIT_HEAD.value}


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    icon: str
    active: bool = False
    # A dropdown: the item's own url is unused; each child is a link (None entries are separators).
    children: tuple[NavItem | None, ...] = ()


def _reverse(name: str, *args: Any) -> str:
    return reverse(name, args=args or None)


def _own_nip(request: HttpRequest) -> str | None:
    if scope_for(request.user).own_employee_id is None:
        return None
    employee = getattr(request.user, "employee", None)
    return employee.nip if employee is not None else None


def _sees_complaints(request: HttpRequest) -> bool:
    # Imported here: `common` sits below the domain apps, and only this menu entry needs to ask them.
    from mumpuni.complaints.selectors.inbox import can_use_desk

    return can_use_desk(request.user)


def _sees_ikm(request: HttpRequest) -> bool:
    from mumpuni.surveys.access import can_see_ikm

    return can_see_ikm(request.user)


def unread_notifications(user: Any) -> int:
    """The bell's number: one indexed count (recipient, read_at)."""
    from mumpuni.common.models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _nav_items(request: HttpRequest) -> list[NavItem]:
    scope = scope_for(request.user)
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""

    entries: list[tuple[str | Promise, str | None, str, tuple[Any, ...]]] = [
        (_("Beranda"), _reverse("home"), "house", ("home",)),
    ]
    dashboard = _dashboard_entry(scope)
    if dashboard is not None:
        # One link (the role's own dashboard); the pages' tabs lead to the others the user may see.
        entries.append((_("Dasbor"), dashboard, "speedometer2", ("dashboards:",)))
    sees_many = scope.city_wide or bool(scope.employee_unit_paths or scope.team_ids)
    if sees_many:
        entries.append(
            (
                pgettext_lazy("navigasi", "Pegawai"),
                _reverse("employee_list"),
                "people",
                ("employee_list", "employee_detail", "employee_edit", "employee_create"),
            )
        )
    own_nip = _own_nip(request)
    if own_nip and not sees_many:
        # People who see only themselves get their profile in the bar; the others find it in the user menu.
        entries.append((_("Profil saya"), _reverse("employee_detail", own_nip), "person-badge", ()))
    if sees_many or own_nip:
        entries.append(
            (
                _("Kompetensi"),
                _reverse("competencies:home" if sees_many else "competencies:mine"),
                "bar-chart-steps",
                ("competencies:",),
            )
        )
        entries.append((_("Pelatihan"), _reverse("learning:home"), "mortarboard", ("learning:",)))
        development = _development_menu(scope, own_nip)
        if development:
            entries.append((_("Pengembangan"), None, "signpost-split", development))
    planning = _planning_menu(scope)
    if planning:
        entries.append((_("Perencanaan"), None, "graph-up-arrow", planning))
    # Public service: counters, complaints and IKM; one "Pelayanan" menu when there is more than one.
    service: list[MenuEntry | None] = []
    if scope.city_wide or scope.has_role(Role.UNIT_HEAD):
        service.append(
            MenuEntry(
                _("Titik layanan dan antrean"), _reverse("queueing:points"), "shop-window", ("queueing:",)
            )
        )
    elif scope.has_role(Role.COUNTER_OFFICER):
        service.append(MenuEntry(_("Loket"), _reverse("queueing:console_list"), "display", ("queueing:",)))
    if _sees_complaints(request):
        service.append(MenuEntry(_("Pengaduan"), _reverse("complaints:inbox"), "megaphone", ("complaints:",)))
    if _sees_ikm(request):
        service.append(MenuEntry(_("IKM"), _reverse("surveys:figures"), "clipboard-data", ("surveys:",)))
    # Official reports (issue 9 §3): BKPP, the executive and unit heads (reports/access.py).
    if service and (scope.city_wide or (scope.has_role(Role.UNIT_HEAD) and scope.manage_unit_paths)):
        service += [
            None,
            MenuEntry(_("Laporan resmi"), _reverse("reports:archive"), "file-earmark-text", ("reports:",)),
        ]
    if len(service) == 1 and service[0] is not None:
        only = service[0]
        entries.append((only.label, only.url, only.icon, only.names))
    elif service:
        entries.append((_("Pelayanan"), None, "shop-window", tuple(service)))
    # Structure, imports and the audit log: one "Administrasi" menu when there is more than one of them.
    admin_entries: list[MenuEntry | None] = []
    if scope.roles & STRUCTURE_ROLES or scope.city_wide:
        admin_entries.append(
            MenuEntry(
                pgettext_lazy("navigasi", "Unit"),
                _reverse("unit_tree"),
                "diagram-3",
                (
                    "unit_tree",
                    "unit_detail",
                    "unit_create",
                    "unit_edit",
                    "position_list",
                    "position_create",
                    "position_edit",
                ),
            )
        )
    if scope.can_import:
        admin_entries.append(MenuEntry(_("Impor"), _reverse("imports:home"), "upload", ("imports:",)))
    if scope.can_read_audit:
        admin_entries.append(
            MenuEntry(_("Jejak audit"), _reverse("audit_log"), "journal-text", ("audit_log",))
        )
    if len(admin_entries) == 1 and admin_entries[0] is not None:
        only = admin_entries[0]
        entries.append((only.label, only.url, only.icon, only.names))
    elif admin_entries:
        entries.append((_("Administrasi"), None, "gear", tuple(admin_entries)))

    def is_active(names: tuple[str, ...]) -> bool:
        return any(current == n or (n.endswith(":") and current.startswith(n)) for n in names)

    items = []
    for label, url, icon, names in entries:
        if url is None and names and isinstance(names[0], MenuEntry | type(None)):
            # A dropdown: `names` holds its entries (None = separator).
            children = tuple(
                None
                if entry is None
                else NavItem(
                    entry.label, entry.url, entry.icon, request.path == entry.url or is_active(entry.names)
                )
                for entry in names
            )
            children = _trim_separators(children)
            if children:
                active = any(child is not None and child.active for child in children)
                items.append(NavItem(label, "#", icon, active=active, children=children))
            continue
        if url is None:
            continue
        active = is_active(names)  # type: ignore[arg-type]
        if not active and not names and url == request.path:
            active = True
        items.append(NavItem(label=label, url=url, icon=icon, active=active))
    return items


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url: str
    icon: str
    names: tuple[str, ...] = ()


def _trim_separators(children: tuple[NavItem | None, ...]) -> tuple[NavItem | None, ...]:
    """No separator first, last or twice in a row."""
    out: list[NavItem | None] = []
    for child in children:
        if child is None and (not out or out[-1] is None):
            continue
        out.append(child)
    while out and out[-1] is None:
        out.pop()
    return tuple(out)


def _dashboard_entry(scope: Any) -> str | None:
    """Issue 9 dashboards: BKPP (admin), executive (city-wide roles), unit (unit heads). Supervisors and
    employees have none in the bar: /dasbor/ sends them to their team / own development page."""
    if scope.city_manager:
        return _reverse("dashboards:bkpp")
    if scope.city_wide:
        return _reverse("dashboards:executive")
    if scope.has_role(Role.UNIT_HEAD) and scope.manage_unit_paths:
        return _reverse("dashboards:unit")
    return None


def _development_menu(scope: Any, own_nip: str | None) -> tuple[MenuEntry | None, ...]:
    """Development plans, recommendations, evaluation and talent: own pages, then team, then city."""
    entries: list[MenuEntry | None] = []
    if own_nip:
        entries += [
            MenuEntry(_("Rencana saya"), _reverse("development:my"), "signpost-split", ("development:my",)),
            MenuEntry(
                _("Rekomendasi untuk saya"),
                _reverse("development:recommendations"),
                "stars",
                ("development:recommendations",),
            ),
            MenuEntry(_("Evaluasi saya"), _reverse("evaluation:mine"), "ui-checks", ("evaluation:mine",)),
            MenuEntry(_("Posisi talenta saya"), _reverse("talent:mine"), "grid-3x3", ("talent:mine",)),
            MenuEntry(_("Pendidikan lanjut"), _reverse("talent:programs"), "building", ("talent:program",)),
        ]
    # By role, not by `scope.team_ids` (a recursive query we do not want on every page).
    leads = scope.has_role(Role.SUPERVISOR) or bool(scope.manage_unit_paths)
    if leads and not scope.city_wide:
        entries.append(None)
        entries += [
            MenuEntry(_("Rencana tim"), _reverse("development:team"), "people", ("development:team",)),
            MenuEntry(
                _("Penilaian perilaku (L3)"),
                _reverse("evaluation:behaviour_list"),
                "clipboard-check",
                ("evaluation:behaviour",),
            ),
            MenuEntry(
                _("Kotak talenta"), _reverse("talent:grid"), "grid-3x3-gap", ("talent:grid", "talent:box")
            ),
        ]
    if scope.city_wide or scope.manage_unit_paths:
        entries.append(None)
        entries.append(
            MenuEntry(
                _("Cakupan rencana"), _reverse("development:coverage"), "pie-chart", ("development:coverage",)
            )
        )
    if scope.manage_unit_paths and not scope.city_wide:
        entries.append(
            MenuEntry(
                _("Hasil evaluasi"), _reverse("evaluation:results"), "bar-chart", ("evaluation:results",)
            )
        )
    if scope.city_wide:
        entries += [
            MenuEntry(
                _("Hasil evaluasi"), _reverse("evaluation:results"), "bar-chart", ("evaluation:results",)
            ),
            MenuEntry(
                _("Kotak talenta"), _reverse("talent:grid"), "grid-3x3-gap", ("talent:grid", "talent:box")
            ),
            MenuEntry(_("Kelompok talenta"), _reverse("talent:pool"), "award", ("talent:pool",)),
            MenuEntry(
                _("Lamaran pendidikan lanjut"),
                _reverse("talent:applications"),
                "inboxes",
                ("talent:application",),
            ),
            MenuEntry(_("Laporan pendidikan lanjut"), _reverse("talent:report"), "table", ("talent:report",)),
            MenuEntry(_("Institusi mitra"), _reverse("talent:institutions"), "bank", ("talent:institution",)),
        ]
    if scope.has_role(Role.ADMIN) or (scope.manage_unit_paths and not scope.city_wide):
        entries.append(
            MenuEntry(
                _("Isi predikat SKP"),
                _reverse("talent:rating_entry"),
                "pencil-square",
                ("talent:rating_entry",),
            )
        )
    if scope.has_role(Role.ADMIN):
        entries.append(
            MenuEntry(_("Impor SKP"), _reverse("talent:skp_import"), "upload", ("talent:skp_import",))
        )
    elif scope.has_role(Role.TRAINER):
        entries += [
            None,
            MenuEntry(_("Hasil evaluasi kelas"), _reverse("evaluation:results"), "bar-chart", ()),
        ]
    return tuple(entries)


def _planning_menu(scope: Any) -> tuple[MenuEntry | None, ...]:
    """Budget, optimal plans, impact and nudge effects: BKPP and the executive."""
    if not scope.city_wide:
        if scope.manage_unit_paths:
            # Unit heads: their own unit's budget lines and the city-level programme effects (no officer
            # rows); not scenarios.
            return (
                MenuEntry(
                    _("Anggaran pelatihan"), _reverse("planning:budget"), "cash-coin", ("planning:budget",)
                ),
                MenuEntry(
                    _("Dampak pelatihan"), _reverse("insights:program_list"), "graph-up", ("insights:",)
                ),
            )
        return ()
    return (
        MenuEntry(_("Anggaran pelatihan"), _reverse("planning:budget"), "cash-coin", ("planning:budget",)),
        MenuEntry(
            _("Skenario rencana"),
            _reverse("planning:scenarios"),
            "diagram-2",
            ("planning:scenario", "planning:run"),
        ),
        None,
        MenuEntry(_("Dampak pelatihan"), _reverse("insights:program_list"), "graph-up", ("insights:",)),
        MenuEntry(_("Efek pengingat"), _reverse("nudges:effects"), "bell", ("nudges:effects",)),
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"city_name": settings.MUMPUNI_CITY_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    scope = scope_for(user)
    request._mumpuni_unread = unread_notifications(user)  # type: ignore[attr-defined]
    context["nav_items"] = _nav_items(request)
    context["own_nip"] = _own_nip(request)
    context["user_scope"] = scope
    context["user_role"] = primary_role(scope)
    context["user_role_label"] = ROLE_LABELS.get(context["user_role"], "")
    context["notifications_unread"] = getattr(request, "_mumpuni_unread", 0)
    # The home page's "Pengaduan lewat batas" card (complaints/desk/_overdue_card.html): lazy, so the
    # query runs only on a page that includes the card.
    context["complaints_overdue"] = SimpleLazyObject(lambda: _overdue_card(user))
    return context


def _overdue_card(user: Any) -> Any:
    from mumpuni.complaints.selectors.inbox import overdue_for

    return overdue_for(user)
