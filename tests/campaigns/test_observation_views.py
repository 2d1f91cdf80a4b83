"""Observation pages with the personas: alice organizes city_a (plans), bob organizes city_b,
charlie has no role; rater_1 leads the panel, rater_2 and rater_3 are members; the branch user
of a visited village sees nothing of the batch."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaoping.campaigns.models import ObservationBatch, VisitStep
from tests.campaigns.observation_fixtures import *  # noqa: F403  (fixtures)
from tests.campaigns.observation_fixtures import (
    add_village,
    assignment_of,
    make_batch,
    participants_of,
    submit,
    today,
)

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def batch(campaign, obs_stage, obs_panel, alice):
    return make_batch(obs_stage, obs_panel, participants_of(campaign), alice)


def urls(batch):
    visit = batch.visits.first()
    return [
        reverse("campaigns:observation_batches", args=[batch.stage_id]),
        reverse("campaigns:batch", args=[batch.pk]),
        reverse("campaigns:batch_screen", args=[batch.pk]),
        reverse("campaigns:visit", args=[visit.pk]),
    ]


def test_anonymous_goes_to_login(client, batch):
    for url in urls(batch):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("persona", ["bob", "charlie", "branch_user"])
def test_outsiders_and_visited_organizations_get_404(client, request, batch, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(batch):
        assert client.get(url).status_code == 404, url
    ranking = reverse("campaigns:batch_ranking", args=[batch.pk])
    assert client.get(ranking, **HX).status_code == 404
    visit = batch.visits.first()
    response = client.post(reverse("campaigns:visit", args=[visit.pk]), {"action": "commentary"})
    assert response.status_code == 404


def test_organizer_plans_a_batch_through_the_page(client, alice, campaign, obs_stage, obs_panel):
    first, second = participants_of(campaign)
    client.force_login(alice)
    url = reverse("campaigns:observation_batches", args=[obs_stage.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Plan a batch" in page.text
    data = {
        "name": "第一批", "mode": "township", "starts_on": today().isoformat(),
        "ends_on": today().isoformat(), "panel": obs_panel.pk,
        f"visit_{first.pk}": "2", f"visit_{second.pk}": "1",
    }  # fmt: skip
    response = client.post(url, data)
    batch = ObservationBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "campaigns:batch", args=[batch.pk]
    )
    assert [v.participant for v in batch.visits.all()] == [second, first]


def test_bad_plans_show_their_errors_and_write_nothing(
    client, alice, campaign, obs_stage, obs_panel
):
    first, second = participants_of(campaign)
    client.force_login(alice)
    url = reverse("campaigns:observation_batches", args=[obs_stage.pk])
    base = {"name": "第一批", "mode": "township", "starts_on": today().isoformat(),
            "ends_on": today().isoformat(), "panel": obs_panel.pk}  # fmt: skip
    response = client.post(url, {**base, f"visit_{first.pk}": "1", f"visit_{second.pk}": "1"})
    assert "Each place in the visiting order is used once; repeated: 1" in response.text
    response = client.post(url, base)
    assert "Give at least one organization its place in the order." in response.text
    late = obs_stage.ends_on.replace(year=obs_stage.ends_on.year + 1).isoformat()
    response = client.post(url, {**base, "ends_on": late, f"visit_{first.pk}": "1"})
    assert "The date must fall within the stage&#x27;s window" in response.text
    response = client.post(url, {**base, f"visit_{first.pk}": "x"})
    assert "Enter a whole number." in response.text
    assert not ObservationBatch.objects.exists()


def test_only_the_organizer_plans(client, raters, obs_stage, obs_panel):
    client.force_login(raters[0])
    url = reverse("campaigns:observation_batches", args=[obs_stage.pk])
    assert "Plan a batch" not in client.get(url).text
    assert client.post(url, {"name": "x"}).status_code == 404


def test_non_observation_stage_is_404(client, alice, stages):
    client.force_login(alice)
    url = reverse("campaigns:observation_batches", args=[stages["review"].pk])
    assert client.get(url).status_code == 404


def test_panel_sees_batch_ranking_and_own_sheet(client, raters, batch, obs_stage):
    member = raters[1]
    client.force_login(member)
    first = batch.visits.first().participant
    own = assignment_of(obs_stage, first, member)
    page = client.get(reverse("campaigns:batch", args=[batch.pk]))
    assert page.status_code == 200
    assert reverse("campaigns:sheet", args=[own.pk]) in page.text
    assert "0 of 3 submitted" in page.text and "No sheet has been submitted yet." in page.text
    assert client.get(reverse("campaigns:batch_screen", args=[batch.pk])).status_code == 200
    listing = client.get(reverse("campaigns:observation_batches", args=[batch.stage_id]))
    assert batch.name in listing.text and "Plan a batch" not in listing.text


def test_ranking_partial_answers_htmx_only(client, raters, batch, obs_stage):
    client.force_login(raters[0])
    first = batch.visits.first().participant
    submit(assignment_of(obs_stage, first, raters[2]), [("1.1", "1.5")])
    url = reverse("campaigns:batch_ranking", args=[batch.pk])
    partial = client.get(url, **HX)
    assert partial.status_code == 200 and "<html" not in partial.text
    assert 'data-organization="白沙村党支部" data-rank="1"' in partial.text
    assert "98.5" in partial.text and "1 of 3" in partial.text
    plain = client.get(url)
    assert plain.status_code == 302 and plain.url == reverse("campaigns:batch", args=[batch.pk])


def test_poll_interval_is_a_setting(client, settings, raters, batch):
    settings.KAOPING_OBSERVATION_POLL_MS = 700
    client.force_login(raters[0])
    page = client.get(reverse("campaigns:batch_screen", args=[batch.pk]))
    assert 'hx-trigger="every 700ms"' in page.text and 'data-poll-ms="700"' in page.text


def test_leader_records_steps_and_commentary(client, raters, batch):
    leader, member = raters[0], raters[1]
    visit = batch.visits.first()
    url = reverse("campaigns:visit", args=[visit.pk])
    client.force_login(leader)
    page = client.get(url)
    assert "Save the steps" in page.text
    response = client.post(url, {"action": "steps", "listen_done": "on",
                                 "listen_notes": "书记讲解", "check_notes": "台账缺页"})  # fmt: skip
    assert response.status_code == 302
    steps = {s.step: s for s in visit.steps.all()}
    assert steps["listen"].done and steps["listen"].notes == "书记讲解"
    assert not steps["check"].done and steps["check"].notes == "台账缺页"
    response = client.post(url, {"action": "commentary", "commentary": "整体规范"})
    visit.refresh_from_db()
    assert response.status_code == 302 and visit.commentary == "整体规范"
    too_long = client.post(url, {"action": "commentary", "commentary": "长" * 10001})
    assert too_long.status_code == 400 and "Ensure this value has at most 10000" in too_long.text

    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200 and "Save the steps" not in page.text
    assert "整体规范" in page.text and "书记讲解" in page.text
    assert client.post(url, {"action": "steps"}).status_code == 404
    assert VisitStep.objects.filter(visit=visit).count() == 5


def _count(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **extra).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["batch", "batch_screen", "batch_ranking", "observation_batches"])
def test_pages_query_the_same_at_1_and_3_visits(
    client, tree, campaign, obs_stage, obs_panel, raters, alice, name
):
    add_village(campaign, tree, "三里村党支部")
    everyone = participants_of(campaign)
    one = make_batch(obs_stage, obs_panel, everyone[:1], alice, name="一")
    three = make_batch(obs_stage, obs_panel, everyone, alice, name="三")
    for participant in everyone:
        for rater in raters[:2]:
            submit(assignment_of(obs_stage, participant, rater), [("1.1", "0.5")])
    client.force_login(raters[0])
    counts = []
    for batch in (one, three):
        arg = batch.stage_id if name == "observation_batches" else batch.pk
        counts.append(_count(client, reverse(f"campaigns:{name}", args=[arg]), **HX))
    assert counts[0] == counts[1]
