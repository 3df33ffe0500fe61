"""My JP page and the JP card on the home pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from mumpuni.learning.models import JpEntry
from mumpuni.testing import BaseTestCase


class MyJpPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        year = timezone.localdate().year
        JpEntry.objects.create(
            employee=cls.employee_employee,
            occurred_on=dt.date(year, 2, 3),
            year=year,
            jp=Decimal("12.5"),
            source="import",
            note="Bimtek SIAK",
        )

    def test_it_shows_my_ledger_and_progress(self) -> None:
        self.login(self.employee)
        response = self.client.get(reverse("learning:my"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "12,5")
        self.assertContains(response, "Bimtek SIAK")
        self.assertContains(response, 'aria-valuenow="62"')

    def test_the_home_pages_show_the_card(self) -> None:
        self.login(self.employee)
        self.assertContains(self.client.get(reverse("home")), 'data-jp="12.5"')
        self.login(self.supervisor)
        self.assertContains(self.client.get(reverse("home")), 'data-jp="0"')
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("home")), reverse("learning:compliance"))
        self.login(self.camat)
        self.assertContains(self.client.get(reverse("home")), reverse("learning:compliance"))

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.executive)  # no employee record
        self.assertEqual(self.client.get(reverse("learning:my")).status_code, 403)
        self.login(self.other)
        self.assertNotContains(self.client.get(reverse("learning:my")), "Bimtek SIAK")
        self.client.logout()
        self.assertEqual(self.client.get(reverse("learning:my")).status_code, 302)
