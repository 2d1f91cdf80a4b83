"""A branch secretary's responsibility list on a phone (375×812), through the real pages only.

Arranged: 市直机关工委 ─ 市财政局党组 ─ 市财政局机关党委 ─ 第一党支部, the 工委's organizer, who has
opened this year's lists (建单), and 第一党支部's secretary (branch user). Then:

1. the secretary opens their list from the index, tries to sign with one individual duty and
   reads why not, adds a second one, signs and files it;
2. the organizer sees it filed on the year's overview and verifies one duty (验单).

Year end needs no injected day: verification is allowed any time after filing (the parent
decides when the year's check happens), which is documented in docs/duties.md.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kaoping.duties.domain.cycle import open_cycle
from kaoping.duties.models import DutyList
from tests.factories import PASSWORD, OrganizationFactory, RoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def arranged(transactional_db):
    root = OrganizationFactory(name="市直机关工委", kind="working_committee")
    dept = OrganizationFactory(name="市财政局党组", kind="party_committee", parent=root)
    organ = OrganizationFactory(name="市财政局机关党委", kind="organ_committee", parent=dept)
    branch = OrganizationFactory(name="第一党支部", kind="branch", parent=organ)
    organizer = UserFactory(username="gongwei", full_name="工委组织部")
    RoleFactory(user=organizer, organization=root, kind="organizer")
    secretary = UserFactory(username="shuji", full_name="王书记")
    RoleFactory(user=secretary, organization=branch, kind="branch_user")
    # The deadline ahead of today, so the list is filed on time whatever day the test runs.
    today = timezone.localdate()
    cycle = open_cycle(scope=root, year=today.year, by=organizer,
                       deadline=today + datetime.timedelta(days=30))  # fmt: skip
    return {"organizer": organizer, "secretary": secretary, "cycle": cycle,
            "list": cycle.lists.get(organization=branch)}  # fmt: skip


def login(browser, base, user):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_url(base + reverse("home"))
    return context, page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def add_duty(page, text, standard):
    page.fill("#add-duty textarea[name=text]", text)
    page.fill("#add-duty textarea[name=standard]", standard)
    page.click("#add-duty button[type=submit]")


def test_secretary_files_and_parent_verifies(live_server, browser, arranged):
    base = live_server.url
    duty_list = arranged["list"]
    context, page = login(browser, base, arranged["secretary"])
    page.goto(base + reverse("duties:index"))
    page.click(f"a[href='{reverse('duties:list', args=[duty_list.pk])}']")
    expect(page.locator("h1")).to_contain_text("机关党委（总支）下属党支部书记责任清单")
    assert fits(page)
    add_duty(page, "开展支部联建", "全年不少于4次")
    page.click("#sign button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Add at least 2 individual duties")
    add_duty(page, "带头讲党课", "每半年1次")
    page.fill("#sign input[name=name]", "王书记")
    page.click("#sign button[type=submit]")
    expect(page.locator("#signature")).to_contain_text("王书记")
    page.click("#file button[type=submit]")
    expect(page.locator("#list-status")).to_have_text("Filed")
    assert fits(page)
    context.close()

    context, page = login(browser, base, arranged["organizer"])
    page.goto(base + reverse("duties:cycle", args=[arranged["cycle"].pk]))
    row = page.locator("tr.duty-row[data-org='第一党支部']")
    expect(row).to_contain_text("Filed")
    row.locator("a").click()
    item = page.locator("#item-p1")
    item.locator("select[name=outcome]").select_option("done")
    item.locator("textarea[name=comment]").fill("联建4次，有记录")
    item.locator("button[type=submit]").click()
    expect(page.locator("#item-p1 .verdict")).to_contain_text("Done")
    assert fits(page)
    context.close()

    verification = DutyList.objects.get(pk=duty_list.pk).verifications.get()
    assert (verification.item_key, verification.outcome) == ("p1", "done")
