"""The vectorized recompute writes exactly the rows of the Decimal reference path.

Random small campaigns (a seed each): two to three stages with every method, trims, weights that
add up to 1 or not, an overriding spot check, a self-assessment, missing and extra sheets, tied
totals, items marked not applicable (scaled totals), major deductions blocking stars, vetoes, and
rubrics rounding to 0, 1 or 2 places. Both paths run on the same stored sheets; every StageResult
and Result field must be equal.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection

from kaoping.campaigns.domain.results import recompute_results, recompute_results_reference
from kaoping.campaigns.domain.rubrics import store_rubric_text
from kaoping.campaigns.models import Assignment, Participant, Result, Stage, StageResult
from tests.campaigns.conftest import TODAY
from tests.campaigns.results_fixtures import submit
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

RUBRIC = """
id: test-fast-{rounding}
title: 向量化测试
issuer: 测试
year: 2026
version: 1
applies_to: [village, community]
full_marks: 30
rounding: {rounding}
sections:
  - code: "1"
    title: 学习
    points: 10
    items:
      - {{code: "1.1", text: 学习, max: 6, rule: {{kind: scale}}}}
      - {{code: "1.2", text: 可不适用, max: 4, rule: {{kind: scale}}, not_applicable_allowed: true}}
      - {{code: "1.M", text: 重扣, rule: {{kind: major_deduction, min: 5, max: 10}}}}
  - code: "2"
    title: 服务
    points: 17
    items:
      - {{code: "2.1", text: 服务, max: 7, rule: {{kind: scale}}}}
      - {{code: "2.2", text: 社区专项, max: 4, rule: {{kind: scale}}, applies_to: [community]}}
      - {{code: "2.3", text: 可不适用二, max: 6, rule: {{kind: scale}}, not_applicable_allowed: true}}
  - code: "3"
    title: 其他
    points: 3
    items:
      - {{code: "3.1", text: 其他, max: 3, rule: {{kind: scale}}}}
  - code: "V"
    title: 反向指标
    points: 0
    items:
      - {{code: V1, text: 否决一, rule: {{kind: veto}}}}
      - {{code: V2, text: 否决二, rule: {{kind: veto}}}}
outcome:
  grades: [{{label: 好, min: 25}}, {{label: 中, min: 18.5}}, {{label: 差}}]
  fail_grade: 差
  stars:
    - {{section: "1", label: 学习星, threshold: 0.8}}
    - {{section: "2", label: 服务星, threshold: 0.75}}
"""
SCORES = ["0", "1", "2", "2.5", "3", "3.5", "4", "5", "6"]


def random_entries(rng: random.Random, community: bool) -> dict:
    def score(top):
        return str(min(Decimal(rng.choice(SCORES)), Decimal(top)))

    values = {"1.1": {"score": score(6)}, "2.1": {"score": score(7)}, "3.1": {"score": score(3)}}
    # Raters' comments become the lost points' reasons: merged across raters and stages, in
    # order, each once.
    for code in ("1.1", "2.1"):
        if rng.random() < 0.5:
            values[code]["comment"] = rng.choice(["台账不全", "记录缺失", "制度未上墙", "%s\n"])
    values["1.2"] = {"na": True} if rng.random() < 0.3 else {"score": score(4)}
    values["2.3"] = {"na": True} if rng.random() < 0.3 else {"score": score(6)}
    if community:
        values["2.2"] = {"score": score(4)}
    if rng.random() < 0.2:
        values["1.M"] = {"occurrences": [{"amount": rng.choice(["5", "6"]), "note": "问题"}]}
    for code in ("V1", "V2"):
        values[code] = {"triggered": rng.random() < 0.08, "note": "情形"}
    return values


def stored_rows(campaign):
    stages = sorted(
        StageResult.objects.filter(stage__campaign=campaign).values_list(
            "stage_id", "participant_id", "total", "section_scores", "grade", "stars", "vetoes",
            "rater_count", "note",
        )
    )  # fmt: skip
    results = sorted(
        Result.objects.filter(campaign=campaign).values_list(
            "participant_id", "total", "section_scores", "grade", "stars", "vetoes",
            "rater_count", "note", "rank_in_parent", "rank_in_kind", "lost_points", "stages",
            "comparison",
        )
    )  # fmt: skip
    return stages, results


def build(rng: random.Random, campaign, tree):
    rubric = store_rubric_text(RUBRIC.format(rounding=rng.choice([0, 1, 2])))
    Participant.objects.filter(campaign=campaign).delete()
    parents = [tree["county_a"], OrganizationFactory(kind="party_committee", parent=tree["city_a"])]
    participants = []
    for _ in range(rng.randint(4, 9)):
        org = OrganizationFactory(
            kind="community" if rng.random() < 0.3 else "village", parent=rng.choice(parents)
        )
        participants.append(
            Participant.objects.create(campaign=campaign, organization=org, rubric=rubric)
        )
    start, end = TODAY - datetime.timedelta(days=10), TODAY + datetime.timedelta(days=10)
    weights = rng.choice([("0", "1"), ("0.3", "0.7"), ("0.25", "0.75"), ("0.3", "0.6")])
    with_self = rng.random() < 0.3

    def stage(kind, position, weight, overrides=False):
        return Stage.objects.create(
            campaign=campaign, kind=kind, name=f"阶段{position}", position=position,
            starts_on=start, ends_on=end, method=rng.choice(["mean", "trimmed", "median"]),
            trim=rng.choice([0, 1, 1, 2]), weight=Decimal(weight), overrides=overrides,
        )  # fmt: skip

    stages = [
        stage("self_assessment" if with_self else "cross_review", 1, weights[0]),
        stage("full_review", 2, weights[1]),
    ]
    if rng.random() < 0.4:
        stages.append(stage("spot_check", 3, "0", overrides=True))
    raters = [UserFactory() for _ in range(5)]
    for s in stages:
        for participant in participants:
            # Missing sheets: some participants have none in a stage, others one to five.
            count = (
                rng.choice([0, 1, 2, 3, 3, 4, 5]) if s.kind != "spot_check" else rng.randint(0, 2)
            )
            for rater in raters[:count]:
                assignment = Assignment.objects.create(
                    stage=s, participant=participant, rater=rater
                )
                community = participant.organization.kind == "community"
                submit(assignment, entries=random_entries(rng, community))
    return with_self


@pytest.mark.parametrize("seed", range(16))
def test_fast_path_writes_the_reference_rows(seed, campaign, stages, tree, slow_paths):
    Stage.objects.filter(campaign=campaign).delete()
    has_self = build(random.Random(seed), campaign, tree)
    recompute_results_reference(campaign=campaign)
    expected = stored_rows(campaign)
    assert expected[1], "the campaign has results"
    recompute_results(campaign=campaign)
    assert stored_rows(campaign) == expected
    if not has_self:  # only a self-assessment's comparison takes the reference path
        assert slow_paths == []


def test_ties_and_vetoes_rank_the_same(campaign, stages, tree):
    """Equal totals share a rank; a vetoed organization ranks after every other in its scope."""
    Stage.objects.filter(campaign=campaign).delete()
    rng = random.Random(4)  # weights adding up to 1, no self-assessment
    rubric = store_rubric_text(RUBRIC.format(rounding=2))
    Participant.objects.filter(campaign=campaign).delete()
    review = Stage.objects.create(
        campaign=campaign, kind="full_review", name="全面考评", position=1,
        starts_on=TODAY, ends_on=TODAY, method="mean", trim=1, weight=1,
    )  # fmt: skip
    rater = UserFactory()
    same = random_entries(rng, False) | {"V1": {"triggered": False}, "V2": {"triggered": False}}
    vetoed = same | {"V1": {"triggered": True, "note": "情形"}}
    for values in (same, same, vetoed, same | {"1.1": {"score": "1"}}):
        org = OrganizationFactory(kind="village", parent=tree["county_a"])
        participant = Participant.objects.create(campaign=campaign, organization=org,
                                                 rubric=rubric)  # fmt: skip
        submit(Assignment.objects.create(stage=review, participant=participant, rater=rater),
               entries=values)  # fmt: skip
    recompute_results_reference(campaign=campaign)
    expected = stored_rows(campaign)
    recompute_results(campaign=campaign)
    assert stored_rows(campaign) == expected
    ranks = [row[8] for row in expected[1]]
    assert ranks == [1, 1, 4, 3]


@pytest.fixture
def slow_paths(monkeypatch):
    """The participants the fast path handed to the reference path, per recompute."""
    from kaoping.campaigns.domain import results_fast

    seen = []
    original = results_fast._reference_rows

    def spy(reference, campaign, stages, sheets, slow):
        seen.append(len(slow))
        return original(reference, campaign, stages, sheets, slow)

    monkeypatch.setattr(results_fast, "_reference_rows", spy)
    return seen


def test_a_negative_stored_number_takes_the_reference_path(campaign, stages, tree, slow_paths):
    """Decimal keeps the sign of a negative aggregate that rounds to zero ("-0.00"); integers do
    not, so a rubric batch with a negative stored number is computed by the reference path."""
    from kaoping.campaigns.models import ScoreSheet

    Stage.objects.filter(campaign=campaign).delete()
    build(random.Random(3), campaign, tree)
    sheet = ScoreSheet.objects.filter(assignment__stage__campaign=campaign).first()
    ScoreSheet.objects.filter(pk=sheet.pk).update(scaled_total=Decimal("-0.01"))
    recompute_results_reference(campaign=campaign)
    expected = stored_rows(campaign)
    recompute_results(campaign=campaign)
    assert stored_rows(campaign) == expected
    assert slow_paths and slow_paths[0] == Participant.objects.filter(campaign=campaign).count()


def test_reasons_of_several_raters_are_merged_each_once(campaign, stages, tree, slow_paths):
    """The random campaigns above compare both paths; this one also says what the list is."""
    Stage.objects.filter(campaign=campaign).delete()
    rng = random.Random(4)  # weights adding up to 1, no self-assessment
    build(rng, campaign, tree)
    recompute_results(campaign=campaign)
    merged = [
        line["reasons"]
        for lost in Result.objects.filter(campaign=campaign).values_list("lost_points", flat=True)
        for line in lost
        if line["item"] in ("1.1", "2.1")
    ]
    assert any(len(reasons) > 1 for reasons in merged), "several raters' reasons merged"
    assert all(len(set(reasons)) == len(reasons) and "" not in reasons for reasons in merged)
    assert slow_paths == []


def test_a_recompute_over_earlier_results_drops_what_is_gone(campaign, stages, tree, slow_paths):
    """Results are written over the earlier ones (SQLite upserts them): a stage result whose
    sheets are gone disappears, every other row is as a first computation writes it."""
    from kaoping.campaigns.enums import SheetStatus
    from kaoping.campaigns.models import ScoreSheet

    Stage.objects.filter(campaign=campaign).delete()
    build(random.Random(4), campaign, tree)
    recompute_results(campaign=campaign)
    gone = StageResult.objects.filter(stage__campaign=campaign).order_by("pk").first()
    ScoreSheet.objects.filter(
        assignment__stage=gone.stage, assignment__participant=gone.participant
    ).update(status=SheetStatus.RETURNED)
    recompute_results(campaign=campaign)
    again = stored_rows(campaign)
    assert not StageResult.objects.filter(stage=gone.stage, participant=gone.participant).exists()
    recompute_results_reference(campaign=campaign)
    assert stored_rows(campaign) == again
    if connection.vendor == "sqlite":  # written over in place: links to a result stay valid
        ids = list(Result.objects.filter(campaign=campaign).order_by("pk").values_list("pk"))
        recompute_results(campaign=campaign)
        assert (
            list(Result.objects.filter(campaign=campaign).order_by("pk").values_list("pk")) == ids
        )
        assert stored_rows(campaign) == again
