"""The employee list: scoped rows, search, filters, pagination, HTMX partial, export links, query count."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mumpuni.lib.nip import build_nip
from mumpuni.testing import BaseTestCase, make_account, make_employee, make_position, make_unit


def names(response) -> set[str]:
    return {e.name for e in response.context["page"].object_list}


class EmployeeListTests(BaseTestCase):
    url = reverse("employee_list")

    def test_it_shows_the_admin_everyone(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].paginator.count, 7)
        nip = self.employee_employee.nip
        self.assertContains(response, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")

    def test_it_shows_the_camat_tembalang_only(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url)
        self.assertEqual(
            names(response), {"Bambang Susilo", "Dewi Lestari", "Agus Prasetyo", "Rina Kurniawati"}
        )
        self.assertNotContains(response, "Joko Santoso")
        self.assertNotContains(response, "Siti Aminah")

    def test_it_shows_the_supervisor_their_team_and_themselves(self) -> None:
        self.login(self.supervisor)
        response = self.client.get(self.url)
        self.assertEqual(names(response), {"Dewi Lestari", "Agus Prasetyo", "Rina Kurniawati"})
        self.assertFalse(response.context["can_create"])

    def test_it_shows_the_employee_only_themselves(self) -> None:
        self.login(self.employee)
        response = self.client.get(self.url)
        self.assertEqual(names(response), {"Agus Prasetyo"})

    def test_it_searches_by_name_and_by_nip_with_spaces(self) -> None:
        self.login(self.admin)
        self.assertEqual(names(self.client.get(self.url, {"q": "lestari"})), {"Dewi Lestari"})
        nip = self.officer_employee.nip
        spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        self.assertEqual(names(self.client.get(self.url, {"q": spaced})), {"Rina Kurniawati"})

    def test_it_filters_by_unit_kind_type_and_status(self) -> None:
        pppk = build_nip(
            birth_date=self.employee_employee.birth_date, sex="P", serial=7, year=2022, kind="pppk"
        )
        make_employee("Nur PPPK", self.bulusan, self.pos_staff, nip=pppk)
        make_employee("Lama Pensiun", self.tembalang, self.pos_staff, active=False)
        self.login(self.admin)
        self.assertEqual(
            names(self.client.get(self.url, {"unit": "33.74.11"})), {"Joko Santoso", "Siti Aminah"}
        )
        self.assertEqual(names(self.client.get(self.url, {"kind": "pengawas"})), {"Dewi Lestari"})
        self.assertEqual(names(self.client.get(self.url, {"type": "pppk"})), {"Nur PPPK"})
        self.assertEqual(names(self.client.get(self.url, {"status": "nonaktif"})), {"Lama Pensiun"})
        self.assertEqual(self.client.get(self.url, {"status": "semua"}).context["page"].paginator.count, 9)

    def test_it_ignores_a_unit_filter_outside_the_scope(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url, {"unit": "33.74.11"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Joko Santoso", names(response))

    def test_it_returns_only_the_results_to_htmx(self) -> None:
        self.login(self.admin)
        response = self.client.get(
            self.url, {"q": "Agus"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="employee-results"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "people/partials/employee_results.html")
        self.assertTemplateNotUsed(response, "people/employee_list.html")
        self.assertNotContains(response, "<html")
        self.assertEqual(names(response), {"Agus Prasetyo"})

    def test_it_links_exports_with_the_current_filters(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url, {"q": "Agus", "kind": "pelaksana", "page": "1"})
        export = reverse("imports:export_employees")
        self.assertContains(response, f"{export}?format=xlsx&amp;q=Agus&amp;kind=pelaksana")
        self.assertContains(response, f"{export}?format=csv&amp;q=Agus&amp;kind=pelaksana")

    def test_it_paginates_by_fifty(self) -> None:
        for i in range(60):
            make_employee(f"Staf {i:02d}", self.bulusan, self.pos_staff)
        self.login(self.admin)
        first = self.client.get(self.url)
        self.assertEqual(len(first.context["page"].object_list), 50)
        self.assertContains(first, "?page=2")
        second = self.client.get(self.url, {"page": 2})
        self.assertEqual(len(second.context["page"].object_list), 17)
        self.assertEqual(self.client.get(self.url, {"page": "x"}).status_code, 200)

    def test_it_uses_the_same_number_of_queries_for_10_and_40_rows(self) -> None:
        unit = make_unit("33.74.99", "Kecamatan Uji", "kecamatan", self.city)
        self.login(self.admin)

        def count_queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(self.url, {"unit": "33.74.99"})
            self.assertEqual(response.status_code, 200)
            return len(ctx.captured_queries)

        # Every row has a unit, a position and a supervisor, so any lazy join would show up as extra queries.
        position = make_position("UJI-STAF", unit)
        for i in range(10):
            make_employee(f"Uji {i:02d}", unit, position, supervisor=self.camat_employee)
        few = count_queries()
        for i in range(10, 40):
            make_employee(f"Uji {i:02d}", unit, position, supervisor=self.supervisor_employee)
        many = count_queries()
        self.assertEqual(few, many)

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        # The other camat sees Banyumanik only.
        self.login(self.other)
        response = self.client.get(self.url)
        self.assertEqual(names(response), {"Joko Santoso", "Siti Aminah"})
        # An account without any people scope is refused.
        self.login(make_account("tanpa-peran", []))
        self.assertEqual(self.client.get(self.url).status_code, 403)


class EmployeeListExportLinkTests(BaseTestCase):
    def test_it_passes_a_spaced_nip_to_the_export_without_spaces(self) -> None:
        self.login(self.admin)
        nip = self.officer_employee.nip
        response = self.client.get(reverse("employee_list"), {"q": f"{nip[:8]} {nip[8:]}"})
        self.assertContains(response, f"?format=csv&amp;q={nip}")

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(reverse("employee_list"), {"q": "x"})
        self.assertEqual(response.status_code, 302)
        self.login(self.other)
        response = self.client.get(reverse("employee_list"), {"q": self.officer_employee.nip})
        self.assertEqual(response.context["page"].paginator.count, 0)
