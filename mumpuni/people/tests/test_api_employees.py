"""The employee endpoints of /api/v1/: list, get, create and update, each through the caller's scope."""

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mumpuni.common.models import AuditEntry
from mumpuni.people import services
from mumpuni.people.models import Employee, EmployeeAssignment, Role
from mumpuni.testing import BaseTestCase, make_employee, make_nip

URL = "/api/v1/employees"


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


class EmployeeApiTestCase(BaseTestCase):
    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post(self, data: Any, **kwargs: Any) -> Any:
        return self.client.post(URL, data, content_type="application/json", **kwargs)

    def patch(self, nip: str, data: Any, **kwargs: Any) -> Any:
        return self.client.patch(f"{URL}/{nip}", data, content_type="application/json", **kwargs)

    def nips(self, response: Any) -> set[str]:
        return {item["nip"] for item in response.json()["items"]}


class EmployeeListTests(EmployeeApiTestCase):
    def test_it_lists_the_whole_city_for_admin(self) -> None:
        self.login(self.admin)
        r = self.get(URL)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["count"], 7)
        self.assertEqual((body["page"], body["page_size"], body["pages"]), (1, 50, 1))

    def test_it_limits_camat_to_their_kecamatan(self) -> None:
        self.login(self.camat)
        r = self.get(URL)
        self.assertEqual(r.status_code, 200)
        expected = {
            self.camat_employee.nip,
            self.supervisor_employee.nip,
            self.employee_employee.nip,
            self.officer_employee.nip,
        }
        self.assertEqual(self.nips(r), expected)

    def test_it_gives_supervisor_their_team(self) -> None:
        self.login(self.supervisor)
        r = self.get(URL)
        self.assertEqual(r.status_code, 200)
        expected = {self.supervisor_employee.nip, self.employee_employee.nip, self.officer_employee.nip}
        self.assertEqual(self.nips(r), expected)

    def test_it_shows_an_employee_only_themselves(self) -> None:
        self.login(self.employee)
        r = self.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.nips(r), {self.employee_employee.nip})

    def test_it_serialises_an_employee(self) -> None:
        self.login(self.camat)
        r = self.get(URL, query_params={"q": self.employee_employee.nip})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json()["items"],
            [
                {
                    "nip": self.employee_employee.nip,
                    "name": "Agus Prasetyo",
                    "employment_type": "pns",
                    "sex": "L",
                    "birth_date": self.employee_employee.birth_date.isoformat(),
                    "unit": {"code": "33.74.10", "name": "Kecamatan Tembalang"},
                    "position": {
                        "code": "KEC10-PELAKSANA",
                        "name": "Pengadministrasi Umum",
                        "kind": "pelaksana",
                        "level": "",
                    },
                    "supervisor_nip": self.supervisor_employee.nip,
                    "email": "",
                    "phone": "",
                    "active": True,
                }
            ],
        )

    def test_it_filters(self) -> None:
        in_bulusan = make_employee("Wulan Sari", self.bulusan, sex="P")
        services.employee_update(actor=None, employee=self.officer_employee, active=False)
        self.login(self.admin)

        cases: list[tuple[dict[str, str], set[str]]] = [
            ({"q": "agus"}, {self.employee_employee.nip}),
            ({"q": self.other_employee.nip[:12]}, {self.other_employee.nip}),
            (
                {"unit": "33.74.10"},
                {e.nip for e in Employee.objects.filter(unit__code__startswith="33.74.10")},
            ),
            (
                {"unit": "33.74.10", "include_subunits": "false"},
                {
                    self.camat_employee.nip,
                    self.supervisor_employee.nip,
                    self.employee_employee.nip,
                    self.officer_employee.nip,
                },
            ),
            ({"unit": "33.74.10.1001"}, {in_bulusan.nip}),
            ({"kind": "pengawas"}, {self.supervisor_employee.nip}),
            ({"kind": "fungsional", "employment_type": "pns"}, {self.admin_employee.nip}),
            ({"employment_type": "pppk"}, set()),
            ({"active": "false"}, {self.officer_employee.nip}),
            ({"kind": "", "unit": "", "active": ""}, set(Employee.objects.values_list("nip", flat=True))),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                r = self.get(URL, query_params=params)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(self.nips(r), expected)

    def test_it_paginates(self) -> None:
        self.login(self.admin)
        r = self.get(URL, query_params={"page": 2, "page_size": 3})
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual((body["count"], body["page"], body["page_size"], body["pages"]), (7, 2, 3, 3))
        everyone = list(Employee.objects.order_by("name", "nip").values_list("nip", flat=True))
        self.assertEqual([item["nip"] for item in body["items"]], everyone[3:6])

    def test_it_returns_an_empty_page_past_the_end(self) -> None:
        self.login(self.admin)
        for page in ("3", "99999999999999999999999999999"):
            with self.subTest(page=page):
                r = self.get(URL, query_params={"page": page, "page_size": 5})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(r.json()["items"], [])
                self.assertEqual(r.json()["count"], 7)

    def test_it_refuses_a_page_size_over_200(self) -> None:
        self.login(self.admin)
        r = self.get(URL, query_params={"page_size": 201})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"], {"page_size": ["Paling besar 200."]})
        self.assertEqual(self.get(URL, query_params={"page_size": 200}).status_code, 200)

    def test_it_keeps_the_query_count_constant_in_the_page_size(self) -> None:
        for i in range(12):
            make_employee(f"Pegawai Uji {i:02d}", self.bulusan, self.pos_staff, self.camat_employee)
        self.login(self.camat)
        self.get(URL)  # warm the session so both measured requests do the same work

        with CaptureQueriesContext(connection) as small:
            r = self.get(URL, query_params={"page_size": 1})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.json()["items"]), 1)

        with self.assertNumQueries(len(small.captured_queries)):
            r = self.get(URL, query_params={"page_size": 200})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.json()["items"]), 16)
        # The new rows all carry a unit, a position and a supervisor, so every relation is serialised.
        self.assertGreaterEqual(sum(1 for item in r.json()["items"] if item["supervisor_nip"]), 12)

    def test_it_lets_a_partner_key_read_within_its_unit(self) -> None:
        _, key = services.api_key_create(actor=None, name="mitra", role=Role.PARTNER, unit=self.banyumanik)
        r = self.get(URL, headers=bearer(key))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.nips(r), {self.other_employee.nip, self.other_officer_employee.nip})

    def test_it_refuses_outsiders(self) -> None:
        r = self.get(URL)
        self.assertEqual(r.status_code, 401)

        _, key = services.api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.tembalang)
        r = self.get(URL, headers=bearer(key))
        self.assertEqual(r.status_code, 403)

        self.login(self.other)
        r = self.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertNotIn(self.employee_employee.nip, self.nips(r))
        # Filtering by a unit outside the scope answers exactly like an unknown unit.
        outside = self.get(URL, query_params={"unit": "33.74.10"})
        unknown = self.get(URL, query_params={"unit": "33.74.99"})
        self.assertEqual(outside.status_code, 422)
        self.assertEqual(outside.json()["errors"]["unit"], ["Unit dengan kode '33.74.10' tidak ditemukan."])
        self.assertEqual(unknown.status_code, 422)

        self.login(self.employee)
        r = self.get(URL, query_params={"q": "Rina"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["count"], 0)


class EmployeeDetailTests(EmployeeApiTestCase):
    def test_it_shows_an_employee_in_scope(self) -> None:
        for user, employee in [
            (self.admin, self.other_employee),
            (self.executive, self.employee_employee),
            (self.camat, self.employee_employee),
            (self.supervisor, self.officer_employee),
            (self.employee, self.employee_employee),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                r = self.get(f"{URL}/{employee.nip}")
                self.assertEqual(r.status_code, 200)
                self.assertEqual(r.json()["nip"], employee.nip)
                self.assertEqual(r.json()["unit"]["code"], employee.unit.code)

    def test_it_answers_404_for_unknown_or_malformed_nip(self) -> None:
        self.login(self.admin)
        for nip in ("199001012015031999", "123", "abc%00def"):
            with self.subTest(nip=nip):
                r = self.get(f"{URL}/{nip}")
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r.json(), {"detail": "Tidak ditemukan."})

    def test_it_refuses_outsiders(self) -> None:
        url = f"{URL}/{self.employee_employee.nip}"
        self.assertEqual(self.get(url).status_code, 401)

        _, key = services.api_key_create(actor=None, name="papan", role=Role.DISPLAY, unit=self.tembalang)
        self.assertEqual(self.get(url, headers=bearer(key)).status_code, 403)

        # Outside the scope is indistinguishable from not existing.
        for user, employee in [
            (self.other, self.employee_employee),
            (self.employee, self.officer_employee),
            (self.supervisor, self.camat_employee),
            (self.officer, self.employee_employee),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                r = self.get(f"{URL}/{employee.nip}")
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r.json(), {"detail": "Tidak ditemukan."})


class EmployeeCreateTests(EmployeeApiTestCase):
    def payload(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nip": make_nip(sex="P", birth=dt.date(1994, 2, 17), year=2019, month=3),
            "name": "Ratna Dewi",
            "unit": "33.74.10.1001",
            "position": "KEC10-PELAKSANA",
            "supervisor_nip": self.supervisor_employee.nip,
            "email": "ratna@semarangkota.go.id",
            "phone": "081234567890",
        }
        data.update(overrides)
        return data

    def test_it_creates_an_employee_for_admin(self) -> None:
        self.login(self.admin)
        data = self.payload(sex="P", birth_date="1994-02-17")
        r = self.post(data)
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["nip"], data["nip"])
        self.assertEqual(r.json()["position"]["code"], "KEC10-PELAKSANA")
        self.assertEqual(r.json()["supervisor_nip"], self.supervisor_employee.nip)
        employee = Employee.objects.get(nip=data["nip"])
        self.assertEqual((employee.sex, employee.birth_date), ("P", dt.date(1994, 2, 17)))
        self.assertEqual(employee.unit, self.bulusan)
        entry = AuditEntry.objects.get(
            object_type="people.employee", object_id=str(employee.pk), action="create"
        )
        self.assertEqual(entry.actor, self.admin)

    def test_it_lets_camat_create_within_their_kecamatan(self) -> None:
        self.login(self.camat)
        data = self.payload()
        r = self.post(data)
        self.assertEqual(r.status_code, 201)
        self.assertTrue(Employee.objects.filter(nip=data["nip"], unit=self.bulusan).exists())

    def test_it_names_the_failing_nip_segment(self) -> None:
        self.login(self.admin)
        cases = {
            "19900101 209901 1 001": "TMT",
            "199001012015033001": "jenis kelamin",
            "199013012015031001": "tanggal lahir",
            "12345": "18 angka",
        }
        for nip, segment in cases.items():
            with self.subTest(nip=nip):
                r = self.post(self.payload(nip=nip))
                self.assertEqual(r.status_code, 422)
                [message] = r.json()["errors"]["nip"]
                self.assertIn(segment, message)
        self.assertEqual(Employee.objects.count(), 7)

    def test_it_refuses_a_duplicate_nip(self) -> None:
        self.login(self.admin)
        r = self.post(self.payload(nip=self.employee_employee.nip, name="Kembar"))
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"], {"nip": ["NIP sudah terdaftar."]})
        self.assertFalse(Employee.objects.filter(name="Kembar").exists())

    def test_it_refuses_sex_and_birth_date_that_disagree_with_the_nip(self) -> None:
        self.login(self.admin)
        data = self.payload(sex="L", birth_date="1994-02-18")
        r = self.post(data)
        self.assertEqual(r.status_code, 422)
        errors = r.json()["errors"]
        self.assertIn("Jenis kelamin tidak sesuai dengan NIP", errors["sex"][0])
        self.assertIn("Tanggal lahir tidak sesuai dengan NIP", errors["birth_date"][0])
        self.assertFalse(Employee.objects.filter(nip=data["nip"]).exists())

    def test_it_refuses_unknown_references(self) -> None:
        self.login(self.admin)
        r = self.post(self.payload(unit="33.74.99", position="NOPE", supervisor_nip="199001012015031999"))
        self.assertEqual(r.status_code, 422)
        self.assertEqual(
            r.json()["errors"],
            {
                "unit": ["Unit dengan kode '33.74.99' tidak ditemukan."],
                "position": ["Jabatan dengan kode 'NOPE' tidak ditemukan."],
                "supervisor_nip": ["Pegawai dengan NIP '199001012015031999' tidak ditemukan."],
            },
        )

    def test_it_reports_wrong_types_in_indonesian(self) -> None:
        self.login(self.admin)
        r = self.post({"nip": 199001012015031001, "name": "", "active": "kadang", "sex": "X", "gaji": 1})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(
            r.json()["errors"],
            {
                "nip": ["Harus berupa teks."],
                "name": ["Wajib diisi."],
                "unit": ["Wajib diisi."],
                "active": ["Harus bernilai benar atau salah (true/false)."],
                "sex": ["Harus salah satu dari: 'L' atau 'P'."],
                "gaji": ["Kolom ini tidak dikenal."],
            },
        )

    def test_it_refuses_outsiders(self) -> None:
        data = self.payload()
        self.assertEqual(self.post(data).status_code, 401)

        _, key = services.api_key_create(actor=None, name="mitra", role=Role.PARTNER, unit=self.tembalang)
        self.assertEqual(self.post(data, headers=bearer(key)).status_code, 403)

        for user in (self.employee, self.supervisor, self.officer, self.executive):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post(data).status_code, 403)

        # The other camat cannot even see Bulusan, so for them it is an unknown unit.
        self.login(self.other)
        r = self.post(data)
        self.assertEqual(r.status_code, 422)
        self.assertEqual(list(r.json()["errors"]), ["unit", "position", "supervisor_nip"])
        self.assertFalse(Employee.objects.filter(nip=data["nip"]).exists())


class EmployeeUpdateTests(EmployeeApiTestCase):
    def test_it_lets_camat_update_within_scope_and_audits_it(self) -> None:
        self.login(self.camat)
        target = self.employee_employee
        r = self.patch(
            target.nip, {"phone": "024 7460 123", "name": "Agus Prasetyo, S.Kom.", "unit": "33.74.10.1001"}
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["name"], "Agus Prasetyo, S.Kom.")
        target.refresh_from_db()
        self.assertEqual((target.phone, target.unit), ("024 7460 123", self.bulusan))
        entry = AuditEntry.objects.get(
            object_type="people.employee", object_id=str(target.pk), action="update", actor=self.camat
        )
        self.assertEqual(entry.changes["phone"], ["", "024 7460 123"])
        self.assertEqual(EmployeeAssignment.objects.filter(employee=target).count(), 2)

    def test_it_clears_position_and_supervisor_with_null(self) -> None:
        self.login(self.admin)
        r = self.patch(self.employee_employee.nip, {"position": None, "supervisor_nip": None})
        self.assertEqual(r.status_code, 200)
        self.assertEqual((r.json()["position"], r.json()["supervisor_nip"]), (None, None))
        self.employee_employee.refresh_from_db()
        self.assertIsNone(self.employee_employee.position)
        self.assertIsNone(self.employee_employee.supervisor)

    def test_it_lets_an_employee_correct_their_own_contact_only(self) -> None:
        self.login(self.employee)
        r = self.patch(self.employee_employee.nip, {"email": "agus@semarangkota.go.id"})
        self.assertEqual(r.status_code, 200)
        r = self.patch(self.employee_employee.nip, {"name": "Agus Hebat"})
        self.assertEqual(r.status_code, 403)
        self.employee_employee.refresh_from_db()
        self.assertEqual(self.employee_employee.email, "agus@semarangkota.go.id")
        self.assertEqual(self.employee_employee.name, "Agus Prasetyo")

    def test_it_refuses_a_supervisor_cycle_under_the_api_field_name(self) -> None:
        self.login(self.admin)
        r = self.patch(self.camat_employee.nip, {"supervisor_nip": self.employee_employee.nip})
        self.assertEqual(r.status_code, 422)
        self.assertIn("supervisor_nip", r.json()["errors"])
        self.camat_employee.refresh_from_db()
        self.assertIsNone(self.camat_employee.supervisor)

    def test_it_refuses_bad_values(self) -> None:
        self.login(self.admin)
        target = self.employee_employee
        cases: list[tuple[dict[str, Any], dict[str, list[str]]]] = [
            ({"name": None}, {"name": ["Tidak boleh kosong (null)."]}),
            ({"sex": "P"}, {"sex": ["Kolom ini tidak dikenal."]}),
            ({"phone": "12"}, {"phone": ["Nomor telepon harus 8–16 angka (boleh diawali +)."]}),
            ({"email": "bukan-email"}, {"email": ["Alamat email tidak valid."]}),
            ({"nip": self.officer_employee.nip}, {"nip": ["NIP sudah dipakai pegawai lain."]}),
            ({"name": "x" * 151}, {"name": ["Paling banyak 150 karakter."]}),
            (
                {"name": "Agus\x00"},
                {"name": ["Tidak boleh memuat karakter kendali (mis. NUL atau baris baru)."]},
            ),
            ({"active": "mungkin"}, {"active": ["Harus bernilai benar atau salah (true/false)."]}),
        ]
        for data, errors in cases:
            with self.subTest(data=data):
                r = self.patch(target.nip, data)
                self.assertEqual(r.status_code, 422)
                self.assertEqual(r.json()["errors"], errors)
        target.refresh_from_db()
        self.assertEqual((target.name, target.phone, target.email), ("Agus Prasetyo", "", ""))

    def test_it_refuses_outsiders(self) -> None:
        target = self.employee_employee
        self.assertEqual(self.patch(target.nip, {"name": "Anonim"}).status_code, 401)

        _, key = services.api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.tembalang)
        self.assertEqual(self.patch(target.nip, {"name": "Kios"}, headers=bearer(key)).status_code, 403)
        _, key = services.api_key_create(actor=None, name="mitra", role=Role.PARTNER, unit=self.tembalang)
        self.assertEqual(self.patch(target.nip, {"name": "Mitra"}, headers=bearer(key)).status_code, 403)

        # The camat of Banyumanik cannot see Tembalang's people: 404, as if they did not exist.
        self.login(self.other)
        r = self.patch(target.nip, {"name": "Pindahan", "unit": "33.74.11"})
        self.assertEqual(r.status_code, 404)

        # Those who may see but not change get 403.
        for user in (self.supervisor, self.executive):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.patch(target.nip, {"name": "Diubah"}).status_code, 403)

        # A camat cannot move their employee out of their own kecamatan.
        self.login(self.camat)
        r = self.patch(target.nip, {"unit": "33.74.11"})
        self.assertEqual(r.status_code, 422)

        target.refresh_from_db()
        self.assertEqual((target.name, target.unit), ("Agus Prasetyo", self.tembalang))
        refused = AuditEntry.objects.filter(
            object_type="people.employee", object_id=str(target.pk), action="update"
        )
        self.assertFalse(refused.exclude(changes__has_key="user").exists())  # only the account link (set-up)
