"""`manage.py revoke_api_key NAME`: revoke a service account's API key at once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mumpuni.people import services
from mumpuni.people.models import ApiKey


class Command(BaseCommand):
    help = "Mencabut kunci API akun layanan; permintaan dengan kunci itu langsung ditolak."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Nama kunci (seperti saat dibuat dengan create_api_key).")

    def handle(self, *args: Any, **options: Any) -> None:
        key = ApiKey.objects.filter(name=options["name"]).first()
        if key is None:
            raise CommandError(f"Kunci API '{options['name']}' tidak ditemukan.")
        already = key.revoked_at is not None
        key = services.api_key_revoke(actor=None, key=key)
        state = "sudah dicabut sebelumnya" if already else "dicabut"
        self.stdout.write(
            f"Kunci API '{key.name}' {state} pada {timezone.localtime(key.revoked_at):%Y-%m-%d %H:%M} WIB."
        )
