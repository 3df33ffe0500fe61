"""Numbers in Indonesian words ("terbilang"), for the display board's spoken calls: 12 → "dua belas".

Pure: no Django. Covers 0 up to 999 999 999 999 (ticket and counter numbers need far less).
"""

from __future__ import annotations

_ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
_SCALES = [(10**9, "miliar"), (10**6, "juta"), (1000, "ribu")]


def _below_thousand(n: int) -> str:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words.append(f"{_ONES[hundreds]} ratus")
    if rest == 0:
        return " ".join(words)
    if rest < 10:
        words.append(_ONES[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words.append(f"{_ONES[rest - 10]} belas")
    else:
        tens, ones = divmod(rest, 10)
        words.append(f"{_ONES[tens]} puluh")
        if ones:
            words.append(_ONES[ones])
    return " ".join(words)


def terbilang(n: int) -> str:
    """`n` in Indonesian words: 0 → "nol", 1000 → "seribu", 2024 → "dua ribu dua puluh empat"."""
    if n < 0:
        return f"minus {terbilang(-n)}"
    if n >= 10**12:
        raise ValueError("Bilangan terlalu besar.")
    if n == 0:
        return _ONES[0]
    words: list[str] = []
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if count == 0:
            continue
        if scale == 1000 and count == 1:
            words.append("seribu")
        else:
            words.append(f"{_below_thousand(count)} {name}")
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)
