"""Forms of the people pages. Messages are Indonesian; field errors come from the services too."""

from __future__ import annotations

from typing import Any

from django import forms

from mumpuni.people import selectors
from mumpuni.people.models import Employee, Position, Unit


class EmployeeFilterForm(forms.Form):
    """Filters of the employee list; the same form drives the list page and its CSV/XLSX export."""

    q = forms.CharField(label="Cari nama atau NIP", required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label="Unit", queryset=Unit.objects.none(), required=False, to_field_name="code"
    )
    kind = forms.ChoiceField(
        label="Jenis jabatan", choices=[("", "Semua jenis")] + list(Position.Kind.choices), required=False
    )
    type = forms.ChoiceField(
        label="Status kepegawaian",
        choices=[("", "PNS dan PPPK")] + list(Employee.EmploymentType.choices),
        required=False,
    )
    status = forms.ChoiceField(
        label="Keaktifan",
        choices=[("aktif", "Aktif"), ("nonaktif", "Nonaktif"), ("semua", "Semua")],
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = selectors.unit_list(user=user)  # type: ignore[attr-defined]

    def queryset(self) -> Any:
        """The filtered employee queryset (invalid filters are ignored, never a 500)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or "aktif"
        return selectors.employee_list(
            user=self.user,
            search=data.get("q", ""),
            unit=data.get("unit"),
            position_kind=data.get("kind", ""),
            employment_type=data.get("type", ""),
            active={"aktif": True, "nonaktif": False}.get(status),
        )
