"""assessment_record (precedence through the service, permissions), assessment_withdraw, the standard edits."""

from __future__ import annotations

import datetime as dt

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.competencies import services
from mumpuni.competencies.models import Assessment, CurrentLevel, ManagerialDefault, PositionRequirement
from mumpuni.competencies.tests.base import CompetencyTestCase


class AssessmentRecordTests(CompetencyTestCase):
    def current(self, employee, competency) -> int | None:
        row = CurrentLevel.objects.filter(employee=employee, competency=competency).first()
        return row.level if row else None

    def test_it_keeps_the_supervisor_level_over_a_later_self_assessment(self) -> None:
        services.assessment_record(
            actor=self.employee, employee=self.employee_employee, competency=self.tadk, level=5, source="self"
        )
        self.assertEqual(self.current(self.employee_employee, self.tadk), 2)
        self.assertEqual(
            Assessment.objects.filter(employee=self.employee_employee, competency=self.tadk).count(), 2
        )

    def test_it_uses_a_self_assessment_when_nothing_else_is_valid(self) -> None:
        services.assessment_record(
            actor=self.employee, employee=self.employee_employee, competency=self.sk01, level=2, source="self"
        )
        self.assertEqual(self.current(self.employee_employee, self.sk01), 2)

    def test_it_lets_the_latest_supervisor_assessment_win(self) -> None:
        services.assessment_record(
            actor=self.supervisor,
            employee=self.employee_employee,
            competency=self.tadk,
            level=3,
            source="supervisor",
        )
        self.assertEqual(self.current(self.employee_employee, self.tadk), 3)
        entry = AuditEntry.objects.filter(object_type="competencies.assessment").latest("id")
        self.assertEqual(entry.actor, self.supervisor)

    def test_it_refuses_a_supervisor_outside_their_team(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.assessment_record(
                actor=self.supervisor,
                employee=self.other_employee,
                competency=self.m01,
                level=3,
                source="supervisor",
            )
        with self.assertRaises(PermissionDeniedError):
            services.assessment_record(
                actor=self.other,
                employee=self.employee_employee,
                competency=self.m01,
                level=3,
                source="supervisor",
            )
        self.assertFalse(Assessment.objects.filter(employee=self.other_employee).exists())

    def test_it_refuses_an_employee_giving_themselves_a_supervisor_assessment(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.assessment_record(
                actor=self.employee,
                employee=self.employee_employee,
                competency=self.tadk,
                level=5,
                source="supervisor",
            )
        self.assertEqual(self.current(self.employee_employee, self.tadk), 2)

    def test_it_refuses_a_self_assessment_of_someone_else(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.assessment_record(
                actor=self.supervisor,
                employee=self.employee_employee,
                competency=self.tadk,
                level=5,
                source="self",
            )

    def test_it_validates_level_and_dates(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.assessment_record(
                actor=self.supervisor,
                employee=self.employee_employee,
                competency=self.tadk,
                level=6,
                source="supervisor",
                assessed_on=dt.date.today() + dt.timedelta(days=3),
            )
        self.assertIn("level", ctx.exception.fields)
        self.assertIn("assessed_on", ctx.exception.fields)

    def test_it_turns_a_bad_evidence_link_into_a_field_error(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.assessment_record(
                actor=self.supervisor,
                employee=self.employee_employee,
                competency=self.tadk,
                level=3,
                source="supervisor",
                evidence_url="bukan tautan",
            )
        self.assertIn("evidence_url", ctx.exception.fields)


class AssessmentWithdrawTests(CompetencyTestCase):
    def test_it_withdraws_and_recomputes_the_current_level(self) -> None:
        newer = services.assessment_record(
            actor=self.supervisor,
            employee=self.employee_employee,
            competency=self.tadk,
            level=4,
            source="supervisor",
        )
        services.assessment_withdraw(actor=self.supervisor, assessment=newer)
        newer.refresh_from_db()
        self.assertIsNotNone(newer.withdrawn_at)
        current = CurrentLevel.objects.get(employee=self.employee_employee, competency=self.tadk)
        self.assertEqual(current.level, 2)

    def test_it_refuses_someone_elses_withdrawal_and_a_second_one(self) -> None:
        mine = services.assessment_record(
            actor=self.supervisor,
            employee=self.employee_employee,
            competency=self.tadk,
            level=4,
            source="supervisor",
        )
        with self.assertRaises(PermissionDeniedError):
            services.assessment_withdraw(actor=self.camat, assessment=mine)
        services.assessment_withdraw(actor=self.admin, assessment=mine)
        with self.assertRaises(ValidationFailed):
            services.assessment_withdraw(actor=self.admin, assessment=mine)


class StandardServicesTests(CompetencyTestCase):
    def test_it_lets_bkpp_edit_a_competency_and_its_levels(self) -> None:
        services.competency_save(
            actor=self.admin,
            competency=self.tadk,
            name="Administrasi Kependudukan Dasar",
            kind="teknis",
            description="Baru.",
            levels={1: ("Dasar", "Memeriksa berkas.")},
        )
        self.tadk.refresh_from_db()
        self.assertEqual(self.tadk.name, "Administrasi Kependudukan Dasar")
        self.assertEqual(self.tadk.levels.get(level=1).description, "Memeriksa berkas.")
        self.assertTrue(
            AuditEntry.objects.filter(object_type="competencies.competency", action="update").exists()
        )

    def test_it_refuses_non_admins(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.competency_save(actor=self.camat, competency=self.tadk, name="X", kind="teknis")
        with self.assertRaises(PermissionDeniedError):
            services.managerial_default_set(
                actor=self.camat, position_kind="pelaksana", position_level="", required_level=2
            )
        with self.assertRaises(PermissionDeniedError):
            services.position_requirements_set(actor=self.supervisor, position=self.pos_staff, levels={})

    def test_it_sets_defaults_and_position_requirements(self) -> None:
        services.managerial_default_set(
            actor=self.admin, position_kind="pelaksana", position_level="", required_level=2
        )
        self.assertEqual(ManagerialDefault.objects.get(position_kind="pelaksana").required_level, 2)
        with self.assertRaises(ValidationFailed):
            services.managerial_default_set(
                actor=self.admin, position_kind="pengawas", position_level="ahli_muda", required_level=2
            )
        changed = services.position_requirements_set(
            actor=self.admin, position=self.pos_staff, levels={self.tadk.pk: None, self.sk01.pk: 2}
        )
        self.assertEqual(changed, 2)
        self.assertEqual(
            dict(
                PositionRequirement.objects.filter(position=self.pos_staff).values_list(
                    "competency_id", "required_level"
                )
            ),
            {self.sk01.pk: 2},
        )
