"""Years: an organization's trend and the three-year overall evaluation (seed 002)."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.reports.domain.years import org_trend, three_year
from tests.reports import dashboards_fixtures as demo
from tests.reports.conftest import TODAY

# Published totals per year: village_a2 has no result in 2024.
TOTALS = {
    2024: {"village_a": 80, "village_b": 70},
    2025: {"village_a": 90, "village_b": 80, "village_a2": 60},
    2026: {"village_a": 95, "village_b": 72, "village_a2": 85},
}


@pytest.fixture
def years(villages, olga, rater, graded):
    campaigns = []
    for year, totals in TOTALS.items():
        scores = {villages[k]: demo.deductions_for(t) for k, t in totals.items()}
        campaign = demo.build_campaign(year=year, scope=villages["province"], organizer=olga,
                                       rater=rater, rubric=graded, scores=scores, day=TODAY)  # fmt: skip
        demo.publish_campaign(campaign, olga)
        campaigns.append(campaign)
    return campaigns


def test_trend_by_rubric_over_the_years(years, villages):
    (series,) = org_trend(organization=villages["village_a"])
    assert series.rubric_id == "seed001-village-community"
    assert [(p["year"], p["total"], p["grade"]) for p in series.points] == [
        (2024, D("80.000"), "较好"), (2025, D("90.000"), "好"), (2026, D("95.000"), "好"),
    ]  # fmt: skip


def test_trend_reads_the_latest_publication(years, villages, olga):
    from kaoping.campaigns.domain.publication import republish
    from kaoping.campaigns.models import Assignment
    from tests.campaigns.results_fixtures import submit

    last = years[-1]
    assignment = Assignment.objects.get(
        stage__campaign=last, participant__organization=villages["village_a"]
    )
    submit(assignment, demo.deductions_for(93))
    republish(campaign=last, by=olga, note="更正")
    points = org_trend(organization=villages["village_a"])[0].points
    assert [p["total"] for p in points] == [D("80.000"), D("90.000"), D("93.000")]


def test_three_year_combination_and_ranking(years, villages):
    weights = [D("0.3"), D("0.3"), D("0.4")]
    ranking = three_year(scope=villages["province"], campaigns=years, weights=weights)
    assert [(e.rank, e.name, e.combined) for e in ranking] == [
        (1, "白沙村党支部", D("89.00")),  # 24 + 27 + 38
        (2, "朱仙镇村党支部", D("73.80")),  # 21 + 24 + 28.8
        (None, "黄店村党支部", None),  # no 2024 result
    ]
    assert ranking[2].totals == [None, D("60.000"), D("85.000")]


def test_three_year_within_a_scope(years, villages):
    ranking = three_year(scope=villages["city_b"], campaigns=years,
                         weights=[D("0.2"), D("0.3"), D("0.5")])  # fmt: skip
    assert [(e.rank, e.name, e.combined) for e in ranking] == [(1, "朱仙镇村党支部", D("74.00"))]


def test_three_year_refuses_weights_not_adding_to_one(years, villages):
    with pytest.raises(ValueError):
        three_year(scope=villages["province"], campaigns=years, weights=[1, 1, 1])


def _query(years, scope, weights=("0.3", "0.3", "0.4")):
    data = {"scope": scope.pk}
    for n, (campaign, weight) in enumerate(zip(years, weights, strict=True), start=1):
        data[f"campaign_{n}"] = campaign.pk
        data[f"weight_{n}"] = weight
    return data


def test_three_year_page_and_xlsx(client, years, olga, villages):
    client.force_login(olga)
    url = reverse("reports:three_year")
    html = client.get(url, _query(years, villages["province"])).content.decode()
    assert "白沙村党支部" in html and "89.00" in html
    response = client.get(url, {**_query(years, villages["province"]), "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("名次", "组织", "上级组织", "2024年", "2025年", "2026年", "总评得分")
    assert rows[1] == (1, "白沙村党支部", "中牟县委", 80, 90, 95, 89)
    assert rows[2] == (2, "朱仙镇村党支部", "开封市委", 70, 80, 72, 73.8)
    assert rows[3] == (None, "黄店村党支部", "中牟县委", None, 60, 85, None)


def test_three_year_form_errors_name_the_field(client, years, olga, villages):
    client.force_login(olga)
    response = client.get(reverse("reports:three_year"),
                          _query(years, villages["province"], ("0.5", "0.5", "0.5")))  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["weight_3"] == [
        "The three weights add up to 1.5; they must add up to 1."
    ]
    same = {**_query(years, villages["province"]), "campaign_3": years[0].pk}
    response = client.get(reverse("reports:three_year"), same)
    assert response.context["form"].errors["campaign_3"] == ["Choose three different campaigns."]


def test_three_year_personas(client, years, alice, bob, charlie, villages):
    url = reverse("reports:three_year")
    assert client.get(url).status_code == 302  # anonymous
    client.force_login(alice)
    html = client.get(url, _query(years, villages["city_a"])).content.decode()
    assert "白沙村党支部" in html and "朱仙镇村党支部" not in html
    # another scope is not a choice: the form refuses it, nothing shown
    response = client.get(url, _query(years, villages["city_b"]))
    assert "scope" in response.context["form"].errors and response.context["table"] is None
    client.force_login(charlie)
    response = client.get(url, _query(years, villages["province"]))
    assert response.context["table"] is None
    assert "campaign_1" in response.context["form"].errors


def test_trend_page_personas(client, years, alice, bob, charlie, villages):
    url = reverse("reports:org_trend", args=[villages["village_a"].pk])
    assert client.get(url).status_code == 302
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert (
        'id="option-trend"' in response.content.decode() and "95.000" in response.content.decode()
    )
    for user in (bob, charlie):
        client.force_login(user)
        assert client.get(url).status_code == 404
