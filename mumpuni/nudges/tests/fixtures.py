"""Shared pieces of the nudge tests: a fixed clock (10:00 WIB on a Wednesday), a test double rule, and
the persona cast with e-mail addresses and phones."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar
from unittest import mock

from django.core import mail

from mumpuni.nudges.rules import NudgeCandidate
from mumpuni.testing import BaseTestCase

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NOON = dt.datetime(2026, 11, 25, 10, 0, tzinfo=WIB)  # a Wednesday, outside the default quiet hours
NIGHT = dt.datetime(2026, 11, 25, 22, 30, tzinfo=WIB)  # inside the default quiet hours (21:00–07:00)


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class FakeRule:
    """A test double: yields whatever `planned` holds; `acted_users` acted on their nudge."""

    kind: ClassVar[str] = "fake"
    label: ClassVar[str] = "Pengingat uji"
    planned: ClassVar[list[NudgeCandidate]] = []
    acted_users: ClassVar[dict[int, dt.datetime]] = {}

    def candidates(self, today: dt.date) -> list[NudgeCandidate]:
        return list(self.planned)

    def first_action(self, user_id: int, key: str, since: dt.datetime) -> dt.datetime | None:
        return self.acted_users.get(user_id)

    def acted(self, user_id: int, key: str, since: dt.datetime) -> bool | None:
        return user_id in self.acted_users


class OtherFakeRule(FakeRule):
    kind: ClassVar[str] = "fake_other"
    label: ClassVar[str] = "Pengingat uji lain"


class BrokenRule:
    kind: ClassVar[str] = "broken"
    label: ClassVar[str] = "Rusak"

    def candidates(self, today: dt.date) -> list[NudgeCandidate]:
        raise RuntimeError("rule exploded")

    def acted(self, user_id: int, key: str, since: dt.datetime) -> bool | None:
        return None


FAKE_RULES = ["mumpuni.nudges.tests.fixtures.FakeRule", "mumpuni.nudges.tests.fixtures.OtherFakeRule"]


def candidate(user: Any, key: str = "k1", **extra: Any) -> NudgeCandidate:
    return NudgeCandidate(
        user_id=user.pk, key=key, title=f"Pengingat {key}", body="Isi", link="/pelatihan/", **extra
    )


class NudgeTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for user, address in ((cls.employee, "agus@example.org"), (cls.supervisor, "dewi@example.org")):
            user.email = address
            user.save(update_fields=["email"])
        cls.employee_employee.phone = "0812-3456-7890"
        cls.employee_employee.save(update_fields=["phone"])

    def setUp(self) -> None:
        super().setUp()
        FakeRule.planned = []
        FakeRule.acted_users = {}
        OtherFakeRule.planned = []
        mail.outbox.clear()
