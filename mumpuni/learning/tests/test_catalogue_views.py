"""Catalogue pages: the list for everyone signed in, BKPP's programme and class forms and status changes,
class detail (sessions; participants only for BKPP and trainers), a trainer's classes."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mumpuni.learning.models import Program, TrainingClass
from mumpuni.learning.tests.catalogue_fixtures import LearningTestCase, make_program


class CatalogueViewTests(LearningTestCase):
    def test_it_lists_programmes_with_search_and_filters(self) -> None:
        make_program("MAN-WAKTU", name="Manajemen Waktu", form="manajerial", jp="8")
        self.login(self.employee)
        response = self.client.get(reverse("learning:home"), {"q": "waktu"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Manajemen Waktu")
        self.assertNotContains(response, "Pelayanan Prima</a>")
        response = self.client.get(reverse("learning:home"), {"competency": "T.PRIMA"})
        self.assertContains(response, "Pelayanan Prima")
        self.assertNotContains(response, "Manajemen Waktu")
        self.assertNotContains(response, reverse("learning:program_create"))

    def test_it_shows_bkpp_the_admin_links(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("learning:home"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("learning:program_create"))
        self.assertContains(response, reverse("learning:approvals"))
        self.assertContains(response, reverse("learning:class_list"))

    def test_it_creates_a_programme_from_the_form(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("learning:program_create"),
            {
                "code": "lit-dig",
                "name": "Literasi Digital",
                "category": "klasikal",
                "form": "teknis",
                "jp": "16",
                "cost_per_participant": "400000",
                "provider": "bkpp",
                "uplifts": "T.PRIMA=1\nM.03=1",
                "min_attendance_percent": "90",
                "min_post_test": "70",
                "cpns_only": "on",
                "active": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        program = Program.objects.get(code="LIT-DIG")
        self.assertEqual(program.competency_uplifts.count(), 2)
        self.assertTrue(program.cpns_only)
        page = self.client.get(reverse("learning:program_detail", args=[program.pk]))
        self.assertContains(page, "khusus CPNS (tahun pertama sejak TMT CPNS)")

    def test_it_shows_service_errors_on_the_form(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("learning:program_create"),
            {
                "code": "X1",
                "name": "X",
                "category": "nonklasikal",
                "form": "teknis",
                "jp": "8",
                "cost_per_participant": "0",
                "provider": "bkpp",
                "uplifts": "T.TIDAK=1",
                "min_attendance_percent": "90",
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "tidak termasuk kategori", status_code=422)
        self.assertContains(response, "T.TIDAK tidak ditemukan", status_code=422)
        self.assertFalse(Program.objects.filter(code="X1").exists())

    def test_it_creates_a_class_with_typed_sessions(self) -> None:
        self.login(self.admin)
        start = timezone.localdate() + dt.timedelta(days=40)
        response = self.client.post(
            reverse("learning:class_create"),
            {
                "program": self.program.pk,
                "code": "PLY-PRIMA-NEW",
                "name": "Angkatan Baru",
                "starts_on": start.isoformat(),
                "ends_on": (start + dt.timedelta(days=1)).isoformat(),
                "venue": "Aula BKPP",
                "capacity": "25",
                "trainers": [self.trainer.pk],
                "sessions": f"{start} 08:00-12:00 Pembukaan\n{start + dt.timedelta(days=1)} 08.00-14.00 Praktik",
            },
        )
        self.assertEqual(response.status_code, 302)
        training_class = TrainingClass.objects.get(code="PLY-PRIMA-NEW")
        self.assertEqual(
            list(training_class.sessions.values_list("topic", flat=True)), ["Pembukaan", "Praktik"]
        )

    def test_it_changes_the_status(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("learning:class_status", args=[self.klass.pk]), {"status": "finished"}
        )
        self.assertEqual(response.status_code, 302)
        self.klass.refresh_from_db()
        self.assertEqual(self.klass.status, "open")  # open → finished is not allowed
        self.client.post(reverse("learning:class_status", args=[self.klass.pk]), {"status": "running"})
        self.klass.refresh_from_db()
        self.assertEqual(self.klass.status, "running")

    def test_it_shows_the_class_with_sessions_and_participants_to_bkpp(self) -> None:
        self.request_and_approve(self.employee, self.klass)
        self.login(self.admin)
        response = self.client.get(reverse("learning:class_detail", args=[self.klass.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Materi 1")
        self.assertContains(response, "Agus Prasetyo")

    def test_it_lists_a_trainers_classes(self) -> None:
        self.login(self.trainer)
        response = self.client.get(reverse("learning:trainer_classes"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.klass.name)
        self.login(self.employee)
        response = self.client.get(reverse("learning:trainer_classes"))
        self.assertNotContains(response, self.klass.name)

    def test_it_refuses_outsiders(self) -> None:
        self.request_and_approve(self.employee, self.klass)
        response = self.client.get(reverse("learning:home"))
        self.assertEqual(response.status_code, 302)  # anonymous: to the login page
        self.login(self.other)
        response = self.client.get(reverse("learning:class_detail", args=[self.klass.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Agus Prasetyo")  # a Tembalang participant, not Banyumanik's
        for user in (self.camat, self.employee, self.trainer, self.executive):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(reverse("learning:program_create")).status_code, 403)
                self.assertEqual(self.client.get(reverse("learning:class_create")).status_code, 403)
                response = self.client.post(
                    reverse("learning:class_status", args=[self.klass.pk]), {"status": "cancelled"}
                )
                self.assertEqual(response.status_code, 403)
        self.klass.refresh_from_db()
        self.assertEqual(self.klass.status, "open")
        self.assertEqual(self.client.get(reverse("learning:class_detail", args=[99999])).status_code, 404)


class EditFormTests(LearningTestCase):
    def test_it_prefills_the_edit_forms(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("learning:class_edit", args=[self.klass.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'value="{self.klass.starts_on:%Y-%m-%d}"')
        self.assertContains(response, "08:00-14:00 Materi 1")
        response = self.client.get(reverse("learning:program_edit", args=[self.program.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "T.PRIMA=2")
