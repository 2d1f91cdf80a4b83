import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kaoping.duties.domain.cycle import DutyError
from kaoping.duties.domain.progress import add_note, verification_summary, verify_item
from kaoping.duties.models import NoteEvidence

YEAR_END = datetime.date(2026, 12, 20)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_note_with_photo_keeps_its_hash_and_thumbnail(filed_list, secretary):
    content = png()
    note = add_note(duty_list=filed_list, item_key="c2", text="组织周一夜学12次", by=secretary,
                    upload=SimpleUploadedFile("p.png", content), day=YEAR_END)  # fmt: skip
    evidence = NoteEvidence.objects.get(note=note)
    import hashlib

    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.content_type == "image/png"
    assert evidence.thumbnail.name.endswith(".jpg")


def test_note_with_a_text_file_is_refused(filed_list, secretary):
    with pytest.raises(DutyError, match="only photos"):
        add_note(duty_list=filed_list, item_key="c2", text="x", by=secretary,
                 upload=SimpleUploadedFile("p.png", b"hello"))  # fmt: skip
    assert filed_list.notes.count() == 0


def test_note_on_unknown_item_or_unfiled_list_is_refused(
    filed_list, branch_list, secretary, cycle, organs
):
    with pytest.raises(DutyError, match="has no duty c99"):
        add_note(duty_list=filed_list, item_key="c99", text="x", by=secretary)
    draft = cycle.lists.get(organization=organs["branch2"])
    with pytest.raises(DutyError, match="has not been filed yet"):
        add_note(duty_list=draft, item_key="c1", text="x", by=secretary)


def test_verify_items_and_summary(filed_list, alice):
    verify_item(
        duty_list=filed_list, item_key="c1", outcome="done", comment="", by=alice, day=YEAR_END
    )
    verify_item(
        duty_list=filed_list, item_key="p1", outcome="partly", comment="只开展2次", by=alice
    )
    verify_item(duty_list=filed_list, item_key="p1", outcome="not_done", comment="未开展", by=alice)
    summary = verification_summary(organization=filed_list.organization, year=2026)
    assert (summary.total, summary.done, summary.partly, summary.not_done, summary.unverified) == (
        12, 1, 0, 1, 10)  # fmt: skip
    assert summary.items[10] == {"key": "p1", "label": "个性1", "text": "开展支部联建",
                                 "outcome": "not_done", "comment": "未开展"}  # fmt: skip
    assert summary.late is False
    assert summary.content_hash == filed_list.content_hash
    assert filed_list.verifications.get(item_key="p1").history.count() == 2


def test_partly_without_comment_is_refused(filed_list, alice):
    with pytest.raises(DutyError, match="the field “comment” is empty"):
        verify_item(duty_list=filed_list, item_key="c1", outcome="partly", comment="", by=alice)


def test_summary_of_an_organization_without_a_list_is_none(organs, cycle):
    assert verification_summary(organization=organs["village"], year=2026) is None
