"""Evidence: type by content, size limit, SHA-256, thumbnails, who may download and delete."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kaoping.campaigns.domain.evidence import EvidenceError, add_evidence, delete_evidence
from kaoping.campaigns.domain.sheets import submit_sheet
from kaoping.campaigns.models import Evidence
from tests.campaigns.conftest import TODAY
from tests.campaigns.scoring_fixtures import *  # noqa: F403  (fixtures)

HX = {"HTTP_HX_REQUEST": "true"}


def photo(size=(1200, 800), orientation=None, fmt="JPEG") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def thumb_size(ev):
    with ev.thumbnail.open("rb") as f, Image.open(f) as thumb:
        return thumb.size


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_photo_stored_with_sha256_and_smaller_thumbnail(review_sheet, raters):
    content = photo()
    ev = add_evidence(sheet=review_sheet, item_code="1.1", upload=upload("现场.jpg", content),
                      by=raters[0], day=TODAY)  # fmt: skip
    assert ev.sha256 == hashlib.sha256(content).hexdigest()
    assert ev.content_type == "image/jpeg" and ev.size == len(content)
    assert ev.file.name.startswith(f"evidence/{ev.sha256[:2]}/{ev.sha256}")
    assert max(thumb_size(ev)) == 320
    assert ev.thumbnail.size < ev.size


def test_exif_orientation_turns_the_thumbnail_upright(review_sheet, raters):
    # Orientation 6: the camera was turned; the picture is shown rotated by 90°.
    ev = add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                      upload=upload("竖拍.jpg", photo(orientation=6)))  # fmt: skip
    width, height = thumb_size(ev)
    assert height > width


def test_pdf_and_webp_accepted_without_or_with_thumbnail(review_sheet, raters):
    pdf = add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                       upload=upload("台账.pdf", b"%PDF-1.4\n%...\n", "application/pdf"))  # fmt: skip
    assert pdf.content_type == "application/pdf" and not pdf.thumbnail
    webp = add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                        upload=upload("a.webp", photo(fmt="WEBP"), "image/webp"))  # fmt: skip
    assert webp.content_type == "image/webp" and webp.thumbnail


def test_text_named_jpg_refused(review_sheet, raters):
    with pytest.raises(EvidenceError) as err:
        add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                     upload=upload("photo.jpg", b"just some text, not a photo"))  # fmt: skip
    assert err.value.message == (
        "“Evidence file”: only photos (JPEG, PNG, WebP) and PDF files can be uploaded."
    )
    assert not Evidence.objects.exists()


def test_broken_image_refused(review_sheet, raters):
    with pytest.raises(EvidenceError) as err:
        add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                     upload=upload("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50))  # fmt: skip
    assert "could not be read" in err.value.message


def test_size_limit_from_setting(review_sheet, raters, settings):
    settings.KAOPING_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(EvidenceError) as err:
        add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                     upload=upload("big.jpg", photo()))  # fmt: skip
    assert err.value.message.startswith("“Evidence file”: the file is larger than")


def test_submitted_sheet_takes_no_evidence(review_sheet, raters):
    submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY)
    with pytest.raises(EvidenceError):
        add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                     upload=upload("a.jpg", photo()))  # fmt: skip


def test_only_uploader_deletes(review_sheet, raters, alice):
    ev = add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                      upload=upload("a.jpg", photo()))  # fmt: skip
    with pytest.raises(EvidenceError):
        delete_evidence(evidence=ev, by=alice, day=TODAY)
    delete_evidence(evidence=ev, by=raters[0], day=TODAY)
    assert not Evidence.objects.exists()


def test_upload_view_and_download_permissions(client, review_sheet, raters, alice, bob, charlie):
    client.force_login(raters[0])
    response = client.post(reverse("campaigns:evidence_upload", kwargs={"pk": review_sheet.assignment_id}),
                           {"item": "1.1", "file": upload("现场.jpg", photo())}, **HX)  # fmt: skip
    assert response.status_code == 200
    ev = Evidence.objects.get()
    assert reverse("campaigns:evidence_file", kwargs={"pk": ev.pk}) in response.content.decode()
    file_url = reverse("campaigns:evidence_file", kwargs={"pk": ev.pk})
    response = client.get(file_url)
    assert response.status_code == 200
    # Reading the stream to its end closes the file the way the test client expects; calling
    # close() by hand would fire request_finished and drop the test's database connection.
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == ev.sha256
    client.force_login(alice)
    response = client.get(file_url + "?thumb=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    for user in (raters[1], bob, charlie):
        client.force_login(user)
        assert client.get(file_url).status_code == 404
        delete = reverse("campaigns:evidence_delete", kwargs={"pk": ev.pk})
        assert client.post(delete).status_code == 404
    client.logout()
    assert client.get(file_url).status_code == 302


def test_upload_view_shows_refusal(client, review_sheet, raters):
    client.force_login(raters[0])
    response = client.post(reverse("campaigns:evidence_upload", kwargs={"pk": review_sheet.assignment_id}),
                           {"item": "1.1", "file": upload("x.jpg", b"hello")}, **HX)  # fmt: skip
    assert (
        "only photos (JPEG, PNG, WebP) and PDF files can be uploaded." in response.content.decode()
    )


def test_delete_view(client, review_sheet, raters):
    ev = add_evidence(
        sheet=review_sheet, item_code="1.1", by=raters[0], upload=upload("a.jpg", photo())
    )
    client.force_login(raters[0])
    response = client.post(reverse("campaigns:evidence_delete", kwargs={"pk": ev.pk}), **HX)
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_decompression_bomb_refused_before_decoding(review_sheet, raters):
    out = io.BytesIO()
    Image.new("1", (8000, 5001)).save(out, "PNG")  # 40 million pixels in a few kilobytes
    with pytest.raises(EvidenceError) as err:
        add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                     upload=upload("bomb.png", out.getvalue(), "image/png"))  # fmt: skip
    assert err.value.message == "The image is too large (more than 40 million pixels)."
    assert not Evidence.objects.exists()


def test_evidence_reads_the_sheet_status_under_lock(review_sheet, raters):
    """A sheet object read before its submission (another request's) is not trusted."""
    ev = add_evidence(sheet=review_sheet, item_code="1.1", by=raters[0], day=TODAY,
                      upload=upload("a.jpg", photo()))  # fmt: skip
    stale = (
        type(review_sheet)
        .objects.select_related("assignment__stage__campaign", "assignment__participant__rubric")
        .get(pk=review_sheet.pk)
    )
    submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY)
    assert stale.status == "draft"
    with pytest.raises(EvidenceError):
        add_evidence(sheet=stale, item_code="1.1", by=raters[0], day=TODAY,
                     upload=upload("b.jpg", photo()))  # fmt: skip
    ev.sheet = stale
    with pytest.raises(EvidenceError):
        delete_evidence(evidence=ev, by=raters[0], day=TODAY)
    assert Evidence.objects.count() == 1


def test_later_raters_see_the_self_assessment_evidence_read_only(
    client, self_sheet, kinds_sheet, branch_user, raters, campaign, open_stages
):
    from kaoping.campaigns.models import Assignment, Participant

    ev = add_evidence(sheet=self_sheet, item_code="A1", by=branch_user, day=TODAY,
                      upload=upload("自评.jpg", photo()))  # fmt: skip
    file_url = reverse("campaigns:evidence_file", kwargs={"pk": ev.pk})
    client.force_login(raters[0])  # scores the same organization in the review
    page = client.get(reverse("campaigns:sheet", kwargs={"pk": kinds_sheet.assignment_id}))
    text = page.content.decode()
    assert "from the self-assessment" in text and f"{file_url}?thumb=1" in text
    delete_url = reverse("campaigns:evidence_delete", kwargs={"pk": ev.pk})
    assert delete_url not in text
    response = client.get(file_url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert client.post(delete_url).status_code == 403
    # A rater of another organization in the same stage sees neither the list nor the file.
    other = Participant.objects.exclude(pk=kinds_sheet.assignment.participant_id).get(
        campaign=campaign
    )
    Assignment.objects.create(stage=open_stages["review"], participant=other, rater=raters[1])
    client.force_login(raters[1])
    assert client.get(file_url).status_code == 404
    assert Evidence.objects.filter(pk=ev.pk).exists()
