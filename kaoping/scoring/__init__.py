"""Kaoping's scoring core: pure Python (no Django), exact Decimal arithmetic.

Rubrics are data (`docs/rubric-format.md`); this package loads and validates them, scores sheets,
aggregates raters and stages, ranks, and grades (`docs/scoring.md`). Django apps, the API and the
CLI call these functions and never re-implement a rule.
"""

from kaoping.scoring.aggregate import (
    Aggregate,
    Method,
    SheetAggregate,
    StageCombination,
    VetoFinding,
    aggregate_fixed,
    aggregate_scores,
    aggregate_sheets,
    combine_stage_aggregates,
    combine_stages,
)
from kaoping.scoring.allocation import (
    Allocation,
    AllocationError,
    allocate_reviews,
    check_review,
    form_groups,
    place_raters,
)
from kaoping.scoring.errors import EntryError, Problem, RubricError
from kaoping.scoring.fixed import from_fixed, rank_keys, to_fixed
from kaoping.scoring.loader import load_rubric, parse_rubric, parse_rubric_text
from kaoping.scoring.model import (
    ORG_KINDS,
    GradeBand,
    Group,
    Item,
    ItemBonus,
    Outcome,
    Rubric,
    Section,
    StarRule,
)
from kaoping.scoring.outcome import grade_for
from kaoping.scoring.ranking import (
    BOTTOM,
    MIDDLE,
    TOP,
    cap_share,
    cap_share_array,
    grade_by_share,
    grade_by_share_array,
    quota,
    rank,
    rank_array,
)
from kaoping.scoring.results import ItemResult, LostPoints, SectionResult, SheetResult
from kaoping.scoring.rules import RULES
from kaoping.scoring.sampling import InspectorDraw, UnitDraw, draw_inspectors, draw_units
from kaoping.scoring.sheet import score_item, score_sheet

__all__ = [
    "BOTTOM",
    "MIDDLE",
    "ORG_KINDS",
    "RULES",
    "TOP",
    "Aggregate",
    "Allocation",
    "AllocationError",
    "EntryError",
    "GradeBand",
    "Group",
    "InspectorDraw",
    "Item",
    "ItemBonus",
    "ItemResult",
    "LostPoints",
    "Method",
    "Outcome",
    "Problem",
    "Rubric",
    "RubricError",
    "Section",
    "SectionResult",
    "SheetAggregate",
    "SheetResult",
    "StageCombination",
    "StarRule",
    "UnitDraw",
    "VetoFinding",
    "aggregate_fixed",
    "aggregate_scores",
    "aggregate_sheets",
    "allocate_reviews",
    "cap_share",
    "cap_share_array",
    "check_review",
    "combine_stage_aggregates",
    "combine_stages",
    "draw_inspectors",
    "draw_units",
    "form_groups",
    "from_fixed",
    "grade_by_share",
    "grade_by_share_array",
    "grade_for",
    "load_rubric",
    "parse_rubric",
    "parse_rubric_text",
    "place_raters",
    "quota",
    "rank",
    "rank_array",
    "rank_keys",
    "score_item",
    "score_sheet",
    "to_fixed",
]
