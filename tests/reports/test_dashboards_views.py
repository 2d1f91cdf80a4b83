"""Dashboard pages: personas, 404 without leaks, exports read back, constant query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import RoleFactory, UserFactory
from tests.reports import dashboards_fixtures as demo
from tests.reports.conftest import TODAY


def login(client, user):
    client.force_login(user)
    return client


def dashboard_url(campaign, within=None):
    url = reverse("reports:dashboard", args=[campaign.pk])
    return f"{url}?within={within.pk}" if within else url


def test_anonymous_is_sent_to_login(client, demo_campaign):
    for url in (
        reverse("reports:index"),
        dashboard_url(demo_campaign),
        reverse("reports:dashboard_table", args=[demo_campaign.pk, "ranking"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]  # fmt: skip


def test_owner_sees_working_dashboard(client, demo_campaign, olga):
    response = login(client, olga).get(dashboard_url(demo_campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Working results (not published)." in html
    for key in ("progress", "distribution", "sections", "ranking", "grades", "children",
                "rectification"):  # fmt: skip
        assert f'id="option-{key}"' in html and f'data-chart="option-{key}"' in html
    assert "自评人" in html  # the late list
    assert "reports/vendor/echarts.min.js" in html


def test_other_scope_and_no_role_get_404_before_publication(client, demo_campaign, alice, charlie):
    for user in (alice, charlie):
        client.logout()
        login(client, user)
        assert client.get(dashboard_url(demo_campaign)).status_code == 404
        url = reverse("reports:dashboard_table", args=[demo_campaign.pk, "ranking"])
        assert client.get(url).status_code == 404


def test_after_publication_each_sees_their_subtree(client, published, alice, bob, charlie):
    html = login(client, alice).get(dashboard_url(published)).content.decode()
    assert "白沙村党支部" in html and "朱仙镇村党支部" not in html
    assert "Published results (publication 1)." in html
    assert 'id="option-progress"' not in html
    client.logout()
    html = login(client, bob).get(dashboard_url(published)).content.decode()
    assert "朱仙镇村党支部" in html and "白沙村党支部" not in html
    client.logout()
    assert login(client, charlie).get(dashboard_url(published)).status_code == 404


def test_drilldown_page_and_refusals(client, published, olga, alice, villages):
    html = login(client, olga).get(dashboard_url(published, villages["city_a"])).content.decode()
    assert "中牟县委" in html and f"?within={villages['county_a'].pk}" in html
    client.logout()
    login(client, alice)
    assert client.get(dashboard_url(published, villages["city_b"])).status_code == 404
    assert client.get(dashboard_url(published) + "?within=abc").status_code == 404
    assert client.get(dashboard_url(published) + "?within=999999").status_code == 404


def test_table_export_reads_back(client, published, olga, villages):
    url = reverse("reports:dashboard_table", args=[published.pk, "ranking"])
    response = login(client, olga).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Rank", "Organization", "Total", "Grade")
    assert values[1] == (1, "白沙村党支部", 95, "好")
    assert values[4] == (4, "朱仙镇村党支部", 72, "一般")
    url = reverse("reports:dashboard_table", args=[published.pk, "children"])
    sheet = load_workbook(
        io.BytesIO(client.get(f"{url}?within={villages['county_a'].pk}").content)
    ).active
    assert list(sheet.iter_rows(values_only=True))[1:] == [
        ("白沙村党支部", 1, 95),
        ("黄店村党支部", 1, 85),
    ]
    assert (
        client.get(reverse("reports:dashboard_table", args=[published.pk, "nope"])).status_code
        == 404
    )


def test_every_table_exports(client, published, olga):
    login(client, olga)
    for key in ("progress", "distribution", "sections", "ranking", "grades", "children",
                "rectification"):  # fmt: skip
        response = client.get(reverse("reports:dashboard_table", args=[published.pk, key]))
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) > 1, key


def test_index_lists_what_each_persona_may_see(client, published, olga, alice, charlie):
    html = login(client, olga).get(reverse("reports:index")).content.decode()
    assert published.name in html
    client.logout()
    assert published.name in login(client, alice).get(reverse("reports:index")).content.decode()
    client.logout()
    html = login(client, charlie).get(reverse("reports:index")).content.decode()
    assert published.name not in html


def _campaigns(n, villages, olga, rater, graded):
    for year in range(2020, 2020 + n):
        scores = {villages[k]: demo.deductions_for(90) for k in ("village_a", "village_b")}
        demo.build_campaign(year=year, scope=villages["province"], organizer=olga, rater=rater,
                            rubric=graded, scores=scores, day=TODAY)  # fmt: skip


@pytest.mark.parametrize("n", [1, 3])
def test_index_queries_do_not_grow(client, villages, olga, rater, graded, n,
                                   django_assert_num_queries):  # fmt: skip
    _campaigns(n, villages, olga, rater, graded)
    login(client, olga)
    with django_assert_num_queries(7):
        html = client.get(reverse("reports:index")).content.decode()
    assert html.count("/dashboard/") == n


@pytest.mark.parametrize("n", [1, 3])
def test_dashboard_queries_do_not_grow(client, villages, olga, rater, selfer, graded, n,
                                       django_assert_num_queries):  # fmt: skip
    keys = ["village_a", "village_a2", "village_b"][:n]
    scores = {villages[k]: demo.DEDUCTIONS[k] for k in keys}
    campaign = demo.build_campaign(year=2026, scope=villages["province"], organizer=olga,
                                   rater=rater, rubric=graded, scores=scores, selfer=selfer,
                                   day=TODAY)  # fmt: skip
    login(client, olga)
    with django_assert_num_queries(13):
        response = client.get(dashboard_url(campaign))
    assert response.context["board"].count == n


def test_panel_leader_sees_working_dashboard(client, demo_campaign, tree):
    from kaoping.campaigns.models import Panel

    leader = UserFactory(username="leader")
    RoleFactory(user=leader, organization=tree["city_b"], kind="rater")
    Panel.objects.create(stage=demo_campaign.stages.first(), name="联络组", leader=leader)
    assert login(client, leader).get(dashboard_url(demo_campaign)).status_code == 200
