"""Complaint attachments: checked by content (not by name), re-encoded without metadata, stored.

Contract (used by services/intake.py):
- `quick_check(files, max_mb) -> list[str]`: count, size and type from the first bytes, without decoding.
- `prepare_attachments(files, max_mb) -> (prepared, messages)`: each file decoded and cleaned ONCE;
  Indonesian messages (empty: acceptable). At most 3 files; JPEG/PNG/WebP images and PDFs only, recognised by
  content (a renamed executable is refused); size ≤ max_mb.
- `store_prepared(complaint, prepared)`: writes the cleaned bytes; sha256 of the stored bytes.
- `check_attachments(files, max_mb)` / `store_attachments(complaint, files)`: the same in one call each.

The type comes from the first bytes (magic numbers) and is then confirmed by decoding the file with Pillow or
pypdf: a file named `foto.jpg` that is really a program, an archive or a broken image is refused. Images are
rebuilt from their pixels only (after applying the EXIF orientation), so EXIF, GPS, XMP, ICC and comments
cannot survive. Decoding is bounded before it starts: the pixel count from the header (16 MP for lossless
formats, whose all-zero bombs compress to almost nothing; 60 MP for JPEG, which is decoded at a reduced scale
with `draft`), so a small file cannot cost hundreds of MB.

PDFs are rebuilt page by page: each page keeps only the keys that draw it (no /Annots — links, JavaScript,
attached files —, /AA, /Metadata, /PieceInfo, /Thumb) and its resources only the drawing kinds; every image is
decoded and re-encoded (no EXIF/GPS from the phone that scanned it); the document gets a fresh catalogue
(no /OpenAction, /Names, /AcroForm) and no /Info. The written file is then parsed again and refused if any
active content (JavaScript, launch/submit actions, embedded files, annotations, forms) is still reachable.
Stored names are random; the citizen's file name is kept only in the database (`original_name`) and not at all
for anonymous complaints (`lampiran-1.jpg`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

from mumpuni.common.errors import ValidationFailed
from mumpuni.complaints.models import Attachment, Complaint

MAX_FILES = 3
# A phone photo is ~12–50 megapixels; more than this is a decompression bomb, not evidence.
MAX_PIXELS = 60_000_000
# PNG/WebP (and images inside PDFs other than JPEG): screenshots and scans are far smaller, and a lossless
# image of one colour compresses ~1000:1, so its header is the only honest measure of what it will cost.
MAX_PIXELS_LOSSLESS = 16_000_000
# Stored images are scaled down to this longest side: plenty to read a sign or a receipt.
MAX_SIDE = 3000
JPEG_QUALITY = 85
MAX_PDF_PAGES = 50
MAX_PDF_PIXELS = 200_000_000  # all images of one PDF together (a 20-page 300 dpi scan is ~175 MP)
MAX_PDF_OBJECTS = 200_000  # objects visited by the active-content check

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
ALLOWED_TEXT = "foto JPEG, PNG, WebP atau dokumen PDF"

# Page keys that draw the page; everything else (annotations, actions, metadata, thumbnails, editor data) goes.
_PAGE_KEYS = frozenset(
    {
        "/Type",
        "/Parent",
        "/Resources",
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/Contents",
        "/Rotate",
        "/UserUnit",
        "/Group",
    }
)
_RESOURCE_KEYS = frozenset(
    {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/ProcSet", "/Properties"}
)
# Anywhere in the written file, these keys or names mean something can act, link out or carry a file.
_ACTIVE_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/OpenAction",
        "/Annots",
        "/AcroForm",
        "/XFA",
        "/Names",
        "/EmbeddedFiles",
        "/EF",
        "/RichMedia",
        "/URI",
        "/Launch",
    }
)
_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/Filespec",
        "/FileAttachment",
        "/RichMedia",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/URI",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
# Metadata an XObject or a font may carry; dropped wherever it appears.
_PRIVATE_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")

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

log = logging.getLogger(__name__)


class AttachmentRefused(ValueError):
    """One file is not acceptable; the message speaks to the citizen."""


@dataclass(frozen=True)
class Prepared:
    """A file that passed every check, already cleaned: what will be stored."""

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


def _head(file: Any) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(16)
    if hasattr(file, "seek"):
        file.seek(0)
    return bytes(head)


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


def _too_big(name: str, size: int, max_mb: int) -> AttachmentRefused:
    return AttachmentRefused(
        f"Berkas “{name}” berukuran {_megabytes(size)} MB; ukuran maksimum {max_mb} MB per berkas."
    )


def _quick_one(file: Any, max_mb: int) -> str:
    """The content type from size and first bytes alone (no decoding), or AttachmentRefused."""
    name = display_name(file)
    size = _size(file)
    if size is not None and size > max_mb * 1024 * 1024:
        raise _too_big(name, size, max_mb)
    if size == 0:
        raise AttachmentRefused(f"Berkas “{name}” kosong.")
    head = _head(file)
    if not head:
        raise AttachmentRefused(f"Berkas “{name}” kosong.")
    content_type = sniff(head)
    if content_type is None:
        raise AttachmentRefused(_describe_unknown(name, head))
    return content_type


def quick_check(files: Sequence[Any], max_mb: int) -> list[str]:
    """Count, size and type of each file, without decoding anything: cheap enough for any request."""
    files = [f for f in files if f is not None]
    if len(files) > MAX_FILES:
        return [f"Lampirkan paling banyak {MAX_FILES} berkas (Anda memilih {len(files)})."]
    messages: list[str] = []
    for file in files:
        try:
            _quick_one(file, max_mb)
        except AttachmentRefused as exc:
            messages.append(str(exc))
    return messages


# ---------------------------------------------------------------- images


def _open_image(data: bytes, content_type: str) -> Image.Image:
    """Open and decode the image within the pixel limits (a truncated or forged file fails here).

    JPEGs are decoded at the smallest DCT scale that still covers MAX_SIDE (`draft`): a 48 MP photo costs
    a quarter of its full size in memory and time, and is scaled to MAX_SIDE anyway.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.format != PILLOW_FORMATS[content_type]:
            raise AttachmentRefused("format")
        width, height = image.size
        limit = MAX_PIXELS if content_type == JPEG else MAX_PIXELS_LOSSLESS
        if width * height > limit:
            raise AttachmentRefused("pixels")
        if content_type == JPEG and max(width, height) > MAX_SIDE:
            # the size the image will be scaled to: draft picks the smallest DCT scale at least that big
            ratio = MAX_SIDE / max(width, height)
            image.draft(None, (max(1, int(width * ratio)), max(1, int(height * ratio))))
        image.load()
    return image


def _clean_image(image: Image.Image, content_type: str) -> bytes:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if content_type == JPEG:
        mode = "L" if image.mode in ("L", "1") else "RGB"
    else:
        mode = "RGBA" if has_alpha else ("L" if image.mode in ("L", "1") else "RGB")
    if image.mode != mode:
        image = image.convert(mode)  # keeps `info`, so the EXIF orientation is still known below
    image.thumbnail((MAX_SIDE, MAX_SIDE))  # in place, before the rotation copies the image
    image = ImageOps.exif_transpose(image) or image  # the photo stands the right way up once EXIF is gone
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


def _prepare_image(name: str, data: bytes, content_type: str) -> bytes:
    try:
        return _clean_image(_open_image(data, content_type), content_type)
    except AttachmentRefused as exc:
        if str(exc) == "pixels":
            raise AttachmentRefused(f"Gambar “{name}” terlalu besar (resolusinya berlebihan).") from None
        raise AttachmentRefused(f"Berkas “{name}” tidak dapat dibuka sebagai gambar (rusak?).") from None
    except (
        OSError,
        ValueError,
        SyntaxError,
        MemoryError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise AttachmentRefused(f"Berkas “{name}” tidak dapat dibuka sebagai gambar (rusak?).") from None


# ---------------------------------------------------------------- PDFs


class _PdfProblem(Exception):
    """Why a PDF cannot be kept; `reason` picks the citizen's message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _open_pdf(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise _PdfProblem("encrypted")
    if len(reader.pages) == 0:
        raise _PdfProblem("empty")
    if len(reader.pages) > MAX_PDF_PAGES:
        raise _PdfProblem("pages")
    return reader


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _image_dicts(resources: Any, seen: set[int]) -> Iterator[DictionaryObject]:
    """Image XObjects of a resources dictionary, also inside form XObjects (each object once)."""
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject):
        return
    xobjects = _resolve(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return
    for ref in xobjects.values():
        xobject = _resolve(ref)
        if not isinstance(xobject, DictionaryObject) or id(xobject) in seen:
            continue
        seen.add(id(xobject))
        if xobject.get("/Subtype") == "/Image":
            yield xobject
        elif xobject.get("/Subtype") == "/Form":
            yield from _image_dicts(xobject.get("/Resources"), seen)


def _pixels(image: DictionaryObject) -> int:
    try:
        return int(_resolve(image.get("/Width", 0))) * int(_resolve(image.get("/Height", 0)))
    except (TypeError, ValueError):
        raise _PdfProblem("broken") from None


def _is_jpeg(image: DictionaryObject) -> bool:
    filters = _resolve(image.get("/Filter"))
    names = list(filters) if isinstance(filters, ArrayObject) else [filters]
    return "/DCTDecode" in names


def _check_image_sizes(reader: PdfReader) -> None:
    """Refuse a PDF whose images would cost too much to decode, from their dictionaries alone."""
    seen: set[int] = set()
    total = 0
    for page in reader.pages:
        for image in _image_dicts(page.get("/Resources"), seen):
            pixels = _pixels(image)
            if pixels > (MAX_PIXELS if _is_jpeg(image) else MAX_PIXELS_LOSSLESS):
                raise _PdfProblem("pixels")
            total += pixels
    if total > MAX_PDF_PIXELS:
        raise _PdfProblem("pixels")


def _strip_page(page: DictionaryObject) -> None:
    """Keep only what draws the page (before add_page, so nothing else is ever copied)."""
    for key in [key for key in page if key not in _PAGE_KEYS]:
        del page[key]
    resources = _resolve(page.get("/Resources"))
    if isinstance(resources, DictionaryObject):
        for key in [key for key in resources if key not in _RESOURCE_KEYS]:
            del resources[key]


def _pixels_only(image: Image.Image) -> Image.Image:
    """The image as fresh pixels (no `info`): bilevel stays bilevel, grey stays grey, the rest is RGB on white."""
    if image.mode == "1":
        mode = "1"
    elif image.mode in ("L", "LA", "I", "I;16", "F"):
        mode = "L"
        image = image.convert("LA").convert("L") if image.mode == "LA" else image.convert("L")
    else:
        mode = "RGB"
        if image.mode in ("RGBA", "LA", "PA", "P"):
            rgba = image.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image = Image.alpha_composite(background, rgba).convert("RGB")
        else:
            image = image.convert("RGB")
    return Image.frombytes(mode, image.size, image.tobytes())


def _reencode_images(writer: PdfWriter) -> None:
    """Every image of every page decoded and written again by Pillow: no EXIF, GPS or hidden bytes survive."""
    done: set[int] = set()
    for page in writer.pages:
        for image_file in page.images:
            if image_file.is_inline:
                raise _PdfProblem("inline")
            ref = image_file.indirect_reference
            if ref is None or ref.idnum in done:
                continue
            done.add(ref.idnum)
            if image_file.image is None:
                raise _PdfProblem("broken")
            image_file.replace(_pixels_only(image_file.image), quality=JPEG_QUALITY)


def _active_content(root: PdfObject) -> str | None:
    """The first key or name that can act, link out or carry a file, among all objects reachable from root."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return "too many objects"
        if isinstance(obj, DictionaryObject):  # stream dictionaries included
            for name, value in obj.items():
                if name in _ACTIVE_KEYS:
                    return str(name)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in _ACTIVE_NAMES:
            return str(obj)
    return None


def _drop_private_keys(root: PdfObject) -> None:
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise _PdfProblem("broken")
        if isinstance(obj, DictionaryObject):
            for name in _PRIVATE_KEYS:
                if name in obj:
                    del obj[NameObject(name)]
            stack.extend(value for name, value in obj.items() if name != "/Parent")
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _clean_pdf(data: bytes) -> bytes:
    reader = _open_pdf(data)
    _check_image_sizes(reader)
    writer = PdfWriter()
    for page in reader.pages:
        _strip_page(page)
        writer.add_page(page)
    writer.metadata = None  # no /Info (author, creator, producer, dates)
    _reencode_images(writer)
    _drop_private_keys(writer._root_object)  # document and XObject XMP, editor data
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    clean = out.getvalue()
    # What is stored is parsed again from its bytes: anything active still reachable refuses the file.
    written = PdfReader(io.BytesIO(clean))
    found = _active_content(written.trailer)
    if found is not None:
        log.info("PDF attachment refused: %s remains after cleaning", found)
        raise _PdfProblem("active")
    return clean


_PDF_MESSAGES = {
    "encrypted": "Berkas “{name}” adalah PDF yang dikunci sandi. Kirim PDF tanpa sandi.",
    "empty": "Berkas “{name}” adalah PDF tanpa halaman.",
    "pages": "PDF “{name}” terlalu panjang; kirim paling banyak " + str(MAX_PDF_PAGES) + " halaman.",
    "pixels": "PDF “{name}” berisi gambar yang terlalu besar (resolusinya berlebihan).",
    "inline": (
        "PDF “{name}” berisi gambar yang tidak dapat kami bersihkan. "
        "Kirim halamannya sebagai foto, atau simpan ulang PDF-nya dengan aplikasi pemindai."
    ),
    "active": (
        "PDF “{name}” berisi skrip, formulir, tautan atau berkas sisipan yang tidak dapat kami buang. "
        "Kirim halamannya sebagai foto, atau cetak ulang ke PDF."
    ),
}


def _prepare_pdf(name: str, data: bytes) -> bytes:
    try:
        return _clean_pdf(data)
    except _PdfProblem as problem:
        template = _PDF_MESSAGES.get(
            problem.reason, "Berkas “{name}” tidak dapat dibuka sebagai PDF (rusak?)."
        )
        raise AttachmentRefused(template.format(name=name)) from None
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        MemoryError,
        Image.DecompressionBombError,
    ):
        raise AttachmentRefused(f"Berkas “{name}” tidak dapat dibuka sebagai PDF (rusak?).") from None


# ---------------------------------------------------------------- checking and storing


def _prepare_one(file: Any, max_mb: int) -> Prepared:
    name = display_name(file)
    _quick_one(file, max_mb)
    data = _read(file)
    if len(data) > max_mb * 1024 * 1024:
        raise _too_big(name, len(data), max_mb)
    if not data:
        raise AttachmentRefused(f"Berkas “{name}” kosong.")
    content_type = sniff(data[:16])
    if content_type is None:
        raise AttachmentRefused(_describe_unknown(name, data[:16]))
    clean = _prepare_pdf(name, data) if content_type == PDF else _prepare_image(name, data, content_type)
    return Prepared(content_type=content_type, data=clean, name=name)


def prepare_attachments(files: Sequence[Any], max_mb: int) -> tuple[list[Prepared], list[str]]:
    """Each file checked, decoded and cleaned once: (cleaned files, Indonesian messages — empty if all good).

    Cheap checks come first for every file, so a request with a bad file decodes nothing.
    """
    files = [f for f in files if f is not None]
    messages = quick_check(files, max_mb)
    if messages:
        return [], messages
    prepared: list[Prepared] = []
    for file in files:
        try:
            prepared.append(_prepare_one(file, max_mb))
        except AttachmentRefused as exc:
            messages.append(str(exc))
    return prepared, messages


def check_attachments(files: Sequence[Any], max_mb: int) -> list[str]:
    """Indonesian messages, one per problem; an empty list means every file is acceptable."""
    return prepare_attachments(files, max_mb)[1]


def _stored_name(complaint: Complaint, prepared: Prepared, number: int) -> str:
    if complaint.identity == Complaint.Identity.ANONYMOUS:
        # "KTP_Budi_Santoso_3374….jpg" would undo the anonymity the citizen chose.
        return f"lampiran-{number}.{EXTENSIONS[prepared.content_type]}"
    return prepared.name


def store_prepared(complaint: Complaint, prepared: Sequence[Prepared]) -> list[Attachment]:
    """Write the cleaned files under MEDIA_ROOT with random names (the caller's transaction holds the rows)."""
    stored: list[Attachment] = []
    try:
        for number, item in enumerate(prepared, 1):
            attachment = Attachment(
                complaint=complaint,
                original_name=_stored_name(complaint, item, number),
                content_type=item.content_type,
                size=len(item.data),
                sha256=hashlib.sha256(item.data).hexdigest(),
            )
            random_name = f"{secrets.token_hex(16)}.{EXTENSIONS[item.content_type]}"
            attachment.file.save(random_name, ContentFile(item.data), save=False)
            attachment.save()
            stored.append(attachment)
    except BaseException:
        # The surrounding transaction rolls the rows back; the files on disk must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def store_attachments(complaint: Complaint, files: Sequence[Any]) -> list[Attachment]:
    """Check, clean and store; refuse (ValidationFailed) what check_attachments would refuse."""
    from mumpuni.complaints.models import ComplaintPolicy

    prepared, messages = prepare_attachments(files, ComplaintPolicy.current().max_attachment_mb)
    if messages:
        raise ValidationFailed("Lampiran ditolak.", fields={"attachments": messages})
    return store_prepared(complaint, prepared)
