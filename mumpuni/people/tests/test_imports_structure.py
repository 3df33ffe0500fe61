from mumpuni.common.errors import PermissionDeniedError
from mumpuni.common.models import AuditEntry
from mumpuni.people import imports
from mumpuni.people.models import Position, Unit
from mumpuni.people.tests.import_files import POSITION_HEADER, UNIT_HEADER, csv_file, xlsx_file
from mumpuni.testing import BaseTestCase, make_employee, make_position


class StructureImportTestCase(BaseTestCase):
    def import_units(self, rows, *, xlsx=False, actor="admin", header=UNIT_HEADER):
        data = (xlsx_file if xlsx else csv_file)(header, rows)
        name = "unit.xlsx" if xlsx else "unit.csv"
        return imports.import_file(imports.UNITS, data, name, actor=getattr(self, actor) if actor else None)

    def import_positions(self, rows, *, xlsx=False, actor="admin", header=POSITION_HEADER):
        data = (xlsx_file if xlsx else csv_file)(header, rows)
        name = "jabatan.xlsx" if xlsx else "jabatan.csv"
        return imports.import_file(
            imports.POSITIONS, data, name, actor=getattr(self, actor) if actor else None
        )

    def errors(self, plan):
        return [(e.row, e.column) for e in plan.errors]


class UnitImportTests(StructureImportTestCase):
    def test_it_creates_units_whose_parent_comes_later_in_the_file(self) -> None:
        plan = self.import_units(
            [
                ["33.74.10.1002", "Kelurahan Kramas", "kelurahan", "33.74.12"],
                ["33.74.12", "Kecamatan Gunungpati", "Kecamatan", "33.74"],
            ],
            xlsx=True,
        )
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(plan.counts(), {"created": 2, "updated": 0, "unchanged": 0})
        gunungpati = Unit.objects.get(code="33.74.12")
        kramas = Unit.objects.get(code="33.74.10.1002")
        self.assertEqual((kramas.parent, gunungpati.kind), (gunungpati, "kecamatan"))
        self.assertEqual(kramas.path, f"{self.city.path}{gunungpati.pk}/{kramas.pk}/")
        self.assertEqual(AuditEntry.objects.filter(object_type="people.unit", actor=self.admin).count(), 2)

    def test_it_moves_a_unit_with_its_subtree(self) -> None:
        plan = self.import_units(
            [
                ["33.74.10", "Kecamatan Tembalang", "kecamatan", "33.74.11"],
                ["33.74.11", "Kecamatan Banyumanik (baru)", "kecamatan", "33.74"],
            ]
        )
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(plan.counts(), {"created": 0, "updated": 2, "unchanged": 0})
        self.bulusan.refresh_from_db()
        self.assertTrue(self.bulusan.path.startswith(f"{self.banyumanik.path}{self.tembalang.pk}/"))
        self.banyumanik.refresh_from_db()
        self.assertEqual(self.banyumanik.name, "Kecamatan Banyumanik (baru)")

    def test_it_counts_identical_rows_as_unchanged(self) -> None:
        before = AuditEntry.objects.count()
        plan = self.import_units([["33.74.10", "Kecamatan Tembalang", "kecamatan", "33.74"]])
        self.assertEqual(plan.counts(), {"created": 0, "updated": 0, "unchanged": 1})
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_it_changes_nothing_when_one_row_is_bad_and_reports_every_bad_row(self) -> None:
        count = Unit.objects.count()
        plan = self.import_units(
            [
                ["33.74.13", "Kecamatan Baik", "kecamatan", "33.74"],
                ["33.74.14", "Jenis Salah", "desa", "33.74"],
                ["33.74.15", "Induk Hilang", "kecamatan", "33.74.99"],
                ["bad code!", "", "kecamatan", ""],
                ["33.74.13", "Ganda", "kecamatan", "33.74"],
                ["33.74.16", "Diri Sendiri", "kecamatan", "33.74.16"],
            ]
        )
        self.assertEqual(
            self.errors(plan),
            [(3, "jenis"), (4, "induk_kode"), (5, "nama"), (5, "kode"), (6, "kode"), (7, "induk_kode")],
        )
        self.assertEqual(Unit.objects.count(), count)

    def test_it_refuses_a_cycle_of_parents(self) -> None:
        plan = self.import_units([["33.74.10", "Kecamatan Tembalang", "kecamatan", "33.74.10.1001"]])
        self.assertEqual(self.errors(plan), [(2, "induk_kode")])
        self.assertIn("lingkaran", plan.errors[0].message)

    def test_it_refuses_outsiders(self) -> None:
        for persona in ("camat", "other", "executive"):
            with self.subTest(persona=persona), self.assertRaises(PermissionDeniedError):
                self.import_units([["33.74.13", "X", "kecamatan", "33.74"]], actor=persona)
        self.assertFalse(Unit.objects.filter(code="33.74.13").exists())


class PositionImportTests(StructureImportTestCase):
    def test_it_creates_and_updates_positions(self) -> None:
        plan = self.import_positions(
            [
                ["KEC10-LOKET", "Petugas Loket", "pelaksana", "", "33.74.10", "ya"],
                ["BKPP-ANALIS", "Analis SDM Aparatur", "Fungsional", "Ahli Madya", "33.74.BKPP", "tidak"],
                ["KEC10-CAMAT", "Camat Tembalang", "administrator", "-", "33.74.10", ""],
            ]
        )
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(plan.counts(), {"created": 1, "updated": 1, "unchanged": 1})
        counter = Position.objects.get(code="KEC10-LOKET")
        self.assertEqual(
            (counter.unit, counter.kind, counter.is_front_line), (self.tembalang, "pelaksana", True)
        )
        self.pos_bkpp.refresh_from_db()
        self.assertEqual(self.pos_bkpp.level, "ahli_madya")

    def test_it_changes_nothing_when_one_row_is_bad_and_reports_every_bad_row(self) -> None:
        count = Position.objects.count()
        plan = self.import_positions(
            [
                ["KEC10-BAIK", "Baik", "pelaksana", "", "33.74.10", "tidak"],
                ["KEC10-JPT", "Jenjang salah", "jpt", "ahli_muda", "33.74.10", ""],
                ["KEC10-PEL", "Jenjang untuk pelaksana", "pelaksana", "madya", "33.74.10", ""],
                ["KEC10-X", "Unit hilang", "pelaksana", "", "33.74.99", "mungkin"],
                ["KEC10-Y", "Jenis salah", "staf", "tingkat 3", "", ""],
            ]
        )
        self.assertEqual(
            self.errors(plan),
            [
                (3, "jenjang"),
                (4, "jenjang"),
                (5, "unit_kode"),
                (5, "pelayanan_langsung"),
                (6, "jenis"),
                (6, "jenjang"),
                (6, "unit_kode"),
            ],
        )
        self.assertIn("tidak sesuai", plan.errors[0].message)
        self.assertEqual(Position.objects.count(), count)

    def test_it_refuses_to_move_a_position_away_from_its_holders(self) -> None:
        plan = self.import_positions(
            [["KEC10-PELAKSANA", "Pengadministrasi Umum", "pelaksana", "", "33.74.11", ""]]
        )
        self.assertEqual(self.errors(plan), [(2, "unit_kode")])
        self.assertIn("2 pegawai", plan.errors[0].message)

    def test_it_moves_a_position_down_its_holders_unit_tree(self) -> None:
        holder_less = make_position("KEC10-BARU", self.tembalang, name="Baru")
        make_employee("Di Kelurahan", self.bulusan, holder_less)
        plan = self.import_positions([["KEC10-BARU", "Baru", "pelaksana", "", "33.74.10.1001", ""]])
        self.assertTrue(plan.ok, plan.errors)
        holder_less.refresh_from_db()
        self.assertEqual(holder_less.unit, self.bulusan)

    def test_it_refuses_outsiders(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            self.import_positions([["KEC10-LOKET", "Loket", "pelaksana", "", "33.74.10", ""]], actor="camat")
        self.assertFalse(Position.objects.filter(code="KEC10-LOKET").exists())
