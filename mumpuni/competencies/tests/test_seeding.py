"""The demo seed on the persona cast: dictionary, defaults, requirements, history and consistent current levels."""

from __future__ import annotations

from mumpuni.competencies import seeding
from mumpuni.competencies.models import (
    Assessment,
    Competency,
    CompetencyLevel,
    CurrentLevel,
    ManagerialDefault,
    PositionRequirement,
)
from mumpuni.competencies.services import pick_current
from mumpuni.testing import BaseTestCase


class SeedDemoTests(BaseTestCase):
    def test_it_seeds_the_standard_and_a_consistent_history(self) -> None:
        summary = seeding.seed_demo(seed=7)
        self.assertIn("competencies:", summary)
        codes = set(Competency.objects.values_list("code", flat=True))
        self.assertTrue({f"M.0{i}" for i in range(1, 9)} | {"SK.01", "T.ADK", "T.PRIMA", "T.WAKTU"} <= codes)
        self.assertEqual(CompetencyLevel.objects.count(), 5 * len(codes))
        self.assertEqual(
            ManagerialDefault.objects.get(position_kind="jpt", position_level="pratama").required_level, 4
        )
        self.assertEqual(
            ManagerialDefault.objects.get(
                position_kind="fungsional", position_level="terampil"
            ).required_level,
            1,
        )
        self.assertTrue(PositionRequirement.objects.filter(competency__code="T.DIGITAL").exists())
        self.assertGreater(Assessment.objects.count(), 0)
        for current in CurrentLevel.objects.all():
            rows = list(
                Assessment.objects.filter(employee=current.employee_id, competency=current.competency_id)
            )
            self.assertEqual(pick_current(rows, seeding.REFERENCE_DATE).pk, current.assessment_id)
        self.assertIn("nothing seeded", seeding.seed_demo(seed=7))

    def test_it_gives_front_line_posts_the_service_skills(self) -> None:
        required = seeding.technical_requirements("33.74.10-PETUGAS-PEL", "pelaksana", "", "kecamatan", True)
        self.assertEqual(
            {k: required[k] for k in ("T.ADK", "T.PRIMA", "T.KOMPUB", "T.WAKTU")},
            {"T.ADK": 2, "T.PRIMA": 2, "T.KOMPUB": 2, "T.WAKTU": 2},
        )
        kasi = seeding.technical_requirements("33.74.10-KASI-PEL", "pengawas", "", "kecamatan", False)
        self.assertEqual(kasi["T.ADK"], 3)
