import datetime as dt

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from mumpuni.lib.nip import NipError, build_nip, in_cpns_year, parse_nip

TODAY = dt.date(2026, 11, 27)
births = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2004, 12, 31))
SEGMENTS = {"format", "tanggal_lahir", "tmt", "jenis_kelamin", "nomor_urut", "kode_pppk", "tahun"}


class ParseNipTests(SimpleTestCase):
    def test_it_parses_a_pns_nip(self) -> None:
        nip = parse_nip("199001012015031001", today=TODAY)
        self.assertEqual(nip.kind, "pns")
        self.assertEqual(nip.birth_date, dt.date(1990, 1, 1))
        self.assertEqual((nip.appointment_year, nip.appointment_month), (2015, 3))
        self.assertEqual(nip.sex, "L")
        self.assertEqual(nip.serial, 1)
        self.assertEqual(nip.formatted, "19900101 201503 1 001")

    def test_it_parses_a_pppk_number(self) -> None:
        nip = parse_nip("199205152023212004", today=TODAY)
        self.assertEqual(nip.kind, "pppk")
        self.assertEqual(nip.sex, "P")
        self.assertEqual(nip.appointment_year, 2023)
        self.assertIsNone(nip.appointment_month)

    def assertSegment(self, value: str, segment: str) -> None:
        with self.assertRaises(NipError) as ctx:
            parse_nip(value, today=TODAY)
        self.assertEqual(ctx.exception.segment, segment, ctx.exception.message)

    def test_it_names_the_failing_segment(self) -> None:
        self.assertSegment("19900101201503100", "format")
        self.assertSegment("19900101201503100X", "format")
        self.assertSegment("199002302015031001", "tanggal_lahir")  # 30 February
        self.assertSegment("203001012015031001", "tanggal_lahir")  # in the future
        self.assertSegment("199001012015033001", "jenis_kelamin")
        self.assertSegment("199001012015031000", "nomor_urut")
        self.assertSegment("199001012005031001", "tmt")  # appointed at 15
        self.assertSegment("199001012030031001", "tmt")  # in the future
        self.assertSegment("199001012021213001", "jenis_kelamin")  # PPPK shape, sex digit 3
        self.assertSegment("199001012017211001", "tahun")  # PPPK before 2019

    def test_messages_are_indonesian(self) -> None:
        with self.assertRaises(NipError) as ctx:
            parse_nip("199001012015033001", today=TODAY)
        self.assertIn("jenis kelamin", ctx.exception.message)
        self.assertIn("digit 15", ctx.exception.message)

    @given(
        birth=births,
        sex=st.sampled_from(["L", "P"]),
        serial=st.integers(1, 999),
        years_after_18=st.integers(0, 20),
        month=st.integers(1, 12),
    )
    def test_built_pns_nips_parse_back(self, birth, sex, serial, years_after_18, month) -> None:
        year = min(birth.year + 18 + years_after_18 + (1 if month < birth.month else 0), 2025)
        if (year, month) < (birth.year + 18, birth.month):
            return
        value = build_nip(birth_date=birth, sex=sex, serial=serial, year=year, month=month)
        parsed = parse_nip(value, today=TODAY)
        self.assertEqual(
            (parsed.kind, parsed.birth_date, parsed.sex, parsed.serial), ("pns", birth, sex, serial)
        )
        self.assertEqual((parsed.appointment_year, parsed.appointment_month), (year, month))

    @given(
        birth=births,
        sex=st.sampled_from(["L", "P"]),
        serial=st.integers(1, 999),
        year=st.integers(2023, 2026),
        frequency=st.integers(1, 9),
    )
    def test_built_pppk_numbers_parse_back(self, birth, sex, serial, year, frequency) -> None:
        value = build_nip(
            birth_date=birth, sex=sex, serial=serial, year=year, kind="pppk", frequency=frequency
        )
        parsed = parse_nip(value, today=TODAY)
        self.assertEqual(
            (parsed.kind, parsed.birth_date, parsed.sex, parsed.serial), ("pppk", birth, sex, serial)
        )

    @given(st.text(max_size=25))
    def test_it_never_crashes_on_arbitrary_text(self, value: str) -> None:
        try:
            parse_nip(value, today=TODAY)
        except NipError as exc:
            self.assertTrue(exc.message)
            self.assertIn(
                exc.segment,
                {"format", "tanggal_lahir", "tmt", "jenis_kelamin", "nomor_urut", "kode_pppk", "tahun"},
            )

    @given(st.from_regex(r"\A[0-9]{18}\Z", fullmatch=True))
    def test_any_18_digits_either_parse_or_name_a_segment(self, value: str) -> None:
        try:
            parsed = parse_nip(value, today=TODAY)
        except NipError as exc:
            self.assertNotEqual(exc.segment, "format")
        else:
            self.assertEqual(parsed.value, value)
            self.assertIn(parsed.sex, {"L", "P"})
            self.assertLessEqual(parsed.birth_date, TODAY)


class NipReviewFindingTests(SimpleTestCase):
    """Review finding 6: the 13th digit decides PNS/PPPK, ASCII digits only, TMT not before the 18th year."""

    def test_it_gives_a_pns_number_with_month_00_or_13_to_19_the_tmt_error(self) -> None:
        for month in ("00", "13", "15", "19"):
            with self.subTest(month=month):
                with self.assertRaises(NipError) as ctx:
                    parse_nip(f"199001012015{month}1001", today=TODAY)
                self.assertEqual(ctx.exception.segment, "tmt", ctx.exception.message)
                self.assertIn("TMT CPNS", ctx.exception.message)

    def test_it_refuses_full_width_digits_as_a_format_error(self) -> None:
        full_width = "".join(chr(ord("０") + int(d)) for d in "199001012015031001")
        with self.assertRaises(NipError) as ctx:
            parse_nip(full_width, today=TODAY)
        self.assertEqual(ctx.exception.segment, "format")
        with self.assertRaises(NipError) as ctx:
            parse_nip("١٩٩٠٠١٠١٢٠١٥٠٣١٠٠١", today=TODAY)  # Arabic-Indic digits
        self.assertEqual(ctx.exception.segment, "format")

    def test_it_wants_the_tmt_month_no_earlier_than_the_18th_birthday_month(self) -> None:
        # Born 15 March 1990: TMT 2008-02 is before the birthday month; 2008-03 and later are accepted.
        with self.assertRaises(NipError) as ctx:
            parse_nip("199003152008021001", today=TODAY)
        self.assertEqual(ctx.exception.segment, "tmt")
        self.assertEqual(parse_nip("199003152008031001", today=TODAY).appointment_month, 3)

    @given(
        birth=births,
        month=st.sampled_from(["00", "13", "14", "15", "16", "17", "18", "19"]),
        tail=st.from_regex(r"\A[0-9]{4}\Z", fullmatch=True),
        year=st.integers(1978, 2025),
    )
    def test_a_13th_digit_of_0_or_1_is_never_read_as_pppk(self, birth, month, tail, year) -> None:
        value = f"{birth:%Y%m%d}{year:04d}{month}{tail}"
        with self.assertRaises(NipError) as ctx:
            parse_nip(value, today=TODAY)
        self.assertNotEqual(ctx.exception.segment, "kode_pppk")
        self.assertEqual(ctx.exception.segment, "tmt")

    @given(st.from_regex(r"\A[0-9]{18}\Z", fullmatch=True))
    def test_the_13th_digit_decides_the_kind(self, value: str) -> None:
        try:
            parsed = parse_nip(value, today=TODAY)
        except NipError as exc:
            self.assertIn(exc.segment, SEGMENTS)
            self.assertNotEqual(exc.segment, "kode_pppk")
        else:
            self.assertEqual(parsed.kind, "pppk" if value[12] == "2" else "pns")

    @given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=18, max_size=18))
    def test_non_ascii_digits_are_a_format_error(self, value: str) -> None:
        if value.isascii():
            return
        with self.assertRaises(NipError) as ctx:
            parse_nip(value, today=TODAY)
        self.assertEqual(ctx.exception.segment, "format")

    @given(
        birth=births,
        sex=st.sampled_from(["L", "P"]),
        serial=st.integers(1, 999),
        offset_months=st.integers(-3, 3),
    )
    def test_the_tmt_rule_matches_the_18th_birthday_month(self, birth, sex, serial, offset_months) -> None:
        index = (birth.year + 18) * 12 + (birth.month - 1) + offset_months
        year, month = divmod(index, 12)
        month += 1
        value = build_nip(birth_date=birth, sex=sex, serial=serial, year=year, month=month)
        allowed = (year, month) >= (birth.year + 18, birth.month)
        try:
            parse_nip(value, today=TODAY)
        except NipError as exc:
            self.assertFalse(allowed, exc.message)
            self.assertEqual(exc.segment, "tmt")
        else:
            self.assertTrue(allowed)


class CpnsYearTests(SimpleTestCase):
    """The probation year after TMT CPNS (PP 11/2017 art. 34), read from the NIP's digits 9–14."""

    today = dt.date(2026, 11, 28)

    def nip(self, year: int, month: int, kind: str = "pns") -> str:
        return build_nip(
            birth_date=dt.date(1999, 5, 1),
            sex="P",
            serial=7,
            year=year,
            month=month,
            kind=kind,  # type: ignore[arg-type]
        )

    def test_twelve_months_from_the_tmt_month(self) -> None:
        self.assertTrue(in_cpns_year(self.nip(2026, 11), self.today))  # this month
        self.assertTrue(in_cpns_year(self.nip(2025, 12), self.today))  # 11 months ago
        self.assertFalse(in_cpns_year(self.nip(2025, 11), self.today))  # 12 months: PNS now
        self.assertFalse(in_cpns_year(self.nip(2015, 3), self.today))

    def test_pppk_and_garbage_are_never_cpns(self) -> None:
        self.assertFalse(in_cpns_year(self.nip(2026, 1, kind="pppk"), self.today))
        self.assertFalse(in_cpns_year("not a nip", self.today))
        self.assertFalse(in_cpns_year("199905012026001001", self.today))  # TMT month 00

    def test_spaces_as_printed_are_accepted(self) -> None:
        self.assertTrue(in_cpns_year("19990501 202606 2 007", self.today))
