"""Moving units and positions: no stranded holders (finding 4) and paths from fresh parents (finding 8)."""

from mumpuni.common.errors import ValidationFailed
from mumpuni.people import services
from mumpuni.people.models import Employee, Position, Unit
from mumpuni.testing import BaseTestCase, make_employee


class PositionMoveTests(BaseTestCase):
    def test_it_refuses_to_move_a_position_away_from_its_holders(self) -> None:
        with self.assertRaises(ValidationFailed) as caught:
            services.position_update(actor=self.admin, position=self.pos_staff, unit=self.banyumanik)
        self.assertIn("2 pegawai", caught.exception.fields["unit"][0])
        self.pos_staff.refresh_from_db()
        self.assertEqual(self.pos_staff.unit, self.tembalang)

    def test_it_moves_a_position_whose_holders_still_fit(self) -> None:
        services.position_update(actor=self.admin, position=self.pos_staff, unit=self.city)
        self.pos_staff.refresh_from_db()
        self.assertEqual(self.pos_staff.unit, self.city)

    def test_it_refuses_outsiders(self) -> None:
        from mumpuni.common.errors import PermissionDeniedError

        with self.assertRaises(PermissionDeniedError):
            services.position_update(actor=self.other, position=self.pos_staff, unit=self.city)


class UnitMoveTests(BaseTestCase):
    def test_it_refuses_a_unit_move_that_strands_position_holders(self) -> None:
        holder = make_employee("Lurah Bulusan", self.bulusan, self.pos_staff)
        with self.assertRaises(ValidationFailed) as caught:
            services.unit_update(actor=self.admin, unit=self.bulusan, parent=self.banyumanik)
        self.assertIn("1 pegawai", caught.exception.fields["parent"][0])
        self.bulusan.refresh_from_db()
        self.assertEqual(self.bulusan.parent, self.tembalang)
        holder.refresh_from_db()
        self.assertEqual(holder.position, self.pos_staff)

    def test_it_moves_a_unit_whose_holders_move_with_their_positions(self) -> None:
        # Tembalang's own positions move with it; nobody is stranded.
        services.unit_update(actor=self.admin, unit=self.tembalang, parent=self.banyumanik)
        self.bulusan.refresh_from_db()
        self.assertTrue(self.bulusan.path.startswith(self.banyumanik.path))

    def test_it_computes_the_path_from_the_fresh_parent_on_create(self) -> None:
        stale_bulusan = Unit.objects.get(pk=self.bulusan.pk)
        services.unit_update(actor=self.admin, unit=self.tembalang, parent=self.banyumanik)
        unit = services.unit_create(
            actor=self.admin, code="33.74.10.1001.1", name="RW 1", kind="lainnya", parent=stale_bulusan
        )
        fresh = Unit.objects.get(pk=self.bulusan.pk)
        unit.refresh_from_db()
        self.assertEqual(unit.path, f"{fresh.path}{unit.pk}/")

    def test_it_computes_the_path_from_the_fresh_parent_on_update(self) -> None:
        stale_bulusan = Unit.objects.get(pk=self.bulusan.pk)
        services.unit_update(actor=self.admin, unit=self.tembalang, parent=self.banyumanik)
        services.unit_update(actor=self.admin, unit=self.srondol, parent=stale_bulusan)
        fresh = Unit.objects.get(pk=self.bulusan.pk)
        self.srondol.refresh_from_db()
        self.assertEqual(self.srondol.path, f"{fresh.path}{self.srondol.pk}/")

    def test_it_keeps_employees_and_positions_unchanged_when_refused(self) -> None:
        make_employee("Lurah Bulusan", self.bulusan, self.pos_staff)
        with self.assertRaises(ValidationFailed):
            services.unit_update(actor=self.admin, unit=self.bulusan, parent=self.city)
        self.assertEqual(Position.objects.get(pk=self.pos_staff.pk).unit, self.tembalang)
        self.assertEqual(Employee.objects.filter(unit=self.bulusan).count(), 1)
