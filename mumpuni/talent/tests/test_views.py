"""9-box pages for every persona: who sees the grid, a box, the pool and a placement; outsiders refused."""

from __future__ import annotations

from django.urls import reverse

from mumpuni.competencies.services import assessment_record
from mumpuni.talent import selectors, services
from mumpuni.talent.tests.fixtures import TalentTestCase


class GridPageTests(TalentTestCase):
    def test_admin_sees_city_counts(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("talent:grid"), {"tahun": self.year})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-box="8" data-count="1"')
        self.assertContains(response, 'data-box="7" data-count="1"')
        self.assertContains(response, 'data-box="9" data-count="0"')
        self.assertContains(response, "Kecamatan Tembalang")

    def test_who_sees_the_grid(self) -> None:
        url = reverse("talent:grid")
        for user, status in [
            (self.admin, 200),
            (self.executive, 200),
            (self.camat, 200),
            (self.supervisor, 200),
            (self.employee, 302),  # to their own placement
            (self.other, 200),  # their own kecamatan
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url, {"tahun": self.year}).status_code, status)

    def test_the_supervisor_sees_the_team_only(self) -> None:
        self.login(self.supervisor)
        response = self.client.get(reverse("talent:grid"), {"tahun": self.year})
        self.assertContains(response, 'data-box="8" data-count="1"')
        self.assertContains(response, 'data-box="7" data-count="1"')

    def test_it_refuses_outsiders(self) -> None:
        # Another camat sees nothing of Tembalang: no count, a 404 for the unit, nobody in the box.
        self.login(self.other)
        response = self.client.get(reverse("talent:grid"), {"tahun": self.year})
        self.assertContains(response, 'data-box="8" data-count="0"')
        self.assertEqual(self.client.get(reverse("talent:grid"), {"unit": "33.74.10"}).status_code, 404)
        response = self.client.get(reverse("talent:box", args=["8"]), {"tahun": self.year})
        self.assertNotContains(response, self.employee_employee.nip)
        self.login(self.other_officer)
        self.assertEqual(self.client.get(reverse("talent:grid")).status_code, 302)
        self.assertEqual(self.client.get(reverse("talent:box", args=["8"])).status_code, 403)
        self.assertEqual(self.client.get(reverse("talent:pool")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("talent:grid")).status_code, 302)


class BoxAndPoolTests(TalentTestCase):
    def test_a_box_lists_its_people_for_the_camat(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("talent:box", args=["8"]), {"tahun": self.year})
        self.assertContains(response, self.employee_employee.nip)
        self.assertNotContains(response, self.officer_employee.nip)
        response = self.client.get(reverse("talent:box", args=["belum"]), {"tahun": self.year})
        self.assertContains(response, self.supervisor_employee.nip)

    def test_the_pool_and_its_export(self) -> None:
        self.login(self.executive)
        response = self.client.get(reverse("talent:pool"), {"tahun": self.year})
        self.assertContains(response, self.employee_employee.nip)
        self.assertContains(response, self.officer_employee.nip)
        response = self.client.get(reverse("talent:pool"), {"tahun": self.year, "format": "xlsx"})
        self.assertEqual(
            response["Content-Type"].split(";")[0],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def test_the_pool_query_count_does_not_grow(self) -> None:
        self.login(self.admin)
        url = reverse("talent:pool")
        with self.assertNumQueries(14):
            self.client.get(url, {"tahun": self.year})
        # More people in the pool: the same number of queries.
        services.rating_record(
            actor=self.admin, employee=self.camat_employee, year=self.year, predikat="baik"
        )
        self.camat_employee.position = self.pos_staff
        self.camat_employee.save()
        for competency in self.competencies:
            assessment_record(
                actor=self.admin,
                employee=self.camat_employee,
                competency=competency,
                level=4,
                source="assessment_centre",
            )
        services.placements_refresh(year=self.year)
        self.assertEqual(selectors.talent_pool(self.admin, self.year, None).count(), 3)
        with self.assertNumQueries(14):
            self.client.get(url, {"tahun": self.year})


class PlacementPageTests(TalentTestCase):
    def test_the_employee_sees_their_own_placement_explained(self) -> None:
        self.login(self.employee)
        response = self.client.get(reverse("talent:mine"))
        self.assertContains(response, 'data-box="8"')
        self.assertContains(response, "Sangat Baik")
        self.assertContains(response, "T.K4")
        self.assertContains(response, "assessment_centre")

    def test_who_sees_a_placement(self) -> None:
        url = reverse("talent:employee", args=[self.employee_employee.nip])
        for user, status in [
            (self.employee, 200),
            (self.supervisor, 200),
            (self.camat, 200),
            (self.admin, 200),
            (self.executive, 200),
            (self.officer, 404),  # a colleague
            (self.other, 404),
            (self.other_officer, 404),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.executive)  # no employee record
        self.assertEqual(self.client.get(reverse("talent:mine")).status_code, 403)
        self.login(self.other)
        self.assertEqual(self.client.get(reverse("talent:rating_entry")).status_code, 200)
        response = self.client.post(
            reverse("talent:rating_entry"),
            {"nip": self.employee_employee.nip, "year": self.year, "predikat": "baik"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "NIP tidak ditemukan di unit Anda", status_code=422)
        self.login(self.employee)
        self.assertEqual(self.client.get(reverse("talent:rating_entry")).status_code, 403)

    def test_the_camat_enters_a_rating(self) -> None:
        self.login(self.camat)
        response = self.client.post(
            reverse("talent:rating_entry"),
            {
                "nip": self.officer_employee.nip,
                "year": self.year,
                "predikat": "sangat_baik",
                "grade": "III/b",
            },
        )
        self.assertRedirects(
            response, f"{reverse('talent:employee', args=[self.officer_employee.nip])}?tahun={self.year}"
        )
        response = self.client.get(response["Location"])
        self.assertContains(response, 'data-box="9"')
