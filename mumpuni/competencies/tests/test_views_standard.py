"""BKPP's pages: the dictionary, the managerial defaults, position requirements with XLSX import/export, and
the assessment import page."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from mumpuni.competencies.models import Assessment, ManagerialDefault, PositionRequirement
from mumpuni.competencies.tests.base import CompetencyTestCase
from mumpuni.lib.tabular import write_csv


def upload(name: str, data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


class StandardPagesTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.login(self.camat)
        for url in ("/kompetensi/standar-manajerial/", "/kompetensi/persyaratan/", "/kompetensi/kamus/baru/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        r = self.client.post("/kompetensi/kamus/T.ADK/", {"name": "X", "kind": "teknis"})
        self.assertEqual(r.status_code, 403)
        self.tadk.refresh_from_db()
        self.assertEqual(self.tadk.name, "Administrasi Kependudukan")

    def test_it_lets_everyone_read_the_dictionary(self) -> None:
        self.login(self.employee)
        self.assertEqual(self.client.get("/kompetensi/kamus/").status_code, 200)
        r = self.client.get("/kompetensi/kamus/M.01/")
        self.assertContains(r, "Integritas level 3.")

    def test_it_edits_a_competency(self) -> None:
        self.login(self.admin)
        data = {"name": "Adminduk", "kind": "teknis", "description": "D", "active": "on"}
        data |= {f"level_{i}": f"Perilaku {i}" for i in range(1, 6)}
        r = self.client.post("/kompetensi/kamus/T.ADK/", data)
        self.assertEqual(r.status_code, 302)
        self.tadk.refresh_from_db()
        self.assertEqual(self.tadk.name, "Adminduk")
        self.assertEqual(self.tadk.levels.get(level=4).description, "Perilaku 4")

    def test_it_creates_a_technical_competency_and_reports_errors(self) -> None:
        self.login(self.admin)
        r = self.client.post("/kompetensi/kamus/baru/", {"code": "T.ADK", "name": "Dup", "kind": "teknis"})
        self.assertEqual(r.status_code, 422)
        self.assertContains(r, "Kode ini sudah dipakai", status_code=422)
        data = {"code": "t.gis", "name": "Sistem Informasi Geografis", "kind": "teknis", "active": "on"}
        data |= {f"level_{i}": f"GIS {i}" for i in range(1, 6)}
        self.assertEqual(self.client.post("/kompetensi/kamus/baru/", data).status_code, 302)
        self.assertTrue(self.client.get("/kompetensi/kamus/T.GIS/").status_code == 200)

    def test_it_saves_the_defaults(self) -> None:
        self.login(self.admin)
        r = self.client.post("/kompetensi/standar-manajerial/", {"pelaksana:": "2", "jpt:pratama": "4"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(ManagerialDefault.objects.get(position_kind="pelaksana").required_level, 2)
        self.assertEqual(
            ManagerialDefault.objects.get(position_kind="jpt", position_level="pratama").required_level, 4
        )

    def test_it_edits_one_positions_requirements(self) -> None:
        self.login(self.admin)
        url = f"/kompetensi/persyaratan/{self.pos_staff.code}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        r = self.client.post(url, {f"c{self.tadk.pk}": "2", f"c{self.sk01.pk}": ""})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(
            PositionRequirement.objects.get(position=self.pos_staff, competency=self.tadk).required_level, 2
        )

    def test_it_exports_and_imports_requirements(self) -> None:
        self.login(self.admin)
        r = self.client.get("/kompetensi/persyaratan/", {"format": "xlsx"})
        self.assertEqual(r.status_code, 200)
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("jabatan_kode", "kompetensi_kode", "level_minimal"))
        self.assertIn((self.pos_staff.code, "T.ADK", "3"), rows)
        good = write_csv(
            ["jabatan_kode", "kompetensi_kode", "level_minimal"], [[self.pos_kasi.code, "T.ADK", "2"]]
        )
        r = self.client.post("/kompetensi/persyaratan/", {"file": upload("p.csv", good)})
        self.assertEqual(r.status_code, 302)
        self.assertTrue(
            PositionRequirement.objects.filter(position=self.pos_kasi, competency=self.tadk).exists()
        )

    def test_it_refuses_a_whole_file_with_one_bad_row(self) -> None:
        self.login(self.admin)
        bad = write_csv(
            ["jabatan_kode", "kompetensi_kode", "level_minimal"],
            [[self.pos_camat.code, "T.ADK", "2"], ["TIDAK-ADA", "T.ADK", "9"]],
        )
        r = self.client.post("/kompetensi/persyaratan/", {"file": upload("p.csv", bad)})
        self.assertEqual(r.status_code, 422)
        self.assertContains(r, "baris 3, kolom jabatan_kode", status_code=422)
        self.assertContains(r, "baris 3, kolom level_minimal", status_code=422)
        self.assertFalse(PositionRequirement.objects.filter(position=self.pos_camat).exists())


class AssessmentImportPageTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.login(self.employee)
        self.assertEqual(self.client.get("/kompetensi/penilaian/impor/").status_code, 403)

    def test_it_imports_for_the_team(self) -> None:
        self.login(self.supervisor)
        self.assertEqual(
            self.client.get("/kompetensi/penilaian/impor/", {"format": "template"}).status_code, 200
        )
        data = write_csv(
            ["nip", "kompetensi_kode", "level", "sumber", "tanggal"],
            [[self.officer_employee.nip, "T.ADK", "2", "atasan", "2026-09-01"]],
        )
        r = self.client.post("/kompetensi/penilaian/impor/", {"file": upload("a.csv", data)})
        self.assertEqual(r.status_code, 302)
        self.assertTrue(
            Assessment.objects.filter(employee=self.officer_employee, assessor=self.supervisor).exists()
        )
