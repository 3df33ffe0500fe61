"""What every import shares: the file specs, the result types and small helpers (no writes here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model

from mumpuni.common.errors import ValidationFailed
from mumpuni.lib.tabular import ColumnNote
from mumpuni.people.models import ImportJob, Position, Unit

T = TypeVar("T")
Progress = Callable[[int], None]

EMPLOYEES = ImportJob.Kind.EMPLOYEES.value
UNITS = ImportJob.Kind.UNITS.value
POSITIONS = ImportJob.Kind.POSITIONS.value

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
BATCH_SIZE = 1000
LOOKUP_CHUNK = 900  # SQLite's old limit on query parameters is 999
PREVIEW_ROWS = 20
ACTIVE_WORDS = {"aktif": True, "nonaktif": False, "non-aktif": False, "tidak aktif": False}
YES_NO = {
    "ya": True,
    "y": True,
    "1": True,
    "true": True,
    "tidak": False,
    "t": False,
    "0": False,
    "false": False,
}


# --- what each file looks like ----------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    kind: str
    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    notes: tuple[ColumnNote, ...]

    @property
    def columns(self) -> list[str]:
        return [*self.required, *self.optional]

    @property
    def example(self) -> list[str]:
        return [note.example for note in self.notes]


def kinds_list(choices: Iterable[tuple[str, str]]) -> str:
    return ", ".join(value for value, _label in choices if value)


SPECS: dict[str, Spec] = {
    EMPLOYEES: Spec(
        kind=EMPLOYEES,
        label="Pegawai",
        required=("nip", "nama", "unit_kode", "jabatan_kode"),
        optional=("atasan_nip", "email", "telepon", "status"),
        notes=(
            ColumnNote(
                "nip",
                True,
                "NIP PNS atau NI PPPK, 18 angka tanpa spasi. Jenis kelamin dan tanggal lahir diambil dari NIP. "
                "NIP yang sudah terdaftar memperbarui data pegawai itu. Format sel sebagai Teks agar Excel "
                "tidak memotong angkanya.",
                "199001012015031001",
            ),
            ColumnNote(
                "nama", True, "Nama lengkap dengan gelar, paling banyak 150 karakter.", "Budi Santoso, S.Kom."
            ),
            ColumnNote(
                "unit_kode", True, "Kode unit kerja (lihat ekspor unit), misalnya 33.74.10.", "33.74.10"
            ),
            ColumnNote(
                "jabatan_kode",
                True,
                "Kode jabatan (lihat ekspor jabatan). Jabatan harus berada di unit pegawai atau unit di atasnya. "
                "Kosongkan bila pegawai belum memiliki jabatan.",
                "KEC10-PELAKSANA",
            ),
            ColumnNote(
                "atasan_nip",
                False,
                "NIP atasan langsung: pegawai yang sudah terdaftar atau baris lain di berkas ini. Kosong berarti "
                "tanpa atasan. Bila kolom ini tidak ada, atasan pegawai lama tidak diubah.",
                "",
            ),
            ColumnNote(
                "email", False, "Alamat email dinas. Kosong menghapus email.", "budi@semarangkota.go.id"
            ),
            ColumnNote("telepon", False, "Nomor telepon 8–16 angka, boleh diawali +.", "081234567890"),
            ColumnNote(
                "status",
                False,
                "aktif atau nonaktif. Kosong: pegawai baru aktif, pegawai lama tidak diubah.",
                "aktif",
            ),
        ),
    ),
    UNITS: Spec(
        kind=UNITS,
        label="Unit",
        required=("kode", "nama", "jenis", "induk_kode"),
        optional=(),
        notes=(
            ColumnNote(
                "kode",
                True,
                "Kode unit: huruf besar, angka dan titik (kecamatan memakai kode Kemendagri, misalnya 33.74.10). "
                "Kode yang sudah terdaftar memperbarui unit itu.",
                "33.74.10.1002",
            ),
            ColumnNote("nama", True, "Nama unit.", "Kelurahan Kramas"),
            ColumnNote("jenis", True, f"Salah satu dari: {kinds_list(Unit.Kind.choices)}.", "kelurahan"),
            ColumnNote(
                "induk_kode",
                True,
                "Kode unit induk: unit yang sudah terdaftar atau baris lain di berkas ini. Kosong untuk unit "
                "puncak (pemerintah daerah).",
                "33.74.10",
            ),
        ),
    ),
    POSITIONS: Spec(
        kind=POSITIONS,
        label="Jabatan",
        required=("kode", "nama", "jenis", "jenjang", "unit_kode"),
        optional=("pelayanan_langsung",),
        notes=(
            ColumnNote(
                "kode",
                True,
                "Kode jabatan: huruf besar, angka, titik, garis dan garis bawah. Kode yang sudah terdaftar "
                "memperbarui jabatan itu.",
                "KEC10-PENGADM-UMUM",
            ),
            ColumnNote("nama", True, "Nama jabatan.", "Pengadministrasi Umum"),
            ColumnNote("jenis", True, f"Salah satu dari: {kinds_list(Position.Kind.choices)}.", "pelaksana"),
            ColumnNote(
                "jenjang",
                True,
                "JPT: utama, madya atau pratama. Fungsional: ahli_utama, ahli_madya, ahli_muda, ahli_pertama, "
                "penyelia, mahir, terampil atau pemula. Administrator, pengawas dan pelaksana: kosong.",
                "",
            ),
            ColumnNote("unit_kode", True, "Kode unit tempat jabatan berada.", "33.74.10"),
            ColumnNote(
                "pelayanan_langsung",
                False,
                "ya bila jabatan melayani masyarakat secara langsung (loket), selain itu tidak.",
                "tidak",
            ),
        ),
    ),
}


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # 0 = the file as a whole; 1 = the header row
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        if self.row == 0:
            return f"berkas: {self.message}"
        where = f"baris {self.row}, kolom {self.column}" if self.column else f"baris {self.row}"
        return f"{where}: {self.message}"


@dataclass
class PreviewRow:
    row: int
    action: str
    values: dict[str, str]
    changed: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "action": self.action, "values": self.values, "changed": self.changed}


@dataclass
class Plan:
    """What a file would do: every error, or the writes to make (creates first, then updates)."""

    kind: str
    file_name: str
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    preview: list[PreviewRow] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def summary(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "preview": [p.as_dict() for p in self.preview],
            "columns": SPECS[self.kind].columns,
        }


class Errors:
    """Errors in file order; at most one message per row and column (the first is the useful one)."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self._seen: set[tuple[int, str]] = set()
        self.rows: set[int] = set()

    def add(self, row: int, column: str, message: str) -> None:
        if (row, column) in self._seen:
            return
        self._seen.add((row, column))
        self.rows.add(row)
        self.items.append(RowError(row, column, message))

    def has(self, row: int, column: str | None = None) -> bool:
        return row in self.rows if column is None else (row, column) in self._seen

    def sorted(self) -> list[RowError]:
        return sorted(self.items, key=lambda e: e.row)


# --- small helpers --------------------------------------------------------------------------------


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_in_chunks(keys: Iterable[str], fetch: Callable[[list[str]], Iterable[T]]) -> list[T]:
    result: list[T] = []
    ordered = sorted(set(keys))
    for part in chunks(ordered, LOOKUP_CHUNK):
        result.extend(fetch(list(part)))
    return result


def choice(value: str, choices: Iterable[tuple[str, str]]) -> str | None:
    """A choice value from its value or its label, case and spaces forgiven: 'Ahli Muda' -> 'ahli_muda'."""
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    for choice_value, label in choices:
        if wanted in {choice_value, str(label).lower().replace(" ", "_")}:
            return choice_value
    return None


def field_errors(
    model: type[Model], values: dict[str, Any], columns: dict[str, str], errors: Errors, row: int
) -> None:
    """The model's own field validation (lengths, formats, validators) of {field: value}.

    Field by field rather than `instance.clean_fields()`: no model instance per row, and foreign keys
    (whose validation queries the database) are never touched.
    """
    for name, value in values.items():
        try:
            model._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
        except DjangoValidationError as exc:
            errors.add(row, columns.get(name, name), str(exc.messages[0]))


def service_errors(
    exc: ValidationFailed, columns: dict[str, str], errors: Errors, row: int, default: str
) -> None:
    if not exc.fields:
        errors.add(row, default, exc.message)
    for name, messages in exc.fields.items():
        errors.add(row, columns.get(name, default), messages[0])


def find_cycles(
    file_parent: dict[str, str | None], load_parents: Callable[[set[str]], dict[str, str | None]]
) -> list[list[str]]:
    """Cycles in a "who is above whom" graph after the file's changes (each node has at most one parent).

    `file_parent` holds the file's nodes; the parents of nodes outside the file come from the database,
    loaded one level at a time with `load_parents`. Returns each cycle once, as the list of its nodes.
    """
    known: dict[str, str | None] = dict(file_parent)
    frontier = {p for p in file_parent.values() if p is not None and p not in known}
    while frontier:
        loaded = load_parents(frontier)
        for key in frontier:
            known[key] = loaded.get(key)
        frontier = {p for p in loaded.values() if p is not None and p not in known}

    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    cycles: list[list[str]] = []
    for start in file_parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = known.get(node)
        if node is not None and state.get(node) == 1:
            cycles.append(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    return cycles


def add_preview(plan: Plan, row: int, action: str, values: dict[str, str], changed: list[str]) -> None:
    if len(plan.preview) < PREVIEW_ROWS:
        plan.preview.append(PreviewRow(row, action, values, changed))
