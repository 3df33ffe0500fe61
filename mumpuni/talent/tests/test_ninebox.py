"""The 9-box table, the SKP map and the potential score as a plain library (no database)."""

from __future__ import annotations

from django.test import SimpleTestCase

from mumpuni.talent import ninebox as nb


class BoxTableTests(SimpleTestCase):
    def test_default_numbering_matches_the_domain_table(self) -> None:
        expected = {
            ("rendah", "bawah"): 1,
            ("menengah", "bawah"): 2,
            ("rendah", "sesuai"): 3,
            ("tinggi", "bawah"): 4,
            ("menengah", "sesuai"): 5,
            ("rendah", "atas"): 6,
            ("tinggi", "sesuai"): 7,
            ("menengah", "atas"): 8,
            ("tinggi", "atas"): 9,
        }
        for (potential, performance), box in expected.items():
            with self.subTest(potential=potential, performance=performance):
                self.assertEqual(nb.box_for(potential, performance), box)
                self.assertEqual(nb.cell_of(box), (potential, performance))
        self.assertEqual(nb.validate_numbering(nb.DEFAULT_NUMBERING), [])

    def test_a_configured_numbering_is_used(self) -> None:
        # Row-by-row numbering as some agencies use it: 1 = T/Atas … 9 = R/Bawah.
        custom = {}
        number = 1
        for potential in ("tinggi", "menengah", "rendah"):
            for performance in ("atas", "sesuai", "bawah"):
                custom[f"{potential}/{performance}"] = number
                number += 1
        self.assertEqual(nb.validate_numbering(custom), [])
        self.assertEqual(nb.box_for("tinggi", "atas", custom), 1)
        self.assertEqual(nb.box_for("rendah", "bawah", custom), 9)
        self.assertEqual(nb.cell_of(5, custom), ("menengah", "sesuai"))

    def test_a_bad_numbering_is_refused(self) -> None:
        duplicate = dict(nb.DEFAULT_NUMBERING, **{"tinggi/atas": 1})
        self.assertTrue(nb.validate_numbering(duplicate))
        missing = dict(nb.DEFAULT_NUMBERING)
        del missing["tinggi/atas"]
        self.assertIn("Sel tanpa nomor", nb.validate_numbering(missing)[0])

    def test_the_skp_map(self) -> None:
        self.assertEqual(nb.performance_for("sangat_baik"), "atas")
        self.assertEqual(nb.performance_for("baik"), "sesuai")
        for predikat in ("butuh_perbaikan", "kurang", "sangat_kurang"):
            self.assertEqual(nb.performance_for(predikat), "bawah")
        lenient = dict(nb.DEFAULT_SKP_MAP, butuh_perbaikan="sesuai")
        self.assertEqual(nb.performance_for("butuh_perbaikan", lenient), "sesuai")
        self.assertTrue(nb.validate_skp_map({"baik": "sesuai"}))
        with self.assertRaises(ValueError):
            nb.performance_for("luar_biasa")


class PotentialTests(SimpleTestCase):
    def test_thresholds_are_inclusive(self) -> None:
        self.assertEqual(nb.potential_for(80.0), "tinggi")
        self.assertEqual(nb.potential_for(79.9), "menengah")
        self.assertEqual(nb.potential_for(50.0), "menengah")
        self.assertEqual(nb.potential_for(49.9), "rendah")
        self.assertEqual(nb.potential_for(60, high=60, mid=30), "tinggi")

    def test_score_counts_unassessed_as_not_met(self) -> None:
        score = nb.potential_score(
            [
                nb.CompetencyFit("M.01", 3, 4),
                nb.CompetencyFit("M.02", 3, 3),
                nb.CompetencyFit("M.03", 3, 2),
                nb.CompetencyFit("M.04", 3, None),
            ]
        )
        self.assertEqual((score.required, score.assessed, score.met), (4, 3, 2))
        self.assertEqual(score.score, 50.0)
        self.assertEqual(score.mean_surplus, 0.0)
        self.assertEqual(nb.potential_score([]).score, 0.0)
