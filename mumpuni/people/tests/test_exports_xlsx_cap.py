"""XLSX exports stop at 100,000 rows with a message pointing to CSV; CSV has no cap (review finding 13)."""

from unittest import mock

from django.db.models.query import QuerySet
from django.urls import reverse

from mumpuni.testing import BaseTestCase


class XlsxCapTests(BaseTestCase):
    def test_it_refuses_an_xlsx_of_more_than_100000_rows_and_points_to_csv(self) -> None:
        self.login(self.admin)
        with mock.patch.object(QuerySet, "count", return_value=100_001):
            response = self.client.get(reverse("imports:export_employees"), {"format": "xlsx"})
        self.assertEqual(response.status_code, 400)
        text = response.content.decode()
        self.assertIn("100.001 baris", text)
        self.assertIn("100.000", text)
        self.assertIn("CSV", text)

    def test_it_still_builds_an_xlsx_of_100000_rows_or_fewer(self) -> None:
        self.login(self.admin)
        with mock.patch.object(QuerySet, "count", return_value=100_000):
            response = self.client.get(reverse("imports:export_employees"), {"format": "xlsx"})
        self.assertEqual(response.status_code, 200)

    def test_it_streams_csv_without_a_cap(self) -> None:
        self.login(self.admin)
        with mock.patch.object(QuerySet, "count", return_value=5_000_000):
            response = self.client.get(reverse("imports:export_employees"), {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        self.assertIn(self.employee_employee.nip, b"".join(response.streaming_content).decode())

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(reverse("imports:export_employees"), {"format": "xlsx"})
        self.assertEqual(response.status_code, 302)
