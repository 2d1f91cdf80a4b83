"""One upload check for the whole site: type by content, extension agreeing, size by setting;
files kept outside the web root and never served by a public URL."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import override_settings
from django.urls import Resolver404, get_resolver, resolve
from django.utils import translation
from django.views import static
from docx import Document
from openpyxl import Workbook
from PIL import Image

from kaoping.core import uploads
from kaoping.core.uploads import UploadError, check_upload


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, fmt)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _zip() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return out.getvalue()


CONTENTS = {
    "jpeg": (lambda: _image("JPEG"), "photo.jpg"),
    "png": (lambda: _image("PNG"), "photo.png"),
    "gif": (lambda: _image("GIF"), "anim.gif"),
    "webp": (lambda: _image("WEBP"), "photo.webp"),
    "pdf": (lambda: b"%PDF-1.4\n%\xe2\xe3\n", "台账.pdf"),
    "xlsx": (_xlsx, "名册.xlsx"),
    "docx": (_docx, "通报.docx"),
}


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in English here; the Chinese one once, below.
    with translation.override("en"):
        yield


def test_refusal_is_in_chinese_by_default():
    with translation.override("zh-hans"), pytest.raises(UploadError) as err:
        check_upload(SimpleUploadedFile("photo.jpg", b"just text"), field="佐证材料",
                     kinds=uploads.EVIDENCE)  # fmt: skip
    assert err.value.message == "“佐证材料”：只能上传照片（JPEG、PNG、WebP）和 PDF 文件。"


@pytest.mark.parametrize("kind", sorted(CONTENTS))
def test_kind_recognized_by_content(kind):
    make, name = CONTENTS[kind]

    checked = check_upload(SimpleUploadedFile(name, make()), field="附件", kinds=[kind])

    assert checked.kind.name == kind
    assert checked.name == name


@pytest.mark.parametrize("content", [b"just text", b"MZ\x90\x00binary", _zip(), b"PK\x03\x04x"])
def test_unknown_content_refused_naming_the_field(content):
    with pytest.raises(UploadError) as err:
        check_upload(SimpleUploadedFile("photo.jpg", content), field="Evidence file",
                     kinds=uploads.EVIDENCE)  # fmt: skip

    assert err.value.message == (
        "“Evidence file”: only photos (JPEG, PNG, WebP) and PDF files can be uploaded."
    )


def test_known_content_outside_the_fields_kinds_refused():
    with pytest.raises(UploadError, match="only Excel workbook"):
        check_upload(
            SimpleUploadedFile("a.pdf", b"%PDF-1.7\n"), field="名册", kinds=uploads.WORKBOOK
        )


@pytest.mark.parametrize("name", ["report.exe", "photo.png", "workbook.pdf.html"])
def test_extension_must_agree_with_content(name):
    with pytest.raises(UploadError) as err:
        check_upload(SimpleUploadedFile(name, _image("JPEG")), field="Evidence file",
                     kinds=uploads.EVIDENCE)  # fmt: skip

    assert err.value.message.startswith("“Evidence file”: the name ends in .")
    assert "but the file is a JPG file" in err.value.message


@pytest.mark.parametrize("name", ["IMG_0001.JPEG", "photo.jfif", "blob"])
def test_extension_spellings_and_a_bare_name_accepted(name):
    checked = check_upload(SimpleUploadedFile(name, _image("JPEG")), field="x", kinds=["jpeg"])

    assert checked.content_type == "image/jpeg"


@override_settings(KAOPING_UPLOAD_MAX_MB=1)
def test_size_limit_from_setting_counts_the_bytes_not_the_declared_size():
    content = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    upload = SimpleUploadedFile("big.pdf", content)
    upload.size = 10  # a client may lie; the read stops one byte past the limit

    with pytest.raises(UploadError, match=r"“附件”: the file is larger than 1\.0\sMB"):
        check_upload(upload, field="附件", kinds=["pdf"])


def test_default_limit_is_twenty_megabytes():
    assert uploads.max_upload_bytes() == 20 * 1024 * 1024


def test_field_limit_narrows_the_site_limit():
    with pytest.raises(UploadError, match="larger than 10"):
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 20), field="附件",
                     kinds=["pdf"], limit=10)  # fmt: skip


def test_empty_file_refused():
    with pytest.raises(UploadError, match="“附件”: the file is empty"):
        check_upload(SimpleUploadedFile("a.pdf", b""), field="附件", kinds=["pdf"])


def test_file_left_at_its_start_for_the_reader():
    upload = SimpleUploadedFile("名册.xlsx", _xlsx())

    check_upload(upload, field="名册", kinds=uploads.WORKBOOK)

    assert upload.read(4) == b"PK\x03\x04"


# --- storage outside the web root, no public media URL ------------------------------------------


def _inside(path, root) -> bool:
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def test_media_root_is_outside_every_static_directory():
    for root in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        assert not _inside(settings.MEDIA_ROOT, root)
        assert not _inside(root, settings.MEDIA_ROOT)


def test_every_file_field_stores_in_media_root():
    fields = [f for model in apps.get_models() for f in model._meta.fields
              if isinstance(f, models.FileField)]  # fmt: skip

    assert fields  # evidence, thumbnails, duty and rectification files
    for field in fields:
        assert _inside(field.storage.location, settings.MEDIA_ROOT), field


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_url_pattern_serves_files_straight_from_disk():
    for route, callback in _patterns(get_resolver()):
        assert callback is not static.serve, route
        assert not route.lstrip("^/").startswith(settings.MEDIA_URL.strip("/")), route


def test_a_stored_file_has_no_public_media_url(client, alice):
    name = default_storage.save("evidence/secret.pdf", io.BytesIO(b"%PDF-1.4\n"))
    try:
        with pytest.raises(Resolver404):
            resolve(f"/{settings.MEDIA_URL}{name}")
        client.force_login(alice)
        assert client.get(f"/{settings.MEDIA_URL}{name}").status_code == 404
    finally:
        default_storage.delete(name)
