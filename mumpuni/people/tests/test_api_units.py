"""The unit endpoints of /api/v1/: the list with filters and pagination, and one unit by code."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mumpuni.people import services
from mumpuni.people.models import Role, Unit
from mumpuni.testing import BaseTestCase

URL = "/api/v1/units"


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


class UnitListTests(BaseTestCase):
    def test_it_lists_every_unit_for_admin_and_executive(self) -> None:
        everything = list(Unit.objects.order_by("code").values_list("code", flat=True))
        for user in (self.admin, self.executive):
            with self.subTest(user=user.username):
                self.login(user)
                r = self.client.get(URL)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(codes(r), everything)
                self.assertEqual(r.json()["count"], len(everything))

    def test_it_limits_camat_to_their_subtree(self) -> None:
        self.login(self.camat)
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(codes(r), ["33.74.10", "33.74.10.1001"])

    def test_it_serialises_a_unit(self) -> None:
        self.login(self.camat)
        r = self.client.get(URL, query_params={"search": "bulusan"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json()["items"],
            [
                {
                    "code": "33.74.10.1001",
                    "name": "Kelurahan Bulusan",
                    "kind": "kelurahan",
                    "parent": {"code": "33.74.10", "name": "Kecamatan Tembalang"},
                    "active": True,
                }
            ],
        )

    def test_it_filters_by_search_kind_and_parent(self) -> None:
        self.login(self.admin)
        cases: list[tuple[dict[str, str], list[str]]] = [
            ({"search": "33.74.1"}, ["33.74.10", "33.74.10.1001", "33.74.11", "33.74.11.1001"]),
            ({"search": "Kecamatan"}, ["33.74.10", "33.74.11"]),
            ({"kind": "kelurahan"}, ["33.74.10.1001", "33.74.11.1001"]),
            ({"parent": "33.74"}, ["33.74.10", "33.74.11", "33.74.BKPP"]),
            ({"parent": "33.74.11", "kind": "kelurahan"}, ["33.74.11.1001"]),
            ({"parent": "33.74.bkpp"}, []),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                r = self.client.get(URL, query_params=params)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(codes(r), expected)

    def test_it_paginates(self) -> None:
        self.login(self.admin)
        r = self.client.get(URL, query_params={"page": 2, "page_size": 4})
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual((body["count"], body["page"], body["pages"]), (6, 2, 2))
        self.assertEqual(codes(r), ["33.74.11.1001", "33.74.BKPP"])

    def test_it_refuses_bad_filters(self) -> None:
        self.login(self.admin)
        r = self.client.get(URL, query_params={"kind": "provinsi", "parent": "99.99", "page": "satu"})
        self.assertEqual(r.status_code, 422)
        errors = r.json()["errors"]
        self.assertEqual(set(errors), {"kind", "page"})  # types first; the parent is looked up afterwards
        self.assertTrue(errors["kind"][0].startswith("Harus salah satu dari: 'pemda'"))
        r = self.client.get(URL, query_params={"parent": "99.99"})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"], {"parent": ["Unit dengan kode '99.99' tidak ditemukan."]})

    def test_it_keeps_the_query_count_constant_in_the_page_size(self) -> None:
        for i in range(1, 15):
            services.unit_create(
                actor=None,
                code=f"33.74.10.{1001 + i}",
                name=f"Kelurahan {i}",
                kind="kelurahan",
                parent=self.tembalang,
            )
        self.login(self.camat)
        self.client.get(URL)
        with self.assertNumQueries(self._count_queries({"page_size": 1})):
            r = self.client.get(URL, query_params={"page_size": 200})
        self.assertEqual(len(r.json()["items"]), 16)

    def _count_queries(self, params: dict[str, Any]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(URL, query_params=params)
        self.assertEqual(r.status_code, 200)
        return len(ctx.captured_queries)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)

        _, key = services.api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.tembalang)
        self.assertEqual(self.client.get(URL, headers=bearer(key)).status_code, 403)

        self.login(self.other)
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(codes(r), ["33.74.11", "33.74.11.1001"])
        r = self.client.get(URL, query_params={"parent": "33.74.10"})
        self.assertEqual(r.status_code, 422)

        self.login(self.employee)
        self.assertEqual(codes(self.client.get(URL)), ["33.74.10"])


class UnitDetailTests(BaseTestCase):
    def test_it_shows_a_unit_in_scope(self) -> None:
        for user, code in [
            (self.admin, "33.74.11"),
            (self.camat, "33.74.10.1001"),
            (self.officer, "33.74.10"),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                r = self.client.get(f"{URL}/{code}")
                self.assertEqual(r.status_code, 200)
                self.assertEqual(r.json()["code"], code)

    def test_it_accepts_lower_case_codes(self) -> None:
        self.login(self.admin)
        r = self.client.get(f"{URL}/33.74.bkpp")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["kind"], "badan")
        self.assertEqual(r.json()["parent"], {"code": "33.74", "name": "Pemerintah Kota Semarang"})

    def test_it_answers_404_for_unknown_codes(self) -> None:
        self.login(self.admin)
        for code in ("33.74.99", "bad%00code", "-x"):
            with self.subTest(code=code):
                r = self.client.get(f"{URL}/{code}")
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r.json(), {"detail": "Tidak ditemukan."})

    def test_it_lets_a_partner_key_read_its_subtree(self) -> None:
        _, key = services.api_key_create(actor=None, name="mitra", role=Role.PARTNER, unit=self.banyumanik)
        self.assertEqual(self.client.get(f"{URL}/33.74.11.1001", headers=bearer(key)).status_code, 200)
        self.assertEqual(self.client.get(f"{URL}/33.74.10", headers=bearer(key)).status_code, 404)

    def test_it_refuses_outsiders(self) -> None:
        url = f"{URL}/33.74.10"
        self.assertEqual(self.client.get(url).status_code, 401)

        _, key = services.api_key_create(actor=None, name="papan", role=Role.DISPLAY, unit=self.tembalang)
        self.assertEqual(self.client.get(url, headers=bearer(key)).status_code, 403)

        for user in (self.other, self.other_officer):
            with self.subTest(user=user.username):
                self.login(user)
                r = self.client.get(url)
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r.json(), {"detail": "Tidak ditemukan."})
