"""Reads of learning progress: the JP ledger of a person, their certificates and activities, and the
20-JP compliance of a unit subtree or the city.

PP 11/2017 as amended by PP 17/2020 gives every *PNS* the right to at least 20 JP a year; PPPK are counted
and shown apart, not as owed. Compliance is computed from one aggregate query over the ledger and one
over the employees, grouped in Python (15,000 ASN fit comfortably in memory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.learning.models import ANNUAL_JP_TARGET, Certificate, JpEntry, NonClassicalActivity
from mumpuni.people.models import Employee, Unit
from mumpuni.people.scopes import Scope, scope_for

TARGET = Decimal(ANNUAL_JP_TARGET)


def jp_this_year(employee: Employee | int, year: int | None = None) -> Decimal:
    """Sum of the employee's ledger in the year (default: the current one)."""
    year = year or timezone.localdate().year
    employee_id = employee if isinstance(employee, int) else employee.pk
    total = JpEntry.objects.filter(employee_id=employee_id, year=year).aggregate(total=Sum("jp"))["total"]
    return total or Decimal("0")


def jp_ledger(employee: Employee, year: int | None = None) -> QuerySet[JpEntry]:
    qs = JpEntry.objects.filter(employee=employee).select_related("program", "enrollment__training_class")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-occurred_on", "-id")


def certificates_of(employee: Employee) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrollment__employee=employee).select_related(
        "enrollment__training_class__program"
    )


def activities_of(employee: Employee) -> QuerySet[NonClassicalActivity]:
    return NonClassicalActivity.objects.filter(employee=employee).select_related("verified_by")


@dataclass(frozen=True)
class JpCard:
    """The home-page card: JP this year against the 20 owed."""

    year: int
    jp: Decimal
    target: Decimal
    owed: bool  # PNS; PPPK see their figure without a target

    @property
    def percent(self) -> int:
        return min(100, int(self.jp * 100 / self.target)) if self.target else 0

    @property
    def met(self) -> bool:
        return self.jp >= self.target

    @property
    def missing(self) -> Decimal:
        return max(Decimal("0"), self.target - self.jp)


def jp_card(employee: Employee | None, year: int | None = None) -> JpCard | None:
    if employee is None:
        return None
    year = year or timezone.localdate().year
    return JpCard(
        year=year,
        jp=jp_this_year(employee, year),
        target=TARGET,
        owed=employee.employment_type == Employee.EmploymentType.PNS,
    )


# --- compliance ------------------------------------------------------------------------------------


def can_view_compliance(user: Any) -> bool:
    scope = scope_for(user)
    return scope.city_wide or bool(scope.manage_unit_paths)


@dataclass(frozen=True)
class Person:
    id: int
    nip: str
    name: str
    employment_type: str
    unit_id: int
    unit_name: str
    jp: Decimal

    @property
    def missing(self) -> Decimal:
        return max(Decimal("0"), TARGET - self.jp)


@dataclass
class GroupRow:
    unit: Unit
    pns: int = 0
    pns_met: int = 0
    pppk: int = 0
    pppk_at_20: int = 0
    jp_total: Decimal = Decimal("0")

    @property
    def share(self) -> float:
        return round(self.pns_met * 100 / self.pns, 1) if self.pns else 0.0

    @property
    def behind(self) -> int:
        return self.pns - self.pns_met


@dataclass
class Compliance:
    year: int
    root: Unit
    rows: list[GroupRow]
    total: GroupRow
    behind: list[Person] = field(default_factory=list)  # PNS under 20 JP, fewest JP first
    people: list[Person] = field(default_factory=list)
    units: dict[int, Unit] = field(default_factory=dict)
    roots: list[Unit] = field(default_factory=list)


def compliance_roots(scope: Scope) -> list[Unit]:
    """The subtrees this user may look at: the city for BKPP/executives, the units a head leads."""
    if scope.city_wide:
        return list(Unit.objects.filter(parent__isnull=True).order_by("code"))
    return list(Unit.objects.filter(path__in=scope.manage_unit_paths).order_by("code"))


def compliance(*, user: Any, year: int | None = None, unit: Unit | None = None) -> Compliance:
    """Per child unit of `unit` (default: the first root in scope): PNS, PNS with ≥ 20 JP, their share,
    and PPPK apart; plus the PNS behind (< 20 JP), fewest first."""
    scope = scope_for(user)
    if not can_view_compliance(user):
        raise PermissionDeniedError("Halaman kepatuhan 20 JP hanya untuk BKPP dan kepala unit.")
    roots = compliance_roots(scope)
    if not roots:
        raise PermissionDeniedError("Tidak ada unit dalam cakupan Anda.")
    root = unit or roots[0]
    if not (scope.city_wide or any(root.path.startswith(r.path) for r in roots)):
        raise PermissionDeniedError("Unit ini di luar cakupan Anda.")
    year = year or timezone.localdate().year

    units = {u.pk: u for u in Unit.objects.filter(path__startswith=root.path)}
    employees = list(
        Employee.objects.filter(active=True, unit__path__startswith=root.path)
        .order_by()
        .values_list("pk", "nip", "name", "employment_type", "unit_id", "unit__path")
    )
    totals: dict[int, Decimal] = dict(
        JpEntry.objects.filter(year=year, employee__active=True, employee__unit__path__startswith=root.path)
        .order_by()
        .values("employee_id")
        .annotate(total=Sum("jp"))
        .values_list("employee_id", "total")
    )
    groups: dict[int, GroupRow] = {}
    total = GroupRow(unit=root)
    prefix_len = len(root.path)
    people: list[Person] = []
    for pk, nip, name, employment_type, unit_id, path in employees:
        rest = path[prefix_len:].strip("/")
        group_id = int(rest.split("/", 1)[0]) if rest else root.pk
        row = groups.get(group_id)
        if row is None:
            row = groups[group_id] = GroupRow(unit=units[group_id])
        jp = totals.get(pk) or Decimal("0")
        person = Person(pk, nip, name, employment_type, unit_id, units[unit_id].name, jp)
        people.append(person)
        for target in (row, total):
            target.jp_total += jp
            if employment_type == Employee.EmploymentType.PNS:
                target.pns += 1
                target.pns_met += jp >= TARGET
            else:
                target.pppk += 1
                target.pppk_at_20 += jp >= TARGET
    rows = sorted(groups.values(), key=lambda r: (r.share, r.unit.name))
    behind = sorted(
        (p for p in people if p.employment_type == Employee.EmploymentType.PNS and p.jp < TARGET),
        key=lambda p: (p.jp, p.name),
    )
    return Compliance(
        year=year, root=root, rows=rows, total=total, behind=behind, people=people, units=units, roots=roots
    )
