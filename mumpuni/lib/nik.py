"""NIK (Nomor Induk Kependudukan): validation through python-stdnum, masking for display.

NIK is personal data (UU 27/2022): store it only where a service needs it, show it masked, never log it.
"""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik


class NikError(ValueError):
    pass


def validate_nik(value: str) -> str:
    """Return the compact 16-digit NIK or raise NikError with an Indonesian message."""
    try:
        return str(stdnum_nik.validate(value))
    except ValidationError as exc:
        raise NikError(f"NIK tidak valid: {_reason(exc)}") from None


def _reason(exc: ValidationError) -> str:
    name = type(exc).__name__
    return {
        "InvalidLength": "harus 16 angka",
        "InvalidFormat": "hanya boleh berisi angka",
        "InvalidComponent": "kode wilayah atau tanggal lahir tidak valid",
    }.get(name, "format salah")


def mask_nik(value: str | None) -> str:
    """3374********0001: region (4 digits) and the last 4 digits only."""
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_secrets_in_text(text: str) -> str:
    """Replace every 16-digit run (a possible NIK) in free text by its masked form."""
    import re

    return re.sub(r"(?<!\d)\d{16}(?!\d)", lambda m: mask_nik(m.group(0)), text)
