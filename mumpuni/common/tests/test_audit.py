from django.test import SimpleTestCase

from mumpuni.common.audit import diff, mask_value


class AuditMaskingTests(SimpleTestCase):
    def test_it_masks_nik_and_secrets(self) -> None:
        changes = diff(
            {"nik": None, "password": "a", "name": "A"},
            {"nik": "3374104101900001", "password": "b", "name": "B"},
        )
        self.assertEqual(changes["nik"], [None, "3374********0001"])
        self.assertEqual(changes["password"], ["********", "********"])
        self.assertEqual(changes["name"], ["A", "B"])

    def test_unchanged_fields_are_left_out(self) -> None:
        self.assertEqual(diff({"a": 1, "b": 2}, {"a": 1, "b": 3}), {"b": [2, 3]})
        self.assertEqual(mask_value("api_key", ""), "")
