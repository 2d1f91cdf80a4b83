"""Evidence of progress posts, checked, hashed and thumbnailed by the campaigns' evidence code.

One implementation of what a safe file is, so the apps cannot drift apart.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from kaoping.campaigns.domain.evidence import (
    IMAGE_TYPES,
    EvidenceError,
    make_thumbnail,
    read_upload,
)
from kaoping.rectification.models import Progress, ProgressFile

__all__ = ["EvidenceError", "check_upload", "store_file"]


def check_upload(upload) -> dict:
    """The upload checked and ready to store: name, content, type and an image's thumbnail.
    EvidenceError for an empty, too large, foreign or unreadable file (nothing written)."""
    content, content_type = read_upload(upload)
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
