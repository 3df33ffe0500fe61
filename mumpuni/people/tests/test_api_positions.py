"""The position endpoints of /api/v1/: list and get through the scope; create and update for BKPP only."""

from typing import Any, get_args

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mumpuni.common.models import AuditEntry
from mumpuni.people import api, services
from mumpuni.people.models import Employee, Position, Role, Unit
from mumpuni.testing import BaseTestCase, make_position

URL = "/api/v1/positions"


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


class ChoiceTypesTests(BaseTestCase):
    def test_it_offers_exactly_the_model_choices(self) -> None:
        pairs = [
            (api.UnitKind, Unit.Kind),
            (api.PositionKind, Position.Kind),
            (api.PositionLevel, Position.Level),
            (api.EmploymentType, Employee.EmploymentType),
            (api.Sex, Employee.Sex),
        ]
        for literal, choices in pairs:
            with self.subTest(choices=choices.__qualname__):
                self.assertEqual(list(get_args(literal)), list(choices.values))

    def test_it_refuses_outsiders(self) -> None:
        # The schema is public; the data behind it is not.
        self.assertEqual(self.client.get("/api/openapi.json").status_code, 200)
        self.assertEqual(self.client.get(URL, query_params={"kind": "jpt"}).status_code, 401)


class PositionListTests(BaseTestCase):
    def test_it_lists_every_position_for_admin(self) -> None:
        self.login(self.admin)
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["count"], Position.objects.count())

    def test_it_limits_camat_to_their_kecamatan(self) -> None:
        self.login(self.camat)
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(set(codes(r)), {"KEC10-CAMAT", "KEC10-KASI-PEL", "KEC10-PELAKSANA"})

    def test_it_serialises_a_position(self) -> None:
        self.login(self.admin)
        r = self.client.get(URL, query_params={"search": "analis"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json()["items"],
            [
                {
                    "code": "BKPP-ANALIS",
                    "name": "Analis SDM Aparatur",
                    "kind": "fungsional",
                    "level": "ahli_muda",
                    "unit": {"code": "33.74.BKPP", "name": "Badan Kepegawaian, Pendidikan dan Pelatihan"},
                    "is_front_line": False,
                }
            ],
        )

    def test_it_filters_by_search_unit_and_kind(self) -> None:
        make_position("KEL1001-LURAH", self.bulusan, "administrator", name="Lurah Bulusan")
        self.login(self.admin)
        cases: list[tuple[dict[str, str], set[str]]] = [
            ({"search": "kec10"}, {"KEC10-CAMAT", "KEC10-KASI-PEL", "KEC10-PELAKSANA"}),
            ({"search": "camat"}, {"KEC10-CAMAT", "KEC11-CAMAT"}),
            ({"unit": "33.74.10"}, {"KEC10-CAMAT", "KEC10-KASI-PEL", "KEC10-PELAKSANA", "KEL1001-LURAH"}),
            ({"unit": "33.74.10.1001"}, {"KEL1001-LURAH"}),
            ({"kind": "administrator", "unit": "33.74.10"}, {"KEC10-CAMAT", "KEL1001-LURAH"}),
            ({"kind": "fungsional"}, {"BKPP-ANALIS"}),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                r = self.client.get(URL, query_params=params)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(set(codes(r)), expected)

    def test_it_keeps_the_query_count_constant_in_the_page_size(self) -> None:
        for i in range(10):
            make_position(f"KEC10-STAF-{i}", self.tembalang)
        self.login(self.admin)
        self.client.get(URL)
        with CaptureQueriesContext(connection) as small:
            r = self.client.get(URL, query_params={"page_size": 1})
        self.assertEqual(len(r.json()["items"]), 1)
        with self.assertNumQueries(len(small.captured_queries)):
            r = self.client.get(URL, query_params={"page_size": 200})
        self.assertEqual(len(r.json()["items"]), 15)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)

        _, key = services.api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.tembalang)
        self.assertEqual(self.client.get(URL, headers=bearer(key)).status_code, 403)

        self.login(self.other)
        r = self.client.get(URL)
        self.assertEqual(codes(r), ["KEC11-CAMAT"])
        self.assertEqual(self.client.get(URL, query_params={"unit": "33.74.10"}).status_code, 422)


class PositionDetailTests(BaseTestCase):
    def test_it_shows_a_position_in_scope(self) -> None:
        self.login(self.camat)
        r = self.client.get(f"{URL}/kec10-camat")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["name"], "Camat Tembalang")

    def test_it_refuses_outsiders(self) -> None:
        url = f"{URL}/KEC10-CAMAT"
        self.assertEqual(self.client.get(url).status_code, 401)

        _, key = services.api_key_create(actor=None, name="papan", role=Role.DISPLAY, unit=self.tembalang)
        self.assertEqual(self.client.get(url, headers=bearer(key)).status_code, 403)

        self.login(self.other)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(f"{URL}/TIDAK-ADA").status_code, 404)


class PositionCreateTests(BaseTestCase):
    data = {"code": "kec10-kasi-trantib", "name": "Kasi Trantib", "kind": "pengawas", "unit": "33.74.10"}

    def post(self, data: Any, **kwargs: Any) -> Any:
        return self.client.post(URL, data, content_type="application/json", **kwargs)

    def test_it_creates_a_position_for_admin(self) -> None:
        self.login(self.admin)
        r = self.post({**self.data, "is_front_line": True})
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["code"], "KEC10-KASI-TRANTIB")
        position = Position.objects.get(code="KEC10-KASI-TRANTIB")
        self.assertEqual(
            (position.unit, position.kind, position.is_front_line), (self.tembalang, "pengawas", True)
        )
        self.assertTrue(
            AuditEntry.objects.filter(
                object_type="people.position", object_id=str(position.pk), actor=self.admin
            )
        )

    def test_it_refuses_invalid_positions(self) -> None:
        self.login(self.admin)
        cases: list[tuple[dict[str, Any], str]] = [
            ({**self.data, "kind": "fungsional"}, "level"),  # fungsional needs a jenjang
            ({**self.data, "level": "madya"}, "level"),  # pengawas has none
            ({**self.data, "kind": "kepala"}, "kind"),
            ({**self.data, "unit": "33.74.99"}, "unit"),
            ({**self.data, "code": "KEC10-CAMAT"}, "code"),
            ({**self.data, "code": "ada spasi"}, "code"),
            ({key: v for key, v in self.data.items() if key != "name"}, "name"),
        ]
        for data, field in cases:
            with self.subTest(data=data):
                r = self.post(data)
                self.assertEqual(r.status_code, 422)
                self.assertIn(field, r.json()["errors"])
        self.assertFalse(Position.objects.filter(name="Kasi Trantib").exists())

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.post(self.data).status_code, 401)

        _, key = services.api_key_create(actor=None, name="mitra", role=Role.PARTNER, unit=self.tembalang)
        self.assertEqual(self.post(self.data, headers=bearer(key)).status_code, 403)

        for user in (self.camat, self.other, self.executive, self.employee):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post(self.data).status_code, 403)
        self.assertFalse(Position.objects.filter(name="Kasi Trantib").exists())


class PositionUpdateTests(BaseTestCase):
    def patch(self, code: str, data: Any) -> Any:
        return self.client.patch(f"{URL}/{code}", data, content_type="application/json")

    def test_it_updates_a_position_for_admin(self) -> None:
        self.login(self.admin)
        r = self.patch("KEC10-PELAKSANA", {"name": "Pengadministrasi Perkantoran", "is_front_line": True})
        self.assertEqual(r.status_code, 200)
        self.pos_staff.refresh_from_db()
        self.assertEqual(
            (self.pos_staff.name, self.pos_staff.is_front_line), ("Pengadministrasi Perkantoran", True)
        )
        entry = AuditEntry.objects.get(
            object_type="people.position", object_id=str(self.pos_staff.pk), action="update"
        )
        self.assertEqual(entry.changes["name"], ["Pengadministrasi Umum", "Pengadministrasi Perkantoran"])

    def test_it_changes_kind_and_level_together(self) -> None:
        self.login(self.admin)
        r = self.patch("KEC10-PELAKSANA", {"kind": "fungsional", "level": "terampil"})
        self.assertEqual(r.status_code, 200)
        self.pos_staff.refresh_from_db()
        self.assertEqual((self.pos_staff.kind, self.pos_staff.level), ("fungsional", "terampil"))
        r = self.patch("KEC10-PELAKSANA", {"level": "madya"})
        self.assertEqual(r.status_code, 422)
        self.assertIn("level", r.json()["errors"])

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.patch("KEC10-CAMAT", {"name": "X"}).status_code, 401)
        self.login(self.camat)
        self.assertEqual(self.patch("KEC10-CAMAT", {"name": "Camat Hebat"}).status_code, 403)
        self.login(self.other)
        self.assertEqual(self.patch("KEC10-CAMAT", {"name": "Camat Lain"}).status_code, 404)
        self.pos_camat.refresh_from_db()
        self.assertEqual(self.pos_camat.name, "Camat Tembalang")
