"""The test base of the competencies app: the persona cast plus the small standard of fixtures.py."""

from __future__ import annotations

from mumpuni.competencies.tests.fixtures import create_levels, create_standard
from mumpuni.testing import BaseTestCase


class CompetencyTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        create_standard(cls)
        create_levels(cls)
