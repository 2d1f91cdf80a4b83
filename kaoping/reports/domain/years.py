"""Results across years: one organization's trend, and the three-year overall evaluation.

Seed 002 (模范机关创建): 一年一安排、一年一考评、三年一总评. A year's result is the latest
publication's frozen row of that year's campaign (never working results); the three years are
combined by configurable weights with the scoring core's `combine_stages` and ranked with its
`rank` (an organization vetoed in any of the years ranks after the others, as a vetoed year
carries the failing grade). Each function reads in one query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery

from kaoping.campaigns.models import Publication, PublishedResult
from kaoping.scoring import combine_stages, rank


def latest_published_rows():
    """Every campaign's latest publication's frozen rows (one correlated subquery)."""
    latest = (
        Publication.objects.filter(campaign=OuterRef("publication__campaign"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return PublishedResult.objects.annotate(latest=Subquery(latest)).filter(
        publication_id=F("latest")
    )


@dataclass
class Series:
    """One rubric's results for an organization, year by year."""

    rubric_id: str
    title: str
    points: list[dict] = field(default_factory=list)


def org_trend(*, organization) -> list[Series]:
    """The organization's published results grouped by rubric id (the same kind of
    assessment over the years), oldest first. Reads only."""
    rows = (
        latest_published_rows()
        .filter(participant__organization=organization)
        .values(year=F("publication__campaign__year"), campaign=F("publication__campaign__name"),
                campaign_id=F("publication__campaign_id"),
                rubric_id=F("participant__rubric__rubric_id"),
                title=F("participant__rubric__title"), total_=F("total"), grade_=F("grade"),
                rank=F("rank_in_parent"))
        .order_by("year", "campaign_id")
    )  # fmt: skip
    series: dict[str, Series] = {}
    for row in rows:
        entry = series.setdefault(row["rubric_id"], Series(row["rubric_id"], row["title"]))
        entry.points.append({"year": row["year"], "campaign": row["campaign"],
                             "campaign_id": row["campaign_id"], "total": row["total_"],
                             "grade": row["grade_"], "rank": row["rank"]})  # fmt: skip
    return list(series.values())


@dataclass
class Combined:
    """One organization in the three-year evaluation."""

    organization_id: int
    name: str
    parent: str
    path: str
    totals: list[Decimal | None]
    vetoed: bool
    combined: Decimal | None = None
    rank: int | None = None


def three_year(*, scope, campaigns, weights) -> list[Combined]:
    """Combine the published totals of `campaigns` (in the given order, one weight each; the
    weights add up to 1) for the organizations in `scope`'s subtree, ranked. Organizations
    missing a year keep no combined total and no rank. Reads only; ValueError from the core if
    the weights are not one per campaign adding up to 1."""
    index = {c.pk: n for n, c in enumerate(campaigns)}
    rows = (
        latest_published_rows()
        .filter(publication__campaign__in=list(index),
                participant__organization__path__startswith=scope.path)
        .values("total", "vetoes", campaign_id=F("publication__campaign_id"),
                org_id=F("participant__organization_id"),
                name=F("participant__organization__name"),
                parent=F("participant__organization__parent__name"),
                path=F("participant__organization__path"))
    )  # fmt: skip
    found: dict[int, Combined] = {}
    for row in rows:
        entry = found.get(row["org_id"])
        if entry is None:
            entry = found[row["org_id"]] = Combined(
                row["org_id"], row["name"], row["parent"] or "", row["path"],
                [None] * len(campaigns), False,
            )  # fmt: skip
        entry.totals[index[row["campaign_id"]]] = row["total"]
        entry.vetoed = entry.vetoed or bool(row["vetoes"])
    complete = [e for e in found.values() if all(t is not None for t in e.totals)]
    for entry in complete:
        entry.combined = combine_stages(entry.totals, mode="weighted", weights=weights, places=2)
    if not complete and len(weights) == len(campaigns):
        combine_stages([0] * len(weights), weights=weights)  # still refuse bad weights
    places = rank([e.combined for e in complete], last=[e.vetoed for e in complete])
    for entry, place in zip(complete, places, strict=True):
        entry.rank = place
    grouped = defaultdict(list)
    for entry in found.values():
        grouped[entry.rank is None].append(entry)
    ranked = sorted(grouped[False], key=lambda e: (e.rank, e.path))
    return ranked + sorted(grouped[True], key=lambda e: e.path)
