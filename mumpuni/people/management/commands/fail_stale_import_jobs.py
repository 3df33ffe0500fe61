"""`manage.py fail_stale_import_jobs`: mark import jobs stuck for over 15 minutes as failed (see tasks.py)."""

from typing import Any

from django.core.management.base import BaseCommand

from mumpuni.people.tasks import fail_stale_import_jobs


class Command(BaseCommand):
    help = "Menandai impor yang macet lebih dari 15 menit (pemeriksaan/penerapan) sebagai gagal."

    def handle(self, *args: Any, **options: Any) -> None:
        count = fail_stale_import_jobs()
        self.stdout.write(f"{count} impor macet ditandai gagal.")
