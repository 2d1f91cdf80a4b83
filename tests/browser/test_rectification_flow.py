"""Rectification on a phone (375×812), through the pages only, after results are published.

Arranged with the campaigns test helpers: city_a's village campaign, three raters' sheets stored
as submission stores them (白沙村 loses points on 1.1 and 1.2), the campaign published with the
domain's `publish` — whose commit builds the draft lists. Then, in the browser:

1. the organizer issues 白沙村's list with a deadline limit;
2. the branch user finds the list, writes measures, owner and deadline, posts progress with a
   photo and asks for closure;
3. the organizer rejects once with a reason; the branch user reads it and asks again;
4. the organizer closes the issue; the ledger export shows the closing date;
5. a re-check is scheduled; when its date comes (moved in the database: time passing) the
   organizer reopens the issue with a new deadline.
"""

# The campaigns tests' fixtures are imported and then requested by name as arguments.
# ruff: noqa: F811

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from kaoping.campaigns.domain.publication import publish
from kaoping.rectification.models import Issue, ProgressFile
from tests.campaigns.conftest import (  # noqa: F401  (fixtures)
    branch_user,
    campaign,
    raters,
    review_assignments,
    stages,
    village_rubric,
)
from tests.campaigns.results_fixtures import submit
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


class Person:
    def __init__(self, browser, base, user):
        self.context = browser.new_context(viewport=PHONE, accept_downloads=True)
        self.page = self.context.new_page()
        self.base = base
        self.page.goto(base + reverse("login"))
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form[action$='/login/'] button[type=submit]")
        self.page.wait_for_url(base + reverse("home"))

    def go(self, name, *args):
        self.page.goto(self.base + reverse(name, args=args))

    def fits_width(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 60), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def published(campaign, review_assignments, alice):
    for assignment in review_assignments:
        baisha = assignment.participant.organization.name == "白沙村党支部"
        submit(assignment, {"1.1": "1", "1.2": "2"} if baisha else {})
    campaign.state = "closed"
    campaign.save()
    return publish(campaign=campaign, by=alice)


def test_rectification_from_publication_to_reopened_recheck(
    browser, live_server, published, alice, branch_user
):
    base, today = live_server.url, timezone.localdate()
    campaign = published.campaign
    organizer = Person(browser, base, alice)
    page = organizer.page

    # 1. issue the list
    organizer.go("rectification:campaign", campaign.pk)
    limit = today + datetime.timedelta(days=30)
    page.fill("input[name=deadline_limit]", limit.isoformat())
    page.click("#issue-lists button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("1 lists issued.")
    assert organizer.fits_width()

    # 2. the branch user works the first issue
    branch = Person(browser, base, branch_user)
    bpage = branch.page
    branch.go("rectification:index")
    expect(bpage.locator("h2", has_text="Our lists")).to_be_visible()
    bpage.locator("#content, main").get_by_role("link", name="白沙村党支部").first.click()
    bpage.locator(".rect-issue a").first.click()
    issue = Issue.objects.get(list__organization__name="白沙村党支部", position=1)
    deadline = today + datetime.timedelta(days=20)
    bpage.fill("textarea[name=measures]", "补齐党群服务中心标识，完善服务项目")
    bpage.fill("input[name=owner]", "张书记")
    bpage.fill("input[name=deadline]", deadline.isoformat())
    bpage.click("form[action$='/plan/'] button[type=submit]")
    expect(bpage.locator(".messages")).to_contain_text("Measures, owner and deadline saved.")
    bpage.fill("form[action$='/progress/'] textarea[name=text]", "标识已更换")
    bpage.set_input_files("input[name=files]", files=[
        {"name": "标识.png", "mimeType": "image/png", "buffer": png_bytes()}])  # fmt: skip
    bpage.click("form[action$='/progress/'] button[type=submit]")
    expect(bpage.locator(".messages")).to_contain_text("Progress posted.")
    expect(bpage.locator(".rect-thumbs img")).to_have_count(1)
    assert ProgressFile.objects.get().progress.issue_id == issue.pk
    bpage.click("#request-closure")
    expect(bpage.locator("#issue-state")).to_contain_text("Closure requested")
    assert branch.fits_width()

    # 3. the organizer rejects once
    organizer.go("rectification:issue", issue.pk)
    page.fill("form[action$='/reject/'] textarea[name=reason]", "缺少服务项目公示照片")
    page.click("form[action$='/reject/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Closure rejected")
    branch.go("rectification:index")
    expect(bpage.locator("#reminders")).to_contain_text("缺少服务项目公示照片")
    branch.go("rectification:issue", issue.pk)
    expect(bpage.locator("#returned-reason")).to_have_text("缺少服务项目公示照片")
    bpage.click("#request-closure")
    expect(bpage.locator("#issue-state")).to_contain_text("Closure requested")

    # 4. the organizer closes; the ledger shows the closing date
    organizer.go("rectification:issue", issue.pk)
    page.click("form[action$='/close/'] button[type=submit]")
    expect(page.locator("#closed-on")).to_have_text(today.isoformat())
    organizer.go("rectification:campaign", campaign.pk)
    with page.expect_download() as info:
        page.get_by_role("link", name="Ledger (xlsx)").click()
    content = info.value.path().read_bytes()
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[2] == ("党组织名称", "整改事项", "整改措施", "整改时限", "责任人", "完成销号时间")
    closed_row = next(r for r in rows[3:] if r[2])
    assert closed_row[4:] == ("张书记", f"{today.year}年{today.month}月{today.day}日")

    # 5. re-check: scheduled, its date comes, it fails and the issue reopens
    organizer.go("rectification:issue", issue.pk)
    page.fill("input[name=on]", (today + datetime.timedelta(days=90)).isoformat())
    page.click("form[action$='/recheck/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Re-check scheduled.")
    Issue.objects.filter(pk=issue.pk).update(recheck_on=today)  # the date has come
    organizer.go("rectification:index")
    expect(page.locator("#queue")).to_contain_text("Re-check due")
    page.locator("#queue a").first.click()
    page.fill("form[action$='/fail/'] textarea[name=reason]", "公示栏又被遮挡")
    page.fill("form[action$='/fail/'] input[name=deadline]",
              (today + datetime.timedelta(days=15)).isoformat())  # fmt: skip
    page.click("form[action$='/fail/'] button[type=submit]")
    expect(page.locator("#issue-state")).to_contain_text("Open")
    expect(page.locator("#events")).to_contain_text("Re-check failed: reopened")
    issue.refresh_from_db()
    assert (issue.state, issue.reopened) == ("open", 1)
    organizer.context.close()
    branch.context.close()
