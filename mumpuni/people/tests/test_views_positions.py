"""The position list and position changes by the BKPP admin."""

from django.urls import reverse

from mumpuni.common.models import AuditEntry
from mumpuni.people.models import Position
from mumpuni.testing import BaseTestCase


class PositionListTests(BaseTestCase):
    url = reverse("position_list")

    def test_it_lists_positions_in_scope_with_holders(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        rows = {p.code: p.active_employees for p in response.context["page"].object_list}
        self.assertEqual(rows, {"KEC10-CAMAT": 1, "KEC10-KASI-PEL": 1, "KEC10-PELAKSANA": 2})

    def test_it_filters_by_search_unit_and_kind(self) -> None:
        self.login(self.admin)
        codes = lambda r: {p.code for p in r.context["page"].object_list}  # noqa: E731
        self.assertEqual(codes(self.client.get(self.url, {"q": "analis"})), {"BKPP-ANALIS"})
        self.assertEqual(codes(self.client.get(self.url, {"unit": "33.74.11"})), {"KEC11-CAMAT"})
        self.assertEqual(
            codes(self.client.get(self.url, {"kind": "administrator"})), {"KEC10-CAMAT", "KEC11-CAMAT"}
        )
        partial = self.client.get(
            self.url, {"q": "camat"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="position-results"
        )
        self.assertTemplateUsed(partial, "people/partials/position_results.html")

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.login(self.other)
        codes = {p.code for p in self.client.get(self.url).context["page"].object_list}
        self.assertEqual(codes, {"KEC11-CAMAT"})


class PositionChangeTests(BaseTestCase):
    def test_it_lets_the_admin_create_and_edit_a_position(self) -> None:
        self.login(self.admin)
        data = {
            "code": "KEC10-SEKCAM",
            "name": "Sekretaris Camat",
            "kind": "administrator",
            "level": "",
            "unit": "33.74.10",
        }
        self.assertEqual(self.client.post(reverse("position_create"), data).status_code, 302)
        position = Position.objects.get(code="KEC10-SEKCAM")
        self.assertEqual(position.unit, self.tembalang)
        response = self.client.post(
            reverse("position_edit", args=["KEC10-SEKCAM"]), {**data, "name": "Sekcam", "is_front_line": "on"}
        )
        self.assertRedirects(
            response, reverse("unit_detail", args=["33.74.10"]), fetch_redirect_response=False
        )
        position.refresh_from_db()
        self.assertEqual(position.name, "Sekcam")
        self.assertTrue(position.is_front_line)
        self.assertEqual(
            AuditEntry.objects.filter(object_type="people.position", object_id=str(position.pk)).count(), 2
        )

    def test_it_shows_a_level_that_does_not_fit_the_kind(self) -> None:
        self.login(self.admin)
        data = {
            "code": "BKPP-PRANATA",
            "name": "Pranata Komputer",
            "kind": "fungsional",
            "level": "",
            "unit": "33.74.BKPP",
        }
        response = self.client.post(reverse("position_create"), data)
        self.assertEqual(response.status_code, 422)
        self.assertIn("tidak sesuai dengan jenis jabatan", response.context["form"].errors["level"][0])
        self.assertFalse(Position.objects.filter(code="BKPP-PRANATA").exists())

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(reverse("position_create")).status_code, 302)
        for user in (self.camat, self.executive, self.supervisor):
            self.login(user)
            self.assertEqual(self.client.get(reverse("position_create")).status_code, 403)
            response = self.client.post(
                reverse("position_edit", args=["KEC10-CAMAT"]),
                {"code": "KEC10-CAMAT", "name": "Diubah", "kind": "administrator", "unit": "33.74.10"},
            )
            self.assertEqual(response.status_code, 403)
        self.pos_camat.refresh_from_db()
        self.assertEqual(self.pos_camat.name, "Camat Tembalang")
