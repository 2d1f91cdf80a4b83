"""Evidence (佐证材料): files and photos supporting one item of a sheet.

Only JPEG, PNG, WebP and PDF are taken, recognised by their first bytes by the site's one upload
check (`kaoping.core.uploads`: a renamed text file is refused whatever its name says). Each file is stored with its SHA-256; images get a small
JPEG thumbnail, turned upright by their EXIF orientation. Files are served by a view that checks
the user may view the sheet, never by a public media URL.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Evidence
from kaoping.core import uploads

__all__ = [
    "EvidenceError",
    "add_evidence",
    "delete_evidence",
    "max_bytes",
    "read_upload",
    "sniff_type",
]

THUMBNAIL_PX = 320
# Evidence photos come from phones (12–50 MP); anything beyond this is refused before it is
# decoded, so a small file that expands into gigabytes of pixels never reaches memory.
MAX_IMAGE_PIXELS = 40_000_000
# (content type, the suffix it is stored under)
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PDF = "application/pdf"


class EvidenceError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return getattr(settings, "KAOPING_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def sniff_type(head: bytes) -> str | None:
    """The evidence content type that a file's first bytes prove, or None for anything else."""
    kind = uploads.sniff(head)
    return kind.content_type if kind is not None and kind.name in uploads.EVIDENCE else None


def read_upload(upload) -> tuple[bytes, str]:
    """The content and type of an evidence upload, checked by `kaoping.core.uploads`
    (content, extension, size); EvidenceError naming the field otherwise."""
    try:
        checked = uploads.check_upload(
            upload, field=_("Evidence file"), kinds=uploads.EVIDENCE, limit=max_bytes()
        )
    except uploads.UploadError as err:
        raise EvidenceError(err.message) from None
    return checked.content, checked.content_type


def make_thumbnail(content: bytes) -> bytes:
    """A JPEG of at most THUMBNAIL_PX on its longer side, upright; EvidenceError if the image
    cannot be read (truncated, corrupt, or a decompression bomb)."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: an error here, like beyond.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _thumbnail_of(content)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise EvidenceError(_too_many_pixels()) from None


def _too_many_pixels() -> str:
    return _("The image is too large (more than %(count)d million pixels).") % {
        "count": MAX_IMAGE_PIXELS // 1_000_000
    }


def _thumbnail_of(content: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            # Opening reads the header only: the size is checked before any pixel is decoded.
            # (A lower limit of our own, rather than changing Pillow's process-wide global.)
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError(_too_many_pixels())
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise EvidenceError(
            _("The image could not be read; upload a JPEG, PNG or WebP photo.")
        ) from None
    return out.getvalue()


def _check_sheet(sheet, day: datetime.date) -> None:
    """Refuse unless the sheet is editable. Called inside the caller's transaction: the sheet
    row is locked and its status read again, so a submission cannot slip in between."""
    from kaoping.campaigns.domain.sheets import window_check
    from kaoping.campaigns.models import ScoreSheet

    locked = ScoreSheet.objects.select_for_update().only("status").get(pk=sheet.pk)
    if locked.status == SheetStatus.SUBMITTED:
        raise EvidenceError(_("This sheet has been submitted and cannot change."))
    ok, message = window_check(sheet.assignment.stage, day)
    if not ok:
        raise EvidenceError(message)


@transaction.atomic
def add_evidence(
    *, sheet, item_code: str, upload, by, day: datetime.date | None = None
) -> Evidence:
    """Store an uploaded file as evidence for one item of an editable sheet.

    Refused (EvidenceError with a message for people): unknown item, submitted sheet, stage
    outside its window, empty or too large file, content that is not JPEG/PNG/WebP/PDF, an
    unreadable image. Side effects: the file (and a thumbnail for images) written to storage,
    an Evidence row with the content's SHA-256."""
    from kaoping.campaigns.domain.rubrics import rubric_of

    if item_code not in rubric_of(sheet.assignment.participant.rubric).items:
        raise EvidenceError(_("This sheet has no item %(code)s.") % {"code": item_code})
    _check_sheet(sheet, day or timezone.localdate())
    content, content_type = read_upload(upload)
    thumb = make_thumbnail(content) if content_type in IMAGE_TYPES else None
    digest = hashlib.sha256(content).hexdigest()
    suffix = IMAGE_TYPES.get(content_type, "pdf")
    evidence = Evidence(
        sheet=sheet, item_code=item_code, original_name=(upload.name or "")[-255:] or digest,
        content_type=content_type, size=len(content), sha256=digest, uploaded_by=by,
    )  # fmt: skip
    # The stored name's suffix follows the content, not the name the phone gave it.
    evidence.file.save(f"upload.{suffix}", ContentFile(content), save=False)
    if thumb is not None:
        evidence.thumbnail.save(f"{digest}.jpg", ContentFile(thumb), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(*, evidence: Evidence, by, day: datetime.date | None = None) -> None:
    """Delete one's own evidence while the sheet is editable. Refused (EvidenceError) for
    another person's file, a submitted sheet, or outside the window. Side effects: the row and
    its files are removed from storage."""
    if evidence.uploaded_by_id != by.pk:
        raise EvidenceError(_("Only the person who uploaded a file can delete it."))
    _check_sheet(evidence.sheet, day or timezone.localdate())
    files = [f for f in (evidence.file, evidence.thumbnail) if f]
    evidence.delete()
    # Files go after the row, once the transaction has committed: a rollback keeps both.
    names = [(f.storage, f.name) for f in files]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
