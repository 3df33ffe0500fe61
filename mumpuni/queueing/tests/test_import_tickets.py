"""manage.py import_tickets: all or nothing, row errors, numbering, events and refusing a second run."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from mumpuni.queueing.imports import import_tickets
from mumpuni.queueing.models import Ticket, TicketEvent, TicketSequence
from mumpuni.queueing.tests.stats_factory import JAKARTA, make_counter, make_point, make_service
from mumpuni.testing import BaseTestCase

HEADER = "point,service,counter,officer_nip,issued_at,called_at,started_at,finished_at,outcome"


class ImportTicketsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.point = make_point(cls.tembalang, "Kecamatan Tembalang")
        cls.ktp = make_service("KTP-REKAM", "A")
        cls.counter = make_counter(cls.point, 2)
        cls.nip = cls.officer_employee.nip

    def csv(self, *rows: str) -> bytes:
        return "\n".join([HEADER, *rows]).encode()

    def row(self, issued: str = "2026-05-04 08:10:00", outcome: str = "done", **over: str) -> str:
        values = {
            "point": "33.74.10",
            "service": "KTP-REKAM",
            "counter": "2",
            "officer_nip": self.nip,
            "issued_at": issued,
            "called_at": "2026-05-04 08:20:00",
            "started_at": "2026-05-04 08:21:00",
            "finished_at": "2026-05-04 08:30:00",
            "outcome": outcome,
            **over,
        }
        return ",".join(values.values())

    def test_it_creates_tickets_with_numbers_and_events(self) -> None:
        data = self.csv(
            self.row(issued="2026-05-04 08:15:00"),
            self.row(issued="2026-05-04 08:10:00"),
            self.row(
                issued="2026-05-04 08:12:00", outcome="no_show", started_at="", finished_at="", officer_nip=""
            ),
        )
        result = import_tickets(data, "riwayat.csv")
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.created, 3)
        tickets = list(Ticket.objects.order_by("sequence"))
        self.assertEqual([t.number for t in tickets], ["A-001", "A-002", "A-003"])
        first = tickets[0]
        self.assertEqual(first.issued_at, dt.datetime(2026, 5, 4, 8, 10, tzinfo=JAKARTA))  # naive = WIB
        self.assertEqual(
            (first.source, first.status, first.officer), ("import", "done", self.officer_employee)
        )
        self.assertEqual(tickets[1].status, "no_show")
        self.assertEqual(TicketSequence.objects.get().last_value, 3)
        kinds = list(TicketEvent.objects.filter(ticket=first).values_list("kind", flat=True))
        self.assertEqual(kinds, ["issued", "called", "started", "finished"])

    def test_it_numbers_after_existing_tickets_of_the_day(self) -> None:
        TicketSequence.objects.create(
            point=self.point, service_date=dt.date(2026, 5, 4), group_letter="A", last_value=41
        )
        result = import_tickets(self.csv(self.row()), "riwayat.csv")
        self.assertTrue(result.ok)
        self.assertEqual(Ticket.objects.get().number, "A-042")

    def test_it_reports_row_errors_and_writes_nothing(self) -> None:
        data = self.csv(
            self.row(),
            self.row(point="33.74.99"),
            self.row(service="NOPE", counter="9"),
            self.row(officer_nip="199912312020121999"),
            self.row(called_at="2026-05-04 08:05:00"),
            self.row(outcome="selesai"),
            self.row(issued_at="kemarin"),
        )
        result = import_tickets(data, "riwayat.csv")
        self.assertFalse(result.ok)
        where = {(e.row, e.column) for e in result.errors}
        self.assertIn((3, "point"), where)
        self.assertIn((4, "service"), where)
        self.assertIn((4, "counter"), where)
        self.assertIn((5, "officer_nip"), where)
        self.assertIn((6, "called_at"), where)  # called before it was issued
        self.assertIn((7, "outcome"), where)
        self.assertIn((8, "issued_at"), where)
        self.assertNotIn(2, {e.row for e in result.errors})
        self.assertEqual(Ticket.objects.count(), 0)

    def test_it_refuses_a_second_import_of_the_same_file(self) -> None:
        data = self.csv(self.row())
        self.assertTrue(import_tickets(data, "riwayat.csv").ok)
        again = import_tickets(data, "riwayat.csv")
        self.assertEqual([(e.row, e.column) for e in again.errors], [(2, "issued_at")])
        self.assertIn("sudah ada", again.errors[0].message)
        self.assertEqual(Ticket.objects.count(), 1)

    def test_it_refuses_duplicates_within_a_file(self) -> None:
        result = import_tickets(self.csv(self.row(), self.row()), "riwayat.csv")
        self.assertEqual([e.row for e in result.errors], [3])

    def test_it_reads_xlsx_with_real_datetimes(self) -> None:
        book = Workbook()
        sheet = book.active
        sheet.append(HEADER.split(","))
        start = dt.datetime(2026, 5, 4, 9, 0)
        sheet.append(
            [
                "33.74.10",
                "KTP-REKAM",
                2,
                self.nip,
                start,
                start + dt.timedelta(minutes=5),
                start + dt.timedelta(minutes=6),
                start + dt.timedelta(minutes=15),
                "incomplete",
            ]
        )
        out = io.BytesIO()
        book.save(out)
        result = import_tickets(out.getvalue(), "riwayat.xlsx")
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(Ticket.objects.get().service_seconds, 9 * 60)

    def test_it_exits_non_zero_from_the_command(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "salah.csv"
            path.write_bytes(self.csv(self.row(outcome="hilang")))
            err = io.StringIO()
            with self.assertRaises(CommandError):
                call_command("import_tickets", str(path), stderr=err)
            self.assertIn("baris 2, kolom outcome", err.getvalue())
            good = Path(tmp) / "benar.csv"
            good.write_bytes(self.csv(self.row()))
            out = io.StringIO()
            call_command("import_tickets", str(good), stdout=out)
            self.assertIn("1 tiket", out.getvalue())
        self.assertEqual(Ticket.objects.count(), 1)
