"""Programme services: BKPP only, category/form consistency, uplifts, prerequisites, audit."""

from __future__ import annotations

from decimal import Decimal

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.learning.models import Program, ProgramCompetency
from mumpuni.learning.services import catalogue
from mumpuni.learning.tests.catalogue_fixtures import LearningTestCase


class ProgramServiceTests(LearningTestCase):
    def create(self, **extra: object) -> Program:
        values: dict[str, object] = {
            "code": "kom-masy",
            "name": "Komunikasi Efektif dengan Masyarakat",
            "category": "klasikal",
            "form": "teknis",
            "jp": Decimal("16"),
            "cost_per_participant": 500_000,
            "provider": "bkpp",
        }
        values.update(extra)
        return catalogue.program_create(actor=self.admin, **values)  # type: ignore[arg-type]

    def test_it_creates_a_programme_with_uplifts_and_audits_it(self) -> None:
        program = self.create(uplifts={"M.03": 1, self.prima: 2}, prerequisites=[self.program])
        program.refresh_from_db()
        self.assertEqual(program.code, "KOM-MASY")
        uplifts = dict(program.competency_uplifts.values_list("competency__code", "uplift"))
        self.assertEqual(uplifts, {"M.03": 1, "T.PRIMA": 2})
        self.assertEqual(list(program.prerequisites.all()), [self.program])
        entry = AuditEntry.objects.get(
            action="create", object_type="learning.program", object_id=str(program.pk)
        )
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(entry.changes["uplifts"][1], {"M.03": 1, "T.PRIMA": 2})

    def test_it_refuses_anyone_but_bkpp(self) -> None:
        for user in (self.camat, self.supervisor, self.employee, self.executive, self.trainer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                catalogue.program_create(
                    actor=user, code="X", name="X", category="klasikal", form="teknis", jp=Decimal("8")
                )
        self.assertFalse(Program.objects.filter(code="X").exists())

    def test_it_refuses_a_form_of_another_category(self) -> None:
        with self.assertRaises(ValidationFailed) as caught:
            self.create(category="nonklasikal", form="teknis")
        self.assertIn("form", caught.exception.fields)
        self.assertIn("nonklasikal", caught.exception.fields["form"][0].lower())

    def test_it_refuses_a_duplicate_code_bad_jp_and_unknown_competency(self) -> None:
        with self.assertRaises(ValidationFailed) as caught:
            self.create(code="ply-prima", jp=Decimal("0"), uplifts={"T.TIDAK-ADA": 1, "M.03": 9})
        fields = caught.exception.fields
        self.assertIn("PLY-PRIMA sudah dipakai", fields["code"][0])
        self.assertIn("jp", fields)
        self.assertEqual(len(fields["competencies"]), 2)

    def test_it_updates_uplifts_and_records_the_change(self) -> None:
        catalogue.program_update(
            actor=self.admin, program=self.program, uplifts={"T.PRIMA": 1, "M.03": 1}, jp=Decimal("32")
        )
        self.program.refresh_from_db()
        self.assertEqual(self.program.jp, Decimal("32.0"))
        self.assertEqual(ProgramCompetency.objects.get(program=self.program, competency=self.prima).uplift, 1)
        entry = AuditEntry.objects.filter(action="update", object_type="learning.program").latest("pk")
        self.assertEqual(entry.changes["uplifts"], [{"T.PRIMA": 2}, {"M.03": 1, "T.PRIMA": 1}])
        self.assertEqual(entry.changes["jp"], ["24.0", "32.0"])

    def test_it_refuses_a_programme_as_its_own_prerequisite(self) -> None:
        with self.assertRaises(ValidationFailed) as caught:
            catalogue.program_update(actor=self.admin, program=self.program, prerequisites=[self.program])
        self.assertIn("prerequisites", caught.exception.fields)
        self.assertFalse(self.program.prerequisites.exists())
