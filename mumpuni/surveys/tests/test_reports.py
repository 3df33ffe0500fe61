"""IKM figures per group, trends per quarter, comparison of units, the figures page and the XLSX report,
against hand-worked numbers (the arithmetic is in each docstring; lib/ikm.py is tested on its own)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Program, ProgramCompetency
from mumpuni.queueing.models import Counter, Service, ServicePoint, Ticket
from mumpuni.surveys import selectors as sel
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse
from mumpuni.testing import BaseTestCase

DAY = dt.date(2026, 5, 12)  # in TW II 2026
Q2 = {"quarter": "2026-Q2"}


def answers(value: int | None, **overrides: int | None) -> dict[str, int | None]:
    data: dict[str, int | None] = dict.fromkeys(UNSUR_FIELDS, value)
    data.update(overrides)
    return data


def build_world(cls: Any) -> None:
    """Tembalang: KTP at counter 1 by `officer` (3 answers), KK at counter 2 without officer (2 answers);
    Banyumanik: one answer, all 1.

    KTP: U1..U8 = (4+3+2)/3 = 3, U9 = (4+3)/2 = 3.5 → mean 27.5/9 → IKM 76.39 (C).
    KK:  U1 = (4+1)/2 = 2.5, U2..U9 = 4 → mean 34.5/9 → IKM 95.83 (A).
    Tembalang: U1 = 14/5 = 2.8, U2..U8 = 13/4 = 3.25, U9 = 11/3 → mean (2.8 + 22.75 + 11/3)/9
               = 3.2462… → IKM 81.16 (B); lowest three U1 (2.8), U2 (3.25), U3 (3.25; ties by code).
    Banyumanik: everything 1 → IKM 25.00 (D).
    """
    cls.ktp = Service.objects.create(code="KTP-REKAM", name="Perekaman KTP-el", group_letter="A")
    cls.kk = Service.objects.create(code="KK", name="Kartu Keluarga", group_letter="B")
    cls.point = ServicePoint.objects.create(
        unit=cls.tembalang, name="Kantor Kecamatan Tembalang", address="Jl. Imam Soeparto No. 1"
    )
    cls.other_point = ServicePoint.objects.create(unit=cls.banyumanik, name="Kantor Kecamatan Banyumanik")
    cls.counter1 = Counter.objects.create(point=cls.point, number=1, name="Loket 1")
    cls.counter2 = Counter.objects.create(point=cls.point, number=2, name="Loket 2")
    cls.other_counter = Counter.objects.create(point=cls.other_point, number=1, name="Loket 1")
    common = {"unit": cls.tembalang, "point": cls.point, "service_date": DAY, "channel": "counter"}
    ktp = {**common, "service": cls.ktp, "counter": cls.counter1, "officer": cls.officer_employee}
    kk = {**common, "service": cls.kk, "counter": cls.counter2}
    SurveyResponse.objects.create(
        **ktp, **answers(4), age_band="30-39", sex="P", suggestion="Ruang tunggu panas."
    )
    SurveyResponse.objects.create(**ktp, **answers(3), age_band="30-39", sex="L")
    SurveyResponse.objects.create(**ktp, **answers(2, u9=None), sex="L", suggestion='=HYPERLINK("x")')
    SurveyResponse.objects.create(**kk, **answers(4), education="sma")
    SurveyResponse.objects.create(**kk, **answers(None, u1=1))
    SurveyResponse.objects.create(
        unit=cls.banyumanik,
        point=cls.other_point,
        service=cls.ktp,
        counter=cls.other_counter,
        officer=cls.other_officer_employee,
        service_date=DAY,
        channel="online",
        **answers(1),
        suggestion="Rahasia Banyumanik",
    )


def finished_tickets(
    point: ServicePoint, service: Service, day: dt.date, n: int, status: str = "done"
) -> None:
    from django.utils import timezone

    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    start = Ticket.objects.filter(point=point, service_date=day).count()
    Ticket.objects.bulk_create(
        Ticket(
            point=point,
            service=service,
            service_date=day,
            group_letter=service.group_letter + status[:1],
            sequence=start + i + 1,
            number=f"{service.group_letter}-{start + i + 1:03d}",
            status=status,
            queue_at=at,
            issued_at=at,
            finished_at=at,
            public_token=f"{point.pk}-{day}-{service.pk}-{status}-{start + i}",
        )
        for i in range(n)
    )


class GroupedFiguresTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)

    def f(self, **kw: Any) -> sel.IkmFilter:
        return sel.IkmFilter(
            unit=self.tembalang, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 6, 30), **kw
        )

    def test_unit_figures_hand_worked(self) -> None:
        result = sel.ikm_report(self.f(), given_population=100).result
        self.assertEqual(result.respondents, 5)
        self.assertEqual(result.nrr["U1"], Fraction(14, 5))
        self.assertEqual(result.nrr["U5"], Fraction(13, 4))
        self.assertEqual(result.nrr["U9"], Fraction(11, 3))
        self.assertEqual(result.ikm, Decimal("81.16"))
        self.assertEqual((result.mutu, result.kinerja), ("B", "Baik"))
        self.assertEqual(sel.lowest_unsur(result), ["U1", "U2", "U3"])

    def test_per_service(self) -> None:
        groups = {g.label: g for g in sel.grouped(self.f(), "service")}
        self.assertEqual(set(groups), {"Perekaman KTP-el", "Kartu Keluarga"})
        ktp, kk = groups["Perekaman KTP-el"].result, groups["Kartu Keluarga"].result
        self.assertEqual((ktp.respondents, ktp.ikm, ktp.mutu), (3, Decimal("76.39"), "C"))
        self.assertEqual(ktp.nrr["U9"], Fraction(7, 2))
        self.assertEqual((kk.respondents, kk.ikm, kk.mutu), (2, Decimal("95.83"), "A"))
        self.assertEqual(kk.nrr["U1"], Fraction(5, 2))

    def test_per_counter_and_officer(self) -> None:
        counters = {g.key: g for g in sel.grouped(self.f(), "counter")}
        self.assertEqual(counters[self.counter1.pk].label, "Kantor Kecamatan Tembalang — Loket 1")
        self.assertEqual(counters[self.counter1.pk].result.ikm, Decimal("76.39"))
        self.assertEqual(counters[self.counter2.pk].result.ikm, Decimal("95.83"))
        officers = sel.grouped(self.f(), "officer")
        self.assertEqual([g.key for g in officers], [self.officer_employee.pk, None])  # unknown last
        self.assertEqual(officers[0].label, self.officer_employee.name)
        self.assertEqual(officers[0].result.respondents, 3)
        self.assertEqual(officers[1].label, "(petugas tidak tercatat)")
        self.assertEqual(sum(g.result.respondents for g in officers), 5)

    def test_filters_narrow(self) -> None:
        only_kk = sel.ikm_report(self.f(service_id=self.kk.pk)).result
        self.assertEqual(only_kk.ikm, Decimal("95.83"))
        by_officer = sel.ikm_report(self.f(officer_id=self.officer_employee.pk)).result
        self.assertEqual(by_officer.ikm, Decimal("76.39"))
        outside = sel.ikm_report(
            sel.IkmFilter(unit=self.tembalang, date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 9, 30))
        ).result
        self.assertEqual((outside.respondents, outside.ikm), (0, None))

    def test_subtree_of_the_city_includes_both(self) -> None:
        result = sel.ikm_report(sel.IkmFilter(unit=self.city, date_from=DAY, date_to=DAY)).result
        self.assertEqual(result.respondents, 6)

    def test_compare_units_ranked_with_population(self) -> None:
        finished_tickets(self.point, self.ktp, DAY, 10)
        finished_tickets(self.point, self.ktp, DAY, 3, status="no_show")  # not a service user
        finished_tickets(self.other_point, self.ktp, DAY, 4)
        units = self.city.__class__.objects.filter(
            pk__in=[self.tembalang.pk, self.banyumanik.pk, self.bulusan.pk]
        )
        ranked = sel.compare_units(sel.IkmFilter(date_from=DAY, date_to=DAY), units)
        self.assertEqual([g.key for g in ranked], [self.tembalang.pk, self.banyumanik.pk, self.bulusan.pk])
        self.assertEqual(ranked[0].result.ikm, Decimal("81.16"))
        self.assertEqual(ranked[1].result.ikm, Decimal("25.00"))
        self.assertIsNone(ranked[2].result.ikm)  # no answers: last
        self.assertEqual(ranked[0].population, 10)
        self.assertEqual(ranked[0].sample_required, 10)  # Krejcie–Morgan for N = 10
        self.assertFalse(ranked[0].sample_adequate)  # 5 < 10
        self.assertEqual(ranked[1].lowest_code, "U1")  # all equal: by code

    def test_profile_channels_and_suggestions(self) -> None:
        profile = sel.profile(self.f())
        age = {r.value: r.count for r in profile["age_band"]}
        self.assertEqual(age["30-39"], 2)
        self.assertEqual(age[""], 3)
        sex = {r.value: r for r in profile["sex"]}
        self.assertEqual((sex["L"].count, sex["P"].count, sex[""].count), (2, 1, 2))
        self.assertAlmostEqual(sex["L"].share, 0.4)
        self.assertEqual(sel.channels(self.f()), {"counter": 5, "online": 0, "paper": 0})
        texts = [t for _, t in sel.suggestions(self.f())]
        self.assertEqual(sorted(texts), sorted(["Ruang tunggu panas.", '=HYPERLINK("x")']))
        self.assertNotIn("Rahasia Banyumanik", texts)

    def test_improvements_link_programmes_by_competency_and_keyword(self) -> None:
        prima = Competency.objects.create(code="T.PRIMA", name="Pelayanan Prima", kind="teknis")
        adk = Competency.objects.create(code="T.ADK", name="Administrasi Kependudukan", kind="teknis")
        p1 = Program.objects.create(
            code="PLY-PRIMA", name="Pelayanan Prima", category="klasikal", form="teknis", jp=24
        )
        ProgramCompetency.objects.create(program=p1, competency=prima, uplift=2)
        p2 = Program.objects.create(
            code="ADK-KEC", name="Adminduk Kecamatan", category="klasikal", form="bimtek", jp=24
        )
        ProgramCompetency.objects.create(program=p2, competency=adk, uplift=2)
        Program.objects.create(
            code="OLD", name="Pelayanan Prima lama", category="klasikal", form="teknis", jp=8, active=False
        )
        # Make U7 and U6 the lowest in Banyumanik's single answer plus a better one.
        SurveyResponse.objects.create(
            unit=self.banyumanik,
            point=self.other_point,
            service=self.ktp,
            service_date=DAY,
            channel="paper",
            **answers(4, u6=2, u7=1, u8=3),
        )
        f = sel.IkmFilter(unit=self.banyumanik, date_from=DAY, date_to=DAY)
        result = sel.ikm_report(f).result
        plan = {i.code: i for i in sel.improvements(result, f)}
        self.assertEqual(list(plan), ["U7", "U6", "U8"])
        self.assertEqual([p.code for p in plan["U7"].programmes], ["PLY-PRIMA"])  # inactive one left out
        self.assertEqual(plan["U7"].catalogue_query, "competency=T.PRIMA")
        # U6 follows the services served: KTP → Administrasi Kependudukan.
        self.assertEqual(plan["U6"].competencies, ("T.ADK",))
        self.assertEqual([p.code for p in plan["U6"].programmes], ["ADK-KEC"])

    def test_advice_covers_every_unsur(self) -> None:
        self.assertEqual(set(sel.UNSUR_ADVICE), set(sel.UNSUR_NAMES))
        self.assertEqual(sel.service_competencies("SK-DOMISILI"), ("T.ARSIP",))
        self.assertEqual(sel.service_competencies("SKTM"), ("T.ARSIP",))
        self.assertEqual(sel.service_competencies("KTP-CETAK"), ("T.ADK",))
        self.assertEqual(sel.service_competencies("UNKNOWN"), ())


class QuarterTrendTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.point = ServicePoint.objects.create(unit=cls.tembalang, name="Kantor Kecamatan Tembalang")
        for day, value in (
            (dt.date(2025, 12, 31), 2),  # TW IV 2025
            (dt.date(2026, 1, 1), 4),  # TW I 2026
            (dt.date(2026, 3, 31), 3),  # TW I 2026
            (dt.date(2026, 4, 1), 1),  # TW II 2026
            (dt.date(2026, 7, 1), 4),  # TW III 2026: after `until`, left out
        ):
            SurveyResponse.objects.create(
                unit=cls.tembalang, point=cls.point, service_date=day, channel="paper", **answers(value)
            )

    def test_quarter_bounds(self) -> None:
        q = sel.Quarter.of(dt.date(2026, 5, 31))
        self.assertEqual(
            (q.start, q.end, q.label, q.key),
            (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "TW II 2026", "2026-Q2"),
        )
        self.assertEqual(sel.Quarter(2026, 1).previous(), sel.Quarter(2025, 4))
        self.assertEqual(sel.Quarter.parse("2025-q4"), sel.Quarter(2025, 4))
        with self.assertRaises(ValueError):
            sel.Quarter.parse("2026-Q5")
        self.assertEqual(
            [q.key for q in sel.last_quarters(dt.date(2026, 2, 1), 4)],
            ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"],
        )

    def test_grouped_per_quarter(self) -> None:
        rows = sel.quarterly(sel.IkmFilter(unit=self.tembalang), until=dt.date(2026, 5, 1), quarters=4)
        self.assertEqual([r.quarter.key for r in rows], ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"])
        self.assertEqual([r.result.respondents for r in rows], [0, 1, 2, 1])
        self.assertIsNone(rows[0].result.ikm)
        self.assertEqual(rows[1].result.ikm, Decimal("50.00"))
        self.assertEqual(rows[2].result.ikm, Decimal("87.50"))  # (4+3)/2 × 25
        self.assertEqual(rows[3].result.ikm, Decimal("25.00"))

    def test_trend_page(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("surveys:trends"), {"quarter": "2026-Q2", "quarters": "4"})
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn("TW I 2026", body)
        self.assertIn("87,50", body)
        self.assertIn("<polyline", body)
        keys = [r["quarter"].key for r in response.context["rows"]]
        self.assertEqual(keys, ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"])  # TW III 2026 is after


class FiguresPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)

    def test_camat_sees_own_unit_by_default(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("surveys:figures"), Q2)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn("81,16", body)
        self.assertIn("Kecamatan Tembalang", body)
        self.assertIn("Persyaratan", body)
        self.assertIn("Ruang tunggu panas.", body)
        self.assertNotIn("Rahasia Banyumanik", body)
        self.assertEqual(response.context["f"].unit, self.tembalang)
        # Counter and officer tables are on the page once a unit is chosen.
        self.assertIn(self.officer_employee.name, body)

    def test_default_period_is_current_quarter(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("surveys:figures"))
        f = response.context["f"]
        q = sel.Quarter.of(f.date_to)
        self.assertEqual((f.date_from, f.date_to), (q.start, q.end))
        self.assertIsNone(f.unit)

    def test_dates_override_quarter_and_population(self) -> None:
        self.login(self.admin)
        response = self.client.get(
            reverse("surveys:figures"),
            {
                "unit": "33.74.10",
                "quarter": "2026-Q1",
                "date_from": "2026-05-01",
                "date_to": "2026-05-31",
                "population": "100",
            },
        )
        self.assertEqual(response.status_code, 200)
        report = response.context["report"]
        self.assertEqual(
            (report.population, report.sample_required, report.sample_adequate), (100, 80, False)
        )
        self.assertEqual(response.context["result"].respondents, 5)

    def test_bad_dates_fall_back_with_error(self) -> None:
        self.login(self.admin)
        response = self.client.get(
            reverse("surveys:figures"), {"date_from": "2026-06-01", "date_to": "2026-05-01"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("date_from", response.context["form"].errors)

    def test_city_wide_hides_per_person_tables(self) -> None:
        self.login(self.executive)
        response = self.client.get(reverse("surveys:figures"), Q2)
        self.assertEqual(list(response.context["figs"].groups), ["service"])
        self.assertEqual(response.context["result"].respondents, 6)

    def test_compare_page_ranks_units(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("surveys:compare"), Q2)
        rows = response.context["rows"]
        self.assertEqual([r["unit_code"] for r in rows], ["33.74.10", "33.74.11"])
        self.assertEqual(rows[0]["rank"], 1)
        self.assertIn("Persyaratan", response.content.decode())  # lowest unsur of each unit is named


class XlsxReportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)

    def test_xlsx_content(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("surveys:report_xlsx"), Q2)
        self.assertEqual(response.status_code, 200)
        self.assertIn("laporan-skm-33-74-10-2026-04-01-2026-06-30.xlsx", response["Content-Disposition"])
        wb = load_workbook(io.BytesIO(response.content))
        self.assertEqual(
            wb.sheetnames,
            [
                "Ringkasan",
                "NRR per unsur",
                "Tindak lanjut",
                "Profil responden",
                "Per layanan",
                "Per loket",
                "Per petugas",
                "Saran",
            ],
        )
        summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(min_row=3, values_only=True) if row[0]}
        self.assertEqual(summary["Nama unit"], "Kecamatan Tembalang")
        self.assertEqual(summary["Alamat"], "Jl. Imam Soeparto No. 1")
        self.assertEqual(summary["IKM"], 81.16)
        self.assertEqual(summary["Mutu pelayanan"], "B")
        self.assertEqual(summary["Responden"], 5)
        self.assertIn("tanpa pembulatan 0,111", summary["Metode"])
        nrr = list(wb["NRR per unsur"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(nrr[0][:5], ("U1", "Persyaratan", 5, 2.8, 70.0))
        self.assertEqual(nrr[0][6], "ya")  # among the three lowest
        self.assertEqual(nrr[9][1], "IKM")
        services = {r[0]: r for r in wb["Per layanan"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(services["Perekaman KTP-el"][1:4], (3, 76.39, "C"))
        suggestions = [r[1] for r in wb["Saran"].iter_rows(min_row=2, values_only=True)]
        self.assertIn('\'=HYPERLINK("x")', suggestions)  # defused, never a formula
        self.assertNotIn("Rahasia Banyumanik", suggestions)
        cell = next(c for c in wb["Saran"]["B"] if c.value and "HYPERLINK" in str(c.value))
        self.assertEqual(cell.data_type, "s")
