"""Sessions pages: everyone's own sessions; administrators' view of anyone's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.security import sessions
from kaoping.security.models import EndReason, UserSession

PAGE_SIZE = 50


def _active():
    idle, absolute = sessions.limits()
    return UserSession.objects.active(idle=idle, absolute=absolute).select_related("user")


@login_required
def my_sessions(request):
    rows = _active().filter(user=request.user)
    return render(
        request,
        "security/my_sessions.html",
        {"rows": rows, "current_id": sessions.current_row_id(request)},
    )


@login_required
@require_POST
def end_my_session(request, pk):
    row = get_object_or_404(UserSession, pk=pk, user=request.user)
    if row.pk == sessions.current_row_id(request):
        # Ending the session in use is signing out; the page offers that separately.
        messages.error(request, _("This is the session you are using; log out to end it."))
        return redirect("security:my_sessions")
    if sessions.end_rows(UserSession.objects.filter(pk=row.pk), reason=EndReason.BY_USER):
        record(actions.SESSION_ENDED, request=request, target=row, detail={"by": "user"})
    messages.success(request, _("Session ended."))
    return redirect("security:my_sessions")


@login_required
@require_POST
def end_other_sessions(request):
    count = sessions.end_sessions(
        request.user, keep=request.session.session_key, reason=EndReason.BY_USER
    )
    if count:
        record(
            actions.SESSION_ENDED,
            request=request,
            target=request.user,
            detail={"by": "user", "count": count},
        )
    message = ngettext("Ended %(count)d other session.", "Ended %(count)d other sessions.", count)
    messages.success(request, message % {"count": count})
    return redirect("security:my_sessions")


@login_required
def all_sessions(request):
    if not request.user.has_perm("security.view_any_session"):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    rows = _active()
    if query:
        rows = rows.filter(user__username__icontains=query) | rows.filter(
            user__full_name__icontains=query
        )
    page = Paginator(rows.order_by("-last_seen_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "security/all_sessions.html",
        {"page": page, "q": query, "current_id": sessions.current_row_id(request)},
    )


@login_required
@require_POST
def end_any_session(request, pk):
    if not request.user.has_perm("security.end_any_session"):
        raise PermissionDenied
    row = get_object_or_404(UserSession, pk=pk)
    if sessions.end_rows(UserSession.objects.filter(pk=row.pk), reason=EndReason.BY_ADMIN):
        record(
            actions.SESSION_ENDED,
            request=request,
            target=row.user,
            detail={"by": "administrator", "address": row.address or ""},
        )
        messages.success(request, _("Session of %(name)s ended.") % {"name": row.user.display_name})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return redirect(next_url)
    return redirect("security:all_sessions")
