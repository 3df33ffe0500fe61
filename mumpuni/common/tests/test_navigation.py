"""The navigation bar offers each persona only pages that open for them (never a link that answers 403)."""

from __future__ import annotations

from typing import Any

from mumpuni.common.context_processors import NavItem
from mumpuni.testing import BaseTestCase


def _links(items: list[NavItem]) -> dict[str, str]:
    links: dict[str, str] = {}
    for item in items:
        if item.children:
            for child in item.children:
                if child is not None:
                    links[str(child.label)] = child.url
        else:
            links[str(item.label)] = item.url
    return links


class NavigationTests(BaseTestCase):
    def _menu(self, user: Any) -> dict[str, str]:
        self.login(user)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        return _links(response.context["nav_items"])

    def _assert_all_open(self, user: Any) -> dict[str, str]:
        links = self._menu(user)
        for label, url in links.items():
            with self.subTest(user=user.username, link=label):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, f"{label} {url}")
        return links

    def test_admin_sees_planning_and_city_development_pages(self) -> None:
        links = self._assert_all_open(self.admin)
        for label in ("Anggaran pelatihan", "Skenario rencana", "Dampak pelatihan", "Efek pengingat"):
            self.assertIn(label, links)
        for label in ("Cakupan rencana", "Hasil evaluasi", "Kotak talenta", "Kelompok talenta"):
            self.assertIn(label, links)

    def test_executive_links_open(self) -> None:
        links = self._assert_all_open(self.executive)
        self.assertIn("Dampak pelatihan", links)

    def test_camat_sees_team_pages_but_not_planning(self) -> None:
        links = self._assert_all_open(self.camat)
        self.assertIn("Rencana tim", links)
        self.assertIn("Hasil evaluasi", links)
        self.assertIn("Anggaran pelatihan", links)
        self.assertNotIn("Skenario rencana", links)
        self.assertIn("Dampak pelatihan", links)

    def test_supervisor_links_open(self) -> None:
        links = self._assert_all_open(self.supervisor)
        self.assertIn("Penilaian perilaku (L3)", links)
        self.assertNotIn("Hasil evaluasi", links)
        self.assertNotIn("Skenario rencana", links)

    def test_employee_sees_only_own_development_pages(self) -> None:
        links = self._assert_all_open(self.employee)
        for label in ("Rencana saya", "Rekomendasi untuk saya", "Evaluasi saya", "Pendidikan lanjut"):
            self.assertIn(label, links)
        for label in (
            "Rencana tim",
            "Cakupan rencana",
            "Kotak talenta",
            "Anggaran pelatihan",
            "Efek pengingat",
        ):
            self.assertNotIn(label, links)

    def test_officer_links_open(self) -> None:
        links = self._assert_all_open(self.officer)
        self.assertNotIn("Dampak pelatihan", links)

    def test_reminder_settings_in_user_menu(self) -> None:
        self.login(self.employee)
        self.assertContains(self.client.get("/"), "/pengingat/preferensi/")
