"""Export jobs: start a large export, watch its progress (htmx polls a partial every second),
download the finished file. Only the user who started a job, or an organizer of its campaign,
sees it; anyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kaoping.campaigns.models import Campaign, Participant
from kaoping.reports.domain import jobs
from kaoping.reports.models import ExportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job(request, pk) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("campaign"), pk=pk)
    if job.by_id != request.user.pk and not request.user.has_perm(
        "reports.view_documents", job.campaign
    ):
        raise Http404
    return job


@require_POST
@login_required
def export_start(request, pk, kind):
    campaign = get_object_or_404(Campaign, pk=pk)
    if not request.user.has_perm("reports.view_documents", campaign):
        raise Http404
    if kind not in ExportJob.Kind.values:
        raise Http404
    participant = None
    if kind == ExportJob.Kind.SHEETS and request.POST.get("participant"):
        try:
            participant = get_object_or_404(
                Participant, campaign=campaign, pk=int(request.POST["participant"])
            )
        except ValueError:
            raise Http404 from None
    job = jobs.start_export(campaign=campaign, kind=kind, by=request.user, participant=participant)
    return redirect("reports:export_job", pk=job.pk)


@login_required
def export_job(request, pk):
    return render(request, "reports/documents/export_job.html", {"job": _job(request, pk)})


@login_required
def export_progress(request, pk):
    return render(request, "reports/documents/_export_progress.html", {"job": _job(request, pk)})


@login_required
def export_download(request, pk):
    job = _job(request, pk)
    path = jobs.file_of(job)
    if path is None:
        raise Http404
    # An attachment: the audit middleware records every download of this kind.
    return FileResponse(open(path, "rb"), as_attachment=True, filename=job.filename,
                        content_type=XLSX)  # fmt: skip
