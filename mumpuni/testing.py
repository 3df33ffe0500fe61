"""Persona-based test base (after healthchecks' BaseTestCase).

The cast, all in a small Kota Semarang tree:
- admin      — BKPP admin (city-wide, changes everything)
- camat      — camat of Tembalang (unit_head of 33.74.10 and its kelurahan)
- supervisor — a kasi in Tembalang with two reports: `employee` and `officer`
- employee   — a pelaksana in Tembalang
- officer    — a counter officer at the Tembalang office
- other      — camat of Banyumanik (33.74.11): powerful, but elsewhere — the outsider
- other_officer — a counter officer in Banyumanik
- executive  — city-wide read-only
Anonymous requests use a fresh client.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.test import TestCase

from mumpuni.lib.nip import build_nip
from mumpuni.people import services
from mumpuni.people.models import Employee, Position, Role, Unit, User

PASSWORD = "rahasia-uji-123"  # noqa: S105
_serials = itertools.count(1)


def make_nip(*, sex: str = "L", birth: dt.date | None = None, year: int = 2015, month: int = 3) -> str:
    serial = next(_serials) % 999 + 1
    birth = birth or dt.date(1990, 1, 1) + dt.timedelta(days=next(_serials) % 2500)  # stays 18+ at a 2015 TMT
    return build_nip(birth_date=birth, sex=sex, serial=serial, year=year, month=month)  # type: ignore[arg-type]


def make_unit(code: str, name: str, kind: str, parent: Unit | None = None) -> Unit:
    return services.unit_create(actor=None, code=code, name=name, kind=kind, parent=parent)


def make_position(
    code: str, unit: Unit, kind: str = "pelaksana", level: str = "", name: str = ""
) -> Position:
    return services.position_create(
        actor=None, code=code, name=name or code.title(), kind=kind, level=level, unit=unit
    )


def make_employee(
    name: str, unit: Unit, position: Position | None = None, supervisor: Employee | None = None, **extra: Any
) -> Employee:
    nip = extra.pop("nip", None) or make_nip(sex=extra.pop("sex", "L"))
    return services.employee_create(
        actor=None, nip=nip, name=name, unit=unit, position=position, supervisor=supervisor, **extra
    )


def make_account(
    username: str, roles: list[tuple[str, Unit | None]], employee: Employee | None = None
) -> User:
    return services.account_create(
        actor=None, username=username, password=PASSWORD, roles=roles, employee=employee
    )


class Cast:
    """The personas and their small unit tree; attributes as in BaseTestCase."""


def create_cast(cls: Any) -> None:
    """Create the personas and set them as attributes of `cls` (a test class or a Cast)."""
    cls.city = make_unit("33.74", "Pemerintah Kota Semarang", "pemda")
    cls.bkpp = make_unit("33.74.BKPP", "Badan Kepegawaian, Pendidikan dan Pelatihan", "badan", cls.city)
    cls.tembalang = make_unit("33.74.10", "Kecamatan Tembalang", "kecamatan", cls.city)
    cls.bulusan = make_unit("33.74.10.1001", "Kelurahan Bulusan", "kelurahan", cls.tembalang)
    cls.banyumanik = make_unit("33.74.11", "Kecamatan Banyumanik", "kecamatan", cls.city)
    cls.srondol = make_unit("33.74.11.1001", "Kelurahan Srondol Kulon", "kelurahan", cls.banyumanik)

    cls.pos_camat = make_position("KEC10-CAMAT", cls.tembalang, "administrator", name="Camat Tembalang")
    cls.pos_kasi = make_position("KEC10-KASI-PEL", cls.tembalang, "pengawas", name="Kasi Pelayanan")
    cls.pos_staff = make_position("KEC10-PELAKSANA", cls.tembalang, "pelaksana", name="Pengadministrasi Umum")
    cls.pos_other = make_position("KEC11-CAMAT", cls.banyumanik, "administrator", name="Camat Banyumanik")
    cls.pos_bkpp = make_position(
        "BKPP-ANALIS", cls.bkpp, "fungsional", "ahli_muda", name="Analis SDM Aparatur"
    )

    cls.admin_employee = make_employee("Sri Wahyuni", cls.bkpp, cls.pos_bkpp, sex="P")
    cls.camat_employee = make_employee("Bambang Susilo", cls.tembalang, cls.pos_camat)
    cls.supervisor_employee = make_employee(
        "Dewi Lestari", cls.tembalang, cls.pos_kasi, supervisor=cls.camat_employee, sex="P"
    )
    cls.employee_employee = make_employee(
        "Agus Prasetyo", cls.tembalang, cls.pos_staff, supervisor=cls.supervisor_employee
    )
    cls.officer_employee = make_employee(
        "Rina Kurniawati", cls.tembalang, cls.pos_staff, supervisor=cls.supervisor_employee, sex="P"
    )
    cls.other_employee = make_employee("Joko Santoso", cls.banyumanik, cls.pos_other)
    cls.other_officer_employee = make_employee("Siti Aminah", cls.srondol, None, sex="P")

    cls.admin = make_account("admin", [(Role.ADMIN, None)], cls.admin_employee)
    cls.camat = make_account("camat", [(Role.UNIT_HEAD, cls.tembalang)], cls.camat_employee)
    cls.supervisor = make_account("supervisor", [(Role.SUPERVISOR, None)], cls.supervisor_employee)
    cls.employee = make_account("pegawai", [(Role.EMPLOYEE, None)], cls.employee_employee)
    cls.officer = make_account("petugas", [(Role.COUNTER_OFFICER, cls.tembalang)], cls.officer_employee)
    cls.other = make_account("camat-lain", [(Role.UNIT_HEAD, cls.banyumanik)], cls.other_employee)
    cls.other_officer = make_account(
        "petugas-lain", [(Role.COUNTER_OFFICER, cls.banyumanik)], cls.other_officer_employee
    )
    cls.executive = make_account("eksekutif", [(Role.EXECUTIVE, None)])


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        create_cast(cls)

    def setUp(self) -> None:
        super().setUp()
        # Rolled-back CollectiveLeave rows of earlier tests fire no delete signal: start from a cold cache.
        from mumpuni.common.calendar import clear_calendar_cache

        clear_calendar_cache()

    def login(self, user: User) -> None:
        self.client.force_login(user)
