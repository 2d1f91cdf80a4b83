"""Results pages: who sees what before and after publication, filters, N+1 guards."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kaoping.campaigns.domain.publication import publish
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.models import Assignment, Panel, Participant, Result
from tests.campaigns.results_fixtures import submit
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(campaign, review_assignments):
    deductions = {"白沙村党支部": {"1.1": "1"}, "黄店村党支部": {"1.1": "2", "2.1": "1"}}
    for assignment in review_assignments:
        submit(assignment, deductions[assignment.participant.organization.name])
    campaign.state = "closed"
    campaign.save()
    recompute_results(campaign=campaign)
    return campaign


@pytest.fixture
def people(tree, stages, raters, branch_user):
    leader = UserFactory(username="leader", full_name="组长")
    Panel.objects.create(stage=stages["review"], name="第一联络组", leader=leader)
    sibling = UserFactory(username="huangdian", full_name="黄店村书记")
    RoleFactory(user=sibling, organization=tree["village_a2"], kind="branch_user")
    viewer = UserFactory(username="county_viewer", full_name="县委委员")
    RoleFactory(user=viewer, organization=tree["county_a"], kind="viewer")
    return {"leader": leader, "sibling": sibling, "viewer": viewer, "branch": branch_user}


def list_url(campaign):
    return reverse("campaigns:results", args=[campaign.pk])


def detail_url(campaign, name):
    participant = campaign.participants.get(organization__name=name)
    return reverse("campaigns:result_detail", args=[campaign.pk, participant.pk])


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_before_publication_only_organizers_and_panel_leaders_see(client, scored, alice, people,
                                                                   charlie, bob):  # fmt: skip
    for user in (alice, people["leader"]):
        response = get(client, user, list_url(scored))
        assert response.status_code == 200
        assert "白沙村党支部" in response.content.decode()
        assert get(client, user, detail_url(scored, "白沙村党支部")).status_code == 200
    for user in (people["branch"], people["sibling"], people["viewer"], charlie, bob):
        assert get(client, user, list_url(scored)).status_code == 404
        assert get(client, user, detail_url(scored, "白沙村党支部")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, scored):
    response = client.get(list_url(scored))
    assert response.status_code == 302 and "login" in response["Location"]


def test_after_publication_each_sees_their_own_part(client, scored, alice, people, charlie, bob):
    publish(campaign=scored, by=alice)
    # The branch user: its own organization only, with its rank.
    response = get(client, people["branch"], list_url(scored))
    body = response.content.decode()
    assert response.status_code == 200
    assert "白沙村党支部" in body and "黄店村党支部" not in body
    assert get(client, people["branch"], detail_url(scored, "白沙村党支部")).status_code == 200
    assert get(client, people["branch"], detail_url(scored, "黄店村党支部")).status_code == 404
    # The sibling organization's user cannot read 白沙村.
    assert get(client, people["sibling"], detail_url(scored, "白沙村党支部")).status_code == 404
    # The parent's viewer sees the subtree.
    body = get(client, people["viewer"], list_url(scored)).content.decode()
    assert "白沙村党支部" in body and "黄店村党支部" in body
    assert get(client, people["viewer"], detail_url(scored, "黄店村党支部")).status_code == 200
    # Outside: nothing.
    for user in (charlie, bob):
        assert get(client, user, list_url(scored)).status_code == 404
        assert get(client, user, detail_url(scored, "白沙村党支部")).status_code == 404


def test_viewers_see_the_frozen_rows_not_later_changes(client, scored, alice, people,
                                                       review_assignments):  # fmt: skip
    publish(campaign=scored, by=alice)
    Result.objects.filter(campaign=scored).update(total=Decimal("1"))
    body = get(client, people["viewer"], list_url(scored)).content.decode()
    assert "99.00" in body and ">1.00<" not in body
    # The organizer sees the publication too, and the working rows when asking for them.
    body = get(client, alice, list_url(scored)).content.decode()
    assert "99.00" in body
    body = get(client, alice, list_url(scored) + "?view=working").content.decode()
    assert "1.00" in body
    # A viewer asking for the working rows still gets the publication.
    body = get(client, people["viewer"], list_url(scored) + "?view=working").content.decode()
    assert "99.00" in body


def test_list_shows_ranks_and_totals_equal_to_the_core(client, scored, alice):
    response = get(client, alice, list_url(scored))
    rows = list(response.context["page"].object_list)
    assert [(r.participant.organization.name, r.total, r.rank_in_kind) for r in rows] == [
        ("白沙村党支部", Decimal("99.00"), 1),
        ("黄店村党支部", Decimal("97.00"), 2),
    ]


def test_filters_and_sorting(client, scored, alice, tree, village_rubric, stages, raters):
    org = OrganizationFactory(name="城郊村党支部", kind="village", parent=tree["city_a"])
    participant = Participant.objects.create(campaign=scored, organization=org,
                                             rubric=village_rubric)  # fmt: skip
    submit(Assignment.objects.create(stage=stages["review"], participant=participant,
                                     rater=raters[0]), {"1.1": "3"})  # fmt: skip
    recompute_results(campaign=scored)
    client.force_login(alice)
    by_name = client.get(list_url(scored), {"sort": "name"}).context["page"].object_list
    assert [r.participant.organization.name for r in by_name] == [
        "白沙村党支部",
        "城郊村党支部",
        "黄店村党支部",
    ]  # pinyin order
    by_total = client.get(list_url(scored), {"sort": "total"}).context["page"].object_list
    assert [r.total for r in by_total] == [Decimal("99.00"), Decimal("97.00"), Decimal("97.00")]
    by_rank = client.get(list_url(scored)).context["page"].object_list
    assert [r.rank_in_kind for r in by_rank] == [1, 2, 2]
    ignored = client.get(list_url(scored), {"grade": "优秀"})  # not a grade here: ignored
    assert len(ignored.context["page"].object_list) == 3
    # A scope: everything under the chosen organization, not only its direct children.
    within = client.get(list_url(scored), {"within": tree["county_a"].pk, "sort": "total"})
    assert len(within.context["page"].object_list) == 2
    within = client.get(list_url(scored), {"within": tree["city_a"].pk, "sort": "name"})
    assert [r.participant.organization.name for r in within.context["page"].object_list] == [
        "白沙村党支部", "城郊村党支部", "黄店村党支部"
    ]  # fmt: skip
    outside = client.get(list_url(scored), {"within": tree["province"].pk})  # not a choice
    assert len(outside.context["page"].object_list) == 3
    assert len(client.get(list_url(scored), {"kind": "village"}).context["page"].object_list) == 3
    partial = client.get(list_url(scored), {"sort": "name"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"result-rows" in partial.content


def test_recompute_and_publish_buttons(client, scored, alice, people):
    client.force_login(alice)
    body = client.get(list_url(scored)).content.decode()
    assert reverse("campaigns:results_recompute", args=[scored.pk]) in body
    assert reverse("campaigns:publish", args=[scored.pk]) in body
    response = client.post(reverse("campaigns:results_recompute", args=[scored.pk]), follow=True)
    assert "Results recomputed: 2 organizations" in response.content.decode()
    response = client.post(
        reverse("campaigns:publish", args=[scored.pk]), {"note": ""}, follow=True
    )
    scored.refresh_from_db()
    assert scored.state == "published"
    # Republishing without a note is refused with a message.
    response = client.post(
        reverse("campaigns:publish", args=[scored.pk]), {"note": ""}, follow=True
    )
    assert "Say what the republication corrects." in response.content.decode()
    assert scored.publications.count() == 1
    client.post(reverse("campaigns:publish", args=[scored.pk]), {"note": "更正"})
    assert scored.publications.count() == 2
    # A panel leader sees results but cannot recompute or publish.
    client.force_login(people["leader"])
    body = client.get(list_url(scored) + "?view=working").content.decode()
    assert reverse("campaigns:publish", args=[scored.pk]) not in body
    assert client.post(reverse("campaigns:publish", args=[scored.pk])).status_code == 404
    assert client.post(reverse("campaigns:results_recompute", args=[scored.pk])).status_code == 404


def test_detail_shows_sections_stages_lost_points_and_self_vs_others(
    client, scored, alice, stages, branch_user
):
    village = scored.participants.get(organization__name="白沙村党支部")
    own = Assignment.objects.create(stage=stages["self"], participant=village, rater=branch_user)
    submit(own, {})
    recompute_results(campaign=scored)
    response = get(client, alice, detail_url(scored, "白沙村党支部"))
    body = response.content.decode()
    assert "99.00" in body and "党建基础" in body and "全面考评" in body
    assert "Trimmed mean" in body
    assert "台账不完整" in body  # the deduction reason among the lost points
    rows = {r["item"]: r for r in response.context["comparison"]}
    assert rows["1.1"]["self"] == "3.00" and rows["1.1"]["stages"][0]["value"] == "2.00"
    assert rows["1.1"]["stages"][0]["difference"] == "1.00"


def test_my_results_lists_the_published_results_of_my_organizations(client, scored, alice,
                                                                    people, charlie):  # fmt: skip
    url = reverse("campaigns:my_results")
    assert list(get(client, people["branch"], url).context["page"].object_list) == []
    publish(campaign=scored, by=alice)
    rows = get(client, people["branch"], url).context["page"].object_list
    assert [r.participant.organization.name for r in rows] == ["白沙村党支部"]
    rows = get(client, people["viewer"], url).context["page"].object_list
    assert len(rows) == 2
    assert list(get(client, charlie, url).context["page"].object_list) == []


def add_participants(campaign, tree, village_rubric, stages, raters, count):
    for n in range(count):
        org = OrganizationFactory(name=f"加村{n}党支部", kind="village", parent=tree["county_a"])
        participant = Participant.objects.create(
            campaign=campaign, organization=org, rubric=village_rubric
        )
        for rater in raters:
            submit(Assignment.objects.create(stage=stages["review"], participant=participant,
                                             rater=rater), {"1.1": "1"})  # fmt: skip
    recompute_results(campaign=campaign)


@pytest.mark.parametrize("extra", [0, 2])
def test_list_and_detail_queries_do_not_grow(client, scored, alice, tree, village_rubric, stages,
                                             raters, people, extra,
                                             django_assert_max_num_queries):  # fmt: skip
    add_participants(scored, tree, village_rubric, stages, raters, extra)
    publish(campaign=scored, by=alice)
    client.force_login(people["viewer"])
    with django_assert_max_num_queries(16):
        response = client.get(list_url(scored))
    assert len(response.context["page"].object_list) == 2 + extra
    client.force_login(alice)
    with django_assert_max_num_queries(16):
        client.get(list_url(scored) + "?view=working")
    with django_assert_max_num_queries(16):
        client.get(detail_url(scored, "白沙村党支部"))
    client.force_login(people["viewer"])
    with django_assert_max_num_queries(16):
        client.get(reverse("campaigns:my_results"))


# Five raters with distinct totals and a tie (100, 99, 99, 96, 90): mean 96.80, trimmed mean
# 98.00, median 99.00 all differ; 黄店村's three raters (99, 98, 97) tie with the trimmed mean.
SPREAD = {
    "白沙村党支部": [{}, {"1.1": "1"}, {"1.1": "1"}, {"1.1": "3", "2.1": "1"},
                 {"1.1": "3", "2.1": "4", "2.2": "3"}],
    "黄店村党支部": [{"1.1": "1"}, {"1.1": "2"}, {"1.1": "2", "2.1": "1"}],
}  # fmt: skip


@pytest.mark.parametrize("method", ["mean", "trimmed", "median"])
def test_page_shows_the_cores_aggregate_and_shared_ranks(client, campaign, stages, raters, alice,
                                                         method):  # fmt: skip
    from kaoping.campaigns.models import Stage
    from kaoping.scoring import aggregate_scores, rank
    from tests.campaigns.results_fixtures import total_of

    Stage.objects.filter(pk=stages["review"].pk).update(method=method)
    extra = [UserFactory(username=f"rater_{n}", full_name=f"评分人{n}") for n in (4, 5)]
    for name, sheets in SPREAD.items():
        participant = campaign.participants.get(organization__name=name)
        for rater, deductions in zip([*raters, *extra], sheets, strict=False):
            submit(Assignment.objects.create(stage=stages["review"], participant=participant,
                                             rater=rater), deductions)  # fmt: skip
    recompute_results(campaign=campaign)
    expected = {
        name: aggregate_scores([total_of(d) for d in sheets], method=method, trim=1).value
        for name, sheets in SPREAD.items()
    }
    assert len({aggregate_scores(["100", "99", "99", "96", "90"], method=m).value
                for m in ("mean", "trimmed", "median")}) == 3  # fmt: skip
    response = get(client, alice, list_url(campaign))
    rows = list(response.context["page"].object_list)
    names = [r.participant.organization.name for r in rows]
    assert {r.participant.organization.name: r.total for r in rows} == expected
    assert [r.rank_in_kind for r in rows] == rank([expected[n] for n in names])
    body = response.content.decode()
    for value in expected.values():
        assert f">{value}<" in body
    if method == "trimmed":
        assert expected["白沙村党支部"] == expected["黄店村党支部"] == Decimal("98.00")
        assert [r.rank_in_kind for r in rows] == [1, 1]
