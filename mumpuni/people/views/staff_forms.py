"""Forms of the staff pages. They only shape input: rules and messages about the data come from services.

Choices are limited to the user's scope, so a unit head can neither pick nor see units outside their subtree.
Errors raised by services (ValidationFailed.fields) are put back on these forms by `apply_service_errors`.
"""

from __future__ import annotations

import json
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from mumpuni.common.errors import ApplicationError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.common.templatetags.mumpuni_tags import object_type_label
from mumpuni.people import services
from mumpuni.people.models import Employee, Position, Unit
from mumpuni.people.scopes import Scope

# Service field name -> form field name, where they differ.
EMPLOYEE_FIELD_MAP = {
    "supervisor": "supervisor_nip",
    "sex": "nip",
    "birth_date": "nip",
    "employment_type": "nip",
}


def apply_service_errors(
    form: forms.Form, exc: ApplicationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: field messages on their fields, the rest above the form."""
    field_map = field_map or {}
    placed = False
    for name, messages in exc.fields.items():
        target = field_map.get(name, name)
        for message in messages:
            if target in form.fields:
                form.add_error(target, message)
                placed = True
            else:
                form.add_error(None, message)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def placeable_units(scope: Scope) -> QuerySet[Unit]:
    """Units an employee may be placed in by this user (BKPP: all; a unit head: their subtrees)."""
    if scope.city_manager:
        return Unit.objects.all()
    if not scope.manage_unit_paths:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(or_, (Q(path__startswith=p) for p in scope.manage_unit_paths)))


def positions_for_unit(scope: Scope, unit: Unit | None) -> QuerySet[Position]:
    """Positions an employee of `unit` may hold: those of the unit itself or one of its ancestors."""
    if unit is None:
        return Position.objects.none()
    return scope.positions(Position.objects.select_related("unit")).filter(unit_id__in=_ancestor_ids(unit))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class EmployeeForm(forms.Form):
    """Create or change an employee (BKPP admin and unit heads)."""

    nip = forms.CharField(
        label=_("NIP / NI PPPK"),
        max_length=24,
        help_text=_("18 angka; jenis kelamin dan tanggal lahir dibaca dari NIP."),
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="code", empty_label=_("— pilih unit —")
    )
    position = PositionChoiceField(
        label=_("Jabatan"),
        queryset=Position.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("— tanpa jabatan —"),
        help_text=_("Jabatan di unit ini atau di unit induknya."),
    )
    supervisor_nip = forms.CharField(label=_("NIP atasan langsung"), max_length=24, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, scope: Scope, employee: Employee | None = None, **kwargs: Any) -> None:
        if employee is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "nip": employee.nip,
                "name": employee.name,
                "unit": employee.unit.code,
                "position": employee.position.code if employee.position_id and employee.position else None,
                "supervisor_nip": employee.supervisor.nip
                if employee.supervisor_id and employee.supervisor
                else "",
                "email": employee.email,
                "phone": employee.phone,
                "active": employee.active,
            }
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.employee = employee
        # HTMX: read the NIP while it is typed; reload the position choices when the unit changes.
        self.fields["nip"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("nip_check"),
                "hx-trigger": "input changed delay:300ms, load",
                "hx-target": "#nip-check",
                "hx-vals": json.dumps({"current": employee.nip if employee else ""}),
                "autocomplete": "off",
                "inputmode": "numeric",
            }
        )
        self.fields["unit"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("position_options"),
                "hx-trigger": "change",
                "hx-target": "#id_position",
                "hx-include": "[name='position']",
            }
        )
        self.fields["supervisor_nip"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        units = placeable_units(scope)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        # Positions follow the chosen unit (the posted one, else the employee's or the ?unit= preset).
        unit_code = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        unit = units.filter(code=unit_code).first() if unit_code else None
        self.fields["position"].queryset = positions_for_unit(scope, unit)  # type: ignore[attr-defined]
        if employee is not None and employee.supervisor_id and employee.supervisor:
            self.fields["supervisor_nip"].help_text = _("Sekarang: %(name)s") % {
                "name": employee.supervisor.name
            }

    def clean_nip(self) -> str:
        nip = self.cleaned_data["nip"].replace(" ", "").strip()
        # The service checks it again on save; asking it here shows a bad NIP together with other field errors.
        try:
            services.check_identity(nip=nip)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.fields.get("nip", [exc.message])) from None
        return nip

    def clean_supervisor_nip(self) -> Employee | None:
        value = self.cleaned_data.get("supervisor_nip", "").replace(" ", "").strip()
        if not value:
            return None
        current = self.employee.supervisor if self.employee is not None else None
        if current is not None and current.nip == value:
            return current  # keeping the present supervisor is fine even when they sit outside the scope
        found = self.scope.employees().filter(nip=value).first()
        if found is None:
            raise forms.ValidationError(_("Tidak ada pegawai dengan NIP ini dalam cakupan Anda."))
        return found

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "nip": data["nip"],
            "name": data["name"].strip(),
            "unit": data["unit"],
            "position": data.get("position"),
            "supervisor": data.get("supervisor_nip"),
            "email": data.get("email", "").strip(),
            "phone": data.get("phone", "").strip(),
            "active": bool(data.get("active")),
        }

    def changes(self) -> dict[str, Any]:
        """Only the values that differ from the employee's present ones."""
        assert self.employee is not None
        employee = self.employee
        current = {
            "nip": employee.nip,
            "name": employee.name,
            "unit": employee.unit,
            "position": employee.position,
            "supervisor": employee.supervisor,
            "email": employee.email,
            "phone": employee.phone,
            "active": employee.active,
        }
        return {k: v for k, v in self.service_values().items() if current[k] != v}


class ContactForm(forms.Form):
    """What every person may correct on their own record."""

    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"email": employee.email, "phone": employee.phone})
        super().__init__(*args, **kwargs)
        self.employee = employee

    def changes(self) -> dict[str, Any]:
        values = {
            "email": self.cleaned_data.get("email", "").strip(),
            "phone": self.cleaned_data.get("phone", "").strip(),
        }
        return {k: v for k, v in values.items() if getattr(self.employee, k) != v}


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Kode unit"), max_length=32, help_text=_("Misalnya 33.74.10 (kode Kemendagri).")
    )
    name = forms.CharField(label=_("Nama unit"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Unit.Kind.choices)
    parent = UnitChoiceField(
        label=_("Unit induk"),
        queryset=Unit.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("— tanpa induk (akar) —"),
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": unit.code,
                    "name": unit.name,
                    "kind": unit.kind,
                    "parent": unit.parent.code if unit.parent_id and unit.parent else None,
                    "active": unit.active,
                },
            )
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit is not None:
            # A unit cannot move under itself; the service checks it too, this keeps the list honest.
            self.fields["parent"].queryset = Unit.objects.exclude(path__startswith=unit.path)  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"].strip().upper(),
            "name": data["name"].strip(),
            "kind": data["kind"],
            "parent": data.get("parent"),
            "active": bool(data.get("active")),
        }


class PositionForm(forms.Form):
    code = forms.CharField(label=_("Kode jabatan"), max_length=40)
    name = forms.CharField(label=_("Nama jabatan"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis jabatan"), choices=Position.Kind.choices)
    level = forms.ChoiceField(
        label=_("Jenjang"),
        choices=Position.Level.choices,
        required=False,
        help_text=_("JPT: utama/madya/pratama; fungsional: ahli atau terampil; lainnya kosong."),
    )
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), to_field_name="code", empty_label=_("— pilih unit —")
    )
    is_front_line = forms.BooleanField(label=_("Melayani masyarakat langsung"), required=False)

    def __init__(self, *args: Any, position: Position | None = None, **kwargs: Any) -> None:
        if position is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": position.code,
                    "name": position.name,
                    "kind": position.kind,
                    "level": position.level,
                    "unit": position.unit.code,
                    "is_front_line": position.is_front_line,
                },
            )
        super().__init__(*args, **kwargs)

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"].strip().upper(),
            "name": data["name"].strip(),
            "kind": data["kind"],
            "level": data.get("level") or "",
            "unit": data["unit"],
            "is_front_line": bool(data.get("is_front_line")),
        }


class PositionFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau kode"), required=False, max_length=100)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Semua unit"),
    )
    kind = forms.ChoiceField(
        label=_("Jenis jabatan"), choices=[("", _("Semua jenis")), *Position.Kind.choices], required=False
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope.units().order_by("code")  # type: ignore[attr-defined]


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Jenis data"), required=False)
    actor = forms.CharField(label=_("Pelaku (nama pengguna)"), required=False, max_length=150)
    object_id = forms.CharField(label=_("ID data"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua jenis")),
            *((t, object_type_label(t)) for t in types),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Tanggal akhir harus sama atau sesudah tanggal awal."))
        return data

    def filter(self, qs: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        if data.get("actor"):
            qs = qs.filter(actor_label__icontains=data["actor"].strip())
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"].strip())
        if data.get("date_from"):
            qs = qs.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(created_at__date__lte=data["date_to"])
        return qs
