"""Export jobs: large Excel exports written in a background thread, with progress.

`start_export` records an `ExportJob` and, once the request's transaction commits, runs it in a
daemon thread (or inline when `KAOPING_EXPORT_JOBS_INLINE` is set, for unit tests). The thread
opens its own database connection and closes it at the end; it reports progress every few
hundred rows with one small UPDATE. The workbook is written to a temporary name in the exports
folder (VAR_DIR/exports, outside the web root) and renamed when complete, so a half-written file
is never served. Files and jobs older than a day are removed when the next job starts.

A thread per job suits the deployment (one server, a few organizers); jobs cut short by a
restart are marked failed the next time anyone starts one.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from kaoping.reports.domain import exports
from kaoping.reports.models import ExportJob

log = logging.getLogger(__name__)

KEEP = datetime.timedelta(days=1)
# A job still queued or running this long after it started did not survive a restart.
STALE = datetime.timedelta(hours=2)


def export_dir() -> Path:
    folder = Path(getattr(settings, "KAOPING_EXPORT_DIR", None) or settings.VAR_DIR / "exports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def threshold() -> int:
    """Rows (organizations) above which ranking and matrix exports run as jobs."""
    return getattr(settings, "KAOPING_EXPORT_JOB_ROWS", 2000)


def _count(kind: str, campaign, participant) -> int:
    if kind == ExportJob.Kind.SHEETS:
        return exports.submitted_sheets(campaign, participant=participant).count()
    return exports.result_rows(campaign).count()


def start_export(*, campaign, kind: str, by, participant=None) -> ExportJob:
    """Record a job for `kind` ("ranking", "matrix", "sheets") and run it after commit."""
    if kind not in ExportJob.Kind.values:
        raise ValueError(f"unknown export kind {kind!r}")
    purge_old()
    job = ExportJob.objects.create(
        by=by, kind=kind, campaign=campaign, total=_count(kind, campaign, participant),
        parameters={"participant": participant.pk} if participant is not None else {},
    )  # fmt: skip
    transaction.on_commit(lambda: _launch(job.pk))
    return job


def _launch(pk: int) -> None:
    if getattr(settings, "KAOPING_EXPORT_JOBS_INLINE", False):
        run_job(pk)
        return
    threading.Thread(target=_in_thread, args=(pk,), name=f"export-job-{pk}", daemon=True).start()


def _in_thread(pk: int) -> None:
    close_old_connections()
    try:
        run_job(pk)
    finally:
        # The thread's own connection: never left open (PostgreSQL counts them).
        connection.close()


def _write(job: ExportJob, out, progress) -> exports.Export:
    campaign = job.campaign
    if job.kind == ExportJob.Kind.RANKING:
        return exports.export_ranking(campaign=campaign, out=out, progress=progress)
    if job.kind == ExportJob.Kind.MATRIX:
        return exports.export_matrix(campaign=campaign, out=out, progress=progress)
    participant = None
    if job.parameters.get("participant"):
        participant = campaign.participants.select_related("organization").get(
            pk=job.parameters["participant"]
        )
    return exports.export_sheets(campaign=campaign, participant=participant, out=out,
                                 progress=progress)  # fmt: skip


def run_job(pk: int) -> None:
    """Write the job's workbook, reporting progress; end "done" with a file or "failed" with
    a message. Never raises: the page shows what happened."""
    job = ExportJob.objects.select_related("campaign").get(pk=pk)
    ExportJob.objects.filter(pk=pk).update(status=ExportJob.Status.RUNNING)
    name = f"{uuid.uuid4().hex}.xlsx"
    final = export_dir() / name
    partial = final.with_suffix(".part")

    def progress(count: int) -> None:
        ExportJob.objects.filter(pk=pk).update(done=count)

    try:
        with open(partial, "wb") as out:
            export = _write(job, out, progress)
        os.replace(partial, final)  # atomic: the file appears only when complete
    except Exception as exc:  # any failure ends the job, with a message
        log.exception("export job %s failed", pk)
        partial.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:500],
        )  # fmt: skip
        return
    ExportJob.objects.filter(pk=pk).update(
        status=ExportJob.Status.DONE, done=export.rows, total=max(job.total, export.rows),
        file=name, filename=export.filename[:255], finished_at=timezone.now(),
    )  # fmt: skip


def file_of(job: ExportJob) -> Path | None:
    """The finished file, or None (not done, removed, or a name that is not ours)."""
    if job.status != ExportJob.Status.DONE or not job.file or Path(job.file).name != job.file:
        return None
    path = export_dir() / job.file
    return path if path.is_file() else None


def purge_old(now=None) -> int:
    """Remove jobs (and their files) older than a day; mark jobs a restart cut short failed.
    Returns how many jobs were removed."""
    now = now or timezone.now()
    folder = export_dir()
    old = ExportJob.objects.filter(created_at__lt=now - KEEP)
    for name in old.exclude(file="").values_list("file", flat=True):
        if Path(name).name == name:
            (folder / name).unlink(missing_ok=True)
    removed, _ = old.delete()
    for path in folder.glob("*.part"):  # left by a crash mid-write
        if datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC) < now - KEEP:
            path.unlink(missing_ok=True)
    ExportJob.objects.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING], created_at__lt=now - STALE
    ).update(status=ExportJob.Status.FAILED, finished_at=now, error="interrupted")
    return removed
