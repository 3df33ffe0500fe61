"""The city's working-day calendar: national holidays (`holidays`, country ID) plus configured cuti bersama.

`work_calendar()` reads the configuration (one query) for deadlines. Hot paths (is a service point open, on
every ticket issue) use `cached_work_calendar()` / `holiday_name()`, which keep the cuti bersama dates in a
process-wide cache: rebuilt after CACHE_SECONDS, and at once when a CollectiveLeave row is saved or deleted
in this process. Another process sees a change after at most CACHE_SECONDS; cuti bersama is decreed months
ahead, so that lag never matters. National holidays are computed in memory (lib.workdays caches them).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from functools import lru_cache
from typing import Any

import holidays
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mumpuni.common.models import CollectiveLeave
from mumpuni.lib.workdays import WorkCalendar, national_holidays

CACHE_SECONDS = 60.0

_lock = threading.Lock()
_cached: tuple[float, WorkCalendar, dict[dt.date, str]] | None = None


def work_calendar() -> WorkCalendar:
    """One query; call once per request or task and pass the calendar around."""
    return WorkCalendar.with_leave(CollectiveLeave.objects.values_list("date", "name"))


def _cache_entry() -> tuple[WorkCalendar, dict[dt.date, str]]:
    global _cached
    entry = _cached
    now = time.monotonic()
    if entry is not None and now - entry[0] < CACHE_SECONDS:
        return entry[1], entry[2]
    with _lock:
        calendar = work_calendar()
        entry = (now, calendar, dict(calendar.collective_leave_names))
        _cached = entry
    return entry[1], entry[2]


def cached_work_calendar() -> WorkCalendar:
    """work_calendar() from the process-wide cache: no query while the cache is fresh."""
    return _cache_entry()[0]


@lru_cache(maxsize=16)
def _national_holidays_english(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("ID", years=[year], language="en_US").items())


def holiday_name(day: dt.date, *, language: str | None = None) -> str | None:
    """The national holiday or cuti bersama on `day`, None on any other day. Names are Indonesian; with
    `language` "en…" a national holiday is named in English (cuti bersama keep their configured name).

    Weekends are not holidays here: whether a place works on Saturday is its own opening hours' business.
    """
    if language and language.startswith("en"):
        national = _national_holidays_english(day.year).get(day)
    else:
        national = national_holidays(day.year).get(day)
    if national:
        return national
    return _cache_entry()[1].get(day)


def clear_calendar_cache() -> None:
    """Forget the cached cuti bersama (tests whose rolled-back rows fire no post_delete call this)."""
    global _cached
    with _lock:
        _cached = None


@receiver(post_save, sender=CollectiveLeave, dispatch_uid="common.calendar.leave_saved")
@receiver(post_delete, sender=CollectiveLeave, dispatch_uid="common.calendar.leave_deleted")
def _collective_leave_changed(**kwargs: Any) -> None:
    clear_calendar_cache()
