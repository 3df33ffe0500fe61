"""The demo accounts: one per role, linked to fitting synthetic ASN, with the documented demo password."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from mumpuni.people import services
from mumpuni.people.models import Employee, Role, Unit, User
from mumpuni.people.seeding.catalogue import CITY_CODE, SEKDA_UNIT_SUFFIX

# --- demo accounts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str | None
    description: str
    service: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.ADMIN, None, "Admin BKPP"),
    DemoAccount("camat.tembalang", Role.UNIT_HEAD, "33.74.10", "Camat Tembalang"),
    DemoAccount("camat.banyumanik", Role.UNIT_HEAD, "33.74.11", "Camat Banyumanik"),
    DemoAccount("atasan", Role.SUPERVISOR, None, "Atasan: Kasi Pelayanan Tembalang"),
    DemoAccount("pegawai", Role.EMPLOYEE, None, "Pegawai Kec. Tembalang"),
    DemoAccount("petugas", Role.COUNTER_OFFICER, "33.74.10", "Petugas loket Tembalang"),
    DemoAccount("pelatih", Role.TRAINER, None, "Pelatih: Widyaiswara BKPP"),
    DemoAccount("eksekutif", Role.EXECUTIVE, None, "Pimpinan: Sekretaris Daerah"),
    DemoAccount("pengaduan", Role.COMPLAINT_DESK, None, "Petugas pengaduan (meja pengaduan BKPP)"),
    DemoAccount("kiosk.tembalang", Role.KIOSK, "33.74.10", "Kios antrean", service=True),
    DemoAccount("papan.tembalang", Role.DISPLAY, "33.74.10", "Papan antrean", service=True),
    DemoAccount("mitra", Role.PARTNER, CITY_CODE, "Sistem mitra", service=True),
)


def _demo_employees() -> dict[str, Employee | None]:
    """The ASN each demo account belongs to, picked by position so the choice is stable for a seed."""

    def first(**filters: Any) -> Employee | None:
        return Employee.objects.filter(**filters).order_by("pk").first()

    atasan = first(position__code="33.74.10-KASI-PEL")
    return {
        "admin": first(
            position__unit__code="33.74.BKPP", position__name__startswith="Analis Sumber Daya Manusia"
        ),
        "camat.tembalang": first(position__code="33.74.10-CAMAT"),
        "camat.banyumanik": first(position__code="33.74.11-CAMAT"),
        "atasan": atasan,
        "pegawai": first(supervisor=atasan, position__is_front_line=False) if atasan else None,
        "petugas": first(supervisor=atasan, position__is_front_line=True) if atasan else None,
        "pelatih": first(position__unit__code="33.74.BKPP", position__name__startswith="Widyaiswara"),
        "eksekutif": first(position__code=f"{CITY_CODE}.{SEKDA_UNIT_SUFFIX}-KEPALA"),
        # Any other BKPP employee (not the admin's analyst, not the trainer).
        "pengaduan": Employee.objects.filter(unit__code__startswith="33.74.BKPP")
        .exclude(position__name__startswith="Analis Sumber Daya Manusia")
        .exclude(position__name__startswith="Widyaiswara")
        .order_by("pk")
        .first(),
    }


def create_demo_accounts() -> list[User]:
    """One account per role (DEMO_ACCOUNTS), linked to fitting synthetic ASN; service accounts get no password
    (they authenticate with API keys: manage.py create_api_key)."""
    employees = _demo_employees()
    made: list[User] = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        unit = Unit.objects.get(code=account.unit_code) if account.unit_code else None
        made.append(
            services.account_create(
                actor=None,
                username=account.username,
                password=None if account.service else settings.MUMPUNI_DEMO_PASSWORD,
                roles=[(account.role, unit)],
                employee=employees.get(account.username),
                service_account=account.service,
            )
        )
    return made


def demo_accounts_table() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) of the demo accounts present in the database."""
    present = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    units = dict(
        Unit.objects.filter(code__in=[a.unit_code for a in DEMO_ACCOUNTS if a.unit_code]).values_list(
            "code", "name"
        )
    )
    rows = []
    for a in DEMO_ACCOUNTS:
        if a.username not in present:
            continue
        if a.unit_code:
            scope = f"{a.unit_code} {units.get(a.unit_code, '')}".strip()
        elif a.role in {Role.ADMIN, Role.EXECUTIVE}:
            scope = "seluruh kota"
        elif a.role == Role.SUPERVISOR:
            scope = "timnya (bawahan langsung dan tidak langsung)"
        else:
            scope = "data sendiri"
        password = "- (kunci API)" if a.service else settings.MUMPUNI_DEMO_PASSWORD
        rows.append((a.username, f"{a.description} [{a.role}]", scope, password))
    return rows


def format_accounts_table(rows: Sequence[tuple[str, ...]]) -> str:
    header = ("Nama pengguna", "Peran", "Cakupan", "Kata sandi")
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in (header, tuple("-" * w for w in widths), *rows)
    ]
    return "\n".join(lines)
