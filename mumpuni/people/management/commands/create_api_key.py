"""`manage.py create_api_key NAME --role ROLE [--unit CODE] [--allow-privileged]`: a service account and key.

Only kiosk, display and partner keys are made by default; other roles need --allow-privileged (warned).

The key is printed once, alone on the last line (so scripts can take `tail -n 1`); only its hash is stored.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.common.errors import ApplicationError
from mumpuni.people import services
from mumpuni.people.models import ApiKey, Role, Unit

# Roles that only make sense bound to a unit subtree (the database refuses them without one as well).
UNIT_SCOPED_ROLES = {
    Role.UNIT_HEAD.value,
    Role.COUNTER_OFFICER.value,
    Role.KIOSK.value,
    Role.DISPLAY.value,
    Role.PARTNER.value,
}


class Command(BaseCommand):
    help = "Membuat akun layanan (kios, papan antrean, sistem mitra) beserta kunci API-nya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Nama kunci, unik (mis. kios-tembalang-1).")
        parser.add_argument("--role", required=True, help="Peran: " + ", ".join(Role.values) + ".")
        parser.add_argument("--unit", default=None, help="Kode unit cakupan (mis. 33.74.10).")
        parser.add_argument(
            "--allow-privileged",
            action="store_true",
            help="Izinkan peran selain kiosk, display dan partner (mis. admin: akses tulis seluruh kota).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(options["name"]).strip()
        role = str(options["role"]).strip().lower()
        unit_code = (options.get("unit") or "").strip().upper()

        max_name = ApiKey._meta.get_field("name").max_length or 100
        if not name:
            raise CommandError("Nama kunci wajib diisi.")
        if len(name) > max_name:
            raise CommandError(f"Nama kunci paling banyak {max_name} karakter.")
        if role not in Role.values:
            raise CommandError(f"Peran '{role}' tidak dikenal. Pilihan: {', '.join(Role.values)}.")
        if role in UNIT_SCOPED_ROLES and not unit_code:
            raise CommandError(f"Peran '{role}' memerlukan unit: tambahkan --unit KODE.")
        unit: Unit | None = None
        if unit_code:
            unit = Unit.objects.filter(code=unit_code).first()
            if unit is None:
                raise CommandError(f"Unit dengan kode '{unit_code}' tidak ditemukan.")

        allow_privileged = bool(options.get("allow_privileged"))
        if allow_privileged and role not in services.SERVICE_KEY_ROLES:
            self.stderr.write(
                f"PERINGATAN: kunci ini memberi peran '{role}' kepada sebuah akun layanan; simpan dan "
                "cabut kunci ini dengan sangat hati-hati."
            )
        try:
            record, key = services.api_key_create(
                actor=None, name=name, role=role, unit=unit, allow_privileged=allow_privileged
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

        scope = f"unit {unit.code} ({unit.name})" if unit else "seluruh kota"
        self.stdout.write(
            f"Kunci API '{record.name}' dibuat untuk akun layanan {record.user.username} "
            f"(peran {role}, cakupan {scope}). Simpan kunci di bawah ini sekarang; kunci tidak dapat "
            f"ditampilkan lagi. Kirim sebagai header 'Authorization: Bearer KUNCI'."
        )
        self.stdout.write(key)
