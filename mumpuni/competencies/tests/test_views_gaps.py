"""The overview, the heat map (scoping, drill-down, export) and the list of people below."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from mumpuni.competencies.tests.base import CompetencyTestCase

HEATMAP = "/kompetensi/peta/"
PEOPLE = "/kompetensi/peta/pegawai/"


class HeatmapTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(HEATMAP).status_code, 302)  # anonymous: to the login page
        self.login(self.other)
        self.assertEqual(self.client.get(HEATMAP, {"unit": "33.74.10"}).status_code, 404)
        self.assertEqual(
            self.client.get(PEOPLE, {"unit": "33.74.10", "kompetensi": "T.ADK"}).status_code, 404
        )
        self.login(self.employee)
        self.assertEqual(self.client.get(HEATMAP).status_code, 403)

    def test_it_shows_the_city_to_bkpp(self) -> None:
        self.login(self.admin)
        r = self.client.get(HEATMAP)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Kecamatan Tembalang")
        self.assertContains(r, "T.ADK")
        self.assertContains(r, "cell heat-4")  # T.ADK in Tembalang: 100 % of the assessed are below

    def test_it_limits_the_camat_to_their_kecamatan(self) -> None:
        self.login(self.camat)
        r = self.client.get(HEATMAP)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["root"], self.tembalang)
        self.assertNotContains(r, "Kecamatan Banyumanik")
        self.assertEqual(self.client.get(HEATMAP, {"unit": "33.74"}).status_code, 404)

    def test_it_exports_xlsx(self) -> None:
        self.login(self.camat)
        r = self.client.get(HEATMAP, {"format": "xlsx"})
        self.assertEqual(r.status_code, 200)
        ws = load_workbook(io.BytesIO(r.content)).active
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("unit_kode", "unit_nama", "kompetensi_kode"))
        tadk = next(row for row in rows if row[2] == "T.ADK")
        self.assertEqual(tadk[4:8], ("2", "2", "2", "0"))

    def test_it_lists_the_people_below(self) -> None:
        self.login(self.camat)
        r = self.client.get(PEOPLE, {"unit": "33.74.10", "kompetensi": "T.ADK"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["below_total"], 2)
        self.assertContains(r, self.officer_employee.name)


class HomeTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get("/kompetensi/").status_code, 302)
        self.login(self.executive)  # city-wide reader: allowed, sees the city
        self.assertEqual(self.client.get("/kompetensi/").status_code, 200)

    def test_it_sends_a_plain_employee_to_their_own_page(self) -> None:
        self.login(self.employee)
        r = self.client.get("/kompetensi/")
        self.assertRedirects(r, "/kompetensi/saya/")

    def test_it_ranks_the_camat_s_gaps(self) -> None:
        self.login(self.camat)
        r = self.client.get("/kompetensi/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["ranked"][0][0], self.tadk)
