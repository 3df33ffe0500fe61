"""Working days for deadlines (complaints) and closed days (service points).

A working day is Monday to Friday that is neither an Indonesian national holiday (the `holidays` package,
country ID) nor a configured *cuti bersama* day. Pure: the cuti bersama dates are passed in, so this module
knows nothing of the database (`mumpuni.common.calendar.work_calendar()` builds one from the configuration).

Counting rule (documented in docs/complaints.md): a deadline of N working days from a moment falls on the
N-th working day *after* the day of that moment; the day itself never counts, even when it is a working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[dt.date, str]:
    """Indonesian national holidays of a year, named in Indonesian."""
    return dict(holidays.country_holidays("ID", years=[year], language="id").items())


@dataclass(frozen=True)
class WorkCalendar:
    collective_leave: frozenset[dt.date] = field(default_factory=frozenset)
    collective_leave_names: tuple[tuple[dt.date, str], ...] = ()

    @classmethod
    def with_leave(cls, days: Iterable[tuple[dt.date, str]] | Iterable[dt.date]) -> WorkCalendar:
        pairs: list[tuple[dt.date, str]] = []
        for item in days:
            if isinstance(item, tuple):
                pairs.append((item[0], item[1]))
            else:
                pairs.append((item, "Cuti bersama"))
        return cls(frozenset(d for d, _ in pairs), tuple(sorted(pairs)))

    def day_off_reason(self, day: dt.date) -> str | None:
        """Why `day` is not a working day (Indonesian), or None when it is one."""
        national = national_holidays(day.year).get(day)
        if national:
            return national
        if day in self.collective_leave:
            return dict(self.collective_leave_names).get(day, "Cuti bersama")
        if day.weekday() == 5:
            return "Sabtu"
        if day.weekday() == 6:
            return "Minggu"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5 and day not in self.collective_leave and day not in national_holidays(day.year)
        )

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (start itself never counts). 0 gives `start`."""
        if days < 0:
            raise ValueError("days must be >= 0")
        current = start
        remaining = days
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count
