"""JP arithmetic: the ledger's year, idempotency, jp_this_year and the home card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mumpuni.learning.models import Enrollment, JpEntry
from mumpuni.learning.selectors.progress import jp_card, jp_this_year
from mumpuni.learning.services.jp import jp_credit_enrollment
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase, enroll, make_class, make_program


class JpLedgerTests(ProgressTestCase):
    def complete(self, enrollment: Enrollment, on: dt.date) -> JpEntry:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_on = on
        enrollment.save()
        return jp_credit_enrollment(actor=None, enrollment=enrollment)

    def test_it_counts_a_line_in_the_year_it_happened(self) -> None:
        entry = self.complete(self.enrollment, dt.date(2025, 12, 31))
        self.assertEqual(entry.year, 2025)
        other_class = make_class(
            self.program, code="PLY-PRIMA-2026-02", starts_on=dt.date(2026, 1, 1), days=1
        )
        second = self.complete(enroll(other_class, self.employee_employee), dt.date(2026, 1, 1))
        self.assertEqual(second.year, 2026)
        self.assertEqual(jp_this_year(self.employee_employee, 2025), Decimal("24"))
        self.assertEqual(jp_this_year(self.employee_employee, 2026), Decimal("24"))
        self.assertEqual(jp_this_year(self.employee_employee, 2024), Decimal("0"))

    def test_it_credits_an_enrolment_once(self) -> None:
        first = self.complete(self.enrollment, dt.date(2026, 3, 5))
        second = jp_credit_enrollment(actor=None, enrollment=self.enrollment)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(JpEntry.objects.count(), 1)

    def test_it_adds_fractions_exactly(self) -> None:
        year = timezone.localdate().year
        half = make_program("WEBINAR", jp="1.5")
        for index in range(3):
            c = make_class(half, code=f"WEB-{index}", starts_on=dt.date(year, 1, 2 + index), days=1)
            self.complete(enroll(c, self.employee_employee), c.ends_on)
        self.assertEqual(jp_this_year(self.employee_employee), Decimal("4.5"))

    def test_the_card_knows_who_is_owed(self) -> None:
        year = timezone.localdate().year
        JpEntry.objects.create(
            employee=self.employee_employee,
            occurred_on=dt.date(year, 1, 2),
            year=year,
            jp=Decimal("12"),
            source="correction",
        )
        card = jp_card(self.employee_employee)
        assert card is not None
        self.assertEqual(
            (card.jp, card.percent, card.met, card.missing), (Decimal("12"), 60, False, Decimal("8"))
        )
        self.assertTrue(card.owed)
        self.employee_employee.employment_type = "pppk"
        card = jp_card(self.employee_employee)
        assert card is not None
        self.assertFalse(card.owed)
