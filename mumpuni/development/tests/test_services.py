"""Plan services: every step allowed and refused, the 20-JP rule, the frozen plan, drafting from gaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry, Notification
from mumpuni.development import services
from mumpuni.development.models import DevelopmentPlan, PlanComment, PlanItem
from mumpuni.development.tests.fixtures import PlanTestCase
from mumpuni.learning.models import JpEntry
from mumpuni.testing import make_account, make_employee

S = DevelopmentPlan.Status


class PlanCreateTests(PlanTestCase):
    def test_it_creates_an_empty_draft_for_oneself(self) -> None:
        plan = services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year)
        plan.refresh_from_db()
        self.assertEqual(plan.status, S.DRAFT)
        self.assertEqual(plan.created_by, self.employee)
        self.assertEqual(list(plan.comments.values_list("step", flat=True)), ["created"])
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=str(plan.pk)).exists())

    def test_it_refuses_a_second_plan_for_the_year(self) -> None:
        services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year)
        with self.assertRaisesMessage(ValidationFailed, "sudah ada"):
            services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year)
        # another year is fine
        services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year + 1)

    def test_it_validates_ownership(self) -> None:
        for user in (self.supervisor, self.camat, self.executive, self.other, self.officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.plan_create(actor=user, employee=self.employee_employee, year=self.year)
        services.plan_create(actor=self.admin, employee=self.employee_employee, year=self.year)


class DraftFromGapsTests(PlanTestCase):
    def test_it_picks_the_biggest_gaps_and_the_programmes_that_target_them(self) -> None:
        plan = services.draft_from_gaps(actor=self.employee, employee=self.employee_employee, year=self.year)
        goals = list(plan.goals.all())
        self.assertEqual([g.competency.code for g in goals], ["T.ADK", "T.PLY", "T.ARS"])  # gaps 3, 2, 1
        self.assertEqual([(g.current_level, g.target_level) for g in goals], [(1, 4), (1, 3), (2, 3)])
        self.assertIn("Kesenjangan 3 level", goals[0].reason)
        items = {i.program.code: i for i in plan.items.select_related("program", "goal")}
        # one per gap (biggest uplift first); inactive, education, leaders-only and unrelated ones never
        self.assertEqual(set(items), {"ADK-1", "PLY-1", "ARS-1"})
        self.assertEqual(items["ADK-1"].goal, goals[0])
        self.assertEqual(services.planned_jp(plan), Decimal("22"))
        self.assertTrue(plan.generated)

    def test_it_adds_more_programmes_for_the_largest_gaps_until_the_target(self) -> None:
        suggestions, total = services.suggest_from_gaps(self.employee_employee, target=Decimal("25"))
        self.assertEqual([p.code for p in suggestions[0].programmes], ["ADK-1", "ADK-2"])
        self.assertEqual(total, Decimal("28"))

    def test_it_sets_the_target_date_from_the_next_class(self) -> None:
        from mumpuni.learning.models import TrainingClass

        start = dt.date(self.year, 12, 1)
        TrainingClass.objects.create(
            program=self.p_ply,
            code="PLY-1-A1",
            name="Angkatan 1",
            starts_on=start,
            ends_on=dt.date(self.year, 12, 3),
            capacity=30,
            status=TrainingClass.Status.OPEN,
        )
        plan = services.draft_from_gaps(actor=self.employee, employee=self.employee_employee, year=self.year)
        item = plan.items.get(program=self.p_ply)
        if start >= dt.date.today():
            self.assertEqual(item.target_date, dt.date(self.year, 12, 3))

    def test_without_gaps_it_makes_an_empty_draft(self) -> None:
        plan = services.draft_from_gaps(actor=self.officer, employee=self.officer_employee, year=self.year)
        self.assertEqual(plan.goals.count(), 0)
        self.assertEqual(plan.items.count(), 0)


class EditTests(PlanTestCase):
    def test_it_adds_and_removes_goals_and_items_in_a_draft(self) -> None:
        plan = services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year)
        goal = services.goal_add(
            actor=self.employee,
            plan=plan,
            description="Waktu layanan KTP-el di bawah 20 menit",
            source="service",
            reason="Rata-rata 40 menit di loket Tembalang",
        )
        item = services.item_add(actor=self.employee, plan=plan, program=self.p_ply, goal=goal)
        self.assertEqual(item.planned_jp, Decimal("4"))  # from the programme
        services.item_remove(actor=self.employee, item=item)
        services.goal_remove(actor=self.employee, goal=goal)
        self.assertFalse(plan.items.exists() or plan.goals.exists())

    def test_it_validates_goals_and_items(self) -> None:
        plan = services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year)
        with self.assertRaises(ValidationFailed) as ctx:
            services.goal_add(actor=self.employee, plan=plan, description="", source="service")
        self.assertIn("reason", ctx.exception.fields)
        with self.assertRaises(ValidationFailed) as ctx:
            services.goal_add(
                actor=self.employee, plan=plan, description="ADK", competency=self.c_adk, target_level=1
            )
        self.assertIn("target_level", ctx.exception.fields)
        with self.assertRaises(ValidationFailed) as ctx:
            services.item_add(actor=self.employee, plan=plan, activity="Mentoring", planned_jp="0,2")
        self.assertIn("planned_jp", ctx.exception.fields)
        with self.assertRaises(ValidationFailed) as ctx:
            services.item_add(actor=self.employee, plan=plan, program=self.p_education)
        self.assertIn("program", ctx.exception.fields)
        with self.assertRaises(ValidationFailed) as ctx:
            services.item_add(
                actor=self.employee, plan=plan, activity="x", planned_jp="2", target_date=dt.date(2000, 1, 1)
            )
        self.assertIn("target_date", ctx.exception.fields)
        item = services.item_add(actor=self.employee, plan=plan, activity="Mentoring", planned_jp="1,5")
        self.assertEqual(item.planned_jp, Decimal("1.5"))

    def test_only_the_owner_or_admin_edits(self) -> None:
        plan = services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year)
        for user in (self.supervisor, self.camat, self.executive, self.other):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.item_add(actor=user, plan=plan, activity="x", planned_jp="2")
        services.item_add(actor=self.admin, plan=plan, activity="Disarankan BKPP", planned_jp="2")

    def test_a_proposed_plan_cannot_be_edited_until_returned(self) -> None:
        plan = self.proposed()
        with self.assertRaises(services.TransitionError):
            services.item_add(actor=self.employee, plan=plan, activity="x", planned_jp="2")
        services.plan_return(actor=self.supervisor, plan=plan, comment="Tambah kegiatan teknis")
        services.item_add(actor=self.employee, plan=plan, activity="Bimtek SIAK", planned_jp="2")
        self.assertEqual(services.planned_jp(plan), Decimal("22"))


class ProposeTests(PlanTestCase):
    def test_it_proposes_and_notifies_the_supervisor(self) -> None:
        plan = self.draft()
        with self.captureOnCommitCallbacks(execute=True):
            services.plan_propose(actor=self.employee, plan=plan, comment="Mohon arahan")
        plan = self.reload(plan)
        self.assertEqual(plan.status, S.PROPOSED)
        self.assertIsNotNone(plan.proposed_at)
        self.assertEqual(plan.comments.last().text, "Mohon arahan")
        note = Notification.objects.get(recipient=self.supervisor)
        self.assertIn("Agus Prasetyo", note.title)
        self.assertEqual(note.link, f"/pengembangan/rencana/{plan.pk}/")

    def test_without_a_supervisor_the_unit_heads_are_told(self) -> None:
        lurah_staff = make_employee("Tanpa Atasan", self.bulusan, None)
        user = make_account("tanpa-atasan", [("employee", None)], lurah_staff)
        plan = self.draft(employee=lurah_staff, user=user)
        with self.captureOnCommitCallbacks(execute=True):
            services.plan_propose(actor=user, plan=plan)
        self.assertTrue(Notification.objects.filter(recipient=self.camat).exists())
        self.assertFalse(Notification.objects.filter(recipient=self.other).exists())

    def test_it_refuses_what_is_not_allowed(self) -> None:
        empty = services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year + 1)
        with self.assertRaisesMessage(ValidationFailed, "paling sedikit satu"):
            services.plan_propose(actor=self.employee, plan=empty)
        plan = self.draft()
        for user in (self.supervisor, self.admin, self.camat):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.plan_propose(actor=user, plan=plan)
        services.plan_propose(actor=self.employee, plan=plan)
        with self.assertRaises(services.TransitionError):
            services.plan_propose(actor=self.employee, plan=plan)


class AgreeAndReturnTests(PlanTestCase):
    def test_the_supervisor_agrees(self) -> None:
        plan = self.proposed()
        with self.captureOnCommitCallbacks(execute=True):
            services.plan_agree(actor=self.supervisor, plan=plan, comment="Baik")
        plan = self.reload(plan)
        self.assertEqual(plan.status, S.AGREED)
        self.assertEqual(plan.agreed_by, self.supervisor)
        self.assertTrue(Notification.objects.filter(recipient=self.employee).exists())
        self.assertTrue(AuditEntry.objects.filter(action="agree", actor=self.supervisor).exists())

    def test_it_needs_twenty_jp(self) -> None:
        plan = self.proposed(jp="19.5")
        with self.assertRaisesMessage(ValidationFailed, "paling sedikit 20 JP"):
            services.plan_agree(actor=self.supervisor, plan=plan)
        self.assertEqual(self.reload(plan).status, S.PROPOSED)

    def test_the_camat_and_admin_may_agree_too(self) -> None:
        for user in (self.camat, self.admin):
            with self.subTest(user=user.username):
                DevelopmentPlan.objects.all().delete()
                plan = self.proposed()
                services.plan_agree(actor=user, plan=plan)
                self.assertEqual(self.reload(plan).status, S.AGREED)

    def test_the_head_of_a_unit_above_may_agree_without_being_in_the_chain(self) -> None:
        staff = make_employee("Staf Kelurahan", self.bulusan, None)
        user = make_account("staf-kel", [("employee", None)], staff)
        plan = self.draft(employee=staff, user=user)
        services.plan_propose(actor=user, plan=plan)
        with self.assertRaises(PermissionDeniedError):
            services.plan_agree(actor=self.supervisor, plan=plan)  # not their team
        services.plan_agree(actor=self.camat, plan=plan)

    def test_it_refuses_outsiders_and_oneself(self) -> None:
        plan = self.proposed()
        for user in (self.employee, self.other, self.executive, self.officer, self.other_officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                services.plan_agree(actor=user, plan=plan)
        self.assertEqual(self.reload(plan).status, S.PROPOSED)

    def test_it_agrees_only_a_proposed_plan(self) -> None:
        plan = self.draft()
        with self.assertRaises(services.TransitionError):
            services.plan_agree(actor=self.supervisor, plan=plan)
        with self.assertRaises(services.TransitionError):
            services.plan_return(actor=self.supervisor, plan=plan, comment="x")

    def test_return_needs_a_comment_and_makes_a_draft(self) -> None:
        plan = self.proposed()
        with self.assertRaises(ValidationFailed) as ctx:
            services.plan_return(actor=self.supervisor, plan=plan, comment="  ")
        self.assertIn("comment", ctx.exception.fields)
        with self.captureOnCommitCallbacks(execute=True):
            services.plan_return(actor=self.supervisor, plan=plan, comment="Kurang JP teknis")
        plan = self.reload(plan)
        self.assertEqual(plan.status, S.DRAFT)
        returned = plan.comments.get(step="returned")
        self.assertEqual(
            (returned.text, returned.author, returned.status), ("Kurang JP teknis", self.supervisor, "draft")
        )
        self.assertEqual(Notification.objects.get(recipient=self.employee).body, "Kurang JP teknis")
        with self.assertRaises(PermissionDeniedError):
            services.plan_return(actor=self.other, plan=self.proposed_again(plan), comment="x")

    def proposed_again(self, plan: DevelopmentPlan) -> DevelopmentPlan:
        services.plan_propose(actor=self.employee, plan=plan)
        return plan


class ProgressAndCompleteTests(PlanTestCase):
    def test_marking_an_item_done_links_the_ledger_and_starts_the_plan(self) -> None:
        plan = services.draft_from_gaps(actor=self.employee, employee=self.employee_employee, year=self.year)
        services.plan_propose(actor=self.employee, plan=plan)
        services.plan_agree(actor=self.supervisor, plan=plan)
        entry = JpEntry.objects.create(
            employee=self.employee_employee,
            occurred_on=dt.date(self.year, 1, 5),
            year=self.year,
            jp=Decimal("4"),
            source="import",
            program=self.p_ply,
        )
        item = plan.items.get(program=self.p_ply)
        services.item_mark_done(actor=self.employee, item=item)
        item.refresh_from_db()
        self.assertEqual((item.status, item.jp_entry), (PlanItem.Status.DONE, entry))
        self.assertEqual(self.reload(plan).status, S.IN_PROGRESS)
        with self.assertRaises(services.TransitionError):
            services.item_mark_done(actor=self.employee, item=item)

    def test_it_refuses_done_before_agreement_and_foreign_ledger_lines(self) -> None:
        plan = self.draft()
        item = plan.items.get()
        with self.assertRaises(services.TransitionError):
            services.item_mark_done(actor=self.employee, item=item)
        services.plan_propose(actor=self.employee, plan=plan)
        services.plan_agree(actor=self.supervisor, plan=plan)
        foreign = JpEntry.objects.create(
            employee=self.officer_employee,
            occurred_on=dt.date(self.year, 1, 5),
            year=self.year,
            jp=Decimal("4"),
            source="import",
        )
        with self.assertRaises(ValidationFailed):
            services.item_mark_done(actor=self.employee, item=item, jp_entry=foreign)
        with self.assertRaises(PermissionDeniedError):
            services.item_mark_done(actor=self.other, item=item)

    def test_start_is_for_an_agreed_plan(self) -> None:
        plan = self.proposed()
        with self.assertRaises(services.TransitionError):
            services.plan_start(actor=self.employee, plan=plan)
        services.plan_agree(actor=self.supervisor, plan=plan)
        with self.assertRaises(PermissionDeniedError):
            services.plan_start(actor=self.executive, plan=plan)
        services.plan_start(actor=self.employee, plan=plan)
        self.assertEqual(self.reload(plan).status, S.IN_PROGRESS)

    def test_the_supervisor_completes_and_the_plan_is_frozen(self) -> None:
        plan = self.agreed()
        with self.assertRaises(PermissionDeniedError):
            services.plan_complete(actor=self.employee, plan=plan)
        with self.assertRaises(PermissionDeniedError):
            services.plan_complete(actor=self.other, plan=plan)
        services.plan_complete(actor=self.supervisor, plan=plan, comment="Tuntas")
        plan = self.reload(plan)
        self.assertEqual(plan.status, S.COMPLETED)
        self.assertIsNotNone(plan.completed_at)
        item = plan.items.get()
        frozen = [
            lambda: services.item_add(actor=self.employee, plan=plan, activity="x", planned_jp="2"),
            lambda: services.item_add(actor=self.admin, plan=plan, activity="x", planned_jp="2"),
            lambda: services.goal_add(actor=self.employee, plan=plan, description="x"),
            lambda: services.item_remove(actor=self.employee, item=item),
            lambda: services.item_mark_done(actor=self.employee, item=item),
            lambda: services.plan_comment(actor=self.supervisor, plan=plan, text="x"),
            lambda: services.plan_complete(actor=self.supervisor, plan=plan),
            lambda: services.plan_propose(actor=self.employee, plan=plan),
            lambda: services.plan_return(actor=self.admin, plan=plan, comment="x"),
        ]
        for attempt in frozen:
            with self.assertRaisesMessage(services.TransitionError, "dikunci"):
                attempt()
        self.assertEqual(plan.items.count(), 1)

    def test_complete_is_refused_before_agreement(self) -> None:
        plan = self.proposed()
        with self.assertRaises(services.TransitionError):
            services.plan_complete(actor=self.supervisor, plan=plan)

    def test_every_step_leaves_a_comment(self) -> None:
        plan = self.proposed()
        services.plan_return(actor=self.supervisor, plan=plan, comment="Perbaiki")
        services.plan_propose(actor=self.employee, plan=plan)
        services.plan_agree(actor=self.supervisor, plan=plan)
        services.plan_comment(actor=self.employee, plan=plan, text="Terima kasih")
        services.plan_start(actor=self.employee, plan=plan)
        services.plan_complete(actor=self.supervisor, plan=plan)
        steps = list(PlanComment.objects.filter(plan=plan).values_list("step", "status"))
        self.assertEqual(
            steps,
            [
                ("created", "draft"),
                ("proposed", "proposed"),
                ("returned", "draft"),
                ("proposed", "proposed"),
                ("agreed", "agreed"),
                ("comment", "agreed"),
                ("started", "in_progress"),
                ("completed", "completed"),
            ],
        )
        with self.assertRaises(PermissionDeniedError):
            services.plan_comment(actor=self.executive, plan=self.draft_next_year(), text="x")

    def draft_next_year(self) -> DevelopmentPlan:
        return services.plan_create(actor=self.employee, employee=self.employee_employee, year=self.year + 1)
