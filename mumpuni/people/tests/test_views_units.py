"""The unit tree and unit pages, and unit changes by the BKPP admin."""

from django.urls import reverse

from mumpuni.common.models import AuditEntry
from mumpuni.people.models import Unit
from mumpuni.testing import BaseTestCase


def tree_codes(nodes) -> list[str]:
    codes: list[str] = []
    for node in nodes:
        codes.append(node.unit.code)
        codes.extend(tree_codes(node.children))
    return codes


class UnitTreeTests(BaseTestCase):
    url = reverse("unit_tree")

    def test_it_shows_the_admin_the_whole_tree_with_subtree_counts(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        tree = response.context["tree"]
        self.assertEqual([n.unit.code for n in tree], ["33.74"])
        self.assertEqual(tree[0].total, 7)
        tembalang = next(n for n in tree[0].children if n.unit.code == "33.74.10")
        self.assertEqual(tembalang.total, 4)
        self.assertContains(response, "<details open>")

    def test_it_shows_the_camat_their_subtree(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url)
        self.assertEqual(tree_codes(response.context["tree"]), ["33.74.10", "33.74.10.1001"])
        self.assertNotContains(response, "Banyumanik")

    def test_it_searches_and_keeps_the_path_to_matches(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url, {"q": "srondol"})
        self.assertEqual(tree_codes(response.context["tree"]), ["33.74", "33.74.11", "33.74.11.1001"])
        partial = self.client.get(
            self.url, {"q": "33.74.10"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="unit-tree"
        )
        self.assertTemplateUsed(partial, "people/partials/unit_tree_nodes.html")
        self.assertNotContains(partial, "<html")
        self.assertIn("33.74.10.1001", tree_codes(partial.context["tree"]))
        self.assertNotIn("33.74.11", tree_codes(partial.context["tree"]))

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        self.login(self.other)
        response = self.client.get(self.url)
        self.assertEqual(tree_codes(response.context["tree"]), ["33.74.11", "33.74.11.1001"])
        self.assertNotContains(response, "Kecamatan Tembalang")


class UnitDetailTests(BaseTestCase):
    def test_it_shows_positions_children_and_staff_link(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("unit_detail", args=["33.74.10"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            {p.code for p in response.context["positions"]},
            {"KEC10-CAMAT", "KEC10-KASI-PEL", "KEC10-PELAKSANA"},
        )
        self.assertEqual([c.code for c in response.context["children"]], ["33.74.10.1001"])
        self.assertEqual(response.context["staff_total"], 4)
        self.assertContains(response, f"{reverse('employee_list')}?unit=33.74.10")
        self.assertFalse(response.context["can_manage"])
        self.assertFalse(response.context["parent_visible"])  # the city is outside the camat's scope
        self.assertNotContains(response, reverse("unit_edit", args=["33.74.10"]))

    def test_it_refuses_outsiders(self) -> None:
        url = reverse("unit_detail", args=["33.74.10"])
        self.assertEqual(self.client.get(url).status_code, 302)
        self.login(self.other)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("unit_detail", args=["99.99"])).status_code, 404)


class UnitChangeTests(BaseTestCase):
    def test_it_lets_the_admin_create_a_unit(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("unit_create"),
            {
                "code": "33.74.10.1002",
                "name": "Kelurahan Meteseh",
                "kind": "kelurahan",
                "parent": "33.74.10",
                "active": "on",
            },
        )
        self.assertRedirects(
            response, reverse("unit_detail", args=["33.74.10.1002"]), fetch_redirect_response=False
        )
        unit = Unit.objects.get(code="33.74.10.1002")
        self.assertEqual(unit.parent, self.tembalang)
        self.assertTrue(unit.path.startswith(self.tembalang.path))
        self.assertTrue(AuditEntry.objects.filter(object_type="people.unit", object_id=str(unit.pk)).exists())

    def test_it_shows_indonesian_field_errors_and_creates_nothing(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("unit_create"), {"code": "kode salah!", "name": "Unit Salah", "kind": "kelurahan"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn(
            "Kode unit hanya huruf besar, angka dan titik", response.context["form"].errors["code"][0]
        )
        self.assertFalse(Unit.objects.filter(name="Unit Salah").exists())

    def test_it_lets_the_admin_rename_and_refuses_a_loop(self) -> None:
        self.login(self.admin)
        url = reverse("unit_edit", args=["33.74.10"])
        data = {
            "code": "33.74.10",
            "name": "Kecamatan Tembalang Baru",
            "kind": "kecamatan",
            "parent": "33.74",
            "active": "on",
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.tembalang.refresh_from_db()
        self.assertEqual(self.tembalang.name, "Kecamatan Tembalang Baru")
        # Its own kelurahan cannot become its parent: not even offered, and refused when posted.
        form = self.client.get(url).context["form"]
        self.assertNotIn("33.74.10.1001", {u.code for u in form.fields["parent"].queryset})
        response = self.client.post(url, {**data, "parent": "33.74.10.1001"})
        self.assertEqual(response.status_code, 422)
        self.tembalang.refresh_from_db()
        self.assertEqual(self.tembalang.parent, self.city)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(reverse("unit_create")).status_code, 302)
        for user in (self.camat, self.executive, self.employee):
            self.login(user)
            self.assertEqual(self.client.get(reverse("unit_create")).status_code, 403)
            response = self.client.post(
                reverse("unit_edit", args=["33.74.10"]),
                {"code": "33.74.10", "name": "Diubah", "kind": "kecamatan", "parent": "33.74"},
            )
            self.assertEqual(response.status_code, 403)
        self.tembalang.refresh_from_db()
        self.assertEqual(self.tembalang.name, "Kecamatan Tembalang")
