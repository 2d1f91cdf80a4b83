"""A large export in a real browser: the organizer starts the sheet export from the documents
page, sees the progress bar (htmx polls it every second, the job runs in its real background
thread) and then the download link, and downloads the workbook."""

import io
import time
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.reports.domain import exports
from kaoping.reports.models import ExportJob
from tests.factories import PASSWORD
from tests.reports.documents_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).parents[2] / "test-results"


@pytest.fixture
def slow_rows(monkeypatch):
    """Half a second per sheet, so that the progress bar is on screen for a while."""
    original = exports.counted

    def slow(rows, progress, every=500):
        for row in original(rows, progress, every=1):
            time.sleep(0.5)
            yield row

    monkeypatch.setattr(exports, "counted", slow)


def test_export_job_shows_progress_then_the_download(
    browser, live_server, alice, published, slow_rows, settings, tmp_path
):
    settings.KAOPING_EXPORT_DIR = tmp_path
    context = browser.new_context(viewport={"width": 375, "height": 812}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_url(base + reverse("home"))

    page.goto(base + reverse("reports:documents", args=[published.pk]))
    page.click("button.export-sheets")
    page.wait_for_url("**/reports/exports/*/")
    page.wait_for_selector("progress.export-progress")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "export-job-progress.png", full_page=True)
    link = page.wait_for_selector("a.export-download", timeout=20000)
    assert page.locator("progress").count() == 0
    page.screenshot(path=SHOTS / "export-job-done.png", full_page=True)
    job = ExportJob.objects.get()
    assert (job.status, job.done, job.total) == ("done", 6, 6)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == job.filename
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(book.sheetnames) == 6
    assert errors == []
    context.close()
