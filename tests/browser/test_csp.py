"""The content security policy breaks nothing: the main pages, the dashboard's charts included,
load in Chromium without one 'Content Security Policy' console message."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, OrganizationFactory, RoleFactory, UserFactory
from tests.reports import dashboards_fixtures as demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(tree):
    tree["village_a2"] = OrganizationFactory(name="黄店村党支部", kind="village",
                                             parent=tree["county_a"])  # fmt: skip
    organizer = UserFactory(username="olga", full_name="Olga")
    RoleFactory(user=organizer, organization=tree["province"], kind="organizer")
    rater = UserFactory(username="rater_r", full_name="评分人")
    selfer = UserFactory(username="selfer", full_name="自评人")
    deductions = {k: d for k, d in demo.DEDUCTIONS.items() if k in tree}
    scores = {tree[k]: d for k, d in deductions.items()}
    campaign = demo.build_campaign(year=2026, scope=tree["province"], organizer=organizer,
                                   rater=rater, rubric=demo.graded_rubric(), scores=scores,
                                   selfer=selfer, day=datetime.date.today())  # fmt: skip
    return campaign, organizer


def test_main_pages_raise_no_csp_violation(browser, live_server, campaign, tree):
    campaign, organizer = campaign
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(str(e)))
    base = live_server.url
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", organizer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_url(base + reverse("home"))

    pages = [
        reverse("home"),
        reverse("orgs:tree"),
        reverse("orgs:detail", args=[tree["city_a"].pk]),
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:results", args=[campaign.pk]),
        reverse("reports:index"),
        reverse("reports:dashboard", args=[campaign.pk]),
        reverse("rectification:index"),
        reverse("duties:index"),
    ]
    for url in pages:
        response = page.goto(base + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    page.goto(base + reverse("reports:dashboard", args=[campaign.pk]))
    page.wait_for_selector("[data-chart] canvas")
    # No request may still be in flight when the live server stops.
    page.wait_for_load_state("networkidle")
    context.close()

    violations = [m for m in messages if "Content Security Policy" in m]
    assert violations == []
