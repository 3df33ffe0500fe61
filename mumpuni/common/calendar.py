"""The city's working-day calendar: national holidays (`holidays`, country ID) plus configured cuti bersama."""

from __future__ import annotations

from mumpuni.common.models import CollectiveLeave
from mumpuni.lib.workdays import WorkCalendar


def work_calendar() -> WorkCalendar:
    """One query; call once per request or task and pass the calendar around."""
    return WorkCalendar.with_leave(CollectiveLeave.objects.values_list("date", "name"))
