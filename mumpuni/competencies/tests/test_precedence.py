import datetime as dt

from django.test import SimpleTestCase

from mumpuni.competencies.models import Assessment
from mumpuni.competencies.services import pick_current

TODAY = dt.date(2026, 11, 27)


def a(pk: int, level: int, source: str, day: dt.date, valid_until: dt.date | None = None) -> Assessment:
    return Assessment(pk=pk, level=level, source=source, assessed_on=day, valid_until=valid_until)


class PrecedenceTests(SimpleTestCase):
    def test_the_latest_valid_assessment_wins(self) -> None:
        rows = [a(1, 2, "supervisor", dt.date(2026, 1, 1)), a(2, 3, "supervisor", dt.date(2026, 6, 1))]
        self.assertEqual(pick_current(rows, TODAY).pk, 2)

    def test_self_assessment_counts_only_alone(self) -> None:
        rows = [a(1, 2, "supervisor", dt.date(2026, 1, 1)), a(2, 5, "self", dt.date(2026, 6, 1))]
        self.assertEqual(pick_current(rows, TODAY).pk, 1)
        self.assertEqual(pick_current([rows[1]], TODAY).pk, 2)

    def test_same_day_the_stronger_source_wins(self) -> None:
        day = dt.date(2026, 3, 3)
        rows = [a(1, 4, "assessment_centre", day), a(2, 2, "supervisor", day), a(3, 3, "training", day)]
        self.assertEqual(pick_current(rows, TODAY).pk, 1)

    def test_expired_and_withdrawn_do_not_count(self) -> None:
        expired = a(1, 4, "test", dt.date(2024, 1, 1), valid_until=dt.date(2025, 1, 1))
        withdrawn = a(2, 5, "supervisor", dt.date(2026, 5, 1))
        withdrawn.withdrawn_at = dt.datetime(2026, 5, 2, tzinfo=dt.UTC)
        older = a(3, 2, "supervisor", dt.date(2023, 1, 1))
        self.assertEqual(pick_current([expired, withdrawn, older], TODAY).pk, 3)
        self.assertIsNone(pick_current([expired, withdrawn], TODAY))
