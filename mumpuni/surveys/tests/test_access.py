"""Who sees which IKM: admin and executive city-wide, a unit head their subtree, nobody else — on every
page and on the PDF/XLSX downloads; a unit, point, counter or officer outside the scope is a 404."""

from __future__ import annotations

from django.urls import reverse

from mumpuni.people.models import Role
from mumpuni.surveys import access
from mumpuni.surveys.tests.test_reports import Q2, build_world
from mumpuni.testing import BaseTestCase, make_account

PAGES = ("surveys:figures", "surveys:trends", "surveys:compare", "surveys:report_pdf", "surveys:report_xlsx")


class AccessRulesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)

    def test_paths(self) -> None:
        self.assertIsNone(access.ikm_paths(self.admin))
        self.assertIsNone(access.ikm_paths(self.executive))
        self.assertEqual(access.ikm_paths(self.camat), (self.tembalang.path,))
        for user in (self.supervisor, self.employee, self.officer, self.other_officer):
            self.assertEqual(access.ikm_paths(user), (), user.username)
            self.assertFalse(access.can_see_ikm(user), user.username)

    def test_unit_head_subtree(self) -> None:
        self.assertTrue(access.can_view_unit(self.camat, self.tembalang))
        self.assertTrue(access.can_view_unit(self.camat, self.bulusan))  # kelurahan below
        self.assertFalse(access.can_view_unit(self.camat, self.banyumanik))
        self.assertFalse(access.can_view_unit(self.camat, self.city))
        self.assertEqual(list(access.visible_points(self.camat)), [self.point])
        self.assertEqual(set(access.visible_counters(self.camat)), {self.counter1, self.counter2})
        self.assertEqual(list(access.visible_officers(self.camat)), [self.officer_employee])
        self.assertEqual(access.default_unit(self.camat), self.tembalang)
        self.assertEqual(access.default_unit(self.other), self.banyumanik)
        self.assertIsNone(access.default_unit(self.admin))

    def test_report_units_offer_point_units_and_ancestors_in_scope(self) -> None:
        self.assertEqual(list(access.report_units(self.camat)), [self.tembalang])
        self.assertEqual(set(access.report_units(self.admin)), {self.city, self.tembalang, self.banyumanik})
        self.assertEqual(list(access.report_units(self.officer)), [])

    def test_inactive_user_sees_nothing(self) -> None:
        self.camat.is_active = False
        self.camat.save()
        self.camat._mumpuni_scope = None  # type: ignore[attr-defined]
        self.assertFalse(access.can_see_ikm(self.camat))


class PageAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)

    def get(self, name: str, **params: str) -> int:
        return self.client.get(reverse(name), {**Q2, **params}).status_code

    def test_anonymous_goes_to_login(self) -> None:
        for name in PAGES:
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 302, name)
            self.assertIn("next=", response["Location"])

    def test_others_are_refused(self) -> None:
        trainer = make_account("pelatih", [(Role.TRAINER, self.tembalang)])
        for user in (self.supervisor, self.employee, self.officer, self.other_officer, trainer):
            self.login(user)
            for name in PAGES:
                self.assertEqual(self.get(name), 403, f"{user.username} {name}")

    def test_city_wide_see_every_unit(self) -> None:
        for user in (self.admin, self.executive):
            self.login(user)
            for name in PAGES:
                self.assertEqual(self.get(name), 200, f"{user.username} {name}")
                self.assertEqual(self.get(name, unit="33.74.11"), 200, f"{user.username} {name}")

    def test_camat_own_unit_everywhere(self) -> None:
        self.login(self.camat)
        for name in PAGES:
            self.assertEqual(self.get(name), 200, name)
            self.assertEqual(self.get(name, unit="33.74.10"), 200, name)

    def test_camat_other_unit_is_not_found(self) -> None:
        self.login(self.camat)
        for name in ("surveys:figures", "surveys:trends", "surveys:report_pdf", "surveys:report_xlsx"):
            self.assertEqual(self.get(name, unit="33.74.11"), 404, name)
            self.assertEqual(self.get(name, point=str(self.other_point.pk)), 404, name)
            self.assertEqual(self.get(name, counter=str(self.other_counter.pk)), 404, name)
            self.assertEqual(self.get(name, officer=str(self.other_officer_employee.pk)), 404, name)
            self.assertEqual(self.get(name, unit="99.99"), 404, name)  # unknown

    def test_other_camat_is_the_outsider_of_tembalang(self) -> None:
        self.login(self.other)
        self.assertEqual(self.get("surveys:report_pdf", unit="33.74.10"), 404)
        self.assertEqual(self.get("surveys:report_xlsx", unit="33.74.10"), 404)
        response = self.client.get(reverse("surveys:figures"), Q2)
        self.assertEqual(response.context["f"].unit, self.banyumanik)
        body = response.content.decode()
        self.assertIn("25,00", body)
        self.assertNotIn("Ruang tunggu panas.", body)  # a Tembalang suggestion
        self.assertNotIn(self.officer_employee.name, body)

    def test_compare_for_a_unit_head_stays_in_scope(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("surveys:compare"), Q2)
        self.assertEqual([r["unit_code"] for r in response.context["rows"]], ["33.74.10"])
        self.assertNotIn("Kecamatan Banyumanik", response.content.decode())
