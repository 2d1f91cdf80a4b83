"""The secretary's list (建单/领单/查单), the parent's verification (验单), the read-only page
an organization shows its members (晒单), the Word export and evidence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.duties.domain.content import verify_list
from kaoping.duties.domain.cycle import (
    DutyError,
    add_custom_duty,
    amend_list,
    delete_custom_duty,
    file_list,
    filing_status,
    sign_list,
)
from kaoping.duties.domain.progress import add_note, list_items, verify_item
from kaoping.duties.enums import ListState
from kaoping.duties.interfaces.docx_export import list_docx
from kaoping.duties.interfaces.forms import (
    AmendForm,
    CustomDutyForm,
    CustomDutyFormSet,
    NoteForm,
    SignForm,
    VerifyForm,
    form_errors,
)
from kaoping.duties.models import CustomDuty, NoteEvidence
from kaoping.duties.views.common import list_or_404


def _rows(duty_list):
    """Each duty with its notes (and their evidence) and its verdict, in three queries."""
    notes, verdicts = {}, {v.item_key: v for v in duty_list.verifications.all()}
    for note in duty_list.notes.select_related("written_by").prefetch_related("evidence"):
        notes.setdefault(note.item_key, []).append(note)
    return [{"item": item, "notes": notes.get(item.key, []), "verdict": verdicts.get(item.key)}
            for item in list_items(duty_list)]  # fmt: skip


def _categories(rows):
    groups = []
    for row in rows:
        if not groups or groups[-1]["name"] != row["item"].category:
            groups.append({"name": row["item"].category, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


@login_required
@require_GET
def list_detail(request, pk):
    duty_list = list_or_404(request, pk)
    user = request.user
    holds = user.has_perm("duties.edit_list", duty_list)
    rows = _rows(duty_list)
    context = {
        "list": duty_list, "groups": _categories(rows),
        "status": filing_status(duty_list, day=timezone.localdate()),
        "holds": holds, "editable": holds and duty_list.state == ListState.DRAFT,
        "can_note": user.has_perm("duties.note_list", duty_list),
        "can_verify": user.has_perm("duties.verify_list", duty_list),
        "verdict": verify_list(duty_list) if duty_list.content_hash else None,
        "custom_form": CustomDutyForm(), "sign_form": SignForm(initial={"name": user.display_name}),
        "versions": duty_list.versions.select_related("created_by"),
        "outcomes": VerifyForm.base_fields["outcome"].choices,
    }  # fmt: skip
    return render(request, "duties/list.html", context)


def _done(request, duty_list, error="", success=""):
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect("duties:list", pk=duty_list.pk)


@login_required
@require_POST
def custom_add(request, pk):
    duty_list = list_or_404(request, pk, "duties.edit_list")
    form = CustomDutyForm(request.POST)
    if not form.is_valid():
        return _done(request, duty_list, error=form_errors(form))
    try:
        add_custom_duty(duty_list=duty_list, **form.cleaned_data)
    except DutyError as err:
        return _done(request, duty_list, error=err.message)
    return _done(request, duty_list, success=_("Individual duty added."))


@login_required
@require_POST
def custom_delete(request, pk, duty_pk):
    duty_list = list_or_404(request, pk, "duties.edit_list")
    duty = get_object_or_404(CustomDuty, pk=duty_pk, duty_list=duty_list)
    try:
        delete_custom_duty(duty=duty)
    except DutyError as err:
        return _done(request, duty_list, error=err.message)
    return _done(request, duty_list, success=_("Individual duty removed."))


@login_required
@require_POST
def sign(request, pk):
    duty_list = list_or_404(request, pk, "duties.edit_list")
    form = SignForm(request.POST)
    if not form.is_valid():
        return _done(request, duty_list, error=form_errors(form))
    try:
        sign_list(duty_list=duty_list, name=form.cleaned_data["name"], by=request.user)
    except DutyError as err:
        return _done(request, duty_list, error=err.message)
    return _done(request, duty_list, success=_("List signed."))


@login_required
@require_POST
def file(request, pk):
    duty_list = list_or_404(request, pk, "duties.edit_list")
    try:
        file_list(duty_list=duty_list, by=request.user)
    except DutyError as err:
        return _done(request, duty_list, error=err.message)
    return _done(request, duty_list, success=_("List filed."))


@login_required
@require_http_methods(["GET", "POST"])
def amend(request, pk):
    duty_list = list_or_404(request, pk, "duties.edit_list")
    if duty_list.state == ListState.DRAFT:
        return redirect("duties:list", pk=pk)
    initial = [{"text": d.text, "standard": d.standard} for d in duty_list.custom.all()]
    data = request.POST if request.method == "POST" else None
    form = AmendForm(data, initial={"name": request.user.display_name})
    formset = CustomDutyFormSet(data, initial=initial, prefix="custom")
    if data is not None and form.is_valid() and formset.is_valid():
        custom = [f.cleaned_data for f in formset if f.cleaned_data]
        try:
            amend_list(duty_list=duty_list, custom=custom, by=request.user,
                       reason=form.cleaned_data["reason"], name=form.cleaned_data["name"])  # fmt: skip
        except DutyError as err:
            form.add_error(None, err.message)
        else:
            return _done(request, duty_list, success=_("Amendment recorded."))
    return render(request, "duties/amend.html",
                  {"list": duty_list, "form": form, "formset": formset})  # fmt: skip


@login_required
@require_POST
def note_add(request, pk):
    duty_list = list_or_404(request, pk, "duties.note_list")
    form = NoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _done(request, duty_list, error=form_errors(form))
    data = form.cleaned_data
    try:
        add_note(duty_list=duty_list, item_key=data["item"], text=data["text"],
                 upload=data["file"], by=request.user)  # fmt: skip
    except DutyError as err:
        return _done(request, duty_list, error=err.message)
    return _done(request, duty_list, success=_("Progress noted."))


@login_required
@require_POST
def verify(request, pk):
    duty_list = list_or_404(request, pk, "duties.verify_list")
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _done(request, duty_list, error=form_errors(form))
    data = form.cleaned_data
    try:
        verify_item(duty_list=duty_list, item_key=data["item"], outcome=data["outcome"],
                    comment=data["comment"], by=request.user)  # fmt: skip
    except DutyError as err:
        return _done(request, duty_list, error=err.message)
    return _done(request, duty_list, success=_("Verification saved."))


@login_required
@require_GET
def show(request, pk):
    """晒单: the filed list, read-only, for the organization's members and those above it."""
    duty_list = list_or_404(request, pk, "duties.show_list")
    rows = [{"item": item} for item in list_items(duty_list)]
    return render(request, "duties/show.html", {"list": duty_list, "groups": _categories(rows)})


@login_required
@require_GET
def docx(request, pk):
    duty_list = list_or_404(request, pk)
    response = HttpResponse(
        list_docx(duty_list),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="duty-list-{duty_list.pk}.docx"'
    return response


@login_required
@require_GET
def evidence_file(request, pk):
    evidence = get_object_or_404(
        NoteEvidence.objects.select_related(
            "note__duty_list__cycle__scope", "note__duty_list__organization"
        ), pk=pk,
    )  # fmt: skip
    if not request.user.has_perm("duties.view_list", evidence.note.duty_list):
        raise Http404
    thumb = request.GET.get("thumb") and evidence.thumbnail
    field = evidence.thumbnail if thumb else evidence.file
    response = FileResponse(field.open("rb"), content_type="image/jpeg" if thumb else
                            evidence.content_type, filename=evidence.original_name)  # fmt: skip
    response["Cache-Control"] = "private, max-age=3600"
    return response
