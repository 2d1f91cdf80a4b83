"""One issue: the organization's plan, progress and closure request; the organizer's checks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.rectification.domain import rechecks, work
from kaoping.rectification.enums import IssueState
from kaoping.rectification.interfaces import forms
from kaoping.rectification.models import ProgressFile
from kaoping.rectification.views.common import act, issue_or_404

WORK, VERIFY = "rectification.work_issue", "rectification.verify_issue"


@login_required
@require_GET
def issue_detail(request, pk):
    issue = issue_or_404(request, pk)
    user, day = request.user, timezone.localdate()
    can_work = user.has_perm(WORK, issue) and issue.state == IssueState.OPEN
    can_verify = user.has_perm(VERIFY, issue)
    context = {
        "issue": issue,
        "lst": issue.list,
        "day": day,
        "overdue": issue.is_overdue(day),
        "events": issue.events.select_related("by"),
        "progress": issue.progress.select_related("by").prefetch_related("files"),
        "can_work": can_work,
        "can_verify": can_verify,
        "blocked": work.satisfaction_blocks(issue) if can_verify else None,
        "recheck_due": issue.state == IssueState.CLOSED and issue.recheck_on
        and issue.recheck_on <= day,
        "plan_form": forms.PlanForm(initial={"measures": issue.measures, "owner": issue.owner,
                                             "deadline": issue.deadline or issue.deadline_limit}),
        "progress_form": forms.ProgressForm(),
        "reason_form": forms.ReasonForm(),
        "close_form": forms.CloseForm(initial={"closed_on": day}),
        "satisfaction_form": forms.SatisfactionForm(initial={"share": issue.satisfaction}),
        "recheck_form": forms.RecheckForm(),
        "fail_form": forms.FailRecheckForm(),
    }  # fmt: skip
    return render(request, "rectification/issue.html", context)


def _post(request, pk, perm, form_class, action, success):
    issue = issue_or_404(request, pk, perm)
    form = form_class(request.POST, request.FILES)
    return act(request, form, lambda data: action(issue, data), success=success,
               to=issue_url(issue))  # fmt: skip


def issue_url(issue) -> str:
    from django.urls import reverse

    return reverse("rectification:issue", args=[issue.pk])


@login_required
@require_POST
def plan(request, pk):
    return _post(request, pk, WORK, forms.PlanForm,
                 lambda i, d: work.save_plan(issue=i, by=request.user, **d),
                 _("Measures, owner and deadline saved."))  # fmt: skip


@login_required
@require_POST
def progress(request, pk):
    uploads = request.FILES.getlist("files")
    return _post(request, pk, WORK, forms.ProgressForm,
                 lambda i, d: work.post_progress(issue=i, by=request.user, text=d["text"],
                                                 uploads=uploads),
                 _("Progress posted."))  # fmt: skip


@login_required
@require_POST
def request_closure(request, pk):
    return _post(request, pk, WORK, forms.EmptyForm,
                 lambda i, d: work.request_closure(issue=i, by=request.user),
                 _("Closure requested."))  # fmt: skip


@login_required
@require_POST
def reject(request, pk):
    return _post(request, pk, VERIFY, forms.ReasonForm,
                 lambda i, d: work.reject_closure(issue=i, by=request.user, reason=d["reason"]),
                 _("Closure rejected; the organization has been told why."))  # fmt: skip


@login_required
@require_POST
def satisfaction(request, pk):
    return _post(request, pk, VERIFY, forms.SatisfactionForm,
                 lambda i, d: work.record_satisfaction(issue=i, by=request.user, share=d["share"]),
                 _("Satisfaction recorded."))  # fmt: skip


@login_required
@require_POST
def close(request, pk):
    return _post(request, pk, VERIFY, forms.CloseForm,
                 lambda i, d: work.close_issue(issue=i, by=request.user, closed_on=d["closed_on"]),
                 _("Issue closed."))  # fmt: skip


@login_required
@require_POST
def recheck(request, pk):
    return _post(request, pk, VERIFY, forms.RecheckForm,
                 lambda i, d: rechecks.schedule_recheck(issues=[i], by=request.user, on=d["on"],
                                                        every_months=d["every_months"]),
                 _("Re-check scheduled."))  # fmt: skip


@login_required
@require_POST
def recheck_pass(request, pk):
    return _post(request, pk, VERIFY, forms.EmptyForm,
                 lambda i, d: rechecks.pass_recheck(issue=i, by=request.user),
                 _("Re-check passed."))  # fmt: skip


@login_required
@require_POST
def recheck_fail(request, pk):
    return _post(request, pk, VERIFY, forms.FailRecheckForm,
                 lambda i, d: rechecks.fail_recheck(issue=i, by=request.user, **d),
                 _("Re-check failed: the issue is reopened."))  # fmt: skip


@login_required
@require_GET
def evidence_file(request, pk, thumb=False):
    row = get_object_or_404(
        ProgressFile.objects.select_related("progress__issue__list__organization"), pk=pk
    )
    if not request.user.has_perm("rectification.view_list", row.progress.issue.list):
        raise Http404
    field = row.thumbnail if thumb else row.file
    if not field:
        raise Http404
    content_type = "image/jpeg" if thumb else row.content_type
    return FileResponse(field.open("rb"), content_type=content_type,
                        filename=None if thumb else row.original_name)  # fmt: skip
