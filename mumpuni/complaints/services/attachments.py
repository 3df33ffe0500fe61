"""Complaint attachments: checked by content (not by name), re-encoded without metadata, stored.

OWNED BY THE INTAKE HELPER — contract:
- `check_attachments(files, max_mb) -> list[str]`: Indonesian messages (empty: acceptable). At most 3 files;
  JPEG/PNG/WebP images and PDFs only, recognised by content (a renamed executable is refused); size ≤ max_mb.
- `store_attachments(complaint, files) -> list[Attachment]`: images re-encoded with Pillow without EXIF/GPS,
  PDFs rewritten with pypdf without document metadata; sha256 of the stored bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mumpuni.complaints.models import Attachment, Complaint

MAX_FILES = 3


def check_attachments(files: Sequence[Any], max_mb: int) -> list[str]:
    raise NotImplementedError


def store_attachments(complaint: Complaint, files: Sequence[Any]) -> list[Attachment]:
    raise NotImplementedError
