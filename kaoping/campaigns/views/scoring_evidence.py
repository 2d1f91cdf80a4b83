"""Evidence: upload to an item of one's own editable sheet, download (only for people who may
view the sheet, through this view, never a public URL), delete one's own file."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.campaigns.domain.evidence import EvidenceError, add_evidence, delete_evidence
from kaoping.campaigns.domain.sheets import open_sheet
from kaoping.campaigns.forms.scoring import EvidenceForm
from kaoping.campaigns.interfaces.sheet_page import ItemRow
from kaoping.campaigns.models import Evidence
from kaoping.campaigns.views.scoring_common import ASSIGNMENT_RELATED, sheet_or_404


def _list_response(request, assignment, sheet, code, *, error=""):
    row = ItemRow(item=SimpleNamespace(code=code), widget={}, evidence=list(
        sheet.evidence.filter(item_code=code).select_related("uploaded_by")
    ), evidence_error=error)  # fmt: skip
    context = {"assignment": assignment, "sheet": sheet, "row": row, "editable": True}
    return render(request, "campaigns/scoring/sheet.html#evidence", context)


@login_required
@require_POST
def evidence_upload(request, pk):
    assignment, sheet = sheet_or_404(request, pk, "campaigns.edit_sheet")
    sheet = open_sheet(assignment=assignment) if sheet.pk is None else sheet
    form = EvidenceForm(request.POST, request.FILES)
    code = request.POST.get("item", "")
    error = ""
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            add_evidence(sheet=sheet, item_code=code, upload=form.cleaned_data["file"],
                         by=request.user)  # fmt: skip
        except EvidenceError as err:
            error = err.message
    if request.htmx:
        return _list_response(request, assignment, sheet, code, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("File uploaded."))
    return redirect("campaigns:sheet", pk=pk)


def _evidence_or_404(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related(*(f"sheet__assignment__{r}" for r in ASSIGNMENT_RELATED)),
        pk=pk,
    )
    if not request.user.has_perm("campaigns.view_evidence", evidence):
        raise Http404
    return evidence


@login_required
@require_GET
def evidence_file(request, pk):
    evidence = _evidence_or_404(request, pk)
    thumb = request.GET.get("thumb") and evidence.thumbnail
    field = evidence.thumbnail if thumb else evidence.file
    content_type = "image/jpeg" if thumb else evidence.content_type
    response = FileResponse(field.open("rb"), content_type=content_type,
                            filename=evidence.original_name)  # fmt: skip
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = _evidence_or_404(request, pk)
    if not request.user.has_perm("campaigns.delete_evidence", evidence):
        raise PermissionDenied  # they may see the file, so saying no leaks nothing
    sheet, code = evidence.sheet, evidence.item_code
    error = ""
    try:
        delete_evidence(evidence=evidence, by=request.user)
    except EvidenceError as err:
        error = err.message
    if request.htmx:
        return _list_response(request, sheet.assignment, sheet, code, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("File deleted."))
    return redirect("campaigns:sheet", pk=sheet.assignment_id)
