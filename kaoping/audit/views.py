"""The audit administrator's pages: search the log, export what the search found.

Only the audit administrator (三员分立) reads the log; everyone else, the system and security
administrators included, gets 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kaoping.audit import actions
from kaoping.audit.domain.search import search_events
from kaoping.audit.interfaces.forms import AuditSearchForm
from kaoping.audit.interfaces.xlsx_export import events_xlsx
from kaoping.audit.log import record

EVENTS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audit_admin_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("audit.view_log"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _search(request):
    form = AuditSearchForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    return form, filters, search_events(**filters)


@require_GET
@audit_admin_required
def index(request):
    form, _filters, events = _search(request)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/index.html", {"form": form, "page": page})


@require_GET
@audit_admin_required
def export(request):
    _form, filters, events = _search(request)
    content = events_xlsx(events.iterator(chunk_size=2000))
    record(
        actions.AUDIT_EXPORT,
        request=request,
        detail={key: str(value) for key, value in filters.items() if value},
    )
    name = f"audit-{timezone.localdate().isoformat()}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.audit_recorded = True  # the download middleware need not record it again
    return response
