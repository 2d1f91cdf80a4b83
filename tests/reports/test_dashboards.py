"""Dashboard figures from the demo campaign: exact numbers from the fixtures' sheets."""

from decimal import Decimal as D

import pytest

from kaoping.reports.domain.dashboards import OutOfScope, build_dashboard
from tests.reports.conftest import TODAY


def board_for(campaign, user, within=None):
    return build_dashboard(campaign=campaign, user=user, within=within, day=TODAY)


def rows(board, key):
    return board.chart(key).table.rows


def test_working_results_for_the_organizer(demo_campaign, olga, villages):
    board = board_for(demo_campaign, olga)
    assert board.working and board.publication is None and board.count == 4
    assert rows(board, "ranking") == [
        [1, "白沙村党支部", D("95.000"), "好"],
        [2, "陈留村党支部", D("91.000"), "好"],
        [3, "黄店村党支部", D("85.000"), "较好"],
        [4, "朱仙镇村党支部", D("72.000"), "一般"],
    ]


def test_distribution_with_grade_bands(demo_campaign, olga):
    table = rows(board_for(demo_campaign, olga), "distribution")
    assert table[0] == ["0–10", 0, "差"]
    assert table[6] == ["60–70", 0, "一般"]
    assert table[7] == ["70–80", 1, "一般"]
    assert table[8] == ["80–90", 1, "较好"]
    assert table[9] == ["90–100", 2, "好"]
    assert sum(r[1] for r in table) == 4


def test_grade_shares(demo_campaign, olga):
    assert rows(board_for(demo_campaign, olga), "grades") == [
        ["好", 2, D("50.0")], ["较好", 1, D("25.0")], ["一般", 1, D("25.0")],
    ]  # fmt: skip


def test_section_averages_scope_against_campaign(demo_campaign, olga, villages):
    whole = rows(board_for(demo_campaign, olga), "sections")
    # 一: 20, 25, 18, 25 → 22; 二: 30, 18, 24, 27 → 24.75
    assert whole[0] == ["一 党建基础", D(25), D("22.00"), D("22.00")]
    assert whole[1][2:] == [D("24.75"), D("24.75")]
    county = rows(board_for(demo_campaign, olga, villages["county_a"]), "sections")
    # village_a 20 and village_a2 25 in 一; 30 and 18 in 二
    assert county[0][2:] == [D("22.50"), D("22.00")]
    assert county[1][2:] == [D("24.00"), D("24.75")]


def test_drilldown_children_averages(demo_campaign, olga, villages):
    board = board_for(demo_campaign, olga)
    chart = board.chart("children")
    assert chart.table.rows == [["郑州市委", 2, D("90.00")], ["开封市委", 2, D("81.50")]]
    assert chart.links == [f"?within={villages['city_a'].pk}", f"?within={villages['city_b'].pk}"]
    county = board_for(demo_campaign, olga, villages["county_a"]).chart("children")
    assert county.table.rows == [["白沙村党支部", 1, D("95.00")], ["黄店村党支部", 1, D("85.00")]]
    assert county.links == ["", ""]  # villages are leaves: nothing below to open


def test_trail_down_from_the_campaign_scope(demo_campaign, olga, villages):
    board = board_for(demo_campaign, olga, villages["county_a"])
    assert [o.name for o in board.trail] == ["河南省委组织部", "郑州市委"]
    assert board.root == villages["county_a"]


def test_progress_and_late(demo_campaign, olga):
    board = board_for(demo_campaign, olga)
    assert rows(board, "progress") == [
        ["自查自评", "中牟县委", 0, 2, D("0.0")],
        ["自查自评", "开封市委", 0, 2, D("0.0")],
        ["全面考评", "中牟县委", 2, 2, D("100.0")],
        ["全面考评", "开封市委", 2, 2, D("100.0")],
    ]
    assert len(board.late) == 4
    assert {row["organization"] for row in board.late} == {
        "白沙村党支部", "黄店村党支部", "朱仙镇村党支部", "陈留村党支部",
    }  # fmt: skip
    assert all(row["rater_name"] == "自评人" for row in board.late)


def test_rectification_counts(published, olga):
    board = board_for(published, olga)
    assert rows(board, "rectification") == [
        ["中牟县委", 1, 1, 1, 2, D("50.0")],
        ["开封市委", 1, 0, 0, 1, D("0.0")],
    ]


def test_published_rows_limited_to_the_viewers_subtree(published, alice, bob):
    board = board_for(published, alice)
    assert not board.working and board.publication.number == 1
    assert [r[1] for r in rows(board, "ranking")] == ["白沙村党支部", "黄店村党支部"]
    assert board.chart("progress") is None  # progress is for who sees working results
    assert rows(board, "rectification") == [["中牟县委", 1, 1, 1, 2, D("50.0")]]
    # the whole campaign's section averages stay those of every organization
    assert rows(board, "sections")[0][3] == D("22.00")
    assert [r[1] for r in rows(board_for(published, bob), "ranking")] == [
        "陈留村党支部", "朱仙镇村党支部",
    ]  # fmt: skip


def test_published_figures_are_frozen(published, olga):
    from kaoping.campaigns.domain.results import recompute_results
    from kaoping.campaigns.models import Assignment
    from tests.campaigns.results_fixtures import submit
    from tests.reports.dashboards_fixtures import deductions_for

    submit(Assignment.objects.get(stage__campaign=published, stage__kind="full_review",
                                  participant__organization__name="白沙村党支部"),
           deductions_for(60))  # fmt: skip
    recompute_results(campaign=published)
    assert rows(board_for(published, olga), "ranking")[0][1:3] == ["白沙村党支部", D("95.000")]


def test_before_publication_others_see_nothing(demo_campaign, alice, charlie):
    for user in (alice, charlie):
        with pytest.raises(OutOfScope):
            board_for(demo_campaign, user)


def test_drilldown_outside_the_campaign_or_the_viewers_scope(published, alice, villages, tree):
    with pytest.raises(OutOfScope):
        board_for(published, alice, villages["city_b"])
    # a viewer may step through the organizations above what they see
    assert board_for(published, alice, villages["province"]).root == villages["province"]


def test_drilldown_outside_the_campaign_scope(demo_campaign, olga):
    from tests.factories import OrganizationFactory

    elsewhere = OrganizationFactory(name="外省", kind="party_committee", parent=None)
    with pytest.raises(OutOfScope):
        board_for(demo_campaign, olga, elsewhere)
