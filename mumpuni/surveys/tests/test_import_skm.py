"""Paper SKM import: the service (CSV and XLSX, every row error, all or nothing), manage.py import_skm and
the /ikm/impor/ pages with their access rule."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, execute_from_command_line
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.queueing.models import ServicePoint
from mumpuni.surveys.imports import age_band_for, import_skm
from mumpuni.surveys.models import SurveyImport, SurveyResponse
from mumpuni.testing import BaseTestCase

DAY = dt.date(2026, 9, 9)
TODAY = dt.date(2026, 9, 10)
HEAD = "u1,u2,u3,u4,u5,u6,u7,u8,u9"


def csv_bytes(*lines: str, head: str = HEAD) -> bytes:
    return ("\n".join([head, *lines]) + "\n").encode("utf-8")


class ImportServiceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.point = ServicePoint.objects.create(unit=cls.tembalang, name="Kantor Kecamatan Tembalang")

    def run_import(self, data: bytes, name: str = "skm.csv", **kwargs: Any) -> Any:
        kwargs.setdefault("today", TODAY)
        return import_skm(data, name, kwargs.pop("unit", self.tembalang), kwargs.pop("date", DAY), **kwargs)

    def test_csv_happy_path_with_profile_labels_codes_and_dates(self) -> None:
        data = csv_bytes(
            "4,3,3,4,3,4,4,,3,34,Perempuan,SMA,Wiraswasta,Antrean lebih cepat,",
            "3,3,2,4,3,3,4,2,3,<20,L,s1,pelajar,,08/09/2026",
            "1,,,,,,,,,60 tahun ke atas,laki-laki,Diploma,PNS/TNI/Polri,,2026-09-01",
            head=f"{HEAD},usia,jenis_kelamin,pendidikan,pekerjaan,saran,tanggal",
        )
        result = self.run_import(data, actor=self.camat)
        self.assertEqual(result.errors, [])
        self.assertEqual(result.created, 3)
        batch = SurveyImport.objects.get()
        self.assertEqual(
            (batch.unit, batch.default_date, batch.rows, batch.created_by),
            (self.tembalang, DAY, 3, self.camat),
        )
        rows = list(SurveyResponse.objects.order_by("id"))
        first, second, third = rows
        self.assertEqual([first.u1, first.u8, first.u9], [4, None, 3])
        self.assertEqual(
            (first.age_band, first.sex, first.education, first.occupation, first.suggestion),
            ("30-39", "P", "sma", "wirausaha", "Antrean lebih cepat"),
        )
        self.assertEqual(
            (second.age_band, second.sex, second.education, second.occupation), ("<20", "L", "s1", "pelajar")
        )
        self.assertEqual((third.age_band, third.education, third.occupation), ("60+", "d3", "pns"))
        self.assertEqual([r.service_date for r in rows], [DAY, dt.date(2026, 9, 8), dt.date(2026, 9, 1)])
        for r in rows:
            self.assertEqual(
                (r.channel, r.unit, r.point, r.import_batch), ("paper", self.tembalang, self.point, batch)
            )
            self.assertIsNone(r.ticket)
            self.assertIsNone(r.officer)

    def test_xlsx_with_numeric_and_date_cells_and_semicolon_free_headers(self) -> None:
        wb = Workbook()
        ws = wb.active
        ws.append(["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "Tanggal", "Jenis Kelamin", "Saran"])
        ws.append([4, 4.0, 3, None, 2, 3, 4, 1, 2, dt.datetime(2026, 9, 2), "P", "Bagus"])
        ws.append([2, None, None, None, None, None, None, None, None, None, None, None])
        buffer = io.BytesIO()
        wb.save(buffer)
        result = self.run_import(buffer.getvalue(), "kuesioner.xlsx", unit=self.bulusan)
        self.assertEqual(result.errors, [])
        first, second = SurveyResponse.objects.order_by("id")
        self.assertEqual(
            (first.u1, first.u2, first.u4, first.service_date, first.sex),
            (4, 4, None, dt.date(2026, 9, 2), "P"),
        )
        self.assertEqual((second.u1, second.service_date), (2, DAY))
        self.assertIsNone(first.point)  # Bulusan has no service point
        self.assertEqual(first.unit, self.bulusan)

    def test_every_row_error_kind_and_nothing_stored(self) -> None:
        data = csv_bytes(
            "4,4,4,4,4,4,4,4,4,,,,,",  # row 2: fine
            "5,0,x,,,,,,,,,,,",  # row 3: three bad answers
            ",,,,,,,,,,,,,",  # (blank line: skipped, keeps its number 4)
            ",,,,,,,,,,P,,,",  # row 5: nothing answered (a profile alone is not an answer)
            "3,,,,,,,,,,Z,S9,astronot,",  # row 6: unknown sex, education, occupation
            "3,,,,,,,,,,,,,2026-09-11",  # row 7: future date
            "3,,,,,,,,,,,,,31/02/2026",  # row 8: impossible date
            "3,,,,,,,,,200,,,,",  # row 9: impossible age
            head=f"{HEAD},usia,jenis_kelamin,pendidikan,pekerjaan,tanggal",
        )
        result = self.run_import(data)
        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(
            found,
            {
                (3, "u1"),
                (3, "u2"),
                (3, "u3"),
                (5, "u1–u9"),
                (6, "jenis_kelamin"),
                (6, "pendidikan"),
                (6, "pekerjaan"),
                (7, "tanggal"),
                (8, "tanggal"),
                (9, "usia"),
            },
        )
        messages = {(e.row, e.column): e.message for e in result.errors}
        self.assertIn("1, 2, 3 atau 4", messages[(3, "u1")])
        self.assertIn("'5'", messages[(3, "u1")])
        self.assertIn("Tidak ada jawaban", messages[(5, "u1–u9")])
        self.assertIn("masa depan", messages[(7, "tanggal")])
        self.assertIn("tidak dikenali", messages[(8, "tanggal")])
        self.assertIn("L/Laki-laki atau P/Perempuan", messages[(6, "jenis_kelamin")])
        self.assertEqual(result.error_rows, 6)
        self.assertFalse(SurveyResponse.objects.exists())
        self.assertFalse(SurveyImport.objects.exists())

    def test_one_bad_row_among_many_stores_nothing(self) -> None:
        lines = ["4,3,3,4,3,4,4,3,3"] * 50 + ["4,3,3,4,3,4,4,3,7"]
        result = self.run_import(csv_bytes(*lines))
        self.assertEqual([(e.row, e.column) for e in result.errors], [(52, "u9")])
        self.assertEqual(SurveyResponse.objects.count(), 0)
        self.assertEqual(SurveyImport.objects.count(), 0)

    def test_whole_file_problems(self) -> None:
        cases = {
            "missing u9": (csv_bytes("1,2,3,4,1,2,3,4", head="u1,u2,u3,u4,u5,u6,u7,u8"), "u9"),
            "unknown column": (csv_bytes("1,2,3,4,1,2,3,4,1,x", head=f"{HEAD},umur"), "umur"),
            "both aliases": (
                csv_bytes("1,2,3,4,1,2,3,4,1,L,L", head=f"{HEAD},sex,jenis_kelamin"),
                "sama artinya",
            ),
            "header only": (csv_bytes(), "tidak berisi baris data"),
            "not utf-8": ("u1;u2\n3;é".encode("latin-1"), "UTF-8"),
        }
        for label, (data, text) in cases.items():
            with self.subTest(label):
                result = self.run_import(data)
                self.assertFalse(result.ok)
                self.assertEqual(result.errors[0].row, 0)
                self.assertIn(text, result.errors[0].message)
        self.assertFalse(self.run_import(b"PK\x03\x04junk", "x.xlsx").ok)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_future_default_date_and_outsider_actor_are_refused(self) -> None:
        with self.assertRaises(ValidationFailed):
            self.run_import(csv_bytes("4,,,,,,,,"), date=TODAY + dt.timedelta(days=1))
        with self.assertRaises(PermissionDeniedError):  # the camat of Banyumanik, for Tembalang
            self.run_import(csv_bytes("4,,,,,,,,"), actor=self.other)
        with self.assertRaises(PermissionDeniedError):  # a counter officer cannot import
            self.run_import(csv_bytes("4,,,,,,,,"), actor=self.officer)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_dry_run_checks_without_storing(self) -> None:
        result = self.run_import(csv_bytes("4,,,,,,,,", "3,3,,,,,,,"), dry_run=True)
        self.assertTrue(result.ok)
        self.assertEqual((result.total_rows, result.answered["u1"], result.answered.get("u2")), (2, 2, 1))
        self.assertFalse(SurveyResponse.objects.exists())

    def test_age_bands(self) -> None:
        self.assertEqual(
            [age_band_for(a) for a in (15, 19, 20, 29, 30, 45, 59, 60, 88)],
            ["<20", "<20", "20-29", "20-29", "30-39", "40-49", "50-59", "60+", "60+"],
        )


class ImportCommandTests(BaseTestCase):
    def write(self, content: bytes, name: str = "skm.csv") -> str:
        directory = Path(tempfile.mkdtemp())
        path = directory / name
        path.write_bytes(content)
        return str(path)

    def test_success_prints_a_summary(self) -> None:
        path = self.write(csv_bytes("4,3,3,4,3,4,4,,3", "2,2,2,2,2,2,2,2,2"))
        out = io.StringIO()
        day = timezone.localdate().isoformat()
        call_command("import_skm", path, "--unit", "33.74.10", "--date", day, stdout=out)
        self.assertIn("2 jawaban SKM", out.getvalue())
        self.assertEqual(SurveyResponse.objects.filter(channel="paper", unit=self.tembalang).count(), 2)

    def test_row_errors_are_printed_and_exit_code_is_1(self) -> None:
        path = self.write(csv_bytes("4,3,3,4,3,4,4,,3", "9,,,,,,,,"))
        err = io.StringIO()
        day = timezone.localdate().isoformat()
        with self.assertRaises(CommandError) as caught:
            call_command("import_skm", path, "--unit", "33.74.10", "--date", day, stderr=err)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("baris 3, kolom u1:", err.getvalue())
        self.assertIn("tidak ada data yang disimpan", str(caught.exception))
        self.assertFalse(SurveyResponse.objects.exists())

    # run_from_argv closes every connection when it ends; inside a test that would close the test's own
    # transaction on PostgreSQL, so that one step is switched off.
    @mock.patch("django.core.management.base.connections.close_all")
    def test_exit_codes_from_the_command_line(self, _close_all: Any) -> None:
        good = self.write(csv_bytes("4,,,,,,,,"))
        day = timezone.localdate().isoformat()
        execute_from_command_line(["manage.py", "import_skm", good, "--unit", "33.74.10", "--date", day])
        self.assertEqual(SurveyResponse.objects.count(), 1)
        future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        bad_runs = [
            [
                self.write(csv_bytes(",,,,,,,,,")),
                "--unit",
                "33.74.10",
                "--date",
                day,
            ],  # blank row only: skipped -> no data
            [self.write(csv_bytes("4,,,,,,,,", "0,,,,,,,,")), "--unit", "33.74.10", "--date", day],
            [good, "--unit", "33.74.10", "--date", future],
            [good, "--unit", "99.99", "--date", day],
            [good, "--unit", "33.74.10", "--date", "09/09/2026"],
            ["/nonexistent.csv", "--unit", "33.74.10", "--date", day],
        ]
        for args in bad_runs:
            with self.subTest(args=args[1:]), self.assertRaises(SystemExit) as caught:
                execute_from_command_line(["manage.py", "import_skm", *args])
            self.assertNotEqual(caught.exception.code, 0)
        self.assertEqual(SurveyResponse.objects.count(), 1)


class ImportViewTests(BaseTestCase):
    url = reverse("surveys:import")

    def upload(
        self, content: bytes, unit: Any = None, day: dt.date | None = None, name: str = "skm.csv"
    ) -> Any:
        return self.client.post(
            self.url,
            {
                "unit": (unit or self.tembalang).pk,
                "default_date": (day or timezone.localdate()).isoformat(),
                "file": SimpleUploadedFile(name, content),
            },
        )

    def test_camat_previews_then_confirms(self) -> None:
        self.login(self.camat)
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        units = list(page.context["form"].fields["unit"].queryset)
        self.assertEqual(units, [self.tembalang, self.bulusan])  # their subtree only
        response = self.upload(csv_bytes("4,3,3,4,3,4,4,,3", "2,2,2,2,2,2,2,2,2"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Berkas lolos pemeriksaan")
        self.assertFalse(SurveyResponse.objects.exists())  # only a preview so far
        key = response.context["key"]
        self.assertEqual(
            self.client.post(reverse("surveys:import_confirm"), {"key": "wrong"}).status_code, 302
        )
        self.assertFalse(SurveyResponse.objects.exists())
        response = self.client.post(reverse("surveys:import_confirm"), {"key": key})
        batch = SurveyImport.objects.get()
        self.assertRedirects(response, reverse("surveys:import_batch", args=[batch.pk]))
        self.assertEqual(SurveyResponse.objects.filter(import_batch=batch, unit=self.tembalang).count(), 2)
        self.assertContains(self.client.get(reverse("surveys:import_batch", args=[batch.pk])), "skm.csv")
        # The key is used up: confirming again stores nothing more.
        self.client.post(reverse("surveys:import_confirm"), {"key": key})
        self.assertEqual(SurveyResponse.objects.count(), 2)

    def test_xlsx_upload_through_the_page(self) -> None:
        self.login(self.admin)
        wb = Workbook()
        wb.active.append(HEAD.split(","))
        wb.active.append([3, 3, 3, 3, 3, 3, 3, 3, 3])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = self.upload(buffer.getvalue(), unit=self.banyumanik, name="kertas.xlsx")
        self.assertContains(response, "Berkas lolos pemeriksaan")
        self.client.post(reverse("surveys:import_confirm"), {"key": response.context["key"]})
        self.assertEqual(SurveyResponse.objects.get().unit, self.banyumanik)

    def test_row_errors_are_listed_and_nothing_stored(self) -> None:
        self.login(self.camat)
        response = self.upload(csv_bytes("4,3,3,4,3,4,4,,3", ",,,,,,,,7"))
        self.assertContains(response, "Berkas tidak dapat diimpor", status_code=422)
        self.assertContains(response, "<td>3</td><td><code>u9</code></td>", status_code=422)
        self.assertNotIn("key", response.context)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_future_date_and_bad_file_are_form_errors(self) -> None:
        self.login(self.camat)
        response = self.upload(csv_bytes("4,,,,,,,,"), day=timezone.localdate() + dt.timedelta(days=1))
        self.assertContains(response, "tidak boleh di masa depan", status_code=422)
        response = self.upload(b"data", name="skm.xls")
        self.assertContains(response, ".xls", status_code=422)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_outsiders_are_refused(self) -> None:
        # Another camat importing for Tembalang: not a choice, so the form refuses it.
        self.login(self.other)
        response = self.upload(csv_bytes("4,,,,,,,,"), unit=self.tembalang)
        self.assertEqual(response.status_code, 422)
        self.assertIn("unit", response.context["form"].errors)
        self.assertFalse(SurveyResponse.objects.exists())
        # Their own batch pages only.
        self.login(self.camat)
        key = self.upload(csv_bytes("4,,,,,,,,")).context["key"]
        self.client.post(reverse("surveys:import_confirm"), {"key": key})
        batch = SurveyImport.objects.get()
        self.login(self.other)
        self.assertEqual(self.client.get(reverse("surveys:import_batch", args=[batch.pk])).status_code, 404)
        # Everyone who is neither admin nor unit head: 403; anonymous: the login page.
        for user in (self.officer, self.employee, self.supervisor, self.executive):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.upload(csv_bytes("4,,,,,,,,")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.assertEqual(SurveyResponse.objects.count(), 1)

    def test_templates_download(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("surveys:import_template", args=["xlsx"]))
        self.assertEqual(response.status_code, 200)
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertEqual([c.value for c in workbook["SKM"][1]][:9], HEAD.split(","))
        self.assertIn("Petunjuk", workbook.sheetnames)
        csv = self.client.get(reverse("surveys:import_template", args=["csv"]))
        # The template imports as it is.
        self.assertTrue(
            import_skm(csv.content, "t.csv", self.tembalang, timezone.localdate(), dry_run=True).ok
        )
        self.assertEqual(self.client.get(reverse("surveys:import_template", args=["pdf"])).status_code, 404)
