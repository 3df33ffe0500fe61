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

    entries: list[tuple[str | Promise, str | None, str, tuple[str, ...]]] = [
        (_("Beranda"), _reverse("home"), "house", ("home",)),
    ]
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
        if own_nip:
            entries.append(
                (_("Pengembangan"), _reverse("development:my"), "signpost-split", ("development:",))
            )
        elif scope.city_wide or scope.manage_unit_paths:
            entries.append(
                (_("Pengembangan"), _reverse("development:coverage"), "signpost-split", ("development:",))
            )
    if scope.city_wide or scope.has_role(Role.UNIT_HEAD):
        entries.append((_("Layanan"), _reverse("queueing:points"), "shop-window", ("queueing:",)))
    elif scope.has_role(Role.COUNTER_OFFICER):
        entries.append((_("Loket"), _reverse("queueing:console_list"), "display", ("queueing:",)))
    if _sees_complaints(request):
        entries.append((_("Pengaduan"), _reverse("complaints:inbox"), "megaphone", ("complaints:",)))
    if _sees_ikm(request):
        entries.append((_("IKM"), _reverse("surveys:figures"), "clipboard-data", ("surveys:",)))
    if scope.roles & STRUCTURE_ROLES or scope.city_wide:
        entries.append(
            (
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
        entries.append((_("Impor"), _reverse("imports:home"), "upload", ("imports:",)))
    if scope.can_read_audit:
        entries.append((_("Jejak audit"), _reverse("audit_log"), "journal-text", ("audit_log",)))

    items = []
    for label, url, icon, names in entries:
        if url is None:
            continue
        active = any(current == n or (n.endswith(":") and current.startswith(n)) for n in names)
        if not active and not names and url == request.path:
            active = True
        items.append(NavItem(label=label, url=url, icon=icon, active=active))
    return items


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
