"""NUL bytes in a page request answer 400, never a 500 (PostgreSQL refuses NUL in text; review finding 2)."""

from django.urls import reverse

from mumpuni.testing import BaseTestCase


class NulByteTests(BaseTestCase):
    def test_it_answers_400_for_nul_bytes_in_paths_and_values(self) -> None:
        self.login(self.admin)
        nip = self.employee_employee.nip
        gets = [
            f"/pegawai/{nip[:17]}%00/",
            f"/pegawai/{nip}%00/ubah/",
            "/unit/33.74%00/",
            "/unit/33.74%00/ubah/",
            "/pegawai/pilihan-jabatan/?unit=%00",
            f"/pegawai/cek-nip/?nip={nip}&current=%00",
            "/pegawai/baru/?unit=%00",
            "/impor/ekspor/unit/?q=%00",
            "/impor/ekspor/jabatan/?unit=%00",
            "/impor/ekspor/pegawai/?format=csv&q=%00",
            "/impor/ekspor/unit/?format=csv&q=%00",
            "/pegawai/?q=%00",
        ]
        for url in gets:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "karakter yang tidak diizinkan", status_code=400)

    def test_it_refuses_a_nul_byte_in_posted_form_values(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("employee_create"),
            {"nip": self.employee_employee.nip, "name": "X", "unit": "33.74.10\x00"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "karakter yang tidak diizinkan", status_code=400)

    def test_it_refuses_full_width_digits_and_bad_codes_in_addresses(self) -> None:
        self.login(self.admin)
        full_width = "".join(chr(ord("０") + int(d)) for d in self.employee_employee.nip)
        for url in (f"/pegawai/{full_width}/", "/unit/33 74/", "/unit/" + "9" * 40 + "/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_still_serves_clean_requests(self) -> None:
        self.login(self.admin)
        nip = self.employee_employee.nip
        self.assertEqual(self.client.get(f"/pegawai/{nip}/").status_code, 200)
        self.assertEqual(self.client.get("/unit/33.74.10/").status_code, 200)
        self.assertEqual(self.client.get("/pegawai/pilihan-jabatan/?unit=33.74.10").status_code, 200)

    def test_it_leaves_the_api_to_its_own_guards(self) -> None:
        self.login(self.admin)
        response = self.client.get("/api/v1/employees?q=%00")
        self.assertIn("application/json", response.headers["Content-Type"])

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get("/pegawai/?q=%00")
        self.assertEqual(response.status_code, 400)
        response = self.client.get("/pegawai/")
        self.assertEqual(response.status_code, 302)
