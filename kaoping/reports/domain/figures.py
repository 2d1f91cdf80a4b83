"""The published figures every document reads: one query for the latest publication's rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from kaoping.campaigns.domain.publication import latest_publication
from kaoping.campaigns.models import PublishedResult

TOP_N = 5


@dataclass
class Figures:
    """A campaign's published results, ranked, with the counts a bulletin cites."""

    rows: list = field(default_factory=list)  # PublishedResult, best first
    publication: object = None

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def scored(self) -> list:
        return [r for r in self.rows if r.total is not None]

    @property
    def average(self) -> Decimal | None:
        scored = self.scored
        if not scored:
            return None
        return (sum(r.total for r in scored) / len(scored)).quantize(Decimal("0.01"))

    @property
    def highest(self):
        return self.scored[0].total if self.scored else None

    @property
    def lowest(self):
        return self.scored[-1].total if self.scored else None

    def grade_counts(self) -> list[tuple[str, int]]:
        """Grades in the order they first appear from the top (best grade first)."""
        counts = Counter(r.grade for r in self.rows if r.grade)
        seen = dict.fromkeys(r.grade for r in self.rows if r.grade)
        return [(grade, counts[grade]) for grade in seen]

    def top(self, n: int = TOP_N) -> list:
        return self.scored[:n]

    def bottom(self, n: int = TOP_N) -> list:
        """The last `n`, never repeating an organization of the top list."""
        scored = self.scored
        return scored[max(len(scored) - n, n) :] if len(scored) > n else []


def _order(row) -> tuple:
    # Ranked rows first by rank in kind, then by total; unscored organizations last.
    return (row.total is None, row.rank_in_kind or 10**9, -(row.total or 0), row.participant_id)


def published_figures(campaign) -> Figures:
    """The latest publication's results, ranked (one query), or empty Figures if unpublished."""
    publication = latest_publication(campaign)
    if publication is None:
        return Figures()
    rows = list(
        PublishedResult.objects.filter(publication=publication).select_related(
            "participant__organization__parent"
        )
    )
    rows.sort(key=_order)
    return Figures(rows=rows, publication=publication)
