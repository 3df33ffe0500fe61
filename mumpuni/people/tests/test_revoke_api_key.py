from io import StringIO

from django.core.management import CommandError, call_command

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.people import services
from mumpuni.people.models import ApiKey
from mumpuni.testing import BaseTestCase


class RevokeApiKeyTests(BaseTestCase):
    def setUp(self) -> None:
        self.record, self.key = services.api_key_create(
            actor=None, name="mitra-1", role="partner", unit=self.tembalang
        )

    def test_a_revoked_key_is_refused_by_the_api(self) -> None:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.key}"}
        self.assertEqual(self.client.get("/api/v1/units", **auth).status_code, 200)
        call_command("revoke_api_key", "mitra-1", stdout=StringIO())
        self.record.refresh_from_db()
        self.assertIsNotNone(self.record.revoked_at)
        self.assertEqual(self.client.get("/api/v1/units", **auth).status_code, 401)

    def test_it_names_an_unknown_key(self) -> None:
        with self.assertRaises(CommandError):
            call_command("revoke_api_key", "tidak-ada", stdout=StringIO())

    def test_it_refuses_outsiders(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services.api_key_revoke(actor=self.camat, key=self.record)
        self.assertIsNone(ApiKey.objects.get(pk=self.record.pk).revoked_at)
