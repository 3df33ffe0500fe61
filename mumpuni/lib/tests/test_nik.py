import datetime as dt

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from mumpuni.lib.nik import NikError, mask_nik, mask_secrets_in_text, validate_nik


def make_nik(region: str, birth: dt.date, female: bool, serial: int) -> str:
    day = birth.day + (40 if female else 0)
    return f"{region}{day:02d}{birth:%m}{birth:%y}{serial:04d}"


class NikTests(SimpleTestCase):
    def test_it_accepts_a_semarang_nik(self) -> None:
        self.assertEqual(validate_nik("3374 1041 0190 0001"), "3374104101900001")

    def test_it_refuses_bad_numbers_in_indonesian(self) -> None:
        for value in ("12345", "33741041019000AB", "3374104199900001"):
            with self.subTest(value=value), self.assertRaises(NikError) as ctx:
                validate_nik(value)
            self.assertIn("NIK tidak valid", str(ctx.exception))

    def test_it_masks(self) -> None:
        self.assertEqual(mask_nik("3374104101900001"), "3374********0001")
        self.assertEqual(mask_nik(""), "")
        self.assertEqual(mask_secrets_in_text("nik 3374104101900001 ok"), "nik 3374********0001 ok")

    @given(
        birth=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2020, 12, 31)),
        female=st.booleans(),
        serial=st.integers(1, 9999),
    )
    def test_valid_shapes_validate_and_masks_hide_the_middle(self, birth, female, serial) -> None:
        value = make_nik("337410", birth, female, serial)
        self.assertEqual(validate_nik(value), value)
        masked = mask_nik(value)
        self.assertEqual(len(masked), 16)
        self.assertEqual(masked[4:12], "*" * 8)
        self.assertNotIn(value[4:12], masked)
