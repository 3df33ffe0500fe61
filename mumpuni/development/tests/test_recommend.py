"""The recommender: every score part states the numbers in the data, the ranking follows the parts, the
weights and signal mapping are configurable, drafting uses it, and a batch costs a constant number of
queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mumpuni.competencies.models import Assessment, PositionRequirement
from mumpuni.competencies.services import assessment_record
from mumpuni.complaints.models import Complaint
from mumpuni.development import recommend, services
from mumpuni.development.recommend.core import Recommendation, weights_from
from mumpuni.development.tests.fixtures import PlanTestCase, make_competency, make_program
from mumpuni.learning.models import Enrollment, JpEntry, TrainingClass
from mumpuni.queueing.models import Service, ServicePoint, Ticket
from mumpuni.surveys.models import SurveyResponse
from mumpuni.testing import make_employee, make_nip

TODAY = dt.date(2026, 11, 28)


def by_code(recs: list[Recommendation]) -> dict[str, Recommendation]:
    return {r.code: r for r in recs}


def part(rec: Recommendation, key: str) -> Any:
    return next(p for p in rec.parts if p.key == key)


class RecommendTestCase(PlanTestCase):
    def recs(self, employee: Any = None, **kwargs: Any) -> list[Recommendation]:
        return recommend.recommendations_of(employee or self.employee_employee, today=TODAY, **kwargs)

    def service_point(self) -> ServicePoint:
        return ServicePoint.objects.create(unit=self.tembalang, name="Kantor Kecamatan Tembalang")


class GapPartTests(RecommendTestCase):
    def test_it_ranks_by_the_share_of_gaps_closed_and_says_which_gap(self) -> None:
        recs = self.recs(limit=None)
        codes = [r.code for r in recs]
        # Kearsipan wholly closed (2 → 3) first, then ADK 2 of 3 levels, PLY 1 of 2, ADK 1 of 3.
        self.assertEqual(codes[:4], ["ARS-1", "ADK-1", "PLY-1", "ADK-2"])
        recs_by = by_code(recs)
        self.assertEqual(
            part(recs_by["ARS-1"], "gap").explanation,
            "Menutup kesenjangan Kearsipan: tingkat 2 dari 3 yang disyaratkan",
        )
        self.assertEqual(
            part(recs_by["ADK-2"], "gap").explanation,
            "Menutup kesenjangan Administrasi kependudukan: tingkat 1 dari 4 yang disyaratkan "
            "(program menaikkan 1 tingkat)",
        )
        self.assertAlmostEqual(part(recs_by["ARS-1"], "gap").value, 0.5)  # one gap of the two for full marks
        self.assertAlmostEqual(part(recs_by["ADK-1"], "gap").value, (2 / 3) / 2)

    def test_it_never_proposes_inactive_education_unfit_or_completed_programmes(self) -> None:
        klass = TrainingClass.objects.create(
            program=self.p_arsip,
            code="ARS-1-A1",
            name="Angkatan 1",
            starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 3, 4),
            capacity=30,
            status=TrainingClass.Status.FINISHED,
        )
        Enrollment.objects.create(
            training_class=klass,
            employee=self.employee_employee,
            status=Enrollment.Status.COMPLETED,
            completed_on=dt.date(2026, 3, 4),
        )
        codes = {r.code for r in self.recs(limit=None)}
        self.assertFalse(codes & {"ADK-OLD", "TB-S1", "PIM-1", "ARS-1"})
        self.assertIn("ADK-1", codes)

    def test_latsar_is_proposed_only_in_the_cpns_probation_year(self) -> None:
        make_program("LATSAR-T", "24", (self.c_adk, 3), cpns_only=True)
        # The cast's employee has TMT CPNS 2015-03: a PNS for years, never offered the Pelatihan Dasar.
        self.assertNotIn("LATSAR-T", {r.code for r in self.recs(limit=None)})
        newcomer = make_employee(
            "Rina Kartika",
            self.tembalang,
            self.pos_staff,
            nip=make_nip(sex="P", birth=dt.date(1999, 5, 1), year=2026, month=3),
        )
        assessment_record(
            actor=self.admin,
            employee=newcomer,
            competency=self.c_adk,
            level=1,
            source="assessment_centre",
            assessed_on=dt.date(2026, 6, 1),
        )
        self.assertIn("LATSAR-T", {r.code for r in self.recs(newcomer, limit=None)})
        # Twelve months after the TMT the CPNS is a PNS: no longer offered.
        later = recommend.recommendations_of(newcomer, today=dt.date(2027, 3, 1), limit=None)
        self.assertNotIn("LATSAR-T", {r.code for r in later})

    def test_a_gap_without_a_programme_gets_a_nonklasikal_activity(self) -> None:
        lonely = make_competency("T.LONE", "Kearifan lokal")
        PositionRequirement.objects.create(position=self.pos_staff, competency=lonely, required_level=3)
        assessment_record(
            actor=self.admin,
            employee=self.employee_employee,
            competency=lonely,
            level=2,
            source="assessment_centre",
            assessed_on=dt.date(2025, 11, 1),
        )
        activity = next(r for r in self.recs(limit=None) if r.program is None)
        self.assertEqual(activity.title, "Bimbingan di tempat kerja: Kearifan lokal")
        self.assertIn("(perkiraan naik 1 tingkat)", part(activity, "gap").explanation)
        self.assertEqual(activity.form, "bimbingan_kerja")

    def test_the_score_is_the_sum_of_its_parts(self) -> None:
        for rec in self.recs(limit=None):
            self.assertAlmostEqual(rec.score, sum(p.value * p.weight for p in rec.parts), places=1)
            self.assertEqual([p.key for p in rec.parts], list(recommend.PART_KEYS))


class ServicePartTests(RecommendTestCase):
    def tickets(self, minutes: float, count: int) -> Service:
        point = self.service_point()
        service = Service.objects.create(code="KTP-REKAM", name="KTP-el", target_service_minutes=10)
        start = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 0))
        for i in range(count):
            started = start + dt.timedelta(minutes=20 * i)
            Ticket.objects.create(
                point=point,
                service=service,
                service_date=dt.date(2026, 11, 20),
                group_letter="A",
                sequence=i + 1,
                number=f"A-{i + 1:03d}",
                status=Ticket.Status.DONE,
                queue_at=started,
                issued_at=started,
                started_at=started,
                finished_at=started + dt.timedelta(minutes=minutes),
                officer=self.officer_employee,
            )
        return service

    def test_slow_service_at_ones_own_counter_points_at_the_mapped_competencies(self) -> None:
        self.tickets(14.2, 20)
        recs = by_code(self.recs(self.officer_employee, limit=None))
        service = part(recs["ADK-1"], "service")  # service time → T.WAKTU, T.ADK (the fixture has T.ADK)
        self.assertEqual(
            service.explanation,
            "Rata-rata waktu layanan Anda di loket 14,2 menit untuk KTP-el (20 tiket), standar 10 menit",
        )
        self.assertAlmostEqual(service.value, (14.2 / 10 - 1) / 0.5, places=2)
        self.assertEqual(part(recs["ARS-1"], "service").value, 0)

    def test_service_within_the_standard_signals_nothing(self) -> None:
        self.tickets(8, 20)
        recs = by_code(self.recs(self.officer_employee, limit=None))
        self.assertEqual(part(recs["ADK-1"], "service").value, 0)

    @override_settings(MUMPUNI_RECOMMENDATION_SIGNALS={"u7": ("T.PLY",)})
    def test_a_low_u7_of_the_unit_points_at_the_configured_competency(self) -> None:
        self.service_point()
        for i in range(40):
            SurveyResponse.objects.create(
                unit=self.tembalang,
                service_date=dt.date(2026, 10, 1),
                channel="counter",
                **{f"u{k}": 4 for k in range(1, 10) if k != 7},
                u7=2 if i % 10 else 4,  # 36 × 2 + 4 × 4 → 2,20
            )
        recs = by_code(self.recs(limit=None))
        service = part(recs["PLY-1"], "service")
        self.assertEqual(
            service.explanation,
            "Skor U7 (perilaku pelaksana) unit Anda 2,20 dari 40 responden SKM, terendah dari 9 unsur",
        )
        # the employee does not serve at a counter: the unit's figure counts half
        self.assertAlmostEqual(service.value, 0.5 * min(1, (3.4 - 2.2) / 0.8), places=2)

    @override_settings(MUMPUNI_RECOMMENDATION_SIGNALS={"complaint:perilaku": ("T.ARS",)})
    def test_complaints_naming_the_officer_are_counted(self) -> None:
        point = self.service_point()
        now = timezone.now()
        for _ in range(2):
            Complaint.objects.create(
                category=Complaint.Category.OFFICER_BEHAVIOUR,
                title="Petugas ketus",
                description="…",
                point=point,
                officer=self.officer_employee,
                received_at=now - dt.timedelta(days=3),
                verify_due=now.date(),
                answer_due=now.date(),
            )
        recs = by_code(recommend.recommendations_of(self.officer_employee, limit=None))
        service = part(recs["ARS-1"], "service")
        self.assertEqual(
            service.explanation,
            "2 pengaduan tentang perilaku petugas menyebut Anda dalam 180 hari terakhir",
        )
        self.assertAlmostEqual(service.value, 2 / 3, places=2)


class OtherPartsTests(RecommendTestCase):
    def test_colleagues_in_the_same_position_and_their_gain(self) -> None:
        klass = TrainingClass.objects.create(
            program=self.p_ply,
            code="PLY-1-A0",
            name="Angkatan 0",
            starts_on=dt.date(2026, 5, 4),
            ends_on=dt.date(2026, 5, 6),
            capacity=30,
            status=TrainingClass.Status.FINISHED,
        )
        colleague = self.officer_employee  # same position as the employee
        enrollment = Enrollment.objects.create(
            training_class=klass, employee=colleague, status="completed", completed_on=dt.date(2026, 5, 6)
        )
        for level, source, day, enrollment_id in (
            (1, "supervisor", dt.date(2026, 1, 10), None),
            (3, "training", dt.date(2026, 5, 6), enrollment.pk),
        ):
            Assessment.objects.create(
                employee=colleague,
                competency=self.c_ply,
                level=level,
                source=source,
                assessed_on=day,
                training_enrollment_id=enrollment_id,
            )
        rec = by_code(self.recs(limit=None))["PLY-1"]
        peers = part(rec, "peers")
        self.assertEqual(
            peers.explanation, "1 rekan di jabatan serupa naik rata-rata 2,0 tingkat setelah program ini"
        )
        self.assertAlmostEqual(peers.value, 1.0 * 1 / (1 + 3), places=3)

    def test_the_next_class_with_free_seats(self) -> None:
        klass = TrainingClass.objects.create(
            program=self.p_ply,
            code="PLY-1-A2",
            name="Angkatan 2",
            starts_on=dt.date(2026, 12, 8),
            ends_on=dt.date(2026, 12, 10),
            capacity=14,
            status=TrainingClass.Status.OPEN,
        )
        Enrollment.objects.create(training_class=klass, employee=self.supervisor_employee, status="enrolled")
        Enrollment.objects.create(training_class=klass, employee=self.camat_employee, status="enrolled")
        schedule = part(by_code(self.recs(limit=None))["PLY-1"], "schedule")
        self.assertEqual(schedule.explanation, "Kelas PLY-1-A2 mulai 8 Des 2026, 12 kursi kosong")
        self.assertEqual(schedule.value, 1.0)

    def test_missing_jp_and_cost(self) -> None:
        JpEntry.objects.create(
            employee=self.employee_employee,
            occurred_on=dt.date(2026, 2, 1),
            year=2026,
            jp=Decimal("12"),
            source="import",
        )
        pricey = make_program("PLY-MAHAL", "24", (self.c_ply, 1), cost_per_participant=2_500_000)
        recs = by_code(self.recs(limit=None))
        self.assertEqual(
            part(recs["ARS-1"], "jp").explanation, "Anda masih kurang 8 JP tahun ini; program ini 10 JP"
        )
        self.assertEqual(part(recs["ARS-1"], "jp").value, 1.0)
        self.assertEqual(part(recs["PLY-1"], "jp").value, 0.5)  # 4 of the 8 missing
        self.assertEqual(part(recs[pricey.code], "cost").explanation, "Biaya Rp 2.500.000 per peserta")
        self.assertEqual(part(recs[pricey.code], "cost").value, 0.0)  # the dearest of the catalogue
        self.assertEqual(part(recs["ARS-1"], "cost").explanation, "Tanpa biaya")


class WeightsTests(RecommendTestCase):
    @override_settings(MUMPUNI_RECOMMENDATION_WEIGHTS={"gap": 0, "jp": 50})
    def test_weights_come_from_the_settings(self) -> None:
        recs = self.recs(limit=None)
        self.assertEqual(part(recs[0], "gap").weight, 0)
        self.assertEqual(part(recs[0], "jp").weight, 50)
        self.assertEqual(recs[0].code, "LAIN-1")  # 12 JP: the most of the missing 20 among the cheap ones

    def test_unknown_or_negative_weights_fail_loudly(self) -> None:
        with self.assertRaises(ValueError):
            weights_from({"luck": 5})
        with self.assertRaises(ValueError):
            weights_from({"gap": -1})


class BatchTests(RecommendTestCase):
    def test_the_number_of_queries_does_not_grow_with_the_employees(self) -> None:
        with CaptureQueriesContext(connection) as one:
            single = recommend.recommend_for([self.employee_employee.pk], today=TODAY)
        with CaptureQueriesContext(connection) as few:
            recommend.recommend_for(None, today=TODAY)
        for i in range(30):
            make_employee(f"Pegawai {i}", self.tembalang, self.pos_staff, supervisor=self.supervisor_employee)
        with CaptureQueriesContext(connection) as many:
            result = recommend.recommend_for(None, today=TODAY)
        self.assertEqual(len(few), len(many))
        self.assertLessEqual(len(one), len(few))
        self.assertLessEqual(len(many), 30)
        self.assertEqual(len(result), 7 + 30)
        self.assertEqual(
            [r.code for r in result[self.employee_employee.pk]],
            [r.code for r in single[self.employee_employee.pk]],
        )


class DraftFromRecommendationsTests(RecommendTestCase):
    def test_the_draft_holds_the_top_recommendations_to_twenty_jp_with_their_reasons(self) -> None:
        plan = services.draft_from_gaps(actor=self.employee, employee=self.employee_employee, year=2026)
        items = list(plan.items.select_related("program").order_by("id"))
        self.assertEqual([i.program.code for i in items], ["ADK-1", "PLY-1", "ARS-1"])
        self.assertEqual(services.planned_jp(plan), Decimal("22"))
        arsip = next(i for i in items if i.program.code == "ARS-1")
        self.assertIn("Menutup kesenjangan Kearsipan: tingkat 2 dari 3 yang disyaratkan", arsip.reason)
        self.assertIn("Anda masih kurang 20 JP tahun ini", arsip.reason)

    @override_settings(MUMPUNI_RECOMMENDATION_SIGNALS={"u7": ("T.TIK",)})
    def test_a_pick_for_a_service_problem_gets_a_service_goal(self) -> None:
        ServicePoint.objects.create(unit=self.tembalang, name="Kantor Kecamatan Tembalang")
        for _ in range(40):
            SurveyResponse.objects.create(
                unit=self.tembalang,
                service_date=timezone.localdate() - dt.timedelta(days=10),
                channel="counter",
                u7=1,
                u1=4,
            )
        proposal = services.propose_draft(self.employee_employee, target=Decimal("40"))
        self.assertIn("TIK-1", [r.code for r in proposal.service_picks])
        plan = services.draft_from_gaps(actor=self.employee, employee=self.employee_employee, year=2026)
        goal = plan.goals.get(source="service")
        self.assertIn("Skor U7 (perilaku pelaksana) unit Anda 1,00", goal.reason)
