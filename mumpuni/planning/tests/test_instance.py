"""Building the solver's instance from live data: who is in it, gaps, weights and their parts, programmes,
seats, mandatory pairs, unit budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from mumpuni.people.models import Employee
from mumpuni.planning import services
from mumpuni.planning.instance import UnitFigures, build_instance, diagnose, weight_of, weight_parts
from mumpuni.planning.models import CompetencyImportance, Scenario, UnitBudget, WeightSettings
from mumpuni.planning.tests.fixtures import PlanningTestCase, enrol
from mumpuni.testing import make_nip


class WeightPartsTests(PlanningTestCase):
    def test_every_poor_figure_adds_its_multiplier(self) -> None:
        settings = WeightSettings.current()  # 1.5 front line, 1.3 wait, 1.5 IKM, 1.2 complaints (> 35/1000)
        figures = UnitFigures(
            "33.74.10", "Kecamatan Tembalang", wait_mean=30.0, tickets=1000, ikm=70.0, complaints=40
        )
        parts = weight_parts(front_line=True, figures=figures, settings=settings, city_median_wait=20.0)
        self.assertEqual([p["code"] for p in parts], ["base", "front_line", "wait", "ikm", "complaints"])
        self.assertAlmostEqual(weight_of(parts), 1.5 * 1.3 * 1.5 * 1.2)
        wait = parts[2]["detail"]
        self.assertIn("30,0 menit > median kota 20,0 menit", wait)
        self.assertIn("IKM Kecamatan Tembalang 70,00 < 76,61", parts[3]["detail"])
        self.assertIn("40,00 per 1.000", parts[4]["detail"])

    def test_good_figures_leave_the_weight_at_one(self) -> None:
        settings = WeightSettings.current()
        figures = UnitFigures("33.74.10", "T", wait_mean=10.0, tickets=1000, ikm=90.0, complaints=3)
        parts = weight_parts(front_line=False, figures=figures, settings=settings, city_median_wait=20.0)
        self.assertEqual([p["code"] for p in parts], ["base"])
        self.assertEqual(weight_of(parts), 1.0)
        # IKM exactly at the threshold is mutu B, not poor.
        figures.ikm = 76.61
        self.assertEqual(
            len(weight_parts(front_line=False, figures=figures, settings=settings, city_median_wait=None)), 1
        )


def _scenario(**extra: object) -> Scenario:
    defaults: dict[str, object] = {"name": "Uji", "year": 0, "budget": 5_000_000}
    defaults.update(extra)
    return Scenario.objects.create(**defaults)


class BuildInstanceTests(PlanningTestCase):
    def scenario(self, **extra: object) -> Scenario:
        return _scenario(**{"year": self.year, **extra})

    def test_it_takes_employees_with_gaps_and_their_weight_parts(self) -> None:
        CompetencyImportance.objects.create(competency=self.c_ply, importance=Decimal("2"))
        tembalang = UnitFigures(
            "33.74.10", "Kecamatan Tembalang", wait_mean=40.0, tickets=2000, ikm=70.0, complaints=10
        )
        other = UnitFigures(
            "33.74.11", "Kecamatan Banyumanik", wait_mean=10.0, tickets=2000, ikm=85.0, complaints=10
        )
        figures = {self.tembalang.pk: tembalang, self.banyumanik.pk: other}
        with mock.patch("mumpuni.planning.instance.service_figures", return_value=figures):
            built = build_instance(self.scenario())
        employees = {e["id"]: e for e in built.instance["employees"]}
        agus, rina = self.employee_employee.nip, self.officer_employee.nip
        self.assertEqual(set(employees), {agus, rina})
        self.assertEqual(employees[agus]["gaps"], {"T.PLY": 2, "T.ADK": 1})
        self.assertEqual(employees[rina]["gaps"], {"T.PLY": 1, "T.ADK": 2})
        # Agus: Tembalang waits longer than the median (25 min) and IKM is below 76.61.
        self.assertAlmostEqual(employees[agus]["weight"], 1.3 * 1.5)
        # Rina is a counter officer: front line as well.
        self.assertAlmostEqual(employees[rina]["weight"], 1.5 * 1.3 * 1.5)
        parts = [p["code"] for p in built.meta["employees"][rina]["weight_parts"]]
        self.assertEqual(parts, ["base", "front_line", "wait", "ikm"])
        self.assertEqual(employees[agus]["unit"], "33.74.10")  # top-level unit without a unit budget
        importance = {c["code"]: c["importance"] for c in built.instance["competencies"]}
        self.assertEqual(importance, {"T.ADK": 1.0, "T.PLY": 2.0})
        # Σ w·i·g: Agus 1.95 × (2×2 + 1) + Rina 2.925 × (2×1 + 2)
        self.assertAlmostEqual(built.meta["total_weighted_gap"], 1.95 * 5 + 2.925 * 4)

    def test_programmes_cost_only_what_the_city_pays_and_seats_come_from_classes(self) -> None:
        enrol(self.class_ply, self.supervisor_employee, "enrolled")
        built = build_instance(self.scenario(default_seats=7))
        programs = {p["code"]: p for p in built.instance["programs"]}
        self.assertEqual(programs["PLY"]["cost"], 1_000_000)
        self.assertEqual(programs["PLY"]["seats"], 9)  # capacity 10, one taken
        self.assertEqual(programs["KEU"]["cost"], 0)  # partner-funded
        self.assertNotIn("seats", programs["ONLINE"])  # e-learning without classes: no seat limit
        self.assertEqual(programs["ONLINE"]["cost"], 0)

    def test_committed_enrolments_reduce_the_gap(self) -> None:
        enrol(self.class_ply, self.employee_employee, "nominated")  # PLY +2 closes Agus's T.PLY gap of 2
        built = build_instance(self.scenario())
        agus = next(e for e in built.instance["employees"] if e["id"] == self.employee_employee.nip)
        self.assertEqual(agus["gaps"], {"T.ADK": 1})
        self.assertEqual(built.meta["employees"][agus["id"]]["raw_gaps"], {"T.PLY": 2, "T.ADK": 1})

    def test_units_restrict_the_selection(self) -> None:
        built = build_instance(self.scenario())
        self.assertEqual(built.meta["jp_population"], 7)
        scenario = self.scenario()
        scenario.units.set([self.banyumanik])
        built = build_instance(scenario)
        self.assertEqual(built.instance["employees"], [])
        self.assertEqual(built.meta["jp_population"], 2)

    def test_mandatory_programmes_and_pairs(self) -> None:
        scenario = self.scenario(mandatory_pairs=[{"employee": self.officer_employee.nip, "program": "ADK"}])
        self.p_ply.target_position_kinds = ["pelaksana"]
        self.p_ply.save()
        scenario.mandatory_programs.set([self.p_ply])
        built = build_instance(scenario)
        pairs = {(m["employee"], m["program"]) for m in built.instance["mandatory"]}
        self.assertEqual(
            pairs,
            {
                (self.employee_employee.nip, "PLY"),
                (self.officer_employee.nip, "PLY"),
                (self.officer_employee.nip, "ADK"),
            },
        )
        self.assertEqual(built.problems, [])

    def test_a_cpns_only_programme_is_mandatory_only_for_new_cpns(self) -> None:
        """Latsar made mandatory for everyone reaches only those in their CPNS probation year."""
        today = timezone.localdate()
        tmt = today.replace(day=1) - dt.timedelta(days=40)  # TMT CPNS one or two months ago
        newcomer = make_nip(sex="P", birth=dt.date(2000, 2, 2), year=tmt.year, month=tmt.month)
        Employee.objects.filter(pk=self.employee_employee.pk).update(nip=newcomer)
        self.p_ply.cpns_only = True
        self.p_ply.save()
        scenario = self.scenario()
        scenario.mandatory_programs.set([self.p_ply])
        built = build_instance(scenario)
        self.assertEqual(
            {(m["employee"], m["program"]) for m in built.instance["mandatory"]}, {(newcomer, "PLY")}
        )

    def test_unit_budgets_are_what_is_left_of_them(self) -> None:
        UnitBudget.objects.create(year=self.year, unit=self.tembalang, source=self.apbd, amount=3_000_000)
        enrol(self.class_adk, self.supervisor_employee, "enrolled")  # Rp 2 juta already committed
        built = build_instance(self.scenario(use_unit_budgets=True))
        self.assertEqual(built.instance["unit_budgets"], {"33.74.10": 1_000_000})
        built = build_instance(self.scenario(use_unit_budgets=False))
        self.assertEqual(built.instance["unit_budgets"], {})

    def test_equal_per_unit_splits_the_budget(self) -> None:
        built = build_instance(self.scenario(variant=Scenario.Variant.EQUAL_PER_UNIT, budget=5_000_001))
        self.assertEqual(built.instance["unit_budgets"], {"33.74.10": 5_000_001})

    def test_diagnose_names_each_impossible_constraint(self) -> None:
        instance = {
            "budget": 1_000_000,
            "max_jp_per_employee": 20,
            "competencies": [],
            "programs": [{"code": "A", "cost": 800_000, "jp": 24, "seats": 1, "uplift": {}}],
            "employees": [
                {"id": "1", "weight": 1, "unit": "U", "gaps": {}},
                {"id": "2", "weight": 1, "unit": "U", "gaps": {}},
            ],
            "mandatory": [{"employee": "1", "program": "A"}, {"employee": "2", "program": "A"}],
            "unit_budgets": {"U": 500_000},
        }
        problems = diagnose(instance)
        self.assertEqual(len(problems), 4)
        self.assertIn("Rp 1.600.000, melebihi anggaran skenario Rp 1.000.000", problems[0])
        self.assertIn("pagu unit Rp 500.000", problems[1])
        self.assertIn("batas 20 JP", problems[2])
        self.assertIn("kursinya hanya 1", problems[3])


class ScenarioServiceTests(PlanningTestCase):
    def test_variants_copy_the_base_and_change_one_thing(self) -> None:
        base = services.scenario_create(
            actor=self.admin,
            name="Dasar",
            year=self.year,
            budget=5_000_000,
            units=[self.tembalang],
            mandatory_pairs=f"{self.officer_employee.nip} ADK",
        )
        minus = services.scenario_derive(actor=self.admin, base=base, kind="minus20")
        plus = services.scenario_derive(actor=self.admin, base=base, kind="plus20")
        equal = services.scenario_derive(actor=self.admin, base=base, kind="equal")
        self.assertEqual((minus.budget, plus.budget, equal.budget), (4_000_000, 6_000_000, 5_000_000))
        self.assertEqual(equal.variant, Scenario.Variant.EQUAL_PER_UNIT)
        self.assertEqual(list(minus.units.all()), [self.tembalang])
        self.assertEqual(minus.mandatory_pairs, [{"employee": self.officer_employee.nip, "program": "ADK"}])
        self.assertEqual(services.scenario_derive(actor=self.admin, base=base, kind="minus20"), minus)

    def test_it_reports_bad_input_by_field(self) -> None:
        from mumpuni.common.errors import PermissionDeniedError, ValidationFailed

        with self.assertRaises(ValidationFailed) as ctx:
            services.scenario_create(
                actor=self.admin,
                name="",
                year=self.year,
                budget=-1,
                mandatory_pairs="123 ADK",
                max_jp_per_employee=0,
            )
        self.assertEqual(
            set(ctx.exception.fields), {"name", "budget", "mandatory_pairs", "max_jp_per_employee"}
        )
        self.assertIn("NIP 123 tidak dikenal", ctx.exception.fields["mandatory_pairs"][0])
        with self.assertRaises(PermissionDeniedError):
            services.scenario_create(actor=self.executive, name="X", year=self.year, budget=1)
