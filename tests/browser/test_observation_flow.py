"""One observation batch (观摩) as it happens: three raters score on their phones (375×812, each
in their own browser context) while the panel leader's screen (desktop) shows the ranking,
refreshed by htmx polling (shortened to 300 ms here through KAOPING_OBSERVATION_POLL_MS).

Arranged: a county with two villages, an open campaign with the village sheet, an observation
stage, a panel of three raters from another city led by 评分人1, and one batch visiting 白沙村
then 黄店村. Then, through the pages:

1. the leader ticks 一听 with notes and records the commentary on the first visit;
2. 评分人1 deducts 1 point on 白沙村 (item 1.1) and submits: the screen shows 白沙村 first, 99;
3. 评分人2 submits 黄店村 untouched (a blank village item deducts nothing): 100, 黄店村 takes
   rank 1 and 白沙村 drops to 2;
4. 评分人3 submits 白沙村 untouched: its mean becomes (99 + 100) / 2 = 99.5, still 2nd, 2 of 3.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kaoping.campaigns.domain.assignments import create_panel
from kaoping.campaigns.domain.observation import plan_batch
from kaoping.campaigns.domain.rubrics import store_bundled
from kaoping.campaigns.models import Campaign, CampaignRubric, Participant, Stage, VisitStep
from tests.browser.test_campaign_flow import Person, deduct, submit
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def batch(transactional_db, settings):
    settings.KAOPING_OBSERVATION_POLL_MS = 300
    today = timezone.localdate()
    county = OrganizationFactory(name="中牟县委", kind="party_committee")
    villages = [OrganizationFactory(name=n, kind="village", parent=county)
                for n in ("白沙村党支部", "黄店村党支部")]  # fmt: skip
    elsewhere = OrganizationFactory(name="开封市委", kind="party_committee")
    organizer = UserFactory(username="zuzhibu", full_name="县委组织部")
    RoleFactory(user=organizer, organization=county, kind="organizer")
    raters = []
    for n in (1, 2, 3):
        rater = UserFactory(username=f"rater_{n}", full_name=f"评分人{n}")
        rater.home_organization = elsewhere
        rater.save(update_fields=["home_organization"])
        RoleFactory(user=rater, organization=county, kind="rater")
        raters.append(rater)
    rubric = store_bundled("seed001-village-community")
    campaign = Campaign.objects.create(
        name="2026年度村级党建观摩", year=today.year, period_start=today - datetime.timedelta(60),
        period_end=today + datetime.timedelta(60), scope=county, participant_kinds=["village"],
        created_by=organizer, state="open",
    )  # fmt: skip
    CampaignRubric.objects.create(campaign=campaign, org_kind="village", rubric=rubric)
    participants = [
        Participant.objects.create(campaign=campaign, organization=v, rubric=rubric)
        for v in villages
    ]
    stage = Stage.objects.create(
        campaign=campaign, kind="observation", name="乡镇内部逐个观摩", position=1,
        starts_on=today - datetime.timedelta(3), ends_on=today + datetime.timedelta(3), weight=1,
    )  # fmt: skip
    panel = create_panel(stage=stage, name="第一观摩组", leader=raters[0], members=raters[1:])
    batch = plan_batch(
        stage=stage, panel=panel, name="第一季度第一批", mode="township", starts_on=today,
        ends_on=today, participants=participants, by=organizer,
    )  # fmt: skip
    return {"batch": batch, "raters": raters}


def visit_and_score(p: Person, visit, deductions=()):
    page = p.page
    p.go("campaigns:visit", visit.pk)
    expect(page.locator("h1")).to_have_text(visit.participant.organization.name)
    page.click("a.obs-my-sheet")
    expect(page.locator("h1")).to_have_text(visit.participant.organization.name)
    for code, amount, reason in deductions:
        deduct(page, code, amount, reason)
    submit(page)
    expect(page.locator(".submit-form")).to_have_count(0)
    assert p.fits_width()


def expect_rank(screen, org, rank, total, progress):
    row = screen.locator(f".obs-rank-row[data-organization='{org}']")
    expect(row).to_have_attribute("data-rank", str(rank))
    expect(row.locator(".obs-total")).to_have_text(total)
    expect(row.locator(".obs-progress")).to_have_text(progress)


def test_observation_batch_with_live_ranking(browser, live_server, batch):
    base = live_server.url
    the_batch, raters = batch["batch"], batch["raters"]
    baisha, huangdian = list(the_batch.visits.select_related("participant__organization"))
    phones = [Person(browser, base, r) for r in raters]

    # The leader's screen, on the projector.
    screen_owner = Person(browser, base, raters[0])
    screen_owner.page.set_viewport_size(DESKTOP)
    screen_owner.go("campaigns:batch_screen", the_batch.pk)
    screen = screen_owner.page
    expect(screen.locator(".obs-empty")).to_be_visible()
    assert screen.locator("#batch-ranking").get_attribute("data-poll-ms") == "300"

    # The leader records 一听 and the commentary on the first visit, on the phone.
    leader = phones[0]
    leader.go("campaigns:batch", the_batch.pk)
    expect(leader.page.locator(".obs-visit")).to_have_count(2)
    assert leader.fits_width()
    leader.page.click(f"a[href='{reverse('campaigns:visit', args=[baisha.pk])}']")
    leader.page.check("#step-listen input[type=checkbox]")
    leader.page.fill("#step-listen textarea", "书记讲解“三会一课”落实情况")
    leader.page.click("button[value=steps]")
    expect(leader.page.locator(".message.success")).to_be_visible()
    leader.page.fill("textarea[name=commentary]", "阵地规范，台账需补齐")
    leader.page.click("button[value=commentary]")
    expect(leader.page.locator("textarea[name=commentary]")).to_have_value("阵地规范，台账需补齐")
    assert VisitStep.objects.get(visit=baisha, step="listen").done
    assert leader.fits_width()

    visit_and_score(phones[0], baisha, [("1.1", "1", "服务项目公示牌未更新")])
    expect_rank(screen, "白沙村党支部", 1, "99.00", "1 of 3")

    visit_and_score(phones[1], huangdian)
    expect_rank(screen, "黄店村党支部", 1, "100.00", "1 of 3")
    expect_rank(screen, "白沙村党支部", 2, "99.00", "1 of 3")

    visit_and_score(phones[2], baisha)
    expect_rank(screen, "白沙村党支部", 2, "99.50", "2 of 3")
    expect(screen.locator(".obs-rank-row").first).to_have_attribute(
        "data-organization", "黄店村党支部"
    )
    assert screen.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screen.screenshot(path="/tmp/shot-observation-screen.png")
    for person in [*phones, screen_owner]:
        person.close()
