"""Evidence of progress posts, checked, hashed and thumbnailed by the campaigns' evidence code.

One implementation of what a safe file is, so the apps cannot drift apart.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.evidence import (
    IMAGE_TYPES,
    EvidenceError,
    make_thumbnail,
    max_bytes,
    sniff_type,
)
from kaoping.rectification.models import Progress, ProgressFile

__all__ = ["EvidenceError", "check_upload", "store_file"]


def check_upload(upload) -> dict:
    """The upload checked and ready to store: name, content, type and an image's thumbnail.
    EvidenceError for an empty, too large, foreign or unreadable file (nothing written)."""
    limit = max_bytes()
    too_large = _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
    if upload.size is not None and upload.size > limit:
        raise EvidenceError(too_large)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise EvidenceError(too_large)
    if not content:
        raise EvidenceError(_("The file is empty."))
    content_type = sniff_type(content[:16])
    if content_type is None:
        raise EvidenceError(_("Only photos (JPEG, PNG, WebP) and PDF files can be uploaded."))
    thumb = make_thumbnail(content) if content_type in IMAGE_TYPES else None
    return {"name": upload.name, "content": content, "content_type": content_type, "thumb": thumb}


def store_file(*, progress: Progress, name: str, content: bytes, content_type: str, thumb, by):
    """Write one checked file (and an image's thumbnail) with its SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    row = ProgressFile(
        progress=progress, original_name=(name or "")[-255:] or digest,
        content_type=content_type, size=len(content), sha256=digest, uploaded_by=by,
    )  # fmt: skip
    row.file.save(
        f"upload.{IMAGE_TYPES.get(content_type, 'pdf')}", ContentFile(content), save=False
    )
    if thumb is not None:
        row.thumbnail.save(f"{digest}.jpg", ContentFile(thumb), save=False)
    row.save()
    return row
