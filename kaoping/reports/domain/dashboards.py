"""Dashboard figures for one campaign and one scope, each chart with the table it draws.

Which rows a person reads follows the results pages: before publication only the campaign's
organizers and panel leaders see the working Result rows; after it everybody reads the latest
publication's frozen PublishedResult rows, limited to the organizations their roles cover.

Every figure comes from stored results (never re-scored) in a fixed handful of queries: one for
the scope's result rows (distribution, ranking, grades and drill-down are computed from that one
list), one for the campaign-wide section scores, two for progress, one for rectification.
Averages and ranks go through the scoring core (`aggregate_scores`, `rank`, `grade_for`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kaoping.accounts import scopes
from kaoping.campaigns.domain.publication import latest_publication
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Assignment, PublishedResult, Result, StoredRubric
from kaoping.orgs.models import Organization
from kaoping.rectification.domain.overview import counts as issue_counts
from kaoping.rectification.models import Issue
from kaoping.scoring import aggregate_scores, grade_for, rank

BINS = 10
LATE_LIMIT = 200
# Colours per grade band, best first (ECharts' default palette order).
PALETTE = ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452"]
ROW_FIELDS = (
    "participant_id", "participant__organization_id", "participant__organization__name",
    "participant__organization__path", "participant__rubric_id", "total", "grade", "vetoes",
    "section_scores",
)  # fmt: skip


class OutOfScope(LookupError):
    """The asked drill-down organization lies outside what the person may see (answer 404)."""


@dataclass
class Table:
    columns: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Chart:
    """One chart: its ECharts option (JSON-safe), the table beside it, and click targets."""

    key: str
    title: str
    table: Table
    option: dict
    links: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def payload(self) -> dict:
        return {"option": self.option, "links": self.links}

    @property
    def script_id(self) -> str:
        return f"option-{self.key}"

    @property
    def drill(self) -> list[tuple[str, str]]:
        """(name, link) of the table's rows that open one level down."""
        return [
            (row[0], link) for row, link in zip(self.table.rows, self.links, strict=False) if link
        ]


@dataclass
class Dashboard:
    campaign: object
    root: Organization
    working: bool
    publication: object
    trail: list[Organization]
    charts: list[Chart]
    late: list[dict]
    count: int

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def _num(value) -> float | None:
    return None if value is None else float(value)


def _mean(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return aggregate_scores(values, method="mean").value if values else None


def _source(campaign, user):
    """(rows, working, publication, restricted, campaign-wide rows) this person reads."""
    can_work = user.has_perm("campaigns.view_working_results", campaign)
    publication = latest_publication(campaign)
    if publication is None:
        if not can_work:
            raise OutOfScope
        rows = Result.objects.filter(campaign=campaign)
        return rows, True, None, False, rows
    rows = PublishedResult.objects.filter(publication=publication)
    campaign_rows = rows
    if not can_work:
        rows = rows.filter(participant__organization__in=scopes.visible_organizations(user))
    return rows, False, publication, not can_work, campaign_rows


def _root(campaign, user, within, restricted) -> Organization:
    if within is None:
        return campaign.scope
    if not within.path.startswith(campaign.scope.path):
        raise OutOfScope
    # A restricted person may step down through organizations above what they see.
    if restricted and not (
        scopes.covers(user, within)
        or scopes.visible_organizations(user).filter(path__startswith=within.path).exists()
    ):
        raise OutOfScope
    return within


def build_dashboard(*, campaign, user, within: Organization | None = None,
                    day: datetime.date) -> Dashboard:  # fmt: skip
    """The dashboard of `campaign` below `within` (default: the campaign's scope) as `user`
    sees it on `day`. Reads only. Raises OutOfScope when the person may not see it."""
    rows, working, publication, restricted, campaign_rows = _source(campaign, user)
    root = _root(campaign, user, within, restricted)
    mine = list(rows.filter(participant__organization__path__startswith=root.path)
                .values(*ROW_FIELDS).order_by("participant__organization__path"))  # fmt: skip
    rubric = _main_rubric(mine)
    children = list(Organization.objects.filter(parent=root).order_by("position", "path"))
    charts = [
        _distribution(mine, rubric),
        _sections(mine, campaign_rows, rubric),
        _ranking(mine),
        _grades(mine),
        _drilldown(mine, root, children),
    ]
    late = []
    if user.has_perm("reports.view_progress", campaign):
        progress, late = _progress(campaign, root, day)
        charts.insert(0, progress)
    charts.append(_rectification(campaign, user, root, restricted, day))
    trail = list(
        Organization.objects.filter(
            pk__in=root.ancestor_ids, path__startswith=campaign.scope.path
        ).order_by("path")
    )
    return Dashboard(campaign=campaign, root=root, working=working, publication=publication,
                     trail=trail, charts=charts, late=late, count=len(mine))  # fmt: skip


def _main_rubric(rows):
    """The rubric most of the scope's participants are scored with (labels, bands, sections)."""
    if not rows:
        return None
    pk = Counter(r["participant__rubric_id"] for r in rows).most_common(1)[0][0]
    return rubric_of(StoredRubric.objects.get(pk=pk))


def _distribution(rows, rubric) -> Chart:
    """Histogram of totals in ten equal bins over the full marks, each bin coloured by the grade
    its lower bound reaches (when the rubric has grades)."""
    full = rubric.full_marks if rubric else Decimal(100)
    width = full / BINS
    counts = [0] * BINS
    for row in rows:
        if row["total"] is not None:
            counts[min(int(row["total"] / width), BINS - 1)] += 1
    bands = [b.label for b in rubric.outcome.grades] if rubric else []
    table = Table([_("Score range"), _("Organizations"), _("Grade band")])
    labels, data = [], []
    for n, count in enumerate(counts):
        low, high = width * n, width * (n + 1)
        label = f"{low.normalize():f}–{high.normalize():f}"
        band = (grade_for(rubric.outcome, low) or "") if rubric else ""
        colour = PALETTE[bands.index(band) % len(PALETTE)] if band in bands else PALETTE[0]
        table.rows.append([label, count, band])
        labels.append(label)
        data.append({"value": count, "itemStyle": {"color": colour}})
    option = {
        "tooltip": {},
        "grid": {"left": 40, "right": 10, "bottom": 60},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 45}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "data": data, "name": _("Organizations")}],
    }
    return Chart("distribution", _("Score distribution"), table, option)


def _sections(rows, campaign_rows, rubric) -> Chart:
    """Section averages of the scope beside those of the whole campaign (same rubric only)."""
    table = Table([_("Section"), _("Points"), _("This scope"), _("Whole campaign")])
    if rubric is None:
        return Chart("sections", _("Section averages"), table, {}, note=_("No results yet."))
    rubric_pk = Counter(r["participant__rubric_id"] for r in rows).most_common(1)[0][0]
    everyone = list(
        campaign_rows.filter(participant__rubric_id=rubric_pk).values_list(
            "section_scores", flat=True
        )
    )
    here = [r["section_scores"] for r in rows if r["participant__rubric_id"] == rubric_pk]
    scope_means, all_means = [], []
    for section in rubric.sections:
        a = _mean(s.get(section.code) for s in here)
        b = _mean(s.get(section.code) for s in everyone)
        scope_means.append(a)
        all_means.append(b)
        table.rows.append([f"{section.code} {section.title}", section.points, a, b])
    option = {
        "tooltip": {},
        "legend": {"bottom": 0, "data": [_("This scope"), _("Whole campaign")]},
        "radar": {
            "radius": "60%",
            "indicator": [{"name": s.title, "max": float(s.points)} for s in rubric.sections],
        },
        "series": [{"type": "radar", "data": [
            {"name": _("This scope"), "value": [_num(v) for v in scope_means]},
            {"name": _("Whole campaign"), "value": [_num(v) for v in all_means]},
        ]}],
    }  # fmt: skip
    return Chart("sections", _("Section averages"), table, option)


def _ranking(rows) -> Chart:
    """Totals ranked within the scope (shared ties, vetoed organizations last, by the core)."""
    scored = [r for r in rows if r["total"] is not None]
    ranks = rank([r["total"] for r in scored], last=[bool(r["vetoes"]) for r in scored])
    ordered = sorted(
        zip(ranks, scored, strict=True),
        key=lambda p: (p[0], p[1]["participant__organization__path"]),
    )
    table = Table([_("Rank"), _("Organization"), _("Total"), _("Grade")])
    for place, row in ordered:
        table.rows.append([place, row["participant__organization__name"], row["total"],
                           row["grade"]])  # fmt: skip
    shown = list(reversed(ordered))  # a horizontal bar chart draws from the bottom up
    option = {
        "tooltip": {},
        "grid": {"left": 120, "right": 20},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category",
                  "data": [r["participant__organization__name"] for _p, r in shown]},
        "series": [{"type": "bar", "name": _("Total"),
                    "data": [_num(r["total"]) for _p, r in shown]}],
    }  # fmt: skip
    return Chart("ranking", _("Ranking"), table, option)


def _grades(rows) -> Chart:
    counted = Counter(r["grade"] or _("No grade") for r in rows)
    total = sum(counted.values())
    table = Table([_("Grade"), _("Organizations"), _("Share (%)")])
    for grade, count in counted.most_common():
        share = (Decimal(count * 100) / total).quantize(Decimal("0.1"))
        table.rows.append([grade, count, share])
    option = {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [{"type": "pie", "radius": ["35%", "65%"],
                    "data": [{"name": g, "value": c} for g, c in counted.most_common()]}],
    }  # fmt: skip
    return Chart("grades", _("Grade shares"), table, option)


def _child_of(root_path: str, path: str) -> int | None:
    rest = path[len(root_path) :].strip("/")
    return int(rest.split("/")[0]) if rest else None


def _drilldown(rows, root, children) -> Chart:
    """Each child of `root`: how many participants below it and their average total; a child
    with participants below it (not only itself) links one level down."""
    below = defaultdict(list)
    deeper = set()
    for row in rows:
        child = _child_of(root.path, row["participant__organization__path"])
        if child is not None:
            below[child].append(row["total"])
            if row["participant__organization_id"] != child:
                deeper.add(child)
    table = Table([_("Organization"), _("Organizations scored"), _("Average")])
    names, values, links = [], [], []
    for child in children:
        if child.pk not in below:
            continue
        average = _mean(below[child.pk])
        table.rows.append([child.name, len(below[child.pk]), average])
        names.append(child.name)
        values.append(_num(average))
        links.append(f"?within={child.pk}" if child.pk in deeper else "")
    option = {
        "tooltip": {},
        "grid": {"left": 40, "right": 10, "bottom": 60},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": _("Average"), "data": values}],
    }
    return Chart("children", _("Averages one level down"), table, option, links=links)


def _progress(campaign, root, day) -> tuple[Chart, list[dict]]:
    """Submitted of assigned sheets per stage and parent organization, and who is late (not
    submitted after the assignment's due date, or the stage's end without one)."""
    assignments = Assignment.objects.filter(
        stage__campaign=campaign, participant__organization__path__startswith=root.path
    )
    done = Q(sheet__status=SheetStatus.SUBMITTED)
    grouped = (
        assignments.values("stage__name", "stage__position", "stage_id",
                           "participant__organization__parent__name",
                           "participant__organization__parent__path")
        .annotate(assigned=Count("pk"), submitted=Count("pk", filter=done))
        .order_by("stage__position", "stage_id", "participant__organization__parent__path")
    )  # fmt: skip
    table = Table([_("Stage"), _("Parent organization"), _("Submitted"), _("Assigned"), "%"])
    labels, submitted, missing = [], [], []
    for row in grouped:
        share = (Decimal(row["submitted"] * 100) / row["assigned"]).quantize(Decimal("0.1"))
        parent = row["participant__organization__parent__name"] or ""
        table.rows.append([row["stage__name"], parent, row["submitted"], row["assigned"], share])
        labels.append(f"{row['stage__name']} · {parent}")
        submitted.append(row["submitted"])
        missing.append(row["assigned"] - row["submitted"])
    late = list(
        assignments.exclude(done)
        .annotate(due=Coalesce("due_on", "stage__ends_on"))
        .filter(due__lt=day)
        .values(rater_name=F("rater__full_name"), rater_username=F("rater__username"),
                organization=F("participant__organization__name"), stage_name=F("stage__name"),
                due_day=F("due"))
        .order_by("due", "participant__organization__path")[:LATE_LIMIT]
    )  # fmt: skip
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 120, "right": 20, "bottom": 40},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": labels},
        "series": [
            {"type": "bar", "stack": "all", "name": _("Submitted"), "data": submitted},
            {"type": "bar", "stack": "all", "name": _("Not submitted"), "data": missing},
        ],
    }
    return Chart("progress", _("Progress by stage"), table, option), late


def _rectification(campaign, user, root, restricted, day) -> Chart:
    """Open, overdue and closed issues of the campaign's lists per parent organization
    (`kaoping.rectification.domain.overview.counts`)."""
    issues = Issue.objects.filter(list__campaign=campaign,
                                  organization__path__startswith=root.path)  # fmt: skip
    if restricted:
        issues = issues.filter(organization__in=scopes.visible_organizations(user))
    rows = issue_counts(issues, day, "organization__parent")
    table = Table([_("Parent organization"), pgettext("rectification issue", "Open"), _("Overdue"), _("Closed"), _("Total"),
                   _("Closed (%)")])  # fmt: skip
    for row in rows:
        table.rows.append([row["name"], row["open"], row["overdue"], row["closed"], row["total"],
                           row["rate"]])  # fmt: skip
    names = [r["name"] for r in rows]
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 120, "right": 20, "bottom": 40},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": names},
        "series": [
            {"type": "bar", "stack": "all", "name": _("Open, on time"),
             "data": [r["open"] - r["overdue"] for r in rows]},
            {"type": "bar", "stack": "all", "name": _("Overdue"),
             "data": [r["overdue"] for r in rows]},
            {"type": "bar", "stack": "all", "name": _("Closed"),
             "data": [r["closed"] for r in rows]},
        ],
    }  # fmt: skip
    return Chart("rectification", _("Rectification progress"), table, option,
                 note="" if rows else _("No rectification issues issued yet."))  # fmt: skip
