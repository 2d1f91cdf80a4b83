"""Dashboard and multi-year pages. Anything outside the person's scope answers 404."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kaoping.accounts import scopes
from kaoping.campaigns.domain.publication import PUBLISHED_STATES
from kaoping.campaigns.models import Campaign, Participant, Stage
from kaoping.core.spreadsheet_safety import safe_row
from kaoping.orgs.models import Organization
from kaoping.reports.domain.dashboards import OutOfScope, Table, build_dashboard
from kaoping.reports.domain.years import org_trend, three_year
from kaoping.reports.interfaces.years_form import ThreeYearForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_campaigns(user):
    """Campaigns whose dashboard the user may open (one query): those they organize, those
    where they lead a panel, and published ones with a participant their roles cover."""
    leads = Stage.objects.filter(campaign=OuterRef("pk"), panels__leader=user)
    seen = Participant.objects.filter(
        campaign=OuterRef("pk"), organization__in=scopes.visible_organizations(user)
    )
    return Campaign.objects.filter(
        Q(scope__in=scopes.managed_organizations(user))
        | Exists(leads)
        | (Q(state__in=PUBLISHED_STATES) & Exists(seen))
    ).select_related("scope")


def xlsx_response(title: str, table: Table, filename: str) -> HttpResponse:
    """A one-sheet workbook of `table` (header row, then rows), as a download."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([str(c) for c in table.columns])
    for row in table.rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
def index(request):
    campaigns = visible_campaigns(request.user)
    return render(request, "reports/dashboards/index.html", {"campaigns": campaigns})


def _dashboard_for(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), pk=pk)
    if not request.user.has_perm("reports.view_dashboard", campaign):
        raise Http404
    within = None
    if request.GET.get("within"):
        try:
            within = Organization.objects.get(pk=int(request.GET["within"]))
        except (ValueError, Organization.DoesNotExist):
            raise Http404 from None
    try:
        return build_dashboard(campaign=campaign, user=request.user, within=within,
                               day=timezone.localdate())  # fmt: skip
    except OutOfScope:
        raise Http404 from None


@login_required
def dashboard(request, pk):
    board = _dashboard_for(request, pk)
    query = f"?within={board.root.pk}" if board.root.pk != board.campaign.scope_id else ""
    return render(request, "reports/dashboards/dashboard.html", {
        "board": board, "campaign": board.campaign, "query": query,
    })  # fmt: skip


@login_required
def dashboard_table(request, pk, key):
    board = _dashboard_for(request, pk)
    chart = board.chart(key)
    if chart is None:
        raise Http404
    filename = f"dashboard-{board.campaign.pk}-{board.root.pk}-{slugify(key)}"
    return xlsx_response(chart.title, chart.table, filename)


@login_required
def organization_trend(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    if not request.user.has_perm("reports.view_org_trend", organization):
        raise Http404
    series = org_trend(organization=organization)
    years = sorted({p["year"] for s in series for p in s.points})
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 40, "right": 20, "bottom": 60},
        "xAxis": {"type": "category", "data": [str(y) for y in years]},
        "yAxis": {"type": "value"},
        "series": [
            {"type": "line", "name": s.title, "connectNulls": True,
             "data": [_point(s, year) for year in years]}
            for s in series
        ],
    }  # fmt: skip
    return render(request, "reports/dashboards/trend.html", {
        "organization": organization, "series": series,
        "payload": {"option": option, "links": []},
    })  # fmt: skip


def _point(series, year):
    value = next((p["total"] for p in series.points if p["year"] == year), None)
    return None if value is None else float(value)


@login_required
def three_year_view(request):
    form = ThreeYearForm(request.GET or None, user=request.user)
    ranking, table = None, None
    if form.is_valid():
        scope = form.cleaned_data["scope"]
        if not request.user.has_perm("reports.view_three_year", scope):
            raise Http404
        ranking = three_year(scope=scope, campaigns=form.campaigns, weights=form.weights)
        table = _three_year_table(form.campaigns, ranking)
        if request.GET.get("format") == "xlsx":
            return xlsx_response(_("Three-year evaluation"), table, f"three-year-{scope.pk}")
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(request, "reports/dashboards/three_year.html", {
        "form": form, "ranking": ranking, "table": table, "export_query": query.urlencode(),
    })  # fmt: skip


def _three_year_table(campaigns, ranking) -> Table:
    # The exported sheet's columns are the documents' own Chinese headers (总评 ranking).
    columns = ["名次", "组织", "上级组织", *[f"{c.year}年" for c in campaigns], "总评得分"]
    table = Table(columns)
    for entry in ranking:
        table.rows.append([entry.rank, entry.name, entry.parent, *entry.totals, entry.combined])
    return table
