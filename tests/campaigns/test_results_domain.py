"""Results: stage aggregates, combination, grades, ranks, lost points — equal to the core's."""

import datetime
from decimal import Decimal

import pytest

from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.domain.rubrics import rubric_of, store_bundled
from kaoping.campaigns.models import (
    Assignment,
    CampaignRubric,
    Participant,
    Result,
    Stage,
    StageResult,
)
from kaoping.scoring import aggregate_scores, combine_stages, rank
from tests.campaigns.conftest import TODAY
from tests.campaigns.results_fixtures import submit
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def by_org(campaign):
    return {r.participant.organization.name: r for r in
            Result.objects.filter(campaign=campaign).select_related("participant__organization")}  # fmt: skip


def assignments_of(review_assignments, participant):
    return [a for a in review_assignments if a.participant_id == participant.pk]


def test_trimmed_mean_of_three_raters_drops_highest_and_lowest(campaign, review_assignments):
    village = campaign.participants.get(organization__name="白沙村党支部")
    first, second, third = assignments_of(review_assignments, village)
    submit(first, {"1.1": "2", "2.1": "0.5"})  # 97.5
    submit(second, {"1.1": "3", "1.2": "3", "1.6": "4"})  # 90
    submit(third, {"5.1": "1.3"})  # 98.7
    recompute_results(campaign=campaign)
    stage_result = StageResult.objects.get(participant=village, stage__kind="full_review")
    expected = aggregate_scores(["97.5", "90", "98.7"], method="trimmed", trim=1)
    assert stage_result.total == expected.value == Decimal("97.50")
    assert stage_result.rater_count == 3
    assert stage_result.note == ""
    result = Result.objects.get(participant=village)
    assert result.total == Decimal("97.50")
    assert result.stages[-1]["method_used"] == "trimmed"
    assert result.stages[-1]["counted"] is True


def test_sections_are_aggregated_too(campaign, review_assignments):
    village = campaign.participants.get(organization__name="白沙村党支部")
    first, second, third = assignments_of(review_assignments, village)
    submit(first, {"1.1": "2"})
    submit(second, {"1.1": "1"})
    submit(third, {"1.1": "0.5"})
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=village)
    assert result.section_scores["一"] == str(
        aggregate_scores(["23", "24", "24.5"], method="trimmed").value
    )
    assert result.section_scores["一"] == "24.00"


def test_two_raters_fall_back_to_the_mean_and_say_so(campaign, review_assignments):
    village = campaign.participants.get(organization__name="白沙村党支部")
    first, second, _ = assignments_of(review_assignments, village)
    submit(first, {"1.1": "3", "1.2": "3", "1.6": "4"})  # 90
    submit(second, {"1.1": "3", "1.2": "3", "1.6": "4", "2.1": "4", "2.4": "4", "2.2": "1"})
    recompute_results(campaign=campaign)
    stage_result = StageResult.objects.get(participant=village, stage__kind="full_review")
    assert stage_result.total == Decimal("85.50")
    assert stage_result.note == "评分人2人，不足3人，未去掉最高分和最低分，按算术平均"
    result = Result.objects.get(participant=village)
    assert result.note == stage_result.note
    assert result.stages[-1]["method_used"] == "mean"


def test_median(campaign, stages, review_assignments):
    Stage.objects.filter(pk=stages["review"].pk).update(method="median")
    village = campaign.participants.get(organization__name="白沙村党支部")
    first, second, third = assignments_of(review_assignments, village)
    submit(first, {"1.1": "1"})
    submit(second, {"1.1": "3"})
    submit(third, {"1.1": "0.2"})
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=village)
    assert result.total == aggregate_scores(["99", "97", "99.8"], method="median").value
    assert result.total == Decimal("99.00")


def test_only_submitted_sheets_count(campaign, review_assignments):
    village = campaign.participants.get(organization__name="白沙村党支部")
    first, second, _third = assignments_of(review_assignments, village)
    submit(first, {"1.1": "1"})
    draft = submit(second, {"1.1": "3"})
    draft.status = "draft"
    draft.save()
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=village)
    assert (result.total, result.rater_count) == (Decimal("99.00"), 1)


def test_no_sheet_no_total_no_rank(campaign, review_assignments):
    recompute_results(campaign=campaign)
    results = by_org(campaign)
    assert all(r.total is None and r.rank_in_kind is None for r in results.values())
    assert "全面考评" in results["白沙村党支部"].note


@pytest.fixture
def third_village(campaign, tree, village_rubric, stages, raters):
    """A third village under county_a and one under another parent (city_a directly)."""
    made = {}
    for name, parent in (("三里村党支部", tree["county_a"]), ("城郊村党支部", tree["city_a"])):
        org = OrganizationFactory(name=name, kind="village", parent=parent)
        participant = Participant.objects.create(
            campaign=campaign, organization=org, rubric=village_rubric
        )
        for rater in raters:
            Assignment.objects.create(stage=stages["review"], participant=participant, rater=rater)
        made[name] = participant
    return made


def submit_all(campaign, stage, deductions_by_org):
    for assignment in Assignment.objects.filter(stage=stage).select_related(
        "participant__organization", "participant__rubric", "rater"
    ):
        submit(assignment, deductions_by_org[assignment.participant.organization.name])


def test_shared_ranks_within_parent_and_kind(campaign, stages, review_assignments, third_village):
    submit_all(campaign, stages["review"], {
        "白沙村党支部": {"1.1": "1"},  # 99
        "黄店村党支部": {"1.1": "1"},  # 99
        "三里村党支部": {"1.1": "2"},  # 98
        "城郊村党支部": {"1.1": "0.5"},  # 99.5, another parent
    })  # fmt: skip
    recompute_results(campaign=campaign)
    results = by_org(campaign)
    ranks = {name: (r.rank_in_parent, r.rank_in_kind) for name, r in results.items()}
    assert ranks == {
        "白沙村党支部": (1, 2),
        "黄店村党支部": (1, 2),
        "三里村党支部": (3, 4),
        "城郊村党支部": (1, 1),
    }
    # The core's answer for the same numbers.
    assert rank(["99", "99", "98"]) == [1, 1, 3]


def test_weights_combine_the_stages(campaign, stages, branch_user, review_assignments):
    Stage.objects.filter(pk=stages["self"].pk).update(weight=Decimal("0.3"))
    Stage.objects.filter(pk=stages["review"].pk).update(weight=Decimal("0.7"))
    village = campaign.participants.get(organization__name="白沙村党支部")
    own = Assignment.objects.create(stage=stages["self"], participant=village, rater=branch_user)
    submit(own, {})  # 100
    for assignment in assignments_of(review_assignments, village):
        submit(assignment, {"1.1": "3", "1.2": "3", "1.6": "4"})  # 90
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=village)
    expected = combine_stages(["100", "90"], weights=["0.3", "0.7"])
    assert result.total == expected == Decimal("93.00")
    assert result.section_scores["一"] == str(combine_stages(["25", "15"], weights=["0.3", "0.7"]))
    assert [s["counted"] for s in result.stages] == [True, True]
    # Lost points combine like the total: the self-assessment lost nothing, so 0.7 × 3.
    assert {row["item"]: row["points"] for row in result.lost_points} == {
        "1.1": "2.10", "1.2": "2.10", "1.6": "2.80"
    }  # fmt: skip


def test_a_later_stage_overrides_where_it_has_a_result(campaign, stages, raters,
                                                       review_assignments):  # fmt: skip
    spot = Stage.objects.create(
        campaign=campaign, kind="spot_check", name="抽查点评", position=3,
        starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=5), overrides=True,
    )  # fmt: skip
    village, _other = campaign.participants.order_by("pk")
    for assignment in review_assignments:
        submit(assignment, {"1.1": "1"})  # 99 everywhere
    checked = Assignment.objects.create(stage=spot, participant=village, rater=raters[0])
    submit(checked, {"1.1": "3", "2.1": "4", "2.2": "1"})  # 92
    recompute_results(campaign=campaign)
    results = by_org(campaign)
    assert results["白沙村党支部"].total == combine_stages(["99", "92"], mode="override")
    assert results["白沙村党支部"].total == Decimal("92.00")
    assert results["黄店村党支部"].total == Decimal("99.00")  # no spot check: the review stands
    assert (results["黄店村党支部"].rank_in_kind, results["白沙村党支部"].rank_in_kind) == (1, 2)


@pytest.fixture
def branch_campaign(campaign, tree, stages, raters):
    """The 以评促建 index for a branch in the same campaign (kind branch)."""
    stored = store_bundled("seed003-branch-compliance")
    CampaignRubric.objects.create(campaign=campaign, org_kind="branch", rubric=stored)
    org = OrganizationFactory(name="机关第一党支部", kind="branch", parent=tree["county_a"])
    participant = Participant.objects.create(campaign=campaign, organization=org, rubric=stored)
    assignments = [
        Assignment.objects.create(stage=stages["review"], participant=participant, rater=r)
        for r in raters
    ]
    return participant, assignments


def branch_entries(score="5", veto=False):
    rubric = rubric_of(store_bundled("seed003-branch-compliance"))
    entries, custom = {}, {}
    for code, item in rubric.items.items():
        if item.rule.kind == "custom_slots":
            count = int(item.max_points / 5)
            custom[code] = [{"code": f"{code}-{n}", "text": f"指标{n}"} for n in range(count)]
            entries[code] = {"slots": {s["code"]: {"score": score} for s in custom[code]}}
        else:
            entries[code] = {"triggered": veto and code == "V3", "note": "未开展组织生活"}
    return entries, custom


def submit_branch(assignment, *, score="5", veto=False):
    entries, custom = branch_entries(score, veto)
    return submit(assignment, entries=entries, custom=custom)


def test_one_raters_veto_forces_the_fail_grade_whatever_the_total(campaign, branch_campaign):
    participant, assignments = branch_campaign
    submit_branch(assignments[0], score="5", veto=True)
    submit_branch(assignments[1], score="5")
    submit_branch(assignments[2], score="5")
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=participant)
    assert result.total == Decimal("100.00")
    assert result.vetoes == ["V3"]
    assert result.grade == "不达标"
    assert any(row["kind"] == "veto" and row["item"] == "V3" for row in result.lost_points)


def test_without_veto_the_grade_follows_the_total(campaign, branch_campaign):
    participant, assignments = branch_campaign
    for assignment in assignments:
        submit_branch(assignment, score="3")
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=participant)
    assert (result.total, result.grade, result.vetoes) == (Decimal("60.00"), "达标", [])


def test_lost_points_are_merged_per_item_with_reasons(campaign, review_assignments):
    village = campaign.participants.get(organization__name="白沙村党支部")
    first, second, third = assignments_of(review_assignments, village)
    submit(first, {"1.1": "1"}, reason="标识不统一")
    submit(second, {"1.1": "2"}, reason="未设置服务项目")
    submit(third, {})
    recompute_results(campaign=campaign)
    (row,) = Result.objects.get(participant=village).lost_points
    assert row["item"] == "1.1" and row["kind"] == "points"
    assert row["points"] == "1.00"  # (1 + 2 + 0) / 3
    assert (row["raters"], row["of"]) == (2, 3)
    assert row["reasons"] == ["扣1分：标识不统一", "扣2分：未设置服务项目"]


def test_recompute_is_idempotent(campaign, review_assignments):
    for assignment in review_assignments:
        submit(assignment, {"1.1": "1"})
    recompute_results(campaign=campaign)
    fields = ("participant_id", "total", "section_scores", "grade", "rank_in_kind", "lost_points")
    first = sorted(Result.objects.values_list(*fields))
    first_stage = sorted(StageResult.objects.values_list("participant_id", "total"))
    recompute_results(campaign=campaign)
    assert sorted(Result.objects.values_list(*fields)) == first
    assert sorted(StageResult.objects.values_list("participant_id", "total")) == first_stage
    assert Result.objects.count() == 2 and StageResult.objects.count() == 2


def count_recompute_queries(campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        recompute_results(campaign=campaign)
    return len(queries)


def test_recompute_queries_do_not_grow_with_participants(
    campaign, tree, village_rubric, stages, raters, django_assert_max_num_queries
):
    def add(name):
        org = OrganizationFactory(name=name, kind="village", parent=tree["county_a"])
        participant = Participant.objects.create(
            campaign=campaign, organization=org, rubric=village_rubric
        )
        for rater in raters:
            assignment = Assignment.objects.create(
                stage=stages["review"], participant=participant, rater=rater
            )
            submit(assignment, {"1.1": "1"})

    campaign.participants.all().delete()
    add("新村1党支部")
    # 14: on SQLite three are the bulk page cache's PRAGMAs (read, set, restore).
    with django_assert_max_num_queries(14):
        recompute_results(campaign=campaign)
    one = count_recompute_queries(campaign)
    add("新村2党支部")
    add("新村3党支部")
    with django_assert_max_num_queries(14):
        recompute_results(campaign=campaign)
    assert count_recompute_queries(campaign) == one
    assert Result.objects.filter(campaign=campaign, total__isnull=False).count() == 3


def test_self_vs_others_per_item(campaign, stages, branch_user, review_assignments):
    village = campaign.participants.get(organization__name="白沙村党支部")
    own = Assignment.objects.create(stage=stages["self"], participant=village, rater=branch_user)
    submit(own, {})
    first, second, third = assignments_of(review_assignments, village)
    submit(first, {"1.1": "1"})
    submit(second, {"1.1": "2"})
    submit(third, {"1.1": "3"})
    recompute_results(campaign=campaign)
    rows = {r["item"]: r for r in Result.objects.get(participant=village).comparison}
    # The review's own method: the trimmed mean of 2, 1, 0 is 1 (the mean would be 1 too, so
    # look at 1.2 below for a case where they differ).
    expected = aggregate_scores(["2", "1", "0"], method="trimmed").value
    assert rows["1.1"]["self"] == "3.00"
    assert rows["1.1"]["stages"] == [
        {"name": "全面考评", "value": str(expected), "count": 3, "difference": "2.00"}
    ]
    assert rows["1.2"]["stages"][0]["difference"] == "0.00"


def test_self_vs_others_uses_the_stage_method_not_the_mean(campaign, stages, branch_user,
                                                           review_assignments):  # fmt: skip
    village = campaign.participants.get(organization__name="白沙村党支部")
    submit(Assignment.objects.create(stage=stages["self"], participant=village, rater=branch_user),
           {})  # fmt: skip
    first, second, third = assignments_of(review_assignments, village)
    submit(first, {"1.1": "3"})
    submit(second, {})
    submit(third, {})
    recompute_results(campaign=campaign)
    (row,) = [r for r in Result.objects.get(participant=village).comparison if r["item"] == "1.1"]
    # Trimmed mean of 0, 3, 3 is 3 (the plain mean would say 2.00).
    assert row["stages"][0]["value"] == "3.00"
    assert row["stages"][0]["value"] == str(
        aggregate_scores(["0", "3", "3"], method="trimmed").value
    )
