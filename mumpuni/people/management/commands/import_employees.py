"""manage.py import_employees FILE [--dry-run]: import employees (pegawai) from CSV/XLSX, all or nothing."""

from mumpuni.people import imports
from mumpuni.people.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import employees from a CSV or XLSX file; any bad row changes nothing and exits non-zero."
    kind = imports.EMPLOYEES
