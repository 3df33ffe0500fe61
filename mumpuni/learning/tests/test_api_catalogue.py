"""API /api/v1/learning/: programmes, classes and enrolments — scoped reads, BKPP-only writes, the
enrolment flow, Indonesian 422 messages, and outsiders refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mumpuni.learning.models import Enrollment, Program, TrainingClass
from mumpuni.learning.services import enrollment as services
from mumpuni.learning.tests.catalogue_fixtures import LearningTestCase
from mumpuni.people import services as people_services
from mumpuni.people.models import Role

BASE = "/api/v1/learning"


class CatalogueApiTests(LearningTestCase):
    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(f"{BASE}{path}", body, content_type="application/json")

    def test_it_lists_and_gets_programmes(self) -> None:
        self.login(self.employee)
        r = self.client.get(f"{BASE}/programs", {"q": "prima"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["count"], 1)
        item = r.json()["items"][0]
        self.assertEqual(item["competencies"], [{"competency": "T.PRIMA", "uplift": 2}])
        r = self.client.get(f"{BASE}/programs/{self.program.pk}")
        self.assertEqual((r.status_code, r.json()["code"]), (200, "PLY-PRIMA"))

    def test_it_creates_and_updates_a_programme_as_bkpp(self) -> None:
        self.login(self.admin)
        r = self.post(
            "/programs",
            {
                "code": "ADUAN",
                "name": "Penanganan Pengaduan",
                "category": "klasikal",
                "form": "teknis",
                "jp": "16",
                "cost_per_participant": 600000,
                "competencies": [{"competency": "M.03", "uplift": 1}],
                "prerequisites": ["PLY-PRIMA"],
            },
        )
        self.assertEqual(r.status_code, 201, r.content)
        program = Program.objects.get(code="ADUAN")
        self.assertEqual(list(program.prerequisites.values_list("code", flat=True)), ["PLY-PRIMA"])
        r = self.client.patch(
            f"{BASE}/programs/{program.pk}", {"jp": "24", "competencies": []}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 200, r.content)
        program.refresh_from_db()
        self.assertEqual((str(program.jp), program.competency_uplifts.count()), ("24.0", 0))
        self.assertFalse(program.cpns_only)
        r = self.client.patch(
            f"{BASE}/programs/{program.pk}", {"cpns_only": True}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertTrue(r.json()["cpns_only"])
        program.refresh_from_db()
        self.assertTrue(program.cpns_only)

    def test_it_answers_422_with_indonesian_field_messages(self) -> None:
        self.login(self.admin)
        r = self.post(
            "/programs", {"code": "X", "name": "X", "category": "klasikal", "form": "coaching", "jp": 0}
        )
        self.assertEqual(r.status_code, 422)
        self.assertIn("jp", r.json()["errors"])
        r = self.post(
            "/programs", {"code": "X", "name": "X", "category": "klasikal", "form": "coaching", "jp": 8}
        )
        self.assertEqual(r.status_code, 422)
        self.assertIn("tidak termasuk kategori", r.json()["errors"]["form"][0])
        self.assertFalse(Program.objects.filter(code="X").exists())

    def test_it_creates_a_class_with_sessions(self) -> None:
        self.login(self.admin)
        start = timezone.localdate() + dt.timedelta(days=45)
        r = self.post(
            "/classes",
            {
                "program": "ply-prima",
                "code": "PLY-PRIMA-API",
                "name": "Angkatan API",
                "starts_on": start.isoformat(),
                "ends_on": start.isoformat(),
                "venue": "Aula",
                "capacity": 10,
                "status": "open",
                "trainers": ["pelatih"],
                "sessions": [
                    {
                        "starts_at": f"{start}T08:00:00+07:00",
                        "ends_at": f"{start}T12:00:00+07:00",
                        "topic": "A",
                    }
                ],
            },
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["trainers"], ["pelatih"])
        self.assertEqual(TrainingClass.objects.get(code="PLY-PRIMA-API").sessions.count(), 1)

    def test_it_runs_the_enrolment_flow(self) -> None:
        self.login(self.employee)
        r = self.post("/enrollments/request", {"class_id": self.klass.pk, "reason": "Loket"})
        self.assertEqual(r.status_code, 201, r.content)
        enrollment_id = r.json()["id"]
        self.login(self.camat)
        r = self.post(f"/enrollments/{enrollment_id}/approve", {"note": "OK"})
        self.assertEqual((r.status_code, r.json()["status"]), (200, "unit_approved"))
        self.login(self.admin)
        r = self.post(f"/enrollments/{enrollment_id}/approve", {})
        self.assertEqual((r.status_code, r.json()["status"]), (200, "enrolled"))
        self.login(self.employee)
        r = self.client.get(f"{BASE}/enrollments")
        self.assertEqual([e["id"] for e in r.json()["items"]], [enrollment_id])
        r = self.post(f"/enrollments/{enrollment_id}/cancel", {"note": "Batal"})
        self.assertEqual((r.status_code, r.json()["status"]), (200, "cancelled"))

    def test_it_nominates_and_rejects(self) -> None:
        self.login(self.supervisor)
        r = self.post("/enrollments/nominate", {"class_id": self.klass.pk, "nip": self.officer_employee.nip})
        self.assertEqual((r.status_code, r.json()["status"]), (201, "nominated"))
        self.login(self.camat)
        r = self.post(f"/enrollments/{r.json()['id']}/reject", {"note": ""})
        self.assertEqual(r.status_code, 422)
        self.assertIn("note", r.json()["errors"])

    def test_it_refuses_outsiders(self) -> None:
        e = services.enrollment_request(actor=self.employee, training_class=self.klass)
        self.assertEqual(self.client.get(f"{BASE}/programs").status_code, 401)
        self.login(self.other)  # camat of Banyumanik
        self.assertEqual(self.post(f"/enrollments/{e.pk}/approve", {}).status_code, 404)
        self.assertEqual(self.client.get(f"{BASE}/enrollments").json()["count"], 0)
        self.login(self.camat)
        self.assertEqual(
            self.post(
                "/programs", {"code": "Z", "name": "Z", "category": "klasikal", "form": "teknis", "jp": 8}
            ).status_code,
            403,
        )
        self.login(self.employee)
        r = self.post("/enrollments/nominate", {"class_id": self.klass.pk, "nip": self.officer_employee.nip})
        self.assertEqual(r.status_code, 422)  # a colleague is outside an employee's scope
        self.assertEqual(self.post(f"/enrollments/{e.pk}/approve", {}).status_code, 403)  # own request
        self.login(self.supervisor)
        r = self.post(
            "/enrollments/nominate", {"class_id": self.klass.pk, "nip": self.other_officer_employee.nip}
        )
        self.assertEqual(r.status_code, 422)
        self.assertEqual(self.post(f"/enrollments/{e.pk}/approve", {}).status_code, 403)
        _, key = people_services.api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.tembalang)
        self.client.logout()
        r = self.client.get(f"{BASE}/programs", headers={"authorization": f"Bearer {key}"})
        self.assertEqual(r.status_code, 403)
        e.refresh_from_db()
        self.assertEqual(e.status, "requested")
        self.assertEqual(Enrollment.objects.count(), 1)
