"""The organizer's side: the index, opening a year's lists for a scope, the overview of who has
filed, who is late and how the lists were verified, and its xlsx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.rules import is_organizer
from kaoping.duties.domain.cycle import DutyError, filing_status, open_cycle
from kaoping.duties.domain.progress import summarize
from kaoping.duties.interfaces.forms import CycleForm
from kaoping.duties.interfaces.xlsx_export import overview_xlsx
from kaoping.duties.models import DutyCycle, DutyList
from kaoping.duties.views.common import cycle_or_404


@login_required
@require_GET
def index(request):
    """What the user can act on: an organizer's cycles, a secretary's own lists."""
    managed = scopes.managed_organizations(request.user)
    cycles = DutyCycle.objects.filter(scope__in=managed).select_related("scope")
    own = scopes.visible_organizations(request.user, RoleKind.BRANCH_USER)
    lists = (
        DutyList.objects.filter(organization__in=own).select_related("cycle", "organization")
        .order_by("-cycle__year", "organization__name")
    )  # fmt: skip
    context = {"cycles": cycles, "lists": lists, "can_open": is_organizer(request.user)}
    return render(request, "duties/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request):
    managed = scopes.managed_organizations(request.user).order_by("path")
    if not is_organizer(request.user):
        raise PermissionDenied
    form = CycleForm(request.POST or None, scopes=managed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("duties.open_cycle", data["scope"]):
            raise Http404
        try:
            cycle = open_cycle(scope=data["scope"], year=data["year"],
                               deadline=data["deadline"], by=request.user)  # fmt: skip
        except DutyError as err:
            form.add_error("year", err.message)
        else:
            count = cycle.lists.count()
            messages.success(request, ngettext(
                "Responsibility list opened for %(count)d organization.",
                "Responsibility lists opened for %(count)d organizations.", count,
            ) % {"count": count})  # fmt: skip
            return redirect("duties:cycle", pk=cycle.pk)
    return render(request, "duties/cycle_form.html", {"form": form})


def _cycle_lists(cycle):
    return (
        cycle.lists.select_related("cycle", "organization")
        .prefetch_related("custom", "verifications").order_by("organization__path")
    )  # fmt: skip


@login_required
@require_GET
def cycle_detail(request, pk):
    cycle = cycle_or_404(request, pk)
    day = timezone.localdate()
    rows = [
        {"list": duty_list, "status": filing_status(duty_list, day=day),
         "summary": summarize(duty_list, day=day)}
        for duty_list in _cycle_lists(cycle)
    ]  # fmt: skip
    filed = sum(1 for row in rows if row["list"].state == "filed")
    late = sum(1 for row in rows if row["status"].late)
    context = {"cycle": cycle, "rows": rows, "filed": filed, "late": late}
    return render(request, "duties/cycle.html", context)


@login_required
@require_GET
def cycle_xlsx(request, pk):
    cycle = cycle_or_404(request, pk)
    content = overview_xlsx(cycle, _cycle_lists(cycle), day=timezone.localdate())
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="duty-lists-{cycle.year}-{cycle.pk}.xlsx"'
    )
    return response
