import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaoping.campaigns.domain import assignments as assigning
from kaoping.campaigns.domain import setup
from kaoping.campaigns.models import Assignment, Campaign, Stage
from tests.campaigns.conftest import TODAY
from tests.campaigns.setup_fixtures import *  # noqa: F403  (fixtures)
from tests.campaigns.setup_fixtures import make_campaign, stage_fields
from tests.factories import OrganizationFactory


def login(client, user):
    client.force_login(user)
    return client


def page_urls(campaign, stage):
    panel = assigning.create_panel(stage=stage, name="一组", leader=campaign.created_by)
    return [
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:edit", args=[campaign.pk]),
        reverse("campaigns:stage_create", args=[campaign.pk]),
        reverse("campaigns:stage_edit", args=[stage.pk]),
        reverse("campaigns:assign", args=[stage.pk]),
        reverse("campaigns:panel_edit", args=[panel.pk]),
    ]


POST_NAMES = ["transition", "stage_delete", "panel_delete", "assignment_delete"]


def post_urls(campaign, stage, assignment):
    panel = assigning.create_panel(stage=stage, name="二组", leader=campaign.created_by)
    return [
        reverse("campaigns:transition", args=[campaign.pk]),
        reverse("campaigns:stage_delete", args=[stage.pk]),
        reverse("campaigns:panel_delete", args=[panel.pk]),
        reverse("campaigns:assignment_delete", args=[assignment.pk]),
    ]


# ---------------------------------------------------------------------------- personas


def test_alice_sees_every_page(client, alice, campaign, stages):
    login(client, alice)
    for url in page_urls(campaign, stages["review"]):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_others_get_404_everywhere(client, request, campaign, stages, raters, persona):
    assignment = Assignment.objects.create(
        stage=stages["review"], participant=campaign.participants.first(), rater=raters[0]
    )
    urls = page_urls(campaign, stages["review"])
    posts = post_urls(campaign, stages["review"], assignment)
    login(client, request.getfixturevalue(persona))
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"to_state": "open"}).status_code == 404, url
    assert Campaign.objects.get(pk=campaign.pk).state == "draft"
    assert Stage.objects.filter(pk=stages["review"].pk).exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_anonymous_redirected_to_login(client, campaign, stages):
    urls = [reverse("campaigns:list"), reverse("campaigns:create")]
    for url in urls + page_urls(campaign, stages["review"]):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url


def test_list_for_personas(client, alice, bob, charlie, campaign):
    assert "2026年度村级党建观摩测评" in login(client, alice).get(reverse("campaigns:list")).text
    for user in (bob, charlie):
        html = login(client, user).get(reverse("campaigns:list")).text
        assert "2026年度村级党建观摩测评" not in html
        assert "No campaign to show." in html


def test_rater_sees_campaign_only_when_assigned(client, campaign, stages, raters):
    login(client, raters[0])
    assert "2026年度村级党建观摩测评" not in client.get(reverse("campaigns:list")).text
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 404
    Assignment.objects.create(
        stage=stages["review"], participant=campaign.participants.first(), rater=raters[0]
    )
    assert "2026年度村级党建观摩测评" in client.get(reverse("campaigns:list")).text
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert detail.status_code == 200
    assert reverse("campaigns:edit", args=[campaign.pk]) not in detail.text
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("campaigns:assign", args=[stages["review"].pk])).status_code == 403


def test_panel_leader_sees_campaign(client, campaign, stages, raters):
    assigning.create_panel(stage=stages["review"], name="一组", leader=raters[1])
    assert (
        "2026年度村级党建观摩测评" in login(client, raters[1]).get(reverse("campaigns:list")).text
    )


def test_create_button_only_for_organizers(client, alice, charlie):
    assert reverse("campaigns:create") in login(client, alice).get(reverse("campaigns:list")).text
    assert (
        reverse("campaigns:create")
        not in login(client, charlie).get(reverse("campaigns:list")).text
    )
    assert client.get(reverse("campaigns:create")).status_code == 404


# ---------------------------------------------------------------------------- create and edit

FORM = {
    "name": "2026年度测评",
    "year": "2026",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "description": "",
    "participant_kinds": ["village", "community"],
    "rubric_village": "seed001-village-community",
}


def test_create_campaign(alice_client, county_orgs):
    response = alice_client.post(
        reverse("campaigns:create"),
        {**FORM, "scope": county_orgs["city_a"].pk, "excluded": [county_orgs["village_a2"].pk]},
    )
    campaign = Campaign.objects.get(name="2026年度测评")
    assert response.url == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.state == "draft"
    assert [p.organization.name for p in campaign.participants.all()] == ["白沙村党支部"]
    detail = alice_client.get(response.url).text
    assert "No rubric for these organization kinds: Community Party organization" in detail
    assert "no rubric" in detail  # the community's preview row


def test_create_outside_managed_scope_refused(alice_client, tree):
    response = alice_client.post(reverse("campaigns:create"), {**FORM, "scope": tree["city_b"].pk})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert not Campaign.objects.exists()


def test_create_bad_period_shows_error(alice_client, tree):
    data = {**FORM, "scope": tree["city_a"].pk, "period_end": "2025-01-01"}
    response = alice_client.post(reverse("campaigns:create"), data)
    assert "The period cannot end before it starts." in response.text
    assert not Campaign.objects.exists()


def test_edit_draft(alice_client, draft, county_orgs):
    url = reverse("campaigns:edit", args=[draft.pk])
    assert "seed001-village-community" in alice_client.get(url).text
    data = {
        **FORM,
        "name": "改名",
        "scope": county_orgs["city_a"].pk,
        "participant_kinds": ["village"],
    }
    assert alice_client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.name == "改名"


def test_edit_open_campaign_redirects_with_message(alice_client, draft, alice):
    setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    response = alice_client.get(reverse("campaigns:edit", args=[draft.pk]), follow=True)
    assert "Only a draft campaign&#x27;s settings can change." in response.text


# ---------------------------------------------------------------------------- stages and states


def test_stage_create_and_window_error(alice_client, draft):
    url = reverse("campaigns:stage_create", args=[draft.pk])
    data = {
        "kind": "full_review",
        "name": "全面考评",
        "position": "",
        "starts_on": "2026-11-30",
        "ends_on": "2026-11-01",
        "method": "trimmed",
        "trim": "1",
        "weight": "1",
    }
    response = alice_client.post(url, data)
    assert "The window cannot end before it starts." in response.text
    assert (
        alice_client.post(
            url, {**data, "starts_on": "2026-11-01", "ends_on": "2026-11-30"}
        ).status_code
        == 302
    )
    assert draft.stages.get().method == "trimmed"


def test_stage_edit(alice_client, campaign, stages):
    url = reverse("campaigns:stage_edit", args=[stages["review"].pk])
    data = {
        "kind": "full_review",
        "name": "全面考评（改）",
        "position": "2",
        "starts_on": "2026-11-01",
        "ends_on": "2026-12-05",
        "method": "median",
        "trim": "1",
        "weight": "1",
    }
    assert alice_client.post(url, data).status_code == 302
    stages["review"].refresh_from_db()
    assert (stages["review"].name, stages["review"].method) == ("全面考评（改）", "median")


def test_open_from_page_shows_missing_and_then_opens(alice_client, campaign, stages):
    stages["review"].delete()
    stages["self"].delete()
    url = reverse("campaigns:transition", args=[campaign.pk])
    response = alice_client.post(url, {"to_state": "open"}, follow=True)
    assert "The campaign has no stage: add at least one." in response.text
    setup.add_stage(campaign=campaign, **stage_fields(starts_on=TODAY, ends_on=TODAY))
    response = alice_client.post(url, {"to_state": "open"}, follow=True)
    assert Campaign.objects.get(pk=campaign.pk).state == "open"
    assert "Alice" in response.text and "Draft → Open" in response.text


def test_no_publish_through_setup_page(alice_client, campaign, stages, alice):
    setup.transition(campaign=campaign, to_state="open", by=alice)
    setup.transition(campaign=campaign, to_state="closed", by=alice)
    url = reverse("campaigns:transition", args=[campaign.pk])
    assert alice_client.post(url, {"to_state": "published"}).status_code == 404
    assert Campaign.objects.get(pk=campaign.pk).state == "closed"


def test_reopen_without_note_refused_on_page(alice_client, campaign, stages, alice):
    setup.transition(campaign=campaign, to_state="open", by=alice)
    setup.transition(campaign=campaign, to_state="closed", by=alice)
    url = reverse("campaigns:transition", args=[campaign.pk])
    response = alice_client.post(url, {"to_state": "open"}, follow=True)
    assert "Say why the campaign reopens." in response.text
    alice_client.post(url, {"to_state": "open", "note": "补录"})
    assert Campaign.objects.get(pk=campaign.pk).state == "open"


# ---------------------------------------------------------------------------- assignments


def test_assign_page_lists_conflicts_and_writes_nothing(
    alice_client, campaign, stages, raters, tree
):
    from tests.campaigns.test_assignments import person

    wang = person("wang", tree["village_a"], ("rater", tree["city_a"]))
    panel = assigning.create_panel(
        stage=stages["review"], name="一组", leader=raters[0], members=[wang]
    )
    url = reverse("campaigns:assign", args=[stages["review"].pk])
    page = alice_client.get(url).text
    assert "wang cannot score 白沙村党支部: it is their own organization." in page
    data = {
        "action": "assign",
        "participants": [p.pk for p in campaign.participants.all()],
        "target": f"panel:{panel.pk}",
    }
    response = alice_client.post(url, data)
    assert "Nothing was assigned:" in response.text
    assert "wang cannot score 白沙村党支部: it is their own organization." in response.text
    assert not Assignment.objects.exists()


def test_assign_to_single_rater_from_page(alice_client, campaign, stages, raters):
    url = reverse("campaigns:assign", args=[stages["review"].pk])
    data = {
        "action": "assign",
        "participants": [campaign.participants.first().pk],
        "target": f"rater:{raters[0].pk}",
        "due_on": str(TODAY),
    }
    assert alice_client.post(url, data).status_code == 302
    assert stages["review"].assignments.get().due_on == TODAY


def test_create_panel_from_page(alice_client, campaign, stages, raters):
    url = reverse("campaigns:assign", args=[stages["review"].pk])
    data = {"action": "panel", "name": "督导组", "leader": raters[0].pk, "members": [raters[1].pk]}
    assert alice_client.post(url, data).status_code == 302
    panel = stages["review"].panels.get()
    assert (panel.name, panel.leader, [m.user for m in panel.members.all()]) == (
        "督导组",
        raters[0],
        [raters[1]],
    )


def test_assign_filter_by_kind_and_search(alice_client, campaign, stages, tree):
    url = reverse("campaigns:assign", args=[stages["review"].pk])
    html = alice_client.get(
        url, {"q": "黄店"}, headers={"HX-Request": "true", "HX-Target": "participant-rows"}
    ).text
    assert "黄店村党支部" in html and "白沙村党支部" not in html and "<html" not in html
    html = alice_client.get(url, {"parent": tree["county_a"].pk, "kind": "community"}).text
    assert "No organization matches." in html


def test_self_assign_button(alice_client, campaign, stages, branch_user):
    url = reverse("campaigns:assign", args=[stages["self"].pk])
    response = alice_client.post(url, {"action": "self"}, follow=True)
    assert "No branch user for: 黄店村党支部" in response.text
    assert stages["self"].assignments.get().rater == branch_user


def test_detail_warns_participants_without_branch_user(alice_client, campaign, stages, branch_user):
    html = alice_client.get(reverse("campaigns:detail", args=[campaign.pk])).text
    assert "No branch user can self-assess for:" in html and "黄店村党支部" in html


def test_detail_reserves_links_place(alice_client, campaign):
    html = alice_client.get(reverse("campaigns:detail", args=[campaign.pk])).text
    assert 'class="actions setup-links"' in html


# ---------------------------------------------------------------------------- N+1


def _campaigns(alice, tree, n):
    for i in range(n):
        make_campaign(alice, tree["city_a"], name=f"测评{i}")


@pytest.mark.parametrize("n", [1, 3])
def test_list_queries_do_not_grow(
    alice_client, alice, county_orgs, django_assert_max_num_queries, n
):
    _campaigns(alice, county_orgs, n)
    with django_assert_max_num_queries(5):
        response = alice_client.get(reverse("campaigns:list"))
    assert response.text.count("测评") >= n


def _detail_queries(client, alice, county_orgs, raters, n, state):
    for i in range(n):
        OrganizationFactory(name=f"新村{i}", kind="village", parent=county_orgs["county_a"])
    campaign = make_campaign(alice, county_orgs["city_a"], name=f"测评{n}")
    for i in range(n):
        fields = stage_fields(name=f"阶段{i}", weight=1 if i == 0 else 0)
        stage = setup.add_stage(campaign=campaign, **fields)
        panel = assigning.create_panel(
            stage=stage, name=f"组{i}", leader=raters[0], members=raters[1:]
        )
        assigning.assign_to_panel(panel=panel, participants=campaign.participants.all())
    if state == "open":
        setup.transition(campaign=campaign, to_state="open", by=alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert response.text.count("阶段") == n
    assert response.text.count("新村") == n
    return len(queries)


@pytest.mark.parametrize("state", ["draft", "open"])
def test_detail_queries_do_not_grow(alice_client, alice, county_orgs, raters, state):
    """The same number of queries with 1 and with 3 stages, panels and organizations."""
    one = _detail_queries(alice_client, alice, county_orgs, raters, 1, state)
    Campaign.objects.all().delete()
    from kaoping.orgs.models import Organization

    Organization.objects.filter(name__startswith="新村").delete()
    assert _detail_queries(alice_client, alice, county_orgs, raters, 3, state) == one


def test_assign_page_queries_do_not_grow(alice_client, campaign, stages, raters, tree):
    """The same number of queries with 1 and with 3 panels (and organizations)."""
    from tests.campaigns.test_assignments import person

    url = reverse("campaigns:assign", args=[stages["review"].pk])

    def add(i, members=()):
        OrganizationFactory(name=f"新村{i}", kind="village", parent=campaign.scope)
        setup.update_campaign(campaign=campaign)  # the new villages join while a draft
        panel = assigning.create_panel(
            stage=stages["review"], name=f"组{i}", leader=raters[i], members=members
        )
        participant = campaign.participants.get(organization__name=f"新村{i}")
        assigning.assign_to_panel(panel=panel, participants=[participant])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(url)
        assert response.status_code == 200
        return len(queries), response.text

    add(0, [raters[2]])  # members too: their prefetch runs only when there are some
    one, _text = count()
    add(1, [person("wang", tree["village_b"], ("rater", tree["city_a"]))])
    add(2)
    three, text = count()
    assert text.count("评分人") >= 3
    assert one == three


# ---------------------------------------------------------------------------- admin

ADMIN_MODELS = [
    "campaign", "storedrubric", "participant", "panel", "assignment", "scoresheet", "result",
    "publication",
]  # fmt: skip


def test_admin_pages_render(client, campaign, stages, raters, review_assignments):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    login(client, admin)
    for model in ADMIN_MODELS:
        assert client.get(reverse(f"admin:campaigns_{model}_changelist")).status_code == 200, model
    change = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    assert client.get(change).status_code == 200


def test_raters_and_branch_users_get_a_reduced_campaign_page(
    client, campaign, stages, raters, branch_user, review_assignments, tree
):
    from kaoping.campaigns.domain.assignments import auto_assign_self_assessment

    auto_assign_self_assessment(stage=stages["self"])
    url = reverse("campaigns:detail", args=[campaign.pk])
    text = login(client, branch_user).get(url).text
    assert "自查自评" in text and "全面考评" in text  # the stages and their windows
    assert "白沙村党支部" in text  # its own sheet
    assert "黄店村党支部" not in text  # never another organization
    assert "评分人" not in text and "History" not in text and "Participants" not in text
    mine = Assignment.objects.get(rater=branch_user)
    assert reverse("campaigns:sheet", args=[mine.pk]) in text
    rater = raters[0]
    text = login(client, rater).get(url).text
    own = set(
        Assignment.objects.filter(rater=rater).values_list("participant__organization__name",
                                                           flat=True)
    )  # fmt: skip
    for name in ("白沙村党支部", "黄店村党支部"):
        assert (name in text) == (name in own)
    assert "transition" not in text and "Participants" not in text


def test_admin_cannot_bypass_the_domain(client, campaign, stages, raters, review_assignments):
    from tests.factories import UserFactory

    login(client, UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:campaigns_assignment_add")).status_code == 403
    assert client.get(reverse("admin:campaigns_participant_add")).status_code == 403
    assignment = Assignment.objects.first()
    page = client.get(reverse("admin:campaigns_assignment_change", args=[assignment.pk]))
    assert page.status_code == 200 and 'name="rater"' not in page.text
    page = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    assert page.status_code == 200
    assert (
        'name="stages-0-weight"' not in page.text and 'name="stages-0-starts_on"' not in page.text
    )
    participant = campaign.participants.first()
    page = client.get(reverse("admin:campaigns_participant_change", args=[participant.pk]))
    assert page.status_code == 200 and 'name="rubric"' not in page.text
    panel = assigning.create_panel(
        stage=stages["review"], name="一组", leader=raters[0], members=[raters[1]]
    )
    assert client.get(reverse("admin:campaigns_panel_add")).status_code == 403
    page = client.get(reverse("admin:campaigns_panel_change", args=[panel.pk]))
    assert page.status_code == 200
    assert 'name="leader"' not in page.text and 'name="members-0-user"' not in page.text
