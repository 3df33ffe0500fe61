"""Working-day arithmetic (pure): weekends, national holidays from `holidays`, configured cuti bersama, and
the counting rule (the start day never counts)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from mumpuni.lib.workdays import WorkCalendar, national_holidays

D = dt.date
# SKB 3 Menteri for 2026: Nyepi 19 Mar and Idul Fitri 21–22 Mar are national holidays (the `holidays`
# package agrees); cuti bersama 18 Mar (Nyepi) and 20, 23, 24 Mar (Idul Fitri).
IDUL_FITRI_2026 = WorkCalendar.with_leave(
    [(D(2026, 3, 18), "Cuti bersama Nyepi")]
    + [(D(2026, 3, day), "Cuti bersama Idul Fitri") for day in (20, 23, 24)]
)


class TestWeekends:
    def test_it_skips_the_weekend(self) -> None:
        calendar = WorkCalendar()
        friday = D(2026, 9, 11)
        assert calendar.add_working_days(friday, 1) == D(2026, 9, 14)
        assert calendar.add_working_days(friday, 3) == D(2026, 9, 16)

    def test_the_start_day_never_counts(self) -> None:
        calendar = WorkCalendar()
        assert calendar.add_working_days(D(2026, 9, 9), 1) == D(2026, 9, 10)  # Wed → Thu
        assert calendar.add_working_days(D(2026, 9, 12), 1) == D(2026, 9, 14)  # Sat → Mon
        assert calendar.add_working_days(D(2026, 9, 9), 0) == D(2026, 9, 9)

    def test_negative_days_are_refused(self) -> None:
        try:
            WorkCalendar().add_working_days(D(2026, 9, 9), -1)
        except ValueError:
            return
        raise AssertionError("negative days accepted")


class TestIdulFitri2026:
    def test_the_package_knows_the_national_holidays(self) -> None:
        holidays = national_holidays(2026)
        assert "Nyepi" in holidays[D(2026, 3, 19)]
        assert "Idul Fitri" in holidays[D(2026, 3, 21)]
        assert "Idul Fitri" in holidays[D(2026, 3, 22)]

    def test_three_working_days_from_tuesday_17_march(self) -> None:
        # 18 cuti, 19 Nyepi, 20 cuti, 21–22 Idul Fitri (weekend), 23–24 cuti: 25, 26, 27.
        assert IDUL_FITRI_2026.add_working_days(D(2026, 3, 17), 3) == D(2026, 3, 27)
        assert IDUL_FITRI_2026.add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)

    def test_without_cuti_bersama_only_national_holidays_count(self) -> None:
        # 18 (Wed), 20 (Fri) and 23 (Mon) are working days when no cuti bersama is configured.
        assert WorkCalendar().add_working_days(D(2026, 3, 17), 3) == D(2026, 3, 23)

    def test_day_off_reasons_are_indonesian(self) -> None:
        assert IDUL_FITRI_2026.day_off_reason(D(2026, 3, 20)) == "Cuti bersama Idul Fitri"
        assert "Nyepi" in (IDUL_FITRI_2026.day_off_reason(D(2026, 3, 19)) or "")
        assert IDUL_FITRI_2026.day_off_reason(D(2026, 3, 28)) == "Sabtu"
        assert IDUL_FITRI_2026.day_off_reason(D(2026, 3, 25)) is None

    def test_working_days_between(self) -> None:
        assert IDUL_FITRI_2026.working_days_between(D(2026, 3, 17), D(2026, 3, 27)) == 3
        assert IDUL_FITRI_2026.working_days_between(D(2026, 3, 27), D(2026, 3, 17)) == -3
        assert IDUL_FITRI_2026.working_days_between(D(2026, 3, 17), D(2026, 3, 24)) == 0


@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31)),
    days=st.integers(min_value=0, max_value=40),
)
def test_between_inverts_add(start: dt.date, days: int) -> None:
    end = IDUL_FITRI_2026.add_working_days(start, days)
    assert IDUL_FITRI_2026.working_days_between(start, end) == days
    if days:
        assert IDUL_FITRI_2026.is_working_day(end)
