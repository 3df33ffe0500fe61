"""Checks for uploaded evidence files (assessments, nonklasikal activities): type, size and content.

Duck-typed on Django's UploadedFile (name, size, read, seek) so it stays free of Django imports.
"""

from __future__ import annotations

from typing import Any

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# Evidence is a PDF or a photo/scan; the first bytes must agree with the extension.
EVIDENCE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def check_evidence_file(upload: Any) -> list[str]:
    """Indonesian messages about an uploaded evidence file (empty list: acceptable)."""
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_SIGNATURES:
        return ["Berkas bukti harus PDF, JPG atau PNG."]
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_EVIDENCE_BYTES:
        return [f"Berkas bukti terlalu besar ({size / 1_048_576:.1f} MB); batasnya 5 MB."]
    if size == 0:
        return ["Berkas bukti kosong."]
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES[extension]):
        return ["Isi berkas tidak sesuai dengan jenisnya; unggah PDF, JPG atau PNG yang asli."]
    return []
