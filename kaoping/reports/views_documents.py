"""Document views: the downloads page, the bulletin editor, Excel exports, the paper round
trip and the summary. Anything outside the user's scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from kaoping.campaigns.models import Assignment, Campaign, Participant, Stage
from kaoping.reports.domain import bulletin as bulletin_domain
from kaoping.reports.domain import exports, jobs, paper
from kaoping.reports.domain.figures import published_figures
from kaoping.reports.domain.summary import summary_docx
from kaoping.reports.interfaces.forms import BulletinForm, PaperUploadForm
from kaoping.reports.models import ExportJob

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BIG_CAMPAIGN = 2000  # participants above which the page warns that exports take a while


def _campaign(request, pk, perm="reports.view_documents") -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), pk=pk)
    if not request.user.has_perm(perm, campaign):
        raise Http404
    return campaign


def _xlsx(export: exports.Export) -> FileResponse:
    # FileResponse streams the spooled file in chunks; the timing helps judge big campaigns.
    response = FileResponse(export.file, as_attachment=True, filename=export.filename,
                            content_type=XLSX)  # fmt: skip
    response["X-Export-Rows"] = str(export.rows)
    response["X-Export-Seconds"] = f"{export.seconds:.2f}"
    return response


@login_required
def documents(request, pk):
    campaign = _campaign(request, pk)
    stages = list(campaign.stages.order_by("position", "pk"))
    raters = (
        Assignment.objects.filter(stage__campaign=campaign)
        .values("stage_id", "rater_id", "rater__full_name", "rater__username")
        .annotate(count=Count("pk"))
        .order_by("stage_id", "rater__full_name", "rater_id")
    )
    by_stage = {stage.pk: [] for stage in stages}
    for row in raters:
        by_stage[row["stage_id"]].append(row)
    participants = campaign.participants.count()
    return render(request, "reports/documents/index.html", {
        "campaign": campaign, "participants": participants, "big": participants > BIG_CAMPAIGN,
        "stages": [(stage, by_stage[stage.pk]) for stage in stages],
        "published": campaign.publications.exists(),
        # above this many organizations ranking and matrix run as jobs with a progress bar
        "as_job": participants > jobs.threshold(),
        "jobs": ExportJob.objects.filter(campaign=campaign, by=request.user)[:5],
    })  # fmt: skip


@login_required
def bulletin(request, pk):
    campaign = _campaign(request, pk, "reports.change_bulletin")
    draft = bulletin_domain.draft_for(campaign=campaign, by=request.user)
    if request.GET.get("download"):
        content = bulletin_domain.bulletin_docx(draft=draft, figures=published_figures(campaign))
        response = HttpResponse(content, content_type=DOCX)
        response["Content-Disposition"] = _attachment(f"{draft.title}.docx")
        return response
    form = BulletinForm(instance=draft)
    if request.method == "POST":
        if request.POST.get("action") == "regenerate":
            bulletin_domain.regenerate(draft=draft, by=request.user)
            messages.success(request, _("The body was generated again from the published results."))
            return redirect("reports:bulletin", pk=campaign.pk)
        form = BulletinForm(request.POST, instance=draft)
        if form.is_valid():
            bulletin_domain.save_draft(draft=draft, by=request.user, **form.cleaned_data)
            messages.success(request, _("The bulletin was saved."))
            return redirect("reports:bulletin", pk=campaign.pk)
    return render(request, "reports/documents/bulletin.html", {
        "campaign": campaign, "form": form, "published": campaign.publications.exists(),
    })  # fmt: skip


def _attachment(filename: str) -> str:
    return content_disposition_header(True, filename)


@login_required
def export_ranking(request, pk):
    return _xlsx(exports.export_ranking(campaign=_campaign(request, pk)))


@login_required
def export_matrix(request, pk):
    return _xlsx(exports.export_matrix(campaign=_campaign(request, pk)))


@login_required
def export_sheets(request, pk):
    campaign = _campaign(request, pk)
    participant = None
    if request.GET.get("participant"):
        participant = get_object_or_404(
            Participant.objects.select_related("organization"),
            campaign=campaign, pk=_int(request.GET["participant"]),
        )  # fmt: skip
    return _xlsx(exports.export_sheets(campaign=campaign, participant=participant))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def summary(request, pk):
    campaign = _campaign(request, pk)
    response = HttpResponse(summary_docx(campaign=campaign), content_type=DOCX)
    response["Content-Disposition"] = _attachment(f"{campaign.name}工作总结.docx")
    return response


def _paper_assignments(request, perm, *, assignment=None, stage=None, rater=None) -> list:
    """The assignments of the request (one, or a rater's in a stage); 404 unless the user may
    act on every one of them."""
    if assignment is not None:
        found = list(Assignment.objects.filter(pk=assignment).select_related(
            "participant__organization", "participant__rubric", "rater", "stage__campaign"))  # fmt: skip
    else:
        stage_obj = get_object_or_404(Stage, pk=stage)
        rater_obj = get_object_or_404(get_user_model(), pk=rater)
        found = list(paper.rater_assignments(stage=stage_obj, rater=rater_obj))
    if not found or not all(request.user.has_perm(perm, a) for a in found):
        raise Http404
    return found


@login_required
def paper_blank(request, assignment=None, stage=None, rater=None):
    found = _paper_assignments(request, "reports.download_paper", assignment=assignment,
                               stage=stage, rater=rater)  # fmt: skip
    first = found[0]
    name = first.participant.organization.name if assignment else first.stage.name
    return FileResponse(paper.blank_workbook(assignments=found), as_attachment=True,
                        filename=f"{name}-评分表.xlsx", content_type=XLSX)  # fmt: skip


@login_required
def paper_upload(request, assignment=None, stage=None):
    found = _paper_assignments(request, "reports.import_paper", assignment=assignment,
                               stage=stage, rater=request.user.pk)  # fmt: skip
    form, problems = PaperUploadForm(), []
    if request.method == "POST":
        form = PaperUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["workbook"]
            outcome = paper.import_paper(assignments=found, upload=upload, filename=upload.name,
                                         by=request.user)  # fmt: skip
            problems = outcome.problems
            if outcome.record is not None:
                messages.success(request, _("Imported %(entries)d entries into %(sheets)d sheets.")
                                 % {"entries": outcome.record.entry_count,
                                    "sheets": outcome.record.sheets.count()})  # fmt: skip
                return redirect(request.path)
    blank = ({"assignment": assignment} if assignment
             else {"stage": stage, "rater": request.user.pk})  # fmt: skip
    return render(request, "reports/documents/paper_upload.html", {
        "assignments": found, "form": form, "problems": problems, "blank": blank,
        "stage": found[0].stage,
    })  # fmt: skip
