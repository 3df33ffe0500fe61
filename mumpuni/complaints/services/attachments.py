"""Complaint attachments: checked by content (not by name), re-encoded without metadata, stored.

Contract (used by services/intake.py):
- `check_attachments(files, max_mb) -> list[str]`: Indonesian messages (empty: acceptable). At most 3 files;
  JPEG/PNG/WebP images and PDFs only, recognised by content (a renamed executable is refused); size ≤ max_mb.
- `store_attachments(complaint, files) -> list[Attachment]`: images re-encoded with Pillow without EXIF/GPS,
  PDFs rewritten with pypdf without document metadata; sha256 of the stored bytes.

The type comes from the first bytes (magic numbers) and is then confirmed by opening the file with Pillow or
pypdf: a file named `foto.jpg` that is really a program, an archive or a broken image is refused. Images are
rebuilt from their pixels only (after applying the EXIF orientation), so EXIF, GPS, XMP, ICC and comments
cannot survive; PDFs are rebuilt page by page without /Info, the catalogue's XMP stream or page metadata.
Stored names are random; the citizen's file name is kept only in the database (`original_name`).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

from mumpuni.common.errors import ValidationFailed
from mumpuni.complaints.models import Attachment, Complaint

MAX_FILES = 3
# A phone photo is ~12–50 megapixels; more than this is a decompression bomb, not evidence.
MAX_PIXELS = 60_000_000
# Stored images are scaled down to this longest side: plenty to read a sign or a receipt.
MAX_SIDE = 3000
JPEG_QUALITY = 85

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
ALLOWED_TEXT = "foto JPEG, PNG, WebP atau dokumen PDF"

# Things people (or scripts) rename to .jpg/.pdf; named in the refusal so the citizen understands why.
_EXECUTABLE_MAGIC = (
    (b"\x7fELF", "program Linux (ELF)"),
    (b"MZ", "program Windows (EXE/DLL)"),
    (b"\xcf\xfa\xed\xfe", "program macOS"),
    (b"\xce\xfa\xed\xfe", "program macOS"),
    (b"\xca\xfe\xba\xbe", "program macOS/Java"),
    (b"#!", "skrip yang dapat dijalankan"),
)
_OTHER_MAGIC = (
    (b"PK\x03\x04", "arsip ZIP atau dokumen Office"),
    (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7-Zip"),
    (b"\x1f\x8b", "arsip GZIP"),
    (b"GIF8", "gambar GIF"),
    (b"<", "halaman web / SVG"),
)


class AttachmentRefused(ValueError):
    """One file is not acceptable; the message speaks to the citizen."""


@dataclass(frozen=True)
class _Checked:
    content_type: str
    data: bytes
    name: str


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes, or None if it is not one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def display_name(file: Any) -> str:
    """The citizen's file name without folders or control characters (database and messages only)."""
    raw = PurePath(str(getattr(file, "name", "") or "berkas").replace("\\", "/")).name
    clean = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip()
    return (clean or "berkas")[:150]


def _size(file: Any) -> int | None:
    size = getattr(file, "size", None)
    return int(size) if size is not None else None


def _read(file: Any) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return bytes(data)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _describe_unknown(name: str, head: bytes) -> str:
    for magic, label in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            return (
                f"Berkas “{name}” ditolak: isinya {label}, bukan foto atau dokumen. "
                "Demi keamanan, berkas program tidak diterima walaupun namanya berakhiran .jpg atau .pdf."
            )
    for magic, label in _OTHER_MAGIC:
        if head.lstrip().startswith(magic):
            return f"Berkas “{name}” ditolak: isinya {label}. Yang diterima hanya {ALLOWED_TEXT}."
    return (
        f"Berkas “{name}” ditolak: isinya bukan {ALLOWED_TEXT}. "
        "Jenis berkas dikenali dari isinya, bukan dari namanya."
    )


def _open_image(data: bytes, content_type: str) -> Image.Image:
    """Open and fully decode the image (a truncated or forged file fails here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.format != PILLOW_FORMATS[content_type]:
            raise AttachmentRefused("format")
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise AttachmentRefused("pixels")
        image.load()
    return image


def _open_pdf(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise AttachmentRefused("encrypted")
    if len(reader.pages) == 0:
        raise AttachmentRefused("empty")
    return reader


def _check_one(file: Any, max_bytes: int, max_mb: int) -> _Checked:
    name = display_name(file)
    size = _size(file)
    if size is not None and size > max_bytes:
        raise AttachmentRefused(
            f"Berkas “{name}” berukuran {_megabytes(size)} MB; ukuran maksimum {max_mb} MB per berkas."
        )
    data = _read(file)
    if len(data) > max_bytes:
        raise AttachmentRefused(
            f"Berkas “{name}” berukuran {_megabytes(len(data))} MB; ukuran maksimum {max_mb} MB per berkas."
        )
    if not data:
        raise AttachmentRefused(f"Berkas “{name}” kosong.")
    content_type = sniff(data[:16])
    if content_type is None:
        raise AttachmentRefused(_describe_unknown(name, data[:16]))
    if content_type == PDF:
        try:
            _open_pdf(data)
        except AttachmentRefused as exc:
            if str(exc) == "encrypted":
                raise AttachmentRefused(
                    f"Berkas “{name}” adalah PDF yang dikunci sandi. Kirim PDF tanpa sandi."
                ) from None
            raise AttachmentRefused(f"Berkas “{name}” adalah PDF tanpa halaman.") from None
        except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, OSError):
            raise AttachmentRefused(f"Berkas “{name}” tidak dapat dibuka sebagai PDF (rusak?).") from None
    else:
        try:
            _open_image(data, content_type)
        except AttachmentRefused as exc:
            if str(exc) == "pixels":
                raise AttachmentRefused(f"Gambar “{name}” terlalu besar (resolusinya berlebihan).") from None
            raise AttachmentRefused(f"Berkas “{name}” tidak dapat dibuka sebagai gambar (rusak?).") from None
        except (
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ):
            raise AttachmentRefused(f"Berkas “{name}” tidak dapat dibuka sebagai gambar (rusak?).") from None
    return _Checked(content_type=content_type, data=data, name=name)


def check_attachments(files: Sequence[Any], max_mb: int) -> list[str]:
    """Indonesian messages, one per problem; an empty list means every file is acceptable."""
    files = [f for f in files if f is not None]
    if len(files) > MAX_FILES:
        return [f"Lampirkan paling banyak {MAX_FILES} berkas (Anda memilih {len(files)})."]
    messages: list[str] = []
    for file in files:
        try:
            _check_one(file, max_mb * 1024 * 1024, max_mb)
        except AttachmentRefused as exc:
            messages.append(str(exc))
    return messages


def _clean_image(data: bytes, content_type: str) -> bytes:
    image = _open_image(data, content_type)
    image = ImageOps.exif_transpose(image) or image  # the photo stands the right way up once EXIF is gone
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if content_type == JPEG:
        mode = "L" if image.mode in ("L", "1") else "RGB"
    else:
        mode = "RGBA" if has_alpha else ("L" if image.mode in ("L", "1") else "RGB")
    image = image.convert(mode)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Rebuilt from raw pixels: a fresh image has an empty `info`, so no EXIF/GPS, XMP, ICC or comment.
    pixels = Image.frombytes(mode, image.size, image.tobytes())
    out = io.BytesIO()
    if content_type == JPEG:
        pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    elif content_type == PNG:
        pixels.save(out, format="PNG", optimize=True)
    else:
        pixels.save(out, format="WEBP", quality=JPEG_QUALITY)
    return out.getvalue()


_PAGE_PRIVATE_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/Thumb")


def _clean_pdf(data: bytes) -> bytes:
    reader = _open_pdf(data)
    writer = PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        for key in _PAGE_PRIVATE_KEYS:  # page-level XMP, editor data, page scripts, thumbnails
            if NameObject(key) in added:
                del added[NameObject(key)]
    writer.metadata = None  # no /Info (author, creator, producer, dates)
    if NameObject("/Metadata") in writer._root_object:  # document XMP (not copied by add_page; be sure)
        del writer._root_object[NameObject("/Metadata")]
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def store_attachments(complaint: Complaint, files: Sequence[Any]) -> list[Attachment]:
    """Re-encode and store each file under MEDIA_ROOT with a random name; refuse what check would refuse."""
    files = [f for f in files if f is not None]
    if len(files) > MAX_FILES:
        raise ValidationFailed(
            "Terlalu banyak lampiran.",
            fields={"attachments": [f"Lampirkan paling banyak {MAX_FILES} berkas."]},
        )
    from mumpuni.complaints.models import ComplaintPolicy

    max_mb = ComplaintPolicy.current().max_attachment_mb
    stored: list[Attachment] = []
    try:
        for file in files:
            try:
                checked = _check_one(file, max_mb * 1024 * 1024, max_mb)
            except AttachmentRefused as exc:
                raise ValidationFailed("Lampiran ditolak.", fields={"attachments": [str(exc)]}) from None
            if checked.content_type == PDF:
                clean = _clean_pdf(checked.data)
            else:
                clean = _clean_image(checked.data, checked.content_type)
            attachment = Attachment(
                complaint=complaint,
                original_name=checked.name,
                content_type=checked.content_type,
                size=len(clean),
                sha256=hashlib.sha256(clean).hexdigest(),
            )
            random_name = f"{secrets.token_hex(16)}.{EXTENSIONS[checked.content_type]}"
            attachment.file.save(random_name, ContentFile(clean), save=False)
            attachment.save()
            stored.append(attachment)
    except BaseException:
        # The surrounding transaction rolls the rows back; the files on disk must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored
