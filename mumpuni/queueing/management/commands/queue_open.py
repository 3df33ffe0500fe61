"""manage.py queue_open POINT --minutes N: open a service point outside its hours (extended service day,
jemput bola event) from now for N minutes, as the system (audited)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mumpuni.common.errors import ApplicationError
from mumpuni.queueing.models import ServicePoint
from mumpuni.queueing.services.points import point_open_extend


class Command(BaseCommand):
    help = "Buka tempat pelayanan di luar jam layanan selama N menit mulai sekarang."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("point", help="kode tempat pelayanan (kode unit), mis. 33.74.10")
        parser.add_argument("--minutes", type=int, required=True, help="lama buka tambahan dalam menit (> 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["point"]
        minutes = options["minutes"]
        if minutes <= 0:
            raise CommandError("--minutes harus lebih dari 0.")
        point = ServicePoint.objects.select_related("unit").filter(unit__code=code).first()
        if point is None:
            raise CommandError(f"Tempat pelayanan {code!r} tidak dikenal.")
        try:
            until = point_open_extend(point=point, minutes=minutes, actor=None)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        local = timezone.localtime(until)
        self.stdout.write(f"{point.name} ({code}) dibuka sampai {local:%Y-%m-%d %H:%M} ({local.tzname()}).")
