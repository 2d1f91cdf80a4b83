"""The paper round trip in the audit log: the blank download, the import, a refused import."""

import pytest

from kaoping.audit import actions
from kaoping.audit.models import AuditEvent
from kaoping.reports.models import ImportRecord
from tests.reports.documents_fixtures import *  # noqa: F403
from tests.reports.test_paper import blank, fill, open_review, upload  # noqa: F401

pytestmark = pytest.mark.django_db


def audited(action):
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_download_and_import_are_recorded(client, raters, open_review):  # noqa: F811
    book = blank(client, raters[0], open_review)
    [download] = audited(actions.DOWNLOAD)
    assert download.username == raters[0].username
    assert download.detail["view"] == "reports:paper_blank"
    fill(book["白沙村党支部"], "1.1", 1)
    assert upload(client, open_review, book).status_code == 302
    [imported] = audited(actions.IMPORT)
    record = ImportRecord.objects.get()
    assert (imported.result, imported.username, imported.target_id) == (
        "success",
        raters[0].username,
        str(record.pk),
    )
    assert imported.detail["kind"] == "paper" and imported.detail["filename"] == "filled.xlsx"
    assert imported.detail["sheets"] == 2 and imported.detail["entries"] == 1
    assert imported.detail["sha256"] == record.sha256


def test_refused_import_is_recorded_as_a_failure(client, raters, open_review):  # noqa: F811
    book = blank(client, raters[0], open_review)
    fill(book["黄店村党支部"], "1.1", 9)  # more than the item's 3 points
    assert upload(client, open_review, book).status_code == 200
    [refused] = audited(actions.IMPORT)
    assert refused.result == "failure" and refused.detail["problems"] >= 1
    assert not ImportRecord.objects.exists()
