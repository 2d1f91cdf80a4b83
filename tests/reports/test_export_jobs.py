"""Export jobs: progress counts, the finished file, who may see it, failures, clean-up."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kaoping.reports.domain import exports, jobs
from kaoping.reports.models import ExportJob
from tests.factories import RoleFactory, UserFactory
from tests.reports.documents_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path):
    settings.KAOPING_EXPORT_JOBS_INLINE = True
    settings.KAOPING_EXPORT_DIR = tmp_path / "exports"


def start(client, campaign, kind, capture):
    with capture(execute=True):
        response = client.post(reverse("reports:export_start", args=[campaign.pk, kind]))
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert response["Location"] == reverse("reports:export_job", args=[job.pk])
    return job


def download(client, job):
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_sheets_job_runs_to_done_with_progress_equal_to_rows(
    client, alice, published, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    original = exports.counted
    monkeypatch.setattr(exports, "counted",
                        lambda rows, progress, every=500: original(rows, _spy(progress, seen), 2))  # fmt: skip
    client.force_login(alice)
    job = start(client, published, "sheets", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error) == ("done", 6, 6, "")
    assert seen == [2, 4, 6, 6] and job.finished_at is not None
    assert job.filename == "2026年度村级党建观摩测评得分表.xlsx"
    assert not list(jobs.export_dir().glob("*.part"))
    book = download(client, job)
    assert len(book.sheetnames) == 6 and book.sheetnames[0] == "白沙村党支部-评分人1"
    row = next(r for r in book.worksheets[0].iter_rows(min_row=5) if r[2].value == "1.1")
    assert (row[6].value, row[7].value, row[8].value) == (1, "台账不完整", 2)


def _spy(progress, seen):
    def report(count):
        seen.append(count)
        progress(count)

    return report


def test_ranking_job_file_and_page(client, alice, published, django_capture_on_commit_callbacks):
    client.force_login(alice)
    job = start(client, published, "ranking", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    ws = download(client, job)["排名"]
    assert [ws["B3"].value, ws["E3"].value] == ["白沙村党支部", 98.5]
    page = client.get(reverse("reports:export_progress", args=[job.pk])).content.decode()
    assert reverse("reports:export_download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # polling stops once the file is ready


def test_progress_partial_polls_while_running(client, alice, published):
    job = ExportJob.objects.create(by=alice, kind="sheets", campaign=published, status="running",
                                   done=3, total=6)  # fmt: skip
    client.force_login(alice)
    page = client.get(reverse("reports:export_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert (
        f'<progress id="export-progress-{job.pk}" class="export-progress" max="6" value="3">'
        in page
    )
    assert "3 of 6 written" in page
    assert reverse("reports:export_download", args=[job.pk]) not in page
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 404  # nothing to serve before the file is complete


def test_only_the_starter_or_the_scopes_organizers_see_a_job(
    client, alice, bob, charlie, tree, published, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    job = start(client, published, "ranking", django_capture_on_commit_callbacks)
    colleague = UserFactory(username="alice2")
    RoleFactory(user=colleague, organization=tree["city_a"], kind="organizer")
    names = ["export_job", "export_progress", "export_download"]
    for user in (charlie, bob):
        client.force_login(user)
        for name in names:
            assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
        response = client.post(reverse("reports:export_start", args=[published.pk, "ranking"]))
        assert response.status_code == 404
    client.force_login(colleague)
    assert client.get(reverse("reports:export_job", args=[job.pk])).status_code == 200
    assert download(client, job)["排名"]["B3"].value == "白沙村党支部"


def test_unknown_kind_and_get_are_refused(client, alice, published):
    client.force_login(alice)
    assert (
        client.post(reverse("reports:export_start", args=[published.pk, "nope"])).status_code == 404
    )
    assert (
        client.get(reverse("reports:export_start", args=[published.pk, "ranking"])).status_code
        == 405
    )
    assert not ExportJob.objects.exists()


def test_a_failing_export_ends_failed_with_a_message(
    client, alice, published, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        kwargs["progress"](1)
        raise OSError("disk full")

    monkeypatch.setattr(exports, "export_matrix", broken)
    client.force_login(alice)
    job = start(client, published, "matrix", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.error, job.file) == ("failed", "OSError: disk full", "")
    assert not list(jobs.export_dir().iterdir())  # the partial file is gone
    response = client.get(reverse("reports:export_job", args=[job.pk]))
    assert response.status_code == 200
    assert "The export failed. Please start it again" in response.content.decode()
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_files_older_than_a_day_are_removed_on_the_next_start(
    client, alice, published, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    old = start(client, published, "ranking", django_capture_on_commit_callbacks)
    old.refresh_from_db()
    path = jobs.file_of(old)
    assert path is not None and path.exists()
    stuck = ExportJob.objects.create(by=alice, kind="sheets", campaign=published, status="running")
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    ExportJob.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=3))  # fmt: skip
    start(client, published, "ranking", django_capture_on_commit_callbacks)
    assert not ExportJob.objects.filter(pk=old.pk).exists() and not path.exists()
    stuck.refresh_from_db()
    assert stuck.status == "failed"  # a restart cut it short


def test_documents_page_offers_jobs_above_the_threshold(client, alice, published, settings):
    client.force_login(alice)
    url = reverse("reports:documents", args=[published.pk])
    page = client.get(url).content.decode()
    assert reverse("reports:export_ranking", args=[published.pk]) in page  # small: direct
    assert reverse("reports:export_start", args=[published.pk, "sheets"]) in page
    settings.KAOPING_EXPORT_JOB_ROWS = 1
    page = client.get(url).content.decode()
    assert reverse("reports:export_ranking", args=[published.pk]) not in page
    assert reverse("reports:export_start", args=[published.pk, "ranking"]) in page
    assert reverse("reports:export_start", args=[published.pk, "matrix"]) in page
