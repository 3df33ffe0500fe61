"""The home page per role: real figures, read through the user's scope."""

from django.urls import reverse

from mumpuni.people.models import Role
from mumpuni.testing import BaseTestCase, make_account, make_employee


class HomeTests(BaseTestCase):
    def test_it_shows_the_admin_city_figures(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "home/admin.html")
        headcount = response.context["headcount"]
        self.assertEqual(headcount["active_total"], 7)
        self.assertEqual(headcount["pns"], 7)
        self.assertEqual(headcount["pppk"], 0)
        self.assertEqual(response.context["unit_total"], 6)
        self.assertEqual(response.context["position_total"], 5)
        # Siti Aminah has no position; everyone outside a JPT post without a supervisor is a data-quality item.
        self.assertEqual(headcount["no_position"], 1)
        self.assertEqual([e.name for e in response.context["quality"]["no_position"]], ["Siti Aminah"])
        self.assertContains(response, "Beranda Admin BKPP")
        self.assertContains(response, "Perubahan terakhir")

    def test_it_counts_inactive_employees_apart(self) -> None:
        make_employee("Pensiunan", self.tembalang, self.pos_staff, active=False)
        self.login(self.admin)
        headcount = self.client.get(reverse("home")).context["headcount"]
        self.assertEqual(headcount["active_total"], 7)
        self.assertEqual(headcount["inactive_total"], 1)

    def test_it_shows_the_executive_city_overview_read_only(self) -> None:
        self.login(self.executive)
        response = self.client.get(reverse("home"))
        self.assertTemplateUsed(response, "home/executive.html")
        counts = {row.unit.code: row.count for row in response.context["kecamatan_counts"]}
        # Srondol Kulon (a kelurahan) rolls up into Banyumanik.
        self.assertEqual(counts, {"33.74.10": 4, "33.74.11": 2})
        opd = {row.unit.code: row.count for row in response.context["opd_counts"]}
        self.assertEqual(opd, {"33.74.BKPP": 1})
        self.assertEqual(response.context["headcount"]["female"], 4)
        self.assertEqual(response.context["headcount"]["male"], 3)
        self.assertNotContains(response, reverse("employee_create"))

    def test_it_shows_the_camat_their_kecamatan(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("home"))
        self.assertTemplateUsed(response, "home/unit_head.html")
        self.assertEqual(response.context["headcount"]["active_total"], 4)
        codes = [unit.code for unit, _depth in response.context["unit_rows"]]
        self.assertEqual(codes, ["33.74.10", "33.74.10.1001"])
        kinds = {row.key: row.count for row in response.context["by_position_kind"]}
        self.assertEqual(kinds["pelaksana"], 2)
        self.assertEqual(kinds["administrator"], 1)
        self.assertContains(response, "Kecamatan Tembalang")
        self.assertNotContains(response, "Banyumanik")

    def test_it_shows_the_supervisor_their_team(self) -> None:
        self.login(self.supervisor)
        response = self.client.get(reverse("home"))
        self.assertTemplateUsed(response, "home/supervisor.html")
        self.assertEqual({e.name for e in response.context["team"]}, {"Agus Prasetyo", "Rina Kurniawati"})
        self.assertContains(response, "Agus Prasetyo")
        self.assertNotContains(response, "Bambang Susilo</a>")

    def test_it_shows_the_employee_their_own_card(self) -> None:
        self.login(self.employee)
        response = self.client.get(reverse("home"))
        self.assertTemplateUsed(response, "home/employee.html")
        nip = self.employee_employee.nip
        self.assertContains(response, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
        self.assertContains(response, "Pengadministrasi Umum")
        self.assertContains(response, "Dewi Lestari")  # the supervisor
        self.assertContains(response, reverse("employee_edit", args=[nip]))
        self.assertNotContains(response, "Rina Kurniawati")

    def test_it_shows_the_counter_officer_their_card_and_counter_place(self) -> None:
        self.login(self.officer)
        response = self.client.get(reverse("home"))
        self.assertTemplateUsed(response, "home/employee.html")
        self.assertContains(response, "Rina Kurniawati")
        self.assertContains(response, "Loket saya")
        self.assertNotContains(response, "Agus Prasetyo")

    def test_it_shows_a_trainer_their_card(self) -> None:
        trainer_employee = make_employee("Widya Iswara", self.bkpp, self.pos_bkpp, sex="P")
        trainer = make_account("pelatih", [(Role.TRAINER, None)], trainer_employee)
        self.login(trainer)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Widya Iswara")
        self.assertContains(response, "Kelas yang saya ampu")

    def test_it_explains_an_account_without_role(self) -> None:
        bare = make_account("tanpa-peran", [])
        self.login(bare)
        response = self.client.get(reverse("home"))
        self.assertTemplateUsed(response, "home/no_role.html")

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        # The camat of Banyumanik sees Banyumanik figures, nothing of Tembalang.
        self.login(self.other)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.context["headcount"]["active_total"], 2)
        self.assertNotContains(response, "Tembalang")
        self.assertNotContains(response, "Agus Prasetyo")
