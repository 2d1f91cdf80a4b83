"""A small campaign run as the people would, on a phone (375×812), through the real pages only.

Arranged: the tree (a county with two villages and an organ branch), the organizer, two raters
from another city, and 白沙村's branch user. Everything else goes through the pages:

1. the organizer creates the campaign (the village sheet for villages, the model-organ sheet for
   branches), adds a self-assessment and a full review, makes a panel of the two raters, assigns
   every participant to it and opens the campaign;
2. 白沙村's branch user uploads a photo as evidence on item 1.1, fills the sheet and submits;
3. the panel member first tries to submit the branch's sheet untouched and sees the items to
   fix (the village sheet scores by deduction: a blank item means "nothing deducted", so a
   village sheet is never incomplete), then both raters score both villages;
4. the panel leader returns the member's 白沙村 sheet with a reason; the member reads it, fixes
   the sheet and submits again;
5. the organizer closes the campaign and publishes the results;
6. the branch user finds 白沙村's rank and lost points on its result page.

The full review takes the mean of the two raters: 白沙村 (100 − 1 + 100 − 2.5) / 2 = 98.25, 黄店村
(100 + 99.5) / 2 = 99.75, so 白沙村 ranks 2nd among the villages.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from kaoping.campaigns.models import Entry, Evidence, ScoreSheet
from tests.factories import PASSWORD, OrganizationFactory, RoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
CAMPAIGN = "2026年度村级党建观摩测评"
PANEL = "第一考评组"
REVIEW = "全面考评"
SHOTS = "/tmp/shot-{}.png"


def anchor(code: str) -> str:
    return "#item-" + code.encode().hex()


def png_bytes() -> bytes:
    image = Image.new("RGB", (120, 90), (200, 30, 30))
    for x in range(40, 80):
        for y in range(30, 60):
            image.putpixel((x, y), (250, 220, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def people(transactional_db):
    county = OrganizationFactory(name="中牟县委", kind="party_committee")
    baisha = OrganizationFactory(name="白沙村党支部", kind="village", parent=county)
    OrganizationFactory(name="黄店村党支部", kind="village", parent=county)
    OrganizationFactory(name="县委办机关党支部", kind="branch", parent=county)
    elsewhere = OrganizationFactory(name="开封市委", kind="party_committee")

    organizer = UserFactory(username="zuzhibu", full_name="县委组织部")
    RoleFactory(user=organizer, organization=county, kind="organizer")
    raters = []
    for n in (1, 2):
        rater = UserFactory(username=f"rater_{n}", full_name=f"评分人{n}")
        rater.home_organization = elsewhere
        rater.save(update_fields=["home_organization"])
        RoleFactory(user=rater, organization=county, kind="rater")
        raters.append(rater)
    branch_user = UserFactory(username="baisha", full_name="白沙村书记")
    branch_user.home_organization = baisha
    branch_user.save(update_fields=["home_organization"])
    RoleFactory(user=branch_user, organization=baisha, kind="branch_user")
    return {"organizer": organizer, "leader": raters[0], "member": raters[1],
            "branch_user": branch_user}  # fmt: skip


class Person:
    """One person's phone: their own browser context, logged in."""

    def __init__(self, browser, base, user):
        self.context = browser.new_context(viewport=PHONE)
        self.page = self.context.new_page()
        self.base = base
        page = self.page
        page.goto(base + reverse("login"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action$='/login/'] button[type=submit]")
        page.wait_for_url(base + reverse("home"))

    def go(self, name, *args):
        self.page.goto(self.base + reverse(name, args=args))

    def fits_width(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def close(self):
        self.context.close()


# ---------------------------------------------------------------------------- the organizer


def create_campaign(p: Person, today):
    page = p.page
    p.go("campaigns:list")
    page.click(f"a[href='{reverse('campaigns:create')}']")
    page.fill("input[name=name]", CAMPAIGN)
    page.fill("input[name=year]", str(today.year))
    page.fill("input[name=period_start]", (today - datetime.timedelta(days=60)).isoformat())
    page.fill("input[name=period_end]", (today + datetime.timedelta(days=60)).isoformat())
    page.select_option("select[name=scope]", label="中牟县委")
    page.check("input[name=participant_kinds][value=village]")
    page.check("input[name=participant_kinds][value=branch]")
    page.select_option("select[name=rubric_village]", "seed001-village-community")
    page.select_option("select[name=rubric_branch]", "seed000-model-organ-branch")
    assert p.fits_width()
    page.click("form.card button.primary[type=submit]")
    expect(page.locator("h1")).to_contain_text(CAMPAIGN)


def add_stage(p: Person, today, *, kind, name, weight, method="mean"):
    page = p.page
    page.click("a[href$='/stages/new/']")
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=name]", name)
    page.fill("input[name=starts_on]", (today - datetime.timedelta(days=3)).isoformat())
    page.fill("input[name=ends_on]", (today + datetime.timedelta(days=10)).isoformat())
    page.select_option("select[name=method]", method)
    page.fill("input[name=weight]", weight)
    page.click("form.card button.primary[type=submit]")
    expect(page.locator(".setup-stage h3", has_text=name)).to_be_visible()


def make_panel_and_assign(p: Person, leader, member):
    page = p.page
    stage = page.locator(".setup-stage", has_text=REVIEW)
    stage.locator("a[href$='/assign/']").click()
    panel_form = page.locator("form:has(button[value=panel])")
    page.locator("details:has(button[value=panel]) > summary").click()
    panel_form.locator("input[name=name]").fill(PANEL)
    panel_form.locator("select[name=leader]").select_option(label=f"{leader.full_name}（开封市委）")
    panel_form.locator("label", has_text=member.full_name).locator("input").check()
    panel_form.locator("button[value=panel]").click()
    expect(page.locator(".setup-panel h3", has_text=PANEL)).to_be_visible()
    expect(page.locator(".setup-conflicts")).to_have_count(0)

    for box in page.locator("#participant-rows input[name=participants]").all():
        box.check()
    page.select_option("select[name=target]", label=PANEL)
    assert p.fits_width()
    page.click("button[value=assign]")
    rows = page.locator("#participant-rows tr")
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row.locator(".setup-assignment")).to_have_count(2)


def open_campaign(p: Person):
    page = p.page
    page.click(".breadcrumb a")
    expect(page.locator(".setup-problems")).to_have_count(0)
    page.click("button[name=to_state][value=open]")
    expect(page.locator("button[name=to_state][value=closed]")).to_be_visible()


# ---------------------------------------------------------------------------- sheets


def open_sheet(p: Person, org):
    """Open one's own sheet for `org` from the worklist (its first list: one's own sheets)."""
    page = p.page
    p.go("campaigns:worklist")
    page.locator("ul.worklist").first.locator("a.work-link", has_text=org).click()
    expect(page.locator("h1")).to_have_text(org)


def save(page, action):
    """Run `action` (a change on one item) and wait for the server's answer to that save."""
    with page.expect_response(lambda r: r.url.endswith("/sheet/entry/")) as answer:
        action()
    assert answer.value.ok


def type_in(field, text):
    """Type into a field and leave it, as a person does: the change saves the item."""
    field.fill(text)
    field.blur()


def deduct(page, code, amount, reason, *, submit_midway=False):
    """Fill an item's first deduction row: the amount alone is not sent (a deduction needs its
    reason: the item says it is not saved yet), then the reason, and the server stores the row
    in one save; then "Saved" shows. The typed amount survives the answer.

    `submit_midway`: press Submit while the amount alone is on screen, refused: the sheet is
    not submitted without it, the page says why and brings the item back into view."""
    item = page.locator(anchor(code))
    sent = []
    page.on("request", lambda r: sent.append(r) if r.url.endswith("/sheet/entry/") else None)
    type_in(item.locator("[name=d-amount]").first, amount)
    expect(item.locator(".item-status .error")).to_be_visible()
    expect(item.locator(".saved")).to_have_count(0)
    assert not sent, "a half row was sent"
    if submit_midway:
        submit(page)
        expect(page.locator("#submit-blocked")).to_be_visible()
        expect(item.locator("[name=d-amount]").first).to_be_focused()
        assert ScoreSheet.objects.get(assignment_id=int(page.url.split("/")[-3])).status == "draft"
    save(page, lambda: type_in(item.locator("[name=d-reason]").first, reason))
    expect(item.locator(".saved")).to_be_visible()
    expect(item.locator("[name=d-amount]").first).to_have_value(amount)


def submit(page):
    page.click(".submit-form button[type=submit]")


def sheet_of(org, rater):
    return ScoreSheet.objects.get(
        assignment__participant__organization__name=org, assignment__rater=rater
    )


def saved_only_after_the_server_stored(page, sheet):
    """Hold one save in flight: no "Saved" while the server has not answered (nor stored the
    entry). A save that fails says so and claims nothing; the next one stores the row."""
    item = page.locator(anchor("1.2"))
    type_in(item.locator("[name=d-amount]"), "0.5")  # half a row: not sent
    held = []
    page.route("**/sheet/entry/", lambda route: held.append(route))
    with page.expect_request(lambda r: r.url.endswith("/sheet/entry/")):
        type_in(item.locator("[name=d-reason]"), "后备干部台账缺2人培养记录")
    for _turn in range(200):  # the route handler runs on a later turn of the event loop
        if held:
            break
        page.wait_for_timeout(5)
    assert held, "the save never reached the route"
    expect(item.locator(".saved")).to_have_count(0)
    assert not Entry.objects.filter(sheet=sheet, item_code="1.2").exists()

    held.pop().abort()  # the connection drops
    expect(item.locator(".item-status .error")).to_be_visible()
    expect(item.locator(".saved")).to_have_count(0)
    assert not Entry.objects.filter(sheet=sheet, item_code="1.2").exists()
    page.unroute("**/sheet/entry/")

    save(page, lambda: type_in(item.locator("[name=d-amount]"), "0.6"))
    expect(item.locator(".saved")).to_be_visible()
    expect(item.locator("[name=d-reason]")).to_have_value("后备干部台账缺2人培养记录")
    assert Entry.objects.get(sheet=sheet, item_code="1.2").value == {
        "deductions": [{"amount": "0.6", "reason": "后备干部台账缺2人培养记录"}]
    }


def self_assess(p: Person, branch_user):
    page = p.page
    open_sheet(p, "白沙村党支部")
    sheet = sheet_of("白沙村党支部", branch_user)

    item = page.locator(anchor("1.1"))
    with page.expect_response(lambda r: r.url.endswith("/sheet/evidence/")):
        item.locator(".upload input[type=file]").set_input_files(
            files=[{"name": "服务中心标识.png", "mimeType": "image/png", "buffer": png_bytes()}]
        )
    thumb = page.locator(f"#ev-{anchor('1.1')[1:]} img")
    expect(thumb).to_be_visible()
    page.wait_for_function(  # the thumbnail really loads (served through the evidence view)
        "(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    evidence = Evidence.objects.get(sheet=sheet, item_code="1.1")
    assert len(evidence.sha256) == 64

    deduct(page, "1.1", "0.5", "服务项目公示牌未更新")
    saved_only_after_the_server_stored(page, sheet)
    expect(page.locator("#running-total")).to_have_text("98.9")

    # Entries survive a reload.
    page.reload()
    expect(page.locator(anchor("1.1")).locator("[name=d-reason]").first).to_have_value(
        "服务项目公示牌未更新"
    )
    expect(page.locator("#running-total")).to_have_text("98.9")
    assert p.fits_width()
    page.screenshot(path=SHOTS.format(1))
    submit(page)
    expect(page.locator("#running-total")).to_have_text("98.9")
    expect(page.locator(".submit-form")).to_have_count(0)
    expect(page.locator(anchor("1.1")).locator("[name=d-amount]").first).to_be_disabled()
    assert sheet_of("白沙村党支部", branch_user).status == "submitted"


def score_village(p: Person, org, deductions, *, submit_midway=False):
    page = p.page
    open_sheet(p, org)
    for n, (code, amount, reason) in enumerate(deductions):
        deduct(page, code, amount, reason, submit_midway=submit_midway and n == 0)
    submit(page)
    expect(page.locator(".submit-form")).to_have_count(0)


def try_incomplete(p: Person):
    page = p.page
    open_sheet(p, "县委办机关党支部")
    submit(page)
    fixes = page.locator("#fix-list")
    expect(fixes).to_be_visible()
    assert fixes.locator("li").count() >= 10
    first = fixes.locator("li a").first
    target = first.get_attribute("href")
    assert target.startswith("#item-")
    expect(page.locator(target)).to_have_count(1)
    assert p.fits_width()
    page.screenshot(path=SHOTS.format(2))


def return_sheet(p: Person, member):
    page = p.page
    p.go("campaigns:worklist")
    led = page.locator("a.work-link", has_text=member.full_name).filter(has_text="白沙村党支部")
    led.click()
    expect(page.locator("h1")).to_have_text("白沙村党支部")
    page.fill("textarea[name=reason]", "2.1扣分原因不具体，请写明缺少哪次会议记录")
    page.click("form[action$='/sheet/return/'] button[type=submit]")
    expect(page.locator(".events")).to_contain_text("2.1扣分原因不具体")


def fix_returned(p: Person, member):
    page = p.page
    open_sheet(p, "白沙村党支部")
    expect(page.locator(".returned-note")).to_contain_text("2.1扣分原因不具体")
    item = page.locator(anchor("2.1"))
    save(page, lambda: type_in(item.locator("[name=d-reason]").first, "缺少第三季度组织生活会记录"))
    expect(page.locator(anchor("2.1")).locator(".saved")).to_be_visible()
    submit(page)
    expect(page.locator(".submit-form")).to_have_count(0)
    sheet = sheet_of("白沙村党支部", member)
    assert sheet.status == "submitted" and sheet.total == Decimal("97.5")


# ---------------------------------------------------------------------------- results


def close_and_publish(p: Person, campaign_url):
    page = p.page
    page.goto(campaign_url)
    page.click("button[name=to_state][value=closed]")
    expect(page.locator("button[name=to_state][value=open]")).to_be_visible()
    page.click(".setup-links a[href$='/results/']")
    page.fill("form.publish-form textarea[name=note]", "经考评组审核")
    page.click("form.publish-form button[type=submit]")
    expect(page.locator("form.publish-form button")).to_have_text(re.compile("重新发布|Republish"))
    table = page.locator(".results-table")
    expect(table).to_contain_text("98.25")
    expect(table).to_contain_text("99.75")
    assert p.fits_width()
    page.screenshot(path=SHOTS.format(3), full_page=True)


def branch_sees_result(p: Person):
    page = p.page
    p.go("campaigns:my_results")
    row = page.locator(".results-table tr", has_text="白沙村党支部")
    expect(row).to_contain_text("98.25")
    assert p.fits_width()
    row.locator("a").click()
    expect(page.locator("h1")).to_have_text("白沙村党支部")
    expect(page.locator("[data-figure=total] strong")).to_have_text("98.25")
    expect(page.locator("[data-figure=rank_in_kind] strong")).to_have_text("2")
    lost = page.locator(".lost-list")
    expect(lost).to_contain_text("1.1")
    expect(lost).to_contain_text("标识不统一")
    expect(lost).to_contain_text("缺少第三季度组织生活会记录")
    expect(lost).not_to_contain_text("不具体")  # the returned version is history, not a result
    assert p.fits_width()
    page.screenshot(path=SHOTS.format(4), full_page=True)


def test_campaign_from_opening_to_published_rank(browser, live_server, people):
    today = timezone.localdate()
    base = live_server.url
    leader, member = people["leader"], people["member"]

    organizer = Person(browser, base, people["organizer"])
    create_campaign(organizer, today)
    campaign_url = organizer.page.url
    add_stage(organizer, today, kind="self_assessment", name="自查自评", weight="0")
    add_stage(organizer, today, kind="full_review", name=REVIEW, weight="1")
    make_panel_and_assign(organizer, leader, member)
    open_campaign(organizer)

    branch = Person(browser, base, people["branch_user"])
    self_assess(branch, people["branch_user"])

    second = Person(browser, base, member)
    try_incomplete(second)
    village = [("1.1", "1", "标识不统一"), ("2.1", "1.5", "记录不全")]
    score_village(second, "白沙村党支部", village, submit_midway=True)
    score_village(second, "黄店村党支部", [("3.1", "0.5", "台账缺页")])

    first = Person(browser, base, leader)
    score_village(first, "白沙村党支部", [("1.1", "1", "标识不统一")])
    score_village(first, "黄店村党支部", [])

    return_sheet(first, member)
    fix_returned(second, member)

    close_and_publish(organizer, campaign_url)
    branch_sees_result(branch)
    for person in (organizer, branch, first, second):
        person.close()
