"""The dashboard in a real browser at phone (375×812) and desktop (1366×900) sizes.

The organizer of the province opens the demo campaign's dashboard (four villages under two
cities, working results, a late self-assessment), checks every chart container holds a drawn
canvas or SVG and no console error or page error happened, then drills down one level by
clicking the link to 郑州市委 and checks the charts again. Screenshots go to test-results/
(git-ignored) as artifacts.
"""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, OrganizationFactory, RoleFactory, UserFactory
from tests.reports import dashboards_fixtures as demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1366, "height": 900}}
SHOTS = Path(__file__).parents[2] / "test-results"


@pytest.fixture
def campaign(tree):
    tree["village_a2"] = OrganizationFactory(name="黄店村党支部", kind="village",
                                             parent=tree["county_a"])  # fmt: skip
    tree["village_b2"] = OrganizationFactory(name="陈留村党支部", kind="village",
                                             parent=tree["city_b"])  # fmt: skip
    organizer = UserFactory(username="olga", full_name="Olga")
    RoleFactory(user=organizer, organization=tree["province"], kind="organizer")
    rater = UserFactory(username="rater_r", full_name="评分人")
    selfer = UserFactory(username="selfer", full_name="自评人")
    scores = {tree[k]: d for k, d in demo.DEDUCTIONS.items()}
    campaign = demo.build_campaign(year=2026, scope=tree["province"], organizer=organizer,
                                   rater=rater, rubric=demo.graded_rubric(), scores=scores,
                                   selfer=selfer, day=datetime.date.today())  # fmt: skip
    return campaign, organizer


def charts_drawn(page) -> list[str]:
    """Keys of chart containers without a canvas or SVG inside."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-chart]')]
            .filter(el => !el.querySelector('canvas, svg')).map(el => el.dataset.chart)"""
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_dashboard_renders_and_drills_down(browser, live_server, campaign, size):
    campaign, organizer = campaign
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append((m.text, m.location.get("url")))
            if m.type == "error" else None)  # fmt: skip
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", organizer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_url(base + reverse("home"))

    page.goto(base + reverse("reports:dashboard", args=[campaign.pk]))
    page.wait_for_selector("[data-chart] canvas")
    assert page.locator("[data-chart]").count() == 7
    assert charts_drawn(page) == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"dashboard-{size}.png", full_page=True)
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.click("text=Open 郑州市委")
    page.wait_for_url("**?within=*")
    page.wait_for_selector("[data-chart] canvas")
    assert "中牟县委" in page.locator("#card-children").inner_text()
    assert charts_drawn(page) == []
    page.screenshot(path=SHOTS / f"dashboard-{size}-drilled.png", full_page=True)
    assert errors == []
    context.close()
