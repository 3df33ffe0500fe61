"""manage.py import_units FILE [--dry-run]: import units from CSV/XLSX, all or nothing."""

from mumpuni.people import imports
from mumpuni.people.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import units from a CSV or XLSX file; any bad row changes nothing and exits non-zero."
    kind = imports.UNITS
