"""Shared set-up for the complaint handling tests: the persona cast, a `desk` account (complaint_desk role),
service points in Tembalang and Banyumanik, and complaints submitted through the intake service."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from mumpuni.complaints.models import Complaint
from mumpuni.complaints.services import workflow
from mumpuni.complaints.services.intake import ComplaintInput, submit_complaint
from mumpuni.people.models import Role
from mumpuni.queueing.tests.points_fixtures import setup_points
from mumpuni.testing import BaseTestCase, make_account

_phones = itertools.count(1)

# A Wednesday far from holidays (the queueing fixtures use the same week).
WEDNESDAY = dt.date(2026, 9, 9)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def submit(
    *,
    now: dt.datetime,
    point: Any = None,
    identity: str = Complaint.Identity.PUBLIC,
    category: str = Complaint.Category.WAITING_TIME,
    kind: str = Complaint.Kind.COMPLAINT,
    title: str = "Antrean terlalu lama",
    name: str = "Warga Pelapor",
) -> Complaint:
    anonymous = identity == Complaint.Identity.ANONYMOUS
    serial = next(_phones)  # distinct contacts: the per-contact daily limit must not trip the tests
    data = ComplaintInput(
        category=category,
        kind=kind,
        title=title,
        description="Saya menunggu lebih dari dua jam tanpa kejelasan dari petugas loket.",
        point_code=point.unit.code if point is not None else "",
        identity=identity,
        name="" if anonymous else name,
        phone="" if anonymous else f"08123{serial:06d}",
        email=""
        if anonymous
        else f"warga{serial}@example.com"
        if identity == Complaint.Identity.PUBLIC
        else "",
    )
    return submit_complaint(data, now=now)


class ComplaintTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)
        cls.desk = make_account("meja-pengaduan", [(Role.COMPLAINT_DESK, None)])

    def received(self, day: dt.date = WEDNESDAY, **kwargs: Any) -> Complaint:
        kwargs.setdefault("point", self.point)
        return submit(now=at(day), **kwargs)

    def forwarded(self, day: dt.date = WEDNESDAY, unit: Any = None, **kwargs: Any) -> Complaint:
        c = self.received(day, **kwargs)
        return workflow.forward(c, self.desk, unit=unit or self.tembalang, now=at(day, 10))

    def in_progress(self, day: dt.date = WEDNESDAY, **kwargs: Any) -> Complaint:
        c = self.forwarded(day, **kwargs)
        return workflow.start_progress(c, self.camat, now=at(day, 11))

    def answered(self, day: dt.date = WEDNESDAY, **kwargs: Any) -> Complaint:
        c = self.in_progress(day, **kwargs)
        return workflow.answer(
            c, self.camat, text="Terima kasih, loket tambahan sudah kami buka.", now=at(day, 12)
        )
