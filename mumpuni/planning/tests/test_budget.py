"""Budget arithmetic on hand-worked enrolments and the budget services' rules."""

from __future__ import annotations

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.planning import selectors, services
from mumpuni.planning.models import Budget, UnitBudget
from mumpuni.planning.tests.fixtures import PlanningTestCase, enrol


class SpendTests(PlanningTestCase):
    def setUp(self) -> None:
        super().setUp()
        # PLY costs Rp 1 juta (APBD), ADK Rp 2 juta (APBD), KEU Rp 3 juta (partner).
        enrol(self.class_ply, self.employee_employee, "nominated")  # committed 1 jt, Tembalang
        enrol(self.class_ply, self.officer_employee, "enrolled")  # committed 1 jt, Tembalang
        enrol(self.class_ply, self.supervisor_employee, "completed")  # realised 1 jt, Tembalang
        enrol(self.class_ply, self.camat_employee, "not_completed")  # realised 1 jt (seat paid), Tembalang
        enrol(self.class_ply, self.other_employee, "requested")  # nothing: not endorsed yet
        enrol(self.class_ply, self.other_officer_employee, "cancelled")  # nothing
        enrol(self.class_adk, self.other_employee, "unit_approved")  # committed 2 jt, Banyumanik
        enrol(self.class_keu, self.employee_employee, "enrolled")  # committed 3 jt, partner
        enrol(self.class_old, self.officer_employee, "completed")  # last year's class: not this year
        UnitBudget.objects.create(year=self.year, unit=self.tembalang, source=self.apbd, amount=5_000_000)

    def test_it_adds_up_committed_realised_and_remaining(self) -> None:
        o = selectors.budget_overview(user=self.admin, year=self.year)
        city = {line.source.code: line for line in o.city}
        apbd = city["APBD"]
        self.assertEqual(apbd.amount, 10_000_000)
        self.assertEqual(apbd.spend.committed, 4_000_000)  # 1 + 1 + 2
        self.assertEqual(apbd.spend.realised, 2_000_000)  # 1 + 1
        self.assertEqual(apbd.remaining, 4_000_000)
        self.assertEqual(apbd.spend.committed_people, 3)
        self.assertEqual(city["MITRA"].spend.committed, 3_000_000)
        # No partner budget was set: it shows as Rp 0 with the spend over it.
        self.assertEqual((city["MITRA"].amount, city["MITRA"].remaining), (0, -3_000_000))
        self.assertTrue(city["MITRA"].overspent)

    def test_it_charges_spend_to_the_unit_budget_and_shows_the_rest_unallocated(self) -> None:
        o = selectors.budget_overview(user=self.admin, year=self.year)
        [tembalang] = o.units
        self.assertEqual(tembalang.unit, self.tembalang)
        self.assertEqual((tembalang.spend.committed, tembalang.spend.realised), (2_000_000, 2_000_000))
        self.assertEqual(tembalang.remaining, 1_000_000)
        unallocated = {line.source.code: line.spend.committed for line in o.unallocated}
        self.assertEqual(unallocated, {"APBD": 2_000_000, "MITRA": 3_000_000})

    def test_it_shows_a_unit_head_only_their_own_unit(self) -> None:
        o = selectors.budget_overview(user=self.camat, year=self.year)
        self.assertEqual(o.city, [])
        self.assertEqual([line.unit for line in o.units], [self.tembalang])
        self.assertEqual(o.units[0].remaining, 1_000_000)
        other = selectors.budget_overview(user=self.other, year=self.year)
        self.assertEqual(other.units, [])

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.supervisor, self.officer):
            with self.assertRaises(PermissionDeniedError):
                selectors.budget_overview(user=user, year=self.year)

    def test_free_programmes_default_to_the_free_source(self) -> None:
        sources = selectors.program_sources([self.p_online, self.p_ply, self.p_keu])
        self.assertEqual(sources[self.p_online.pk], self.free)
        self.assertEqual(sources[self.p_ply.pk], self.apbd)
        self.assertEqual(sources[self.p_keu.pk], self.mitra)

    def test_remaining_by_source(self) -> None:
        self.assertEqual(selectors.remaining_by_source(self.year)[self.apbd.pk], 4_000_000)


class BudgetServiceTests(PlanningTestCase):
    def test_it_sets_and_audits_the_city_budget(self) -> None:
        budget = services.budget_set(actor=self.admin, year=self.year, source=self.apbd, amount=12_000_000)
        budget.refresh_from_db()
        self.assertEqual(budget.amount, 12_000_000)
        self.assertEqual(Budget.objects.filter(year=self.year, source=self.apbd).count(), 1)
        self.assertTrue(
            AuditEntry.objects.filter(object_type="planning.budget", object_id=str(budget.pk)).exists()
        )

    def test_it_refuses_a_negative_amount_with_a_field_error(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.budget_set(actor=self.admin, year=self.year, source=self.apbd, amount=-5)
        self.assertIn("amount", ctx.exception.fields)

    def test_the_city_budget_may_not_drop_below_the_unit_shares(self) -> None:
        services.unit_budget_set(
            actor=self.admin, year=self.year, unit=self.tembalang, source=self.apbd, amount=6_000_000
        )
        with self.assertRaises(ValidationFailed) as ctx:
            services.budget_set(actor=self.admin, year=self.year, source=self.apbd, amount=5_000_000)
        self.assertIn("Rp 6.000.000", ctx.exception.fields["amount"][0])

    def test_unit_shares_may_not_exceed_the_city_budget(self) -> None:
        services.unit_budget_set(
            actor=self.admin, year=self.year, unit=self.tembalang, source=self.apbd, amount=6_000_000
        )
        with self.assertRaises(ValidationFailed) as ctx:
            services.unit_budget_set(
                actor=self.admin, year=self.year, unit=self.banyumanik, source=self.apbd, amount=4_000_001
            )
        self.assertIn("Rp 4.000.000", ctx.exception.fields["amount"][0])
        services.unit_budget_set(
            actor=self.admin, year=self.year, unit=self.banyumanik, source=self.apbd, amount=4_000_000
        )
        self.assertEqual(UnitBudget.objects.filter(year=self.year).count(), 2)

    def test_unit_shares_may_not_nest(self) -> None:
        services.unit_budget_set(
            actor=self.admin, year=self.year, unit=self.tembalang, source=self.apbd, amount=1_000_000
        )
        with self.assertRaises(ValidationFailed) as ctx:
            services.unit_budget_set(
                actor=self.admin, year=self.year, unit=self.bulusan, source=self.apbd, amount=1
            )
        self.assertIn("unit", ctx.exception.fields)

    def test_a_unit_share_needs_a_city_budget_and_zero_removes_it(self) -> None:
        with self.assertRaises(ValidationFailed) as ctx:
            services.unit_budget_set(
                actor=self.admin, year=self.year, unit=self.tembalang, source=self.mitra, amount=1
            )
        self.assertIn("source", ctx.exception.fields)
        services.unit_budget_set(
            actor=self.admin, year=self.year, unit=self.tembalang, source=self.apbd, amount=1_000
        )
        services.unit_budget_set(
            actor=self.admin, year=self.year, unit=self.tembalang, source=self.apbd, amount=0
        )
        self.assertFalse(UnitBudget.objects.exists())

    def test_it_refuses_everyone_but_bkpp(self) -> None:
        for user in (self.executive, self.camat, self.employee):
            with self.assertRaises(PermissionDeniedError):
                services.budget_set(actor=user, year=self.year, source=self.apbd, amount=1)
            with self.assertRaises(PermissionDeniedError):
                services.unit_budget_set(
                    actor=user, year=self.year, unit=self.tembalang, source=self.apbd, amount=1
                )
