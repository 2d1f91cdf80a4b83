"""The index (organizer dashboard or the organization's own issues), a campaign's lists,
one list with the organizer's draft edits, notices and ledgers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.models import Role
from kaoping.campaigns.domain.publication import PUBLISHED_STATES, latest_publication
from kaoping.campaigns.models import Campaign
from kaoping.rectification.domain import lists as lists_domain
from kaoping.rectification.domain import overview
from kaoping.rectification.enums import KEPT_STATES, IssueState, ListState
from kaoping.rectification.interfaces import forms
from kaoping.rectification.interfaces.notice import notice_document, notice_filename, notices_zip
from kaoping.rectification.models import Issue, RectificationList
from kaoping.rectification.views.common import act, error_text, issue_or_404, list_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_GET
def index(request):
    user, day = request.user, timezone.localdate()
    if not user.has_perm("rectification.view"):
        raise Http404
    kinds = scopes.role_kinds(user)
    context = {"day": day, "is_organizer": RoleKind.ORGANIZER in kinds}
    if context["is_organizer"]:
        managed = scopes.managed_organizations(user)
        issued = overview.scope_issues(user).filter(list__state=ListState.ISSUED)
        context |= {
            "by_org": overview.counts(issued, day, "organization"),
            "by_parent": overview.counts(issued, day, "organization__parent"),
            "queue": overview.organizer_queue(user, day),
            "campaigns": Campaign.objects.filter(
                state__in=PUBLISHED_STATES, participants__organization__in=managed
            ).distinct(),
            "roots": Role.objects.filter(user=user, kind=RoleKind.ORGANIZER).select_related(
                "organization"),
        }  # fmt: skip
    if RoleKind.BRANCH_USER in kinds:
        context |= {
            "reminders": overview.reminders_for(user, day),
            "own_lists": RectificationList.objects.filter(
                organization__in=scopes.visible_organizations(user, RoleKind.BRANCH_USER),
                state=ListState.ISSUED,
            ).select_related("organization", "campaign").prefetch_related(
                Prefetch("issues", Issue.objects.filter(state__in=KEPT_STATES))
            ),
        }  # fmt: skip
    return render(request, "rectification/index.html", context)


def _campaign_or_404(request, pk) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), pk=pk)
    if not request.user.has_perm("campaigns.publish", campaign):
        raise Http404
    return campaign


def _campaign_lists(request, campaign):
    return RectificationList.objects.filter(
        campaign=campaign, organization__in=scopes.managed_organizations(request.user)
    ).select_related("organization")


@login_required
@require_GET
def campaign_lists(request, pk):
    campaign = _campaign_or_404(request, pk)
    rows = _campaign_lists(request, campaign).annotate(
        kept=Count("issues", filter=Q(issues__state__in=KEPT_STATES)),
        closed=Count("issues", filter=Q(issues__state=IssueState.CLOSED)),
    )
    context = {
        "campaign": campaign,
        "rows": rows,
        "publication": latest_publication(campaign),
        "issue_form": forms.IssueListsForm(),
        "has_drafts": any(r.state == ListState.DRAFT and r.kept for r in rows),
    }
    return render(request, "rectification/campaign.html", context)


@login_required
@require_POST
def build_drafts(request, pk):
    campaign = _campaign_or_404(request, pk)
    publication = latest_publication(campaign)
    if publication is None:
        messages.error(request, _("The campaign's results have not been published."))
    else:
        built = lists_domain.build_draft_lists(publication=publication)
        messages.success(request, _("%(count)d draft lists built.") % {"count": len(built)})
    return redirect("rectification:campaign", pk=pk)


@login_required
@require_POST
def issue_lists(request, pk):
    campaign = _campaign_or_404(request, pk)
    form = forms.IssueListsForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("lists") if v.isdigit()]
    chosen = list(_campaign_lists(request, campaign).filter(pk__in=ids))
    if not chosen:
        messages.error(request, _("Choose the lists to issue."))
        return redirect("rectification:campaign", pk=pk)
    return act(request, form, lambda d: lists_domain.issue_lists(
        lists=chosen, by=request.user, deadline_limit=d["deadline_limit"],
        satisfaction_threshold=d["satisfaction_threshold"]),
        success=_("%(count)d lists issued.") % {"count": len(chosen)},
        to=reverse("rectification:campaign", args=[pk]))  # fmt: skip


@login_required
@require_GET
def list_detail(request, pk):
    lst = list_or_404(request, pk)
    editable = lst.state == ListState.DRAFT and request.user.has_perm(
        "rectification.change_list", lst
    )
    issues = lst.issues.all() if editable else lst.issues.filter(state__in=KEPT_STATES)
    context = {"lst": lst, "issues": issues, "editable": editable, "day": timezone.localdate(),
               "add_form": forms.TextForm()}  # fmt: skip
    return render(request, "rectification/list.html", context)


def _list_to(lst) -> str:
    return reverse("rectification:list", args=[lst.pk])


@login_required
@require_POST
def list_add(request, pk):
    lst = list_or_404(request, pk, "rectification.change_list")
    return act(request, forms.TextForm(request.POST),
               lambda d: lists_domain.add_issue(lst=lst, by=request.user, text=d["text"]),
               success=_("Issue added."), to=_list_to(lst))  # fmt: skip


@login_required
@require_POST
def issue_edit(request, pk):
    issue = issue_or_404(request, pk, "rectification.change_list")
    return act(request, forms.TextForm(request.POST),
               lambda d: lists_domain.edit_issue(issue=issue, by=request.user, text=d["text"]),
               success=_("Issue saved."), to=_list_to(issue.list))  # fmt: skip


@login_required
@require_POST
def issue_drop(request, pk):
    issue = issue_or_404(request, pk, "rectification.change_list")
    return act(request, forms.DropForm(request.POST),
               lambda d: lists_domain.drop_issue(issue=issue, by=request.user, reason=d["reason"]),
               success=_("Issue dropped."), to=_list_to(issue.list))  # fmt: skip


@login_required
@require_POST
def list_merge(request, pk):
    lst = list_or_404(request, pk, "rectification.change_list")
    ids = [int(v) for v in request.POST.getlist("issues") if v.isdigit()]
    found = {i.pk: i for i in lst.issues.filter(pk__in=ids).select_related("list")}
    try:
        lists_domain.merge_issues(issues=[found[i] for i in ids if i in found], by=request.user,
                                  text=request.POST.get("text", ""))  # fmt: skip
    except ValidationError as err:
        messages.error(request, error_text(err))
    else:
        messages.success(request, _("Issues merged."))
    return redirect(_list_to(lst))


@login_required
@require_GET
def notice(request, pk):
    lst = list_or_404(request, pk)
    if lst.state != ListState.ISSUED:
        raise Http404
    issues = lst.issues.filter(state__in=KEPT_STATES)
    return attachment(notice_document(lst, issues), DOCX, notice_filename(lst))


@login_required
@require_GET
def notices(request, pk):
    campaign = _campaign_or_404(request, pk)
    lists = (
        _campaign_lists(request, campaign)
        .filter(state=ListState.ISSUED)
        .select_related("campaign__scope")
        .prefetch_related("issues")
    )
    return attachment(notices_zip(lists), "application/zip", f"整改通知单-{campaign.name}.zip")
