from django.test import SimpleTestCase

from mumpuni.lib.terbilang import terbilang


class TerbilangTests(SimpleTestCase):
    def test_it_spells_numbers_in_indonesian(self) -> None:
        cases = {
            0: "nol",
            1: "satu",
            10: "sepuluh",
            11: "sebelas",
            12: "dua belas",
            19: "sembilan belas",
            20: "dua puluh",
            21: "dua puluh satu",
            99: "sembilan puluh sembilan",
            100: "seratus",
            101: "seratus satu",
            111: "seratus sebelas",
            250: "dua ratus lima puluh",
            999: "sembilan ratus sembilan puluh sembilan",
            1000: "seribu",
            1012: "seribu dua belas",
            2024: "dua ribu dua puluh empat",
            100_000: "seratus ribu",
            1_000_000: "satu juta",
            2_500_000_000: "dua miliar lima ratus juta",
        }
        for number, words in cases.items():
            with self.subTest(number=number):
                self.assertEqual(terbilang(number), words)

    def test_it_handles_negative_and_refuses_huge_numbers(self) -> None:
        self.assertEqual(terbilang(-5), "minus lima")
        with self.assertRaises(ValueError):
            terbilang(10**12)
