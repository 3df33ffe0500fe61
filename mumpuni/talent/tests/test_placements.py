"""The 9-box snapshot: both parts explained, settings honoured, SKP entry rights."""

from __future__ import annotations

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.talent import services
from mumpuni.talent.models import EmployeeGrade, PerformanceRating, TalentPlacement
from mumpuni.talent.tests.fixtures import TalentTestCase


class PlacementRefreshTests(TalentTestCase):
    def test_it_places_with_both_parts_explained(self) -> None:
        placement = TalentPlacement.objects.get(employee=self.employee_employee, year=self.year)
        self.assertEqual(placement.box, 8)  # Menengah × Di Atas
        self.assertEqual((placement.potential, placement.performance), ("menengah", "atas"))
        self.assertEqual(placement.potential_score, 75.0)
        parts = placement.parts
        self.assertEqual(parts["skp"]["predikat"], "sangat_baik")
        self.assertEqual(parts["skp"]["year"], self.year)
        self.assertEqual((parts["potential"]["met"], parts["potential"]["required"]), (3, 4))
        sources = {c["code"]: c for c in parts["potential"]["competencies"]}
        self.assertEqual(sources["T.K4"]["current"], 2)
        self.assertEqual(sources["T.K4"]["source"], "assessment_centre")
        self.assertIsNotNone(sources["T.K4"]["assessment_id"])
        self.assertTrue(parts["pool"])

        officer = TalentPlacement.objects.get(employee=self.officer_employee, year=self.year)
        self.assertEqual((officer.box, officer.potential, officer.performance), (7, "tinggi", "sesuai"))

    def test_missing_parts_leave_the_employee_unplaced_with_the_reason(self) -> None:
        kasi = TalentPlacement.objects.get(employee=self.supervisor_employee, year=self.year)
        self.assertIsNone(kasi.box)
        self.assertIn("standar kompetensi", " ".join(kasi.parts["missing"]))
        camat = TalentPlacement.objects.get(employee=self.camat_employee, year=self.year)
        self.assertIn(f"Belum ada predikat SKP tahun {self.year}.", camat.parts["missing"])

    def test_a_changed_numbering_and_thresholds_apply_on_refresh(self) -> None:
        reversed_numbering = {key: 10 - number for key, number in services.ninebox.DEFAULT_NUMBERING.items()}
        services.settings_update(actor=self.admin, numbering=reversed_numbering, potential_high=75.0)
        services.placements_refresh(year=self.year)
        placement = TalentPlacement.objects.get(employee=self.employee_employee, year=self.year)
        # 75 is now Tinggi; Tinggi × Di Atas is box 9 by default, 1 reversed.
        self.assertEqual((placement.potential, placement.box), ("tinggi", 1))

    def test_settings_are_validated_and_admin_only(self) -> None:
        with self.assertRaises(ValidationFailed) as caught:
            services.settings_update(actor=self.admin, numbering={"tinggi/atas": 9})
        self.assertIn("numbering", caught.exception.fields)
        with self.assertRaises(ValidationFailed):
            services.settings_update(actor=self.admin, potential_mid=90.0)
        with self.assertRaises(PermissionDeniedError):
            services.settings_update(actor=self.camat, potential_high=70.0)


class RatingRecordTests(TalentTestCase):
    def test_unit_head_enters_for_the_subtree_and_the_placement_follows(self) -> None:
        services.rating_record(
            actor=self.camat, employee=self.employee_employee, year=self.year, predikat="kurang"
        )
        rating = PerformanceRating.objects.get(employee=self.employee_employee, year=self.year)
        self.assertEqual((rating.predikat, rating.source, rating.entered_by), ("kurang", "entry", self.camat))
        placement = TalentPlacement.objects.get(employee=self.employee_employee, year=self.year)
        self.assertEqual(placement.box, 2)  # Menengah × Di Bawah
        self.assertTrue(AuditEntry.objects.filter(action="talent.rating_record", actor=self.camat).exists())

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.other, self.supervisor, self.employee, self.executive, self.officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.rating_record(
                    actor=user, employee=self.employee_employee, year=self.year, predikat="baik"
                )
        with self.assertRaises(PermissionDeniedError):  # nobody rates themself
            services.rating_record(
                actor=self.camat, employee=self.camat_employee, year=self.year, predikat="baik"
            )

    def test_bad_values_are_field_errors(self) -> None:
        with self.assertRaises(ValidationFailed) as caught:
            services.rating_record(
                actor=self.admin, employee=self.employee_employee, year=1999, predikat="hebat", grade="V/z"
            )
        self.assertEqual(set(caught.exception.fields), {"year", "predikat", "grade"})
        self.assertEqual(EmployeeGrade.objects.get(employee=self.employee_employee).grade, "III/b")


class SettingsPageTests(TalentTestCase):
    def test_admin_changes_the_thresholds_and_the_snapshot_follows(self) -> None:
        from django.urls import reverse

        from mumpuni.talent.forms import SettingsForm
        from mumpuni.talent.models import TalentSettings

        self.login(self.admin)
        data = dict(SettingsForm.initial_from(TalentSettings.load()).items())
        data["potential_high"] = 75
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("talent:settings"), data)
        self.assertRedirects(response, reverse("talent:settings"))
        self.assertEqual(TalentSettings.load().potential_high, 75.0)
        placement = TalentPlacement.objects.get(employee=self.employee_employee, year=self.year)
        self.assertEqual((placement.potential, placement.box), ("tinggi", 9))
        data["box_tinggi_atas"] = 1  # two cells numbered 1
        response = self.client.post(reverse("talent:settings"), data)
        self.assertEqual(response.status_code, 422)

    def test_it_refuses_outsiders(self) -> None:
        from django.urls import reverse

        for user in (self.camat, self.executive, self.employee):
            self.login(user)
            self.assertEqual(self.client.get(reverse("talent:settings")).status_code, 403)
