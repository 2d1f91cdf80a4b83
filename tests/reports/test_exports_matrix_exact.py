# ruff: noqa: F811  (pytest fixtures imported above are parameters below)
"""The score matrix computed a whole stage at once in fixed point writes exactly the cells the
Decimal path wrote (the core's `aggregate_scores` per stage, organization and item), on random
small campaigns: several stages and methods (trimmed mean with fallback), missing or unsubmitted
sheets, not-applicable items (no score), codes outside the rubric."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import (
    Assignment,
    Entry,
    Participant,
    Result,
    ScoreSheet,
    Stage,
    StageResult,
)
from kaoping.reports.domain import exports
from kaoping.scoring import aggregate_scores
from tests.campaigns.conftest import TODAY, campaign, village_rubric  # noqa: F401  (fixtures)
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

RATERS = 5
# Scores at the entries' 3 decimals, dense around .xx5 so half-up rounding is exercised.
scores = st.one_of(
    st.integers(min_value=-2000, max_value=12000),
    st.integers(min_value=0, max_value=100).map(lambda n: n * 10 + 5),
).map(lambda n: Decimal(n).scaleb(-3))
# one rater's sheet: absent, a draft, or submitted with some items scored or not applicable
sheet = st.one_of(
    st.none(),
    st.just("draft"),
    st.lists(st.one_of(st.none(), scores), min_size=4, max_size=4),
)
stage_spec = st.tuples(
    st.sampled_from(["mean", "trimmed", "median"]),
    st.integers(min_value=0, max_value=2),
    st.lists(st.lists(sheet, min_size=RATERS, max_size=RATERS), min_size=3, max_size=3),
)


def reference_rows(campaign, stages, items, sections):
    """The matrix rows as the Decimal path computed them (one `aggregate_scores` per cell)."""
    scores = defaultdict(list)
    entries = Entry.objects.filter(
        sheet__assignment__stage__campaign=campaign, sheet__status=SheetStatus.SUBMITTED,
        score__isnull=False,
    ).values_list("sheet__assignment__stage_id", "sheet__assignment__participant_id",
                  "item_code", "score")  # fmt: skip
    for stage_id, participant_id, code, score in entries:
        scores[(stage_id, participant_id, code)].append(score)
    by_id = {s.pk: s for s in stages}
    aggregated = {
        key: aggregate_scores(values, method=by_id[key[0]].method, trim=by_id[key[0]].trim).value
        for key, values in scores.items()
    }
    totals = {(r.stage_id, r.participant_id): r.total
              for r in StageResult.objects.filter(stage__in=stages)}  # fmt: skip
    for r in exports.result_rows(campaign):
        org, pid = r.participant.organization, r.participant_id
        row = [org.name, org.parent.name if org.parent else ""]
        for stage in stages:
            row += [_float(aggregated.get((stage.pk, pid, code))) for code, _text in items]
            row.append(_float(totals.get((stage.pk, pid))))
        row += [None if r.section_scores.get(c) in (None, "") else float(r.section_scores[c])
                for c in sections]  # fmt: skip
        row += [_float(r.total), r.grade, r.rank_in_kind]
        yield row


def _float(value):
    return None if value is None else float(value)


@pytest.fixture
def setting(campaign, tree, village_rubric):
    """A third participant without any sheet, five raters, and four item columns to fill."""
    org = OrganizationFactory(name="三河村党支部", kind="village", parent=tree["county_a"])
    Participant.objects.create(campaign=campaign, organization=org, rubric=village_rubric)
    raters = [UserFactory(username=f"matrix_rater_{n}") for n in range(RATERS)]
    codes = list(rubric_of(village_rubric).items)
    return campaign, raters, [codes[0], codes[1], codes[-1], "zz.99"]  # the last: no rubric item


def build(campaign, raters, codes, specs):
    participants = list(campaign.participants.order_by("pk"))
    for position, (method, trim, per_participant) in enumerate(specs, start=1):
        stage = Stage.objects.create(
            campaign=campaign, kind="full_review", name=f"阶段{position}", position=position,
            starts_on=TODAY, ends_on=TODAY, method=method, trim=trim,
        )  # fmt: skip
        for participant, sheets in zip(participants, per_participant, strict=False):
            for rater, spec in zip(raters, sheets, strict=True):
                if spec is None:
                    continue
                assignment = Assignment.objects.create(stage=stage, participant=participant,
                                                       rater=rater)  # fmt: skip
                status = SheetStatus.DRAFT if spec == "draft" else SheetStatus.SUBMITTED
                sheet = ScoreSheet.objects.create(assignment=assignment, status=status)
                values = [Decimal(1)] * len(codes) if spec == "draft" else spec
                Entry.objects.bulk_create(
                    Entry(sheet=sheet, item_code=code, score=score, updated_by=rater)
                    for code, score in zip(codes, values, strict=True)
                )
            StageResult.objects.create(stage=stage, participant=participant,
                                       total=Decimal(position) + Decimal("0.125"))  # fmt: skip
    for rank, participant in enumerate(participants, start=1):
        Result.objects.create(campaign=campaign, participant=participant, rank_in_kind=rank,
                              total=Decimal(100 - rank), grade="好",
                              section_scores={"1": "12.5"})  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(stage_spec, min_size=1, max_size=3))  # fmt: skip
def test_matrix_cells_equal_the_decimal_path(setting, specs):
    campaign, raters, codes = setting
    with transaction.atomic():
        build(campaign, raters, codes, specs)
        stages = list(campaign.stages.order_by("position", "pk"))
        items = exports._item_columns(campaign)
        sections = ["1", "2"]
        fast = list(exports.matrix_rows(campaign, stages, items, sections))
        reference = list(reference_rows(campaign, stages, items, sections))
        assert fast == reference
        assert len(fast) == 3 and any(v is not None for row in fast for v in row[2:-5])
        transaction.set_rollback(True)


def test_a_trimmed_cell_by_hand(setting):
    """Five raters, trimmed by 1: 1.005, 2, 3.010, 9 and 0 → (1.005 + 2 + 3.010) / 3 = 2.005
    → 2.01 (half up); the median stage writes 2; an item nobody scored stays empty."""
    campaign, raters, codes = setting
    cells = [[Decimal("1.005")], [Decimal(2)], [Decimal("3.010")], [Decimal(9)], [Decimal(0)]]
    sheets = [[*c, None, None, None] for c in cells]
    build(campaign, raters, codes, [("trimmed", 1, [sheets]), ("median", 1, [sheets])])
    stages = list(campaign.stages.order_by("position", "pk"))
    items = exports._item_columns(campaign)
    first = next(exports.matrix_rows(campaign, stages, items, []))
    width = len(items) + 1
    assert first[2] == 2.01 and first[3] is None
    assert first[2 + width] == 2 and first[1 + width] == 1.125  # the median; stage 1's total
