"""Uploaded files checked by what they contain, not by what they are called.

Every upload in Kaoping (evidence photos and PDFs on score sheets, duty notes and rectification
progress; roster workbooks; filled paper score sheets) passes `check_upload`:

- its type is decided by its first bytes (and, for xlsx and docx, by the parts inside the zip),
  never by the name or the browser's Content-Type, and must be one the field takes;
- a name with an extension must agree with that content (a PDF called "x.exe" or a workbook
  called "photo.jpg" is refused); the stored name's suffix comes from the content anyway;
- it may not exceed the field's own limit nor KAOPING_UPLOAD_MAX_MB (default 20) megabytes,
  and the size is enforced while reading, whatever the client declared.

Refusals are UploadError with a message for people that names the field. Files are stored under
MEDIA_ROOT (in KAOPING_VAR_DIR, outside the static files) and there is no media URL: each app
serves its files through a view that checks the user may see the object they belong to.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

__all__ = [
    "EVIDENCE",
    "KINDS",
    "PHOTOS",
    "WORKBOOK",
    "CheckedUpload",
    "FileKind",
    "UploadError",
    "check_upload",
    "max_upload_bytes",
    "sniff",
]

DEFAULT_MAX_MB = 20


@dataclass(frozen=True)
class FileKind:
    name: str
    content_type: str
    suffix: str  # what the stored file is called
    extensions: tuple[str, ...]  # the names that agree with this content


KINDS = {
    kind.name: kind
    for kind in (
        FileKind("jpeg", "image/jpeg", "jpg", ("jpg", "jpeg", "jpe", "jfif")),
        FileKind("png", "image/png", "png", ("png",)),
        FileKind("gif", "image/gif", "gif", ("gif",)),
        FileKind("webp", "image/webp", "webp", ("webp",)),
        FileKind("pdf", "application/pdf", "pdf", ("pdf",)),
        FileKind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            ("xlsx",),
        ),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            ("docx",),
        ),
    )
}
PHOTOS = ("jpeg", "png", "webp")
EVIDENCE = (*PHOTOS, "pdf")
WORKBOOK = ("xlsx",)


class UploadError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content: bytes
    kind: FileKind

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def max_upload_bytes() -> int:
    return int(getattr(settings, "KAOPING_UPLOAD_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def sniff(content: bytes) -> FileKind | None:
    """The kind that the content proves, or None for anything else."""
    if content.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return KINDS["gif"]
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return KINDS["webp"]
    if content.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    return None


def _office_kind(content: bytes) -> FileKind | None:
    # Reading the zip's directory only: a zip bomb is never inflated here.
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return KINDS["xlsx"]
    if "word/document.xml" in names:
        return KINDS["docx"]
    return None


def _type_names(kinds: tuple[str, ...]) -> str:
    if set(kinds) == set(EVIDENCE):
        return _("photos (JPEG, PNG, WebP) and PDF")
    if kinds == WORKBOOK:
        return _("Excel workbook (.xlsx)")
    return ", ".join(KINDS[name].suffix.upper() for name in kinds)


def check_upload(upload, *, field: str, kinds: Iterable[str], limit: int | None = None):
    """Read and check one uploaded file; a CheckedUpload, or UploadError naming `field`.

    `limit` (bytes) narrows the site-wide KAOPING_UPLOAD_MAX_MB for this field. Reads at most
    one byte past the limit; the caller's file object is left at its start again."""
    kinds = tuple(kinds)
    limit = min(limit or max_upload_bytes(), max_upload_bytes())
    too_large = _("“%(field)s”: the file is larger than %(size)s.") % {
        "field": field,
        "size": filesizeformat(limit),
    }
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise UploadError(too_large)
    content = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(content) > limit:
        raise UploadError(too_large)
    if not content:
        raise UploadError(_("“%(field)s”: the file is empty.") % {"field": field})
    kind = sniff(content)
    if kind is None or kind.name not in kinds:
        raise UploadError(
            _("“%(field)s”: only %(types)s files can be uploaded.")
            % {"field": field, "types": _type_names(kinds)}
        )
    name = PurePath(getattr(upload, "name", "") or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension and extension not in kind.extensions:
        raise UploadError(
            _("“%(field)s”: the name ends in .%(extension)s but the file is a %(type)s file.")
            % {"field": field, "extension": extension, "type": kind.suffix.upper()}
        )
    return CheckedUpload(name=name, content=content, kind=kind)
