"""manage.py import_positions FILE [--dry-run]: import positions (jabatan) from CSV/XLSX, all or nothing."""

from mumpuni.people import imports
from mumpuni.people.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import positions (jabatan) from a CSV or XLSX file; any bad row changes nothing and exits non-zero."
    )
    kind = imports.POSITIONS
