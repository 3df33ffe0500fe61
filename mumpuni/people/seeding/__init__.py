"""Demo and benchmark data (`manage.py seed_demo`).

- `city.seed_city()`: Kota Semarang's real units (root 33.74, the 16 kecamatan and 177 kelurahan of
  Kepmendagri 300.2.2-2138/2025 from `people/data/semarang_wilayah.csv`, the perangkat daerah and the MPP),
  positions from `catalogue.py`, ~15,000 synthetic ASN from `people.py` (Faker id_ID names, valid NIPs that
  agree with sex and birth date, supervisors along the hierarchy pelaksana -> pengawas -> administrator ->
  JPT/camat -> Sekretaris Daerah) and the demo accounts of `accounts.py`.
- `national.seed_national()`: ~4.3 million synthetic ASN for benchmarks, loaded with PostgreSQL COPY.

Deterministic for a given seed: one random.Random, one seeded Faker and a fixed reference date.
"""

from mumpuni.people.seeding.accounts import DEMO_ACCOUNTS, demo_accounts_table, format_accounts_table
from mumpuni.people.seeding.city import CITY_EMPLOYEES, DEFAULT_SEED, WILAYAH_CSV, seed_city
from mumpuni.people.seeding.national import NATIONAL_EMPLOYEES, seed_national

__all__ = [
    "CITY_EMPLOYEES",
    "DEFAULT_SEED",
    "DEMO_ACCOUNTS",
    "NATIONAL_EMPLOYEES",
    "WILAYAH_CSV",
    "demo_accounts_table",
    "format_accounts_table",
    "seed_city",
    "seed_national",
]
