"""Every page for every persona (owner, other scope, no role, anonymous), actions, N+1 guards."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from kaoping.rectification.domain.lists import add_issue, issue_lists
from kaoping.rectification.domain.work import post_progress
from kaoping.rectification.models import RectificationList
from tests.rectification.conftest import LIMIT, TODAY

pytestmark = pytest.mark.django_db


def png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 200)).save(out, "PNG")
    return SimpleUploadedFile("p.png", out.getvalue())


@pytest.fixture
def world(issue, branch_user, tree):
    progress = post_progress(issue=issue, by=branch_user, text="已整理", uploads=[png()])
    lst = issue.list
    return {"issue": issue, "list": lst, "file": progress.files.get(), "campaign": lst.campaign,
            "city_a": tree["city_a"]}  # fmt: skip


def urls(w):
    c, o = w["campaign"].pk, w["city_a"].pk
    return {
        "campaign": reverse("rectification:campaign", args=[c]),
        "notices": reverse("rectification:notices", args=[c]),
        "compliance": reverse("rectification:compliance", args=[c, o]),
        "list": reverse("rectification:list", args=[w["list"].pk]),
        "notice": reverse("rectification:notice", args=[w["list"].pk]),
        "issue": reverse("rectification:issue", args=[w["issue"].pk]),
        "file": reverse("rectification:file", args=[w["file"].pk]),
        "file_thumb": reverse("rectification:file_thumb", args=[w["file"].pk]),
        "ledger": reverse("rectification:ledger", args=[o]),
        "weak": reverse("rectification:weak", args=[o]),
    }


ORGANIZER_ONLY = {"campaign", "notices", "compliance", "ledger", "weak"}


def login(client, user):
    client.force_login(user)


def status(client, url) -> int:
    response = client.get(url)
    # Reading a file response to its end closes the file; close() by hand would fire
    # request_finished and drop the test's database connection.
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.parametrize("name", sorted(ORGANIZER_ONLY | {"list", "notice", "issue", "file",
                                                          "file_thumb"}))  # fmt: skip
def test_get_pages_per_persona(client, world, alice, bob, charlie, branch_user, name):
    url = urls(world)[name]
    assert status(client, url) == 302  # anonymous → login
    login(client, alice)
    assert status(client, url) == 200
    for other in (bob, charlie):
        login(client, other)
        assert status(client, url) == 404
    login(client, branch_user)
    assert status(client, url) == (404 if name in ORGANIZER_ONLY else 200)


def test_index_per_persona(client, world, alice, bob, charlie, branch_user):
    url = reverse("rectification:index")
    assert client.get(url).status_code == 302
    login(client, charlie)
    assert client.get(url).status_code == 404
    login(client, bob)
    page = client.get(url).content.decode()
    assert "白沙村党支部" not in page
    login(client, alice)
    page = client.get(url).content.decode()
    assert "白沙村党支部" in page and "Closure rate" in page
    login(client, branch_user)
    page = client.get(url).content.decode()
    assert "Our lists" in page and world["issue"].text[:20] in page


def test_branch_user_cannot_see_a_draft_list(client, published, branch_user):
    draft = RectificationList.objects.get(organization__name="白沙村党支部")
    login(client, branch_user)
    assert client.get(reverse("rectification:list", args=[draft.pk])).status_code == 404


def post_actions(w):
    i = w["issue"].pk
    return {
        "plan": ("work", {"measures": "补齐", "owner": "张书记", "deadline": "2026-03-20"}),
        "progress": ("work", {"text": "进展"}),
        "request": ("work", {}),
        "reject": ("verify", {"reason": "不行"}),
        "satisfaction": ("verify", {"share": "95"}),
        "close": ("verify", {"closed_on": "2026-03-01"}),
        "recheck": ("verify", {"on": "2027-01-01"}),
        "recheck_pass": ("verify", {}),
        "recheck_fail": ("verify", {"reason": "x", "deadline": "2027-01-01"}),
    }, i


@pytest.mark.parametrize("name", ["plan", "progress", "request", "reject", "satisfaction",
                                  "close", "recheck", "recheck_pass", "recheck_fail"])  # fmt: skip
def test_actions_answer_404_outside_the_role(client, world, alice, bob, charlie, branch_user,
                                             name):  # fmt: skip
    actions, pk = post_actions(world)
    who, data = actions[name]
    url = reverse(f"rectification:{name}", args=[pk])
    assert client.post(url, data).status_code == 302 and "login" in client.post(url, data).url
    wrong = [bob, charlie, alice if who == "work" else branch_user]
    for user in wrong:
        login(client, user)
        assert client.post(url, data).status_code == 404


def test_bad_input_is_a_message_naming_the_field(client, world, branch_user):
    login(client, branch_user)
    url = reverse("rectification:plan", args=[world["issue"].pk])
    response = client.post(
        url, {"measures": "补齐", "owner": "张", "deadline": "明天"}, follow=True
    )
    assert response.status_code == 200
    assert "Deadline: Enter a valid date." in response.content.decode()
    response = client.post(url, {"measures": "补齐", "owner": "张", "deadline": "2027-01-01"},
                           follow=True)  # fmt: skip
    assert "The deadline may not be later than" in response.content.decode()


@pytest.mark.parametrize("name", ["list_add", "list_merge"])
def test_draft_edits_only_by_the_organizer(client, published, alice, bob, branch_user, name):
    draft = RectificationList.objects.get(organization__name="白沙村党支部")
    url = reverse(f"rectification:{name}", args=[draft.pk])
    for user in (bob, branch_user):
        login(client, user)
        assert client.post(url, {"text": "x"}).status_code == 404
    login(client, alice)
    assert client.post(url, {"text": "新问题"}).status_code == 302


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_no_n_plus_one(client, draft, alice, branch_user):
    login(client, alice)
    list_url = reverse("rectification:list", args=[draft.pk])
    campaign_url = reverse("rectification:campaign", args=[draft.campaign_id])
    few = (_queries(client, list_url), _queries(client, campaign_url))
    add_issue(lst=draft, by=alice, text="问题三")
    add_issue(lst=draft, by=alice, text="问题四")
    assert (_queries(client, list_url), _queries(client, campaign_url)) == few
    issue_lists(lists=[draft], by=alice, deadline_limit=LIMIT, day=TODAY)
    index = reverse("rectification:index")
    organizer_index = _queries(client, index)
    login(client, branch_user)
    branch_index = _queries(client, index)
    other = RectificationList.objects.exclude(pk=draft.pk).get()
    for n in range(2):
        add_issue(lst=other, by=alice, text=f"问题{n}")
    issue_lists(lists=[other], by=alice, deadline_limit=LIMIT, day=TODAY)
    assert _queries(client, index) == branch_index
    login(client, alice)
    assert _queries(client, index) == organizer_index
