"""Review fixes: results read what the core stored, rank per rubric with vetoes last, and the
published detail page is frozen (findings F2–F7)."""

import datetime
from decimal import Decimal

import pytest

from kaoping.campaigns.domain.publication import publish
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.domain.results_stored import StoredSheet, as_sheet_result
from kaoping.campaigns.domain.rubrics import rubric_of, store_rubric_text
from kaoping.campaigns.domain.stored import stored_fields
from kaoping.campaigns.models import (
    Assignment,
    Entry,
    Participant,
    PublishedResult,
    Result,
    Stage,
)
from kaoping.scoring import aggregate_sheets, combine_stage_aggregates, score_sheet
from tests.campaigns.conftest import TODAY
from tests.campaigns.results_fixtures import submit
from tests.campaigns.test_results_domain import branch_campaign, submit_branch  # noqa: F401
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

# Two sections with stars; an item that may be marked 不适用, one for communities only, and a
# major deduction charged to section 1 (its star is then blocked).
STARRED = """
id: test-starred
title: 星级测试
issuer: 测试
year: 2026
version: 1
applies_to: [village, community]
full_marks: 20
sections:
  - code: "1"
    title: 学习
    points: 10
    items:
      - {code: "1.1", text: 学习, max: 6, rule: {kind: scale}}
      - {code: "1.2", text: 可不适用, max: 4, rule: {kind: scale}, not_applicable_allowed: true}
      - {code: "1.M", text: 重扣, rule: {kind: major_deduction, min: 5, max: 10}}
  - code: "2"
    title: 服务
    points: 10
    items:
      - {code: "2.1", text: 服务, max: 6, rule: {kind: scale}}
      - {code: "2.2", text: 社区专项, max: 4, rule: {kind: scale}, applies_to: [community]}
outcome:
  grades: [{label: 好, min: 15}, {label: 差}]
  stars:
    - {section: "1", label: 学习星, threshold: 0.8}
    - {section: "2", label: 服务星, threshold: 0.8}
"""


@pytest.fixture
def starred(campaign, stages):
    stored = store_rubric_text(STARRED)
    campaign.participants.update(rubric=stored)
    return rubric_of(stored)


def entries(s11="6", s12="4", s21="6", na=False, major=None):
    values = {"1.1": {"score": s11}, "1.2": {"na": True} if na else {"score": s12},
              "2.1": {"score": s21}}  # fmt: skip
    if major:
        values["1.M"] = {"occurrences": [{"amount": major, "note": "问题"}]}
    return values


def test_stored_sections_are_the_cores_own(starred):
    result = score_sheet(starred, entries(na=True, major="5"), org_kind="village")
    fields = stored_fields(result)
    stored = StoredSheet(pk=1, stage_id=1, participant_id=1, rater="甲", total=result.total,
                         scaled_total=result.scaled_total, sections=fields["sections"],
                         vetoes=(), lost_points=fields["lost_points"])  # fmt: skip
    back = as_sheet_result(starred, stored)
    for mine, core in zip(back.sections, result.sections, strict=True):
        assert (mine.score, mine.applicable_points, mine.major_deductions) == (
            core.score, core.applicable_points, core.major_deductions
        )  # fmt: skip
    # 1.2 marked 不适用 and 2.2 outside its kinds: 6 and 6 applicable points; 5 charged to 1.
    assert [s.applicable_points for s in back.sections] == [Decimal(6), Decimal(6)]
    assert back.sections[0].major_deductions == Decimal(5)


def test_weighted_stages_stars_and_grade_are_the_cores(campaign, stages, starred, branch_user,
                                                       review_assignments):  # fmt: skip
    Stage.objects.filter(pk=stages["self"].pk).update(weight=Decimal("0.5"))
    Stage.objects.filter(pk=stages["review"].pk).update(weight=Decimal("0.5"))
    village = campaign.participants.get(organization__name="白沙村党支部")
    own = Assignment.objects.create(stage=stages["self"], participant=village, rater=branch_user)
    self_values = [entries(na=True)]
    review_values = [entries(s11="4", s21="5"), entries(s11="5", s21="5"), entries(s21="4")]
    submit(own, entries=self_values[0])
    mine = [a for a in review_assignments if a.participant_id == village.pk]
    for assignment, values in zip(mine, review_values, strict=True):
        submit(assignment, entries=values)
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=village)

    def core(values, method):
        sheets = [score_sheet(starred, v, org_kind="village") for v in values]
        return aggregate_sheets(sheets, rubric=starred, method=method)

    expected = combine_stage_aggregates(
        [core(self_values, "mean"), core(review_values, "trimmed")], rubric=starred,
        weights=["0.5", "0.5"],
    )  # fmt: skip
    assert result.total == expected.total
    # 学习: 0.5 × 6 + 0.5 × 9 = 7.5 < 0.8 × 10 (the largest applicable points any stage used,
    # not the self-assessment's 6 after its 不适用); 服务: 5.5 ≥ 0.8 × 6.
    assert result.stars == list(expected.stars) == ["服务星"]
    assert result.grade == expected.grade
    assert result.section_scores == {k: str(v) for k, v in expected.sections.items()}


def test_a_major_deduction_in_any_counted_stage_blocks_the_star(campaign, stages, starred,
                                                                branch_user,
                                                                review_assignments):  # fmt: skip
    Stage.objects.filter(pk=stages["self"].pk).update(weight=Decimal("0.5"))
    Stage.objects.filter(pk=stages["review"].pk).update(weight=Decimal("0.5"))
    village = campaign.participants.get(organization__name="白沙村党支部")
    own = Assignment.objects.create(stage=stages["self"], participant=village, rater=branch_user)
    submit(own, entries=entries(major="5"))
    for assignment in [a for a in review_assignments if a.participant_id == village.pk]:
        submit(assignment, entries=entries())
    recompute_results(campaign=campaign)
    assert Result.objects.get(participant=village).stars == ["服务星"]


def test_lost_points_follow_the_stage_method_and_agree_with_the_total(campaign, stages,
                                                                      review_assignments):  # fmt: skip
    village = campaign.participants.get(organization__name="白沙村党支部")
    first, second, third = [a for a in review_assignments if a.participant_id == village.pk]
    submit(first, {"1.1": "3"})
    submit(second, {})
    submit(third, {})
    recompute_results(campaign=campaign)
    result = Result.objects.get(participant=village)
    # Trimmed mean of 3, 0, 0 is 0: nothing lost, and the total is 100 (a mean would say 1.00).
    assert result.total == Decimal("100.00")
    assert [(r["item"], r["points"], r["raters"], r["of"]) for r in result.lost_points] == [
        ("1.1", "0.00", 1, 3)
    ]


def test_published_detail_is_frozen(client, campaign, stages, alice, branch_user,
                                    review_assignments):  # fmt: skip
    village = campaign.participants.get(organization__name="白沙村党支部")
    submit(Assignment.objects.create(stage=stages["self"], participant=village,
                                     rater=branch_user), {})  # fmt: skip
    for assignment in review_assignments:
        submit(assignment, {"1.1": "1"})
    campaign.state = "closed"
    campaign.save()
    publish(campaign=campaign, by=alice)
    frozen = PublishedResult.objects.get(participant=village).comparison
    assert frozen and frozen[0]["item"] == "1.1" and frozen[0]["self"] == "3.00"
    # Live rows change afterwards (a resubmission, a recompute): the published page does not.
    Entry.objects.filter(sheet__assignment__participant=village, item_code="1.1").update(score=0)
    recompute_results(campaign=campaign)
    from django.urls import reverse

    client.force_login(branch_user)
    response = client.get(reverse("campaigns:result_detail", args=[campaign.pk, village.pk]))
    assert response.status_code == 200
    assert response.context["comparison"] == frozen
    assert Result.objects.get(participant=village).comparison != frozen


def test_ranks_are_per_rubric_and_vetoed_organizations_come_last(campaign, stages,
                                                                 review_assignments,
                                                                 branch_campaign, tree,  # noqa: F811
                                                                 raters):  # fmt: skip
    participant, assignments = branch_campaign  # a branch under county_a, like the villages
    for assignment in review_assignments:
        submit(assignment, {"1.1": "1"})  # villages: 99
    for assignment in assignments:
        submit_branch(assignment, score="5", veto=assignment == assignments[0])  # 100, vetoed
    stored = participant.rubric
    org = OrganizationFactory(name="机关第二党支部", kind="branch", parent=tree["county_a"])
    other = Participant.objects.create(campaign=campaign, organization=org, rubric=stored)
    for rater in raters:
        submit_branch(Assignment.objects.create(stage=stages["review"], participant=other,
                                                rater=rater), score="3")  # 60  # fmt: skip
    recompute_results(campaign=campaign)
    ranks = {r.participant.organization.name: (r.total, r.rank_in_parent, r.rank_in_kind)
             for r in Result.objects.filter(campaign=campaign).select_related(
                 "participant__organization")}  # fmt: skip
    assert ranks == {
        # The villages are ranked among themselves (the village sheet) ...
        "白沙村党支部": (Decimal("99.00"), 1, 1),
        "黄店村党支部": (Decimal("99.00"), 1, 1),
        # ... the branches among themselves; the vetoed one after the one that passed.
        "机关第二党支部": (Decimal("60.00"), 1, 1),
        "机关第一党支部": (Decimal("100.00"), 2, 2),
    }


def test_a_long_note_is_stored(campaign, stages, review_assignments):
    names = ["阶段" * 90 + str(n) for n in range(3)]
    for n, name in enumerate(names):
        Stage.objects.create(campaign=campaign, kind="full_review", name=name, position=3 + n,
                             starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=1),
                             weight=0)  # fmt: skip
    Stage.objects.filter(name__in=names).update(weight=Decimal("0.1"))
    recompute_results(campaign=campaign)
    note = Result.objects.filter(campaign=campaign).first().note
    assert len(note) > 300 and names[2] in note


def test_entries_are_stored_like_a_real_submission(campaign, stages, starred, review_assignments):
    """Only what the rater entered (a 不适用 mark included) and optional blanks get a row; an
    item outside the organization's kinds (2.2 is for communities) gets none."""
    village = campaign.participants.get(organization__name="白沙村党支部")
    assignment = next(a for a in review_assignments if a.participant_id == village.pk)
    sheet = submit(assignment, entries=entries(na=True))
    rows = dict(sheet.entries.values_list("item_code", "score"))
    assert rows == {"1.1": Decimal(6), "1.2": Decimal(0), "1.M": Decimal(0), "2.1": Decimal(6)}
    assert sheet.sections[0]["applicable_points"] == "6"
