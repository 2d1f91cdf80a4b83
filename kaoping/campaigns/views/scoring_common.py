"""Fetching the sheet a URL names (by its assignment), within what the user may see."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from kaoping.campaigns.interfaces.params import small_int
from kaoping.campaigns.models import Assignment, ScoreSheet

ASSIGNMENT_RELATED = (
    "stage__campaign__scope",
    "participant__organization",
    "participant__rubric",
    "rater",
    "panel",
)
SHEET_RELATED = tuple(f"assignment__{name}" for name in ASSIGNMENT_RELATED)


def sheet_or_404(request, pk, perm: str | None = None):
    """The assignment `pk` and its sheet (unsaved when none was opened yet) if the user may view
    it (else 404, so nothing leaks), and holds `perm` on it (else 403: they can see it)."""
    # One query when the sheet exists (every save, every visit after the first): the sheet
    # with its assignment and the assignment's related rows; the assignment alone otherwise.
    # (`assignment__pk`, not `assignment_id`: an out-of-range number is then no match, not an
    # overflow.)
    try:
        sheet = ScoreSheet.objects.select_related(*SHEET_RELATED).get(assignment__pk=pk)
    except ScoreSheet.DoesNotExist:
        assignment = get_object_or_404(
            Assignment.objects.select_related(*ASSIGNMENT_RELATED), pk=pk
        )
        sheet = ScoreSheet(assignment=assignment)
    assignment = sheet.assignment
    if not request.user.has_perm("campaigns.view_sheet", sheet):
        raise Http404
    if perm and not request.user.has_perm(perm, sheet):
        raise PermissionDenied
    return assignment, sheet


def posted_version(request) -> int:
    """The sheet version a save was made on: the page-wide field htmx includes, else the form's
    own copy (a browser without JavaScript). -1 (always stale) when absent or garbled."""
    raw = request.POST.get("version") or request.POST.get("form_version") or ""
    number = small_int(raw)
    return -1 if number is None else number
