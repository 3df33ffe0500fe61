"""Error mapping of the API: Indonesian field messages, JSON for every refusal, never a 500 for bad input."""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.test import SimpleTestCase
from ninja import NinjaAPI, Schema
from ninja.testing import TestClient

from mumpuni.common.api import (
    MALFORMED_BODY,
    install_error_handlers,
    translate_error,
    validation_errors,
)
from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.people import services
from mumpuni.people.models import Role
from mumpuni.testing import BaseTestCase


class Sample(Schema):
    name: str
    count: int
    when: dt.date
    flag: bool = False


def _sample_api() -> NinjaAPI:
    api = NinjaAPI(urls_namespace="test-api-errors")
    install_error_handlers(api)

    @api.post("/sample")
    def sample(request: HttpRequest, payload: Sample) -> dict[str, str]:
        return {"name": payload.name}

    @api.get("/raise/{kind}")
    def raiser(request: HttpRequest, kind: str) -> None:
        errors: dict[str, Exception] = {
            "validation": ValidationFailed("NIP salah.", fields={"nip": ["NIP salah."]}),
            "permission": PermissionDeniedError("Bukan wewenang Anda."),
            "missing": NotFoundError("Pegawai tidak ditemukan."),
            "http404": Http404("secret detail"),
            "django-permission": PermissionDenied(),
            "integrity": IntegrityError("UNIQUE constraint failed"),
        }
        raise errors[kind]

    return api


class TranslateErrorTests(SimpleTestCase):
    def test_it_translates_pydantic_error_types(self) -> None:
        cases = [
            ({"type": "missing", "loc": ("body", "payload", "name")}, "Wajib diisi."),
            ({"type": "string_too_long", "ctx": {"max_length": 150}}, "Paling banyak 150 karakter."),
            ({"type": "string_too_short", "ctx": {"min_length": 1}}, "Wajib diisi."),
            ({"type": "int_parsing"}, "Harus berupa bilangan bulat."),
            ({"type": "bool_parsing"}, "Harus bernilai benar atau salah (true/false)."),
            (
                {"type": "date_from_datetime_parsing", "ctx": {"error": "x"}},
                "Tanggal tidak valid; gunakan format TTTT-BB-HH.",
            ),
            ({"type": "enum", "ctx": {"expected": "'L' or 'P'"}}, "Harus salah satu dari: 'L' atau 'P'."),
            (
                {"type": "literal_error", "ctx": {"expected": "'a', 'b' or 'c'"}},
                "Harus salah satu dari: 'a', 'b' atau 'c'.",
            ),
            ({"type": "less_than_equal", "ctx": {"le": 200}}, "Paling besar 200."),
            ({"type": "json_invalid", "ctx": {"error": "EOF"}}, "JSON tidak valid."),
            (
                {
                    "type": "value_error",
                    "ctx": {"error": "Kode tidak sah."},
                    "msg": "Value error, Kode tidak sah.",
                },
                "Kode tidak sah.",
            ),
            ({"type": "value_error", "msg": "Value error, Pesan kami."}, "Pesan kami."),
            ({"type": "something_new"}, "Nilai tidak valid."),
            ({"type": "string_too_long", "ctx": {}}, "Nilai tidak valid."),
        ]
        for error, expected in cases:
            with self.subTest(error=error["type"]):
                self.assertEqual(translate_error(error), expected)

    def test_it_drops_the_source_and_parameter_from_field_paths(self) -> None:
        errors = [
            {"type": "missing", "loc": ("body", "payload", "unit")},
            {"type": "int_parsing", "loc": ("query", "page")},
            {"type": "int_parsing", "loc": ("query", "filters", "page_size")},
            {"type": "string_type", "loc": ("body", "payload", "items", 0, "name")},
            {"type": "model_attributes_type", "loc": ("body", "payload")},
            {"type": "missing", "loc": ("body", "payload", "unit")},
        ]
        self.assertEqual(
            validation_errors(errors, frozenset({"filters"})),
            {
                "unit": ["Wajib diisi."],
                "page": ["Harus berupa bilangan bulat."],
                "page_size": ["Harus berupa bilangan bulat."],
                "items.0.name": ["Harus berupa teks."],
                "__all__": ["Isi permintaan harus berupa objek JSON."],
            },
        )


class ErrorHandlerTests(SimpleTestCase):
    def setUp(self) -> None:
        self.api_client = TestClient(_sample_api())

    def test_it_answers_422_with_indonesian_field_messages(self) -> None:
        r = self.api_client.post("/sample", json={"count": "banyak", "when": "2024-02-30", "flag": "mungkin"})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(
            r.json(),
            {
                "detail": "Data tidak valid.",
                "errors": {
                    "name": ["Wajib diisi."],
                    "count": ["Harus berupa bilangan bulat."],
                    "when": ["Tanggal tidak valid; gunakan format TTTT-BB-HH."],
                    "flag": ["Harus bernilai benar atau salah (true/false)."],
                },
            },
        )

    def test_it_never_answers_500_for_a_broken_body(self) -> None:
        bodies = [b"{bad json", b"\xff\xfe{}", b"[" * 100_000, b"null", b"[1, 2]", b'"teks"', b""]
        for body in bodies:
            with self.subTest(body=body[:20]):
                r = self.api_client.post("/sample", data=body)
                self.assertEqual(r.status_code, 422)
                self.assertEqual(set(r.json()), {"detail", "errors"})
        r = self.api_client.post("/sample", data=b"{bad json")
        self.assertEqual(r.json(), {"detail": MALFORMED_BODY, "errors": {"__all__": [MALFORMED_BODY]}})

    def test_it_maps_application_and_django_errors(self) -> None:
        cases = {
            "validation": (422, {"detail": "NIP salah.", "errors": {"nip": ["NIP salah."]}}),
            "permission": (403, {"detail": "Bukan wewenang Anda.", "errors": {}}),
            "missing": (404, {"detail": "Pegawai tidak ditemukan.", "errors": {}}),
            "http404": (404, {"detail": "Tidak ditemukan."}),
            "django-permission": (403, {"detail": "Anda tidak berwenang melakukan tindakan ini."}),
            "integrity": (
                409,
                {"detail": "Data bertabrakan dengan perubahan lain; muat ulang lalu coba lagi."},
            ),
        }
        for kind, (status, body) in cases.items():
            with self.subTest(kind=kind):
                r = self.api_client.get(f"/raise/{kind}")
                self.assertEqual(r.status_code, status)
                self.assertEqual(r.json(), body)


class ApiErrorTests(BaseTestCase):
    """The same guarantees through the real /api/ and its people router."""

    def test_it_never_answers_500_for_bad_input(self) -> None:
        self.login(self.admin)
        gets = [
            "/api/v1/employees?page=-1",
            "/api/v1/employees?page=1e3",
            "/api/v1/employees?page_size=abc",
            "/api/v1/employees?page=999999999999999999999999999999999999",
            "/api/v1/employees?unit=%00",
            "/api/v1/employees?q=%00",
            "/api/v1/employees?active=%FF",
            "/api/v1/employees?kind=JPT&employment_type=honorer",
            "/api/v1/units?parent=" + "9" * 500,
            "/api/v1/positions?unit=..",
            "/api/v1/employees/" + "9" * 400,
            "/api/v1/units/%00",
        ]
        for url in gets:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertIn(r.status_code, {200, 404, 422})
                self.assertIn("application/json", r.headers["Content-Type"])

        posts = [
            b"{",
            b'{"nip": {"a": 1}, "name": ["x"], "unit": 33.74}',
            b'{"nip": "199001012015031001", "name": "A", "unit": "33.74.10", "birth_date": "kemarin"}',
            b'{"nip": "199001012015031001", "name": "A", "unit": "33.74.10", "birth_date": 1e308}',
            json.dumps({"nip": "1" * 18, "name": "A", "unit": "33.74.10", "position": "X" * 1000}).encode(),
        ]
        for body in posts:
            with self.subTest(body=body[:30]):
                r = self.client.post("/api/v1/employees", body, content_type="application/json")
                self.assertEqual(r.status_code, 422)

    def test_it_reports_malformed_json_in_indonesian(self) -> None:
        self.login(self.admin)
        r = self.client.patch(
            f"/api/v1/employees/{self.employee_employee.nip}", b'{"name": ', content_type="application/json"
        )
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["detail"], "Isi permintaan bukan JSON yang valid.")

    def test_it_serves_the_schema_and_the_docs(self) -> None:
        r = self.client.get("/api/openapi.json")
        self.assertEqual(r.status_code, 200)
        schema = r.json()
        self.assertIn("/api/v1/employees/{nip}", schema["paths"])
        self.assertEqual(set(schema["components"]["securitySchemes"]), {"ApiKeyAuth", "SessionAuth"})
        employee = schema["components"]["schemas"]["EmployeeOut"]["properties"]
        self.assertEqual(
            set(employee),
            {
                "nip",
                "name",
                "employment_type",
                "sex",
                "birth_date",
                "unit",
                "position",
                "supervisor_nip",
                "email",
                "phone",
                "active",
            },
        )
        self.assertEqual(self.client.get("/api/docs").status_code, 200)

    def test_it_refuses_outsiders(self) -> None:
        r = self.client.get("/api/v1/units")
        self.assertEqual(r.status_code, 401)
        self.assertIn("Autentikasi diperlukan", r.json()["detail"])

        _, key = services.api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.tembalang)
        r = self.client.get("/api/v1/units", headers={"authorization": f"Bearer {key}"})
        self.assertEqual(r.status_code, 403)

        self.login(self.other)
        r = self.client.get(f"/api/v1/employees/{self.employee_employee.nip}")
        self.assertEqual((r.status_code, r.json()), (404, {"detail": "Tidak ditemukan."}))
