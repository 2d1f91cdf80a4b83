"""The score sheet: the page, saving one item as you go, submitting, returning, and the
organization's custom items written through its self-assessment sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.campaigns.domain.custom_items import CustomItemError, write_custom_items
from kaoping.campaigns.domain.sheets import (
    SheetError,
    draft_result,
    open_sheet,
    return_sheet,
    save_entry,
    sheet_scoring_args,
    submit_sheet,
)
from kaoping.campaigns.enums import CampaignState, SheetStatus
from kaoping.campaigns.forms.scoring import ReturnForm
from kaoping.campaigns.interfaces.entry_forms import entry_from_post
from kaoping.campaigns.interfaces.sheet_page import build_page, build_row, totals
from kaoping.campaigns.views.scoring_common import posted_version, sheet_or_404

TEMPLATE = "campaigns/scoring/sheet.html"


def _page(request, assignment, sheet, *, status=200, **extra):
    can_edit = request.user.has_perm("campaigns.edit_sheet", sheet)
    editable = can_edit and sheet.status != SheetStatus.SUBMITTED
    page = build_page(sheet, editable=editable)
    context = {
        "assignment": assignment,
        "sheet": sheet,
        "page": page,
        "totals": page.totals,
        "editable": editable,
        "can_return": sheet.status == SheetStatus.SUBMITTED
        and assignment.stage.campaign.state == CampaignState.OPEN
        and request.user.has_perm("campaigns.return_sheet", sheet),
        "events": list(sheet.events.select_related("by")) if sheet.pk else [],
        "return_form": ReturnForm(),
        **extra,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
def sheet(request, pk):
    assignment, sheet = sheet_or_404(request, pk)
    if sheet.pk is None and request.user.has_perm("campaigns.edit_sheet", sheet):
        sheet = open_sheet(assignment=assignment)
    submit_error = request.session.pop(_submit_key(pk), None)  # shown once, after a refusal
    return _page(request, assignment, sheet, submit_error=submit_error)


def _item_or_404(rubric, code):
    item = rubric.items.get(code)
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def entry_save(request, pk):
    assignment, sheet = sheet_or_404(request, pk, "campaigns.edit_sheet")
    sheet = open_sheet(assignment=assignment) if sheet.pk is None else sheet
    rubric, custom, kind = sheet_scoring_args(sheet)
    item = _item_or_404(rubric, request.POST.get("item", ""))
    value = entry_from_post(item, request.POST, custom.get(item.code))
    try:
        saved = save_entry(sheet=sheet, item_code=item.code, value=value, by=request.user,
                           version=posted_version(request),
                           args=(rubric, custom, kind))  # fmt: skip
    except SheetError as err:
        if not request.htmx:
            messages.error(request, _problem_text(err))
            return redirect("campaigns:sheet", pk=pk)
        result, _problems = draft_result(sheet, args=(rubric, custom, kind))
        row = build_row(sheet, item, None, result, custom, editable=True, value=value,
                        error=err.message, problems=err.problems,
                        stale=err.kind == "stale")  # fmt: skip
        return _row_response(request, assignment, sheet, row, result=None)
    if not request.htmx:
        messages.success(request, _("Saved"))
        return redirect(f"{_sheet_url(pk)}#item-{item.code.encode().hex()}")
    row = build_row(sheet, item, saved.entry, saved.running, custom, editable=True,
                    saved=True)  # fmt: skip
    return _row_response(request, assignment, sheet, row, result=saved.running)


def _sheet_url(pk):
    from django.urls import reverse

    return reverse("campaigns:sheet", kwargs={"pk": pk})


def _problem_text(err: SheetError) -> str:
    details = "；".join(f"{p['where']}：{p['message']}" for p in err.problems)
    return f"{err.message} {details}".strip()


def _row_response(request, assignment, sheet, row, *, result):
    """The item's result (score, status, problems), plus (after a save) the total bar and the
    version out of band.

    Answered on every entry save, so it reads nothing it does not draw:
    - no evidence: the answer replaces the item's result block only (saved.html draws the
      "result" and "summary" partials), never its evidence list, which the page keeps; the row
      is built without it;
    - no context processors (rendered without the request): the fragment uses no csrf token,
      user, messages or request, and the navigation processor would read the user's roles (a
      query) for a menu the fragment does not draw. The active language is the request's
      (LocaleMiddleware), so translations are unchanged. A fragment that needs the request
      later must go back to `render(request, ...)`.
    """
    context = {"assignment": assignment, "sheet": sheet, "row": row, "editable": True,
               "oob": result is not None,
               "totals": totals(sheet, result) if result is not None else None}  # fmt: skip
    return HttpResponse(render_to_string("campaigns/scoring/saved.html", context))


@login_required
@require_POST
def sheet_submit(request, pk):
    assignment, sheet = sheet_or_404(request, pk, "campaigns.edit_sheet")
    sheet = open_sheet(assignment=assignment) if sheet.pk is None else sheet
    try:
        # The version is required: a missing or garbled one is stale (-1), never "unchecked".
        submit_sheet(sheet=sheet, by=request.user, version=posted_version(request))
    except SheetError as err:
        # Post/redirect/get: the problems travel in the session, so a reload does not post
        # again and the address stays the sheet's.
        request.session[_submit_key(pk)] = {"message": err.message, "problems": err.problems}
        return redirect(f"{_sheet_url(pk)}#fix-list")
    messages.success(request, _("Sheet submitted: total %(total)s.") % {"total": sheet.total})
    return redirect("campaigns:sheet", pk=pk)


def _submit_key(pk) -> str:
    return f"kaoping-submit-error-{pk}"


@login_required
@require_POST
def sheet_return(request, pk):
    assignment, sheet = sheet_or_404(request, pk, "campaigns.return_sheet")
    form = ReturnForm(request.POST)
    if form.is_valid() and sheet.pk is not None:
        try:
            return_sheet(sheet=sheet, by=request.user, reason=form.cleaned_data["reason"])
        except SheetError as err:
            form.add_error("reason", err.message)
        else:
            messages.success(request, _("Sheet returned to its rater."))
            return redirect("campaigns:sheet", pk=pk)
    return _page(request, assignment, sheet, return_form=form)


@login_required
@require_POST
def custom_items_write(request, pk):
    """The organization writes its custom items (个性指标) on its self-assessment sheet."""
    assignment, sheet = sheet_or_404(request, pk, "campaigns.write_custom_items")
    sheet = open_sheet(assignment=assignment) if sheet.pk is None else sheet
    code = request.POST.get("item", "")
    try:
        write_custom_items(sheet=sheet, item_code=code, texts=request.POST.getlist("text"),
                           by=request.user)  # fmt: skip
    except CustomItemError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Custom items saved."))
    # The item's inputs depend on the slots: the whole page is drawn again.
    return redirect(f"{_sheet_url(pk)}#item-{code.encode().hex()}")
