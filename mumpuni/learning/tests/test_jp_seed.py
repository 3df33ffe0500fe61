"""The progress demo seed: completions by the real rule, JP, certificates, imports; runs once."""

from __future__ import annotations

from mumpuni.learning.models import Attendance, Certificate, Enrollment, JpEntry
from mumpuni.learning.seeding_progress import seed_demo
from mumpuni.learning.tests.progress_fixtures import ProgressTestCase, enroll
from mumpuni.testing import make_employee


class ProgressSeedTests(ProgressTestCase):
    def test_it_fills_history_once(self) -> None:
        for i in range(20):
            enroll(self.training_class, make_employee(f"Peserta {i}", self.bulusan))
        summary = seed_demo(seed=1)
        self.assertIn("completions", summary)
        self.assertEqual(Enrollment.objects.filter(status="enrolled").count(), 0)
        completed = Enrollment.objects.filter(status="completed")
        self.assertGreater(completed.count(), 0)
        self.assertEqual(Attendance.objects.count(), 22 * 4)
        self.assertEqual(JpEntry.objects.filter(source="class").count(), completed.count())
        numbers = list(Certificate.objects.values_list("number", flat=True))
        self.assertEqual(len(numbers), completed.count())
        self.assertEqual(len(set(numbers)), len(numbers))
        for enrollment in completed:
            self.assertGreaterEqual(enrollment.attendance_percent, 90)
            self.assertGreaterEqual(enrollment.post_test_score, 70)
        self.assertTrue(JpEntry.objects.filter(source="import").exists())
        before = JpEntry.objects.count()
        self.assertIn("nothing seeded", seed_demo(seed=1))
        self.assertEqual(JpEntry.objects.count(), before)
