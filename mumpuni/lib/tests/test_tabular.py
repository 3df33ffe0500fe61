import datetime as dt
import io

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from mumpuni.lib.tabular import (
    ColumnNote,
    TabularError,
    cell_text,
    defuse,
    read_table,
    sniff_delimiter,
    write_csv,
    write_xlsx,
)


def xlsx(rows: list[list[object]], *, title: str = "Data", first: str | None = None) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    if first:
        ws.title = first
        ws = workbook.create_sheet(title)
    else:
        ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ReadCsvTests(SimpleTestCase):
    def test_it_reads_comma_separated_utf8(self) -> None:
        table = read_table("NIP,Nama\n199001012015031001,Budi Ṣantoso\n".encode(), "a.csv")
        self.assertEqual(table.format, "csv")
        self.assertEqual(table.headers, ["nip", "nama"])
        self.assertEqual(table.rows[0].number, 2)
        self.assertEqual(table.rows[0].values, {"nip": "199001012015031001", "nama": "Budi Ṣantoso"})

    def test_it_reads_semicolons_and_a_bom(self) -> None:
        data = "\ufeffnip;nama;email\r\n1;Ani, S.Kom.;a@b.id\r\n".encode()
        table = read_table(data, "a.CSV")
        self.assertEqual(table.headers, ["nip", "nama", "email"])
        self.assertEqual(table.rows[0].get("nama"), "Ani, S.Kom.")

    def test_it_normalises_headers(self) -> None:
        table = read_table(b"  Unit Kode ;JABATAN-KODE\nA;B\n", "a.csv")
        self.assertEqual(table.headers, ["unit_kode", "jabatan_kode"])

    def test_it_keeps_row_numbers_across_blank_rows(self) -> None:
        table = read_table(b"nip,nama\n1,A\n,\n\n2,B\n", "a.csv")
        self.assertEqual([r.number for r in table.rows], [2, 5])

    def test_it_pads_short_rows_and_strips_values(self) -> None:
        table = read_table(b"nip,nama,email\n 1 , A \n", "a.csv")
        self.assertEqual(table.rows[0].values, {"nip": "1", "nama": "A", "email": ""})

    def test_it_refuses_other_encodings(self) -> None:
        with self.assertRaises(TabularError) as ctx:
            read_table("nip,nama\n1,José\n".encode("cp1252"), "a.csv")
        self.assertIn("UTF-8", ctx.exception.message)


class ReadXlsxTests(SimpleTestCase):
    def test_it_reads_the_first_sheet_with_sheet_row_numbers(self) -> None:
        data = xlsx(
            [["NIP", "Nama"], ["199001012015031001", "Budi"], [None, None], ["199001012015031002", "Ani"]]
        )
        table = read_table(data, "pegawai.xlsx")
        self.assertEqual(table.format, "xlsx")
        self.assertEqual([r.number for r in table.rows], [2, 4])
        self.assertEqual(table.rows[1].values, {"nip": "199001012015031002", "nama": "Ani"})

    def test_it_skips_the_instructions_sheet(self) -> None:
        data = xlsx([["kode"], ["A"]], first="Petunjuk")
        self.assertEqual(read_table(data, "a.xlsx").rows[0].get("kode"), "A")

    def test_it_turns_cells_into_text_and_flags_numbers(self) -> None:
        data = xlsx(
            [["nip", "tanggal", "aktif", "jumlah"], [199001012015031001, dt.date(2020, 1, 2), True, 3.0]]
        )
        row = read_table(data, "a.xlsx").rows[0]
        self.assertEqual(row.get("tanggal"), "2020-01-02")
        self.assertEqual(row.get("aktif"), "ya")
        self.assertEqual(row.get("jumlah"), "3")
        self.assertEqual(row.numeric, frozenset({"nip", "jumlah"}))

    def test_it_refuses_a_broken_workbook(self) -> None:
        with self.assertRaises(TabularError) as ctx:
            read_table(b"PK\x03\x04 not really a zip", "a.xlsx")
        self.assertIn("XLSX", ctx.exception.message)


class RefusalTests(SimpleTestCase):
    def test_it_refuses_files_over_the_limit(self) -> None:
        with self.assertRaises(TabularError) as ctx:
            read_table(b"nip\n" + b"1\n" * 100, "a.csv", max_bytes=50)
        self.assertIn("terlalu besar", ctx.exception.message)

    def test_it_refuses_unknown_formats(self) -> None:
        for name in ("a.pdf", "a.xls", "a"):
            with self.subTest(name=name), self.assertRaises(TabularError):
                read_table(b"nip\n1\n", name)

    def test_it_refuses_an_excel_file_named_csv(self) -> None:
        with self.assertRaises(TabularError) as ctx:
            read_table(xlsx([["nip"], ["1"]]), "a.csv")
        self.assertIn(".xlsx", ctx.exception.message)

    def test_it_names_every_missing_column(self) -> None:
        with self.assertRaises(TabularError) as ctx:
            read_table(b"nip,nama\n1,A\n", "a.csv", required=["nip", "nama", "unit_kode", "jabatan_kode"])
        self.assertEqual(ctx.exception.columns, ("unit_kode", "jabatan_kode"))
        self.assertIn("Kolom wajib tidak ada: unit_kode, jabatan_kode", ctx.exception.message)

    def test_it_refuses_unknown_and_duplicate_columns(self) -> None:
        with self.assertRaises(TabularError) as ctx:
            read_table(b"nip,atasan\n1,2\n", "a.csv", required=["nip"], optional=["atasan_nip"])
        self.assertEqual(ctx.exception.columns, ("atasan",))
        with self.assertRaises(TabularError) as ctx:
            read_table(b"nip,NIP\n1,2\n", "a.csv")
        self.assertIn("lebih dari sekali", ctx.exception.message)

    def test_it_refuses_empty_files_and_too_many_rows(self) -> None:
        with self.assertRaises(TabularError):
            read_table(b"  \n", "a.csv")
        with self.assertRaises(TabularError) as ctx:
            read_table(b"nip\n1\n2\n3\n", "a.csv", max_rows=2)
        self.assertIn("lebih dari 2", ctx.exception.message)

    def test_it_sniffs_the_delimiter(self) -> None:
        self.assertEqual(sniff_delimiter("a;b;c"), ";")
        self.assertEqual(sniff_delimiter("a,b"), ",")
        self.assertEqual(sniff_delimiter("a\tb"), "\t")
        self.assertEqual(sniff_delimiter("nip"), ",")


class WriteTests(SimpleTestCase):
    ROWS = [
        ["199001012015031001", '=HYPERLINK("x")', "+62 812-3456-7890"],
        ["-", "@SUM(A1)", "-1"],
        ["'=x", "''-y", "'plain"],
    ]

    def test_csv_round_trips_and_defuses_formulas(self) -> None:
        data = write_csv(["nip", "nama", "telepon"], self.ROWS)
        self.assertTrue(data.startswith("\ufeff".encode()))
        self.assertIn(b"'=HYPERLINK", data)
        self.assertIn(b"+62 812-3456-7890", data)  # a phone number stays a phone number
        table = read_table(data, "a.csv")
        self.assertEqual([list(r.values.values()) for r in table.rows], self.ROWS)

    def test_xlsx_round_trips_as_text(self) -> None:
        data = write_xlsx(["nip", "nama", "telepon"], self.ROWS)
        sheet = load_workbook(io.BytesIO(data)).active
        self.assertEqual(sheet["A2"].data_type, "s")
        self.assertEqual(sheet["B2"].data_type, "s")  # not a formula
        table = read_table(data, "a.xlsx")
        self.assertEqual([list(r.values.values()) for r in table.rows], self.ROWS)
        self.assertEqual(table.rows[0].numeric, frozenset())

    def test_xlsx_instructions_sheet(self) -> None:
        data = write_xlsx(
            ["nip"], [["1"]], notes=[ColumnNote("nip", True, "NIP 18 angka", "199001012015031001")]
        )
        workbook = load_workbook(io.BytesIO(data))
        self.assertEqual(workbook.sheetnames, ["Data", "Petunjuk"])
        self.assertEqual(
            [c.value for c in workbook["Petunjuk"][2]], ["nip", "ya", "NIP 18 angka", "199001012015031001"]
        )

    def test_defuse_and_cell_text(self) -> None:
        self.assertEqual(defuse("=1+1"), "'=1+1")
        self.assertEqual(defuse("+62 24 123"), "+62 24 123")
        self.assertEqual(defuse("-x"), "'-x")
        self.assertEqual(cell_text(None), "")
        self.assertEqual(cell_text(dt.datetime(2020, 1, 2, 3, 4)), "2020-01-02 03:04:00")

    @given(
        st.lists(
            st.lists(
                st.text(
                    alphabet=st.one_of(
                        st.sampled_from("'=+-@ ,;\""), st.characters(blacklist_categories=["Cs", "Cc"])
                    ),
                    max_size=20,
                ).map(str.strip),
                min_size=2,
                max_size=2,
            ).filter(any),
            min_size=1,
            max_size=5,
        )
    )
    def test_any_text_survives_a_csv_round_trip(self, rows: list[list[str]]) -> None:
        table = read_table(write_csv(["a", "b"], rows), "a.csv")
        self.assertEqual([[r.get("a"), r.get("b")] for r in table.rows], rows)
