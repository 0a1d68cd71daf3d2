"""Checking uploaded files: a size limit, and a type judged by the file's content, never by its
name. Used by every module that accepts evidence, reports or data files."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Leading bytes of the kinds of file the platform accepts.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
# Office Open XML files are zip archives with a telltale part inside.
OOXML_PARTS = {
    "xlsx": "xl/workbook.xml",
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
}
EVIDENCE_KINDS = ("pdf", "png", "jpeg", "xlsx", "docx", "pptx")


def detect_kind(upload: UploadedFile) -> str | None:
    """The kind of file by its content (``pdf``, ``png``, ``xlsx``...), or None if unknown."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        for kind, part in OOXML_PARTS.items():
            if part in names:
                return kind
    return None


def check_upload(
    upload: UploadedFile,
    kinds: Iterable[str] = EVIDENCE_KINDS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> str:
    """Refuse a file that is too large or whose content is not one of ``kinds``; return its kind.

    The message names the limit or the accepted kinds, so a clerk knows what to send instead.
    """
    kinds = tuple(kinds)
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": max_bytes // 1_048_576},
            code="file_too_large",
        )
    kind = detect_kind(upload)
    if kind not in kinds:
        raise ValidationError(
            _("This file is not one of the accepted types (%(kinds)s).")
            % {"kinds": ", ".join(k.upper() for k in kinds)},
            code="file_type",
        )
    return kind


def validate_evidence_file(value) -> None:
    """Model-field validator: evidence must be a PDF, image or Office document within the size
    limit. Applies wherever the file is set through a form (the platform's pages, the admin)."""
    upload = getattr(value, "file", value)
    if isinstance(upload, UploadedFile):
        check_upload(upload)
