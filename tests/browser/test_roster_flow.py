"""An organizer finds a village by pinyin, imports a roster with a bad row (nothing written),
then the fixed roster (the new organizations appear), on a phone and on a desktop."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kaoping.orgs.models import Organization
from tests.factories import PASSWORD, OrganizationFactory, RoleFactory, UserFactory
from tests.orgs.workbooks import xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1366, "height": 900}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = [
    {"组织名称": "白沙村第一党支部", "组织类别": "党支部", "书记": "张三", "党员人数": 18},
    {"组织名称": "白沙村第二党支部", "组织类别": "党支部", "成立日期": "2026年3月31日"},
    {"组织名称": "白沙村老年党小组", "组织类别": "党支部", "上级组织": "白沙村第二党支部"},
]
BAD = [*GOOD[:2], {**GOOD[2], "上级组织": "白沙村第三党支部"}]  # no such parent: row 5


@pytest.fixture
def organizer(transactional_db):
    county = OrganizationFactory(name="中牟县委", kind="party_committee")
    town = OrganizationFactory(name="城关镇党委", kind="party_committee", parent=county)
    OrganizationFactory(name="白沙村党支部", kind="village", parent=town)
    OrganizationFactory(name="黄河社区党支部", kind="community", parent=town)
    user = UserFactory(username="organizer", full_name="组织部")
    RoleFactory(user=user, organization=county, kind="organizer")
    return user


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page, base_url, user):
    page.goto(base_url + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_url(base_url + reverse("home"))


def upload_roster(page, rows):
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "名册.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}],
    )
    page.click("form[enctype='multipart/form-data'] button[type=submit]")


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_find_village_and_import_roster(browser, live_server, organizer, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, organizer)

    page.goto(base + reverse("orgs:tree"))
    page.fill("input[name=q]", "bsc")
    result = page.locator("#search-results a", has_text="白沙村党支部")
    expect(result).to_be_visible()
    assert fits_width(page)
    result.click()
    expect(page.locator("h1")).to_have_text("白沙村党支部")
    assert fits_width(page)

    village = Organization.objects.get(name="白沙村党支部")
    page.click(f"a[href='{reverse('orgs:roster_import_into', args=[village.pk])}']")
    before = Organization.objects.count()
    upload_roster(page, BAD)
    expect(page.locator("#import-errors")).to_contain_text("第5行『上级组织』不存在")
    assert Organization.objects.count() == before
    assert fits_width(page)

    upload_roster(page, GOOD)
    summary = page.locator("#import-summary")
    for row in GOOD:
        expect(summary).to_contain_text(row["组织名称"])
    assert Organization.objects.count() == before + 3

    page.goto(base + reverse("orgs:detail", args=[village.pk]))
    expect(page.locator("table")).to_contain_text("白沙村第一党支部")
    expect(page.locator("table")).to_contain_text("白沙村第二党支部")
    assert fits_width(page)
    context.close()
