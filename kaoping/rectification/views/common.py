"""Helpers shared by the rectification views: objects or 404, and form actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from kaoping.rectification.domain.evidence import EvidenceError
from kaoping.rectification.models import Issue, RectificationList

LIST_RELATED = ("organization", "campaign__scope")


def list_or_404(request, pk, perm="rectification.view_list") -> RectificationList:
    lst = get_object_or_404(RectificationList.objects.select_related(*LIST_RELATED), pk=pk)
    if not request.user.has_perm(perm, lst):
        raise Http404
    return lst


def issue_or_404(request, pk, perm="rectification.view_list") -> Issue:
    issue = get_object_or_404(
        Issue.objects.select_related("organization", "list__organization", "list__campaign"), pk=pk
    )
    target = issue.list if perm == "rectification.view_list" else issue
    if not request.user.has_perm(perm, target):
        raise Http404
    return issue


def error_text(err) -> str:
    if isinstance(err, EvidenceError):
        return err.message
    if hasattr(err, "message_dict"):
        return " ".join(m for msgs in err.message_dict.values() for m in msgs)
    return " ".join(err.messages)


def form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {e}".lstrip(": ")
        for name, errors in form.errors.items()
        for e in errors
    )


def act(request, form, action, *, success: str, to):
    """Validate `form`, run `action(cleaned_data)`; report the outcome as a message and go
    back to `to` (a bad value or a refusal is a message naming the field, never a 500)."""
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(to)
    try:
        action(form.cleaned_data)
    except (ValidationError, EvidenceError) as err:
        messages.error(request, error_text(err))
    else:
        messages.success(request, success)
    return redirect(to)
