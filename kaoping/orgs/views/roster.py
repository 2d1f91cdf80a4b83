"""Roster pages: choose where to import, upload and see the result, download template/export."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from kaoping.accounts import scopes
from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.orgs.interfaces.forms import RosterUploadForm
from kaoping.orgs.interfaces.roster.importer import import_roster
from kaoping.orgs.interfaces.roster.reader import RosterFileError
from kaoping.orgs.interfaces.roster.writer import export_rows, render_workbook, template_rows
from kaoping.orgs.views.common import organization_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, filename: str) -> FileResponse:
    return FileResponse(BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)


@login_required
def roster_import(request):
    """The navigation's entry: straight to the one scope an organizer has, else a choice."""
    if not request.user.has_perm("orgs.manage_any"):
        raise Http404
    managed = scopes.tree_managed_organizations(request.user).active()
    tops = list(managed.exclude(parent__in=managed.values("pk")).order_by("position", "name"))
    if len(tops) == 1:
        return redirect("orgs:roster_import_into", pk=tops[0].pk)
    return render(request, "orgs/roster_choose.html", {"tops": tops})


@login_required
def roster_import_into(request, pk):
    org = organization_or_404(request, pk, "orgs.import_roster", active=True)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_roster(fileobj=form.cleaned_data["file"], into=org)
        except RosterFileError as exc:
            form.add_error("file", str(exc))
    if request.method == "POST":
        _audit_import(request, org, result)
    context = {"org": org, "form": form, "result": result}
    return render(request, "orgs/roster_import.html", context)


def _audit_import(request, org, result) -> None:
    upload = request.FILES.get("file")
    detail = {"kind": "roster", "filename": upload.name if upload else ""}
    if result is not None and not result.errors:
        detail.update(created=result.created, updated=result.updated)
        record(actions.IMPORT, request=request, target=org, detail=detail)
    else:
        detail["errors"] = len(result.errors) if result is not None else 1
        record(actions.IMPORT, request=request, target=org, result="failure", detail=detail)


@login_required
def roster_template(request):
    if not request.user.has_perm("orgs.manage_any"):
        raise Http404
    content = render_workbook(template_rows(), title="党组织名册")
    return _xlsx_response(content, "党组织名册模板.xlsx")


@login_required
def roster_export(request, pk):
    org = organization_or_404(request, pk, "orgs.import_roster", active=True)
    title = f"{org.name}党组织名册"
    content = render_workbook(export_rows(org), title=title)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(content, f"{org.name}名册-{stamp}.xlsx")
