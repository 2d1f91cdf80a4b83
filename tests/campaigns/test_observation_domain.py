"""Observation batches: planning (modes, conflict rule, all or nothing), steps, commentary, and
the live ranking equal to the scoring core's aggregate and rank."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaoping.campaigns.domain.observation import (
    batch_assignments,
    batch_ranking,
    plan_batch,
    record_commentary,
    record_steps,
    steps_of,
)
from kaoping.campaigns.models import Assignment, ObservationBatch, Visit, VisitStep
from kaoping.scoring import aggregate_scores, rank
from tests.campaigns.observation_fixtures import *  # noqa: F403  (fixtures)
from tests.campaigns.observation_fixtures import (
    add_village,
    assignment_of,
    make_batch,
    participants_of,
    submit,
    today,
)
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_plan_batch_orders_visits_and_assigns_every_panel_person(
    campaign, obs_stage, obs_panel, raters, alice
):
    first, second = participants_of(campaign)
    batch = make_batch(obs_stage, obs_panel, [second, first], alice)
    assert [(v.position, v.participant) for v in batch.visits.all()] == [(1, second), (2, first)]
    rows = set(batch_assignments(batch).values_list("participant_id", "rater_id", "panel_id"))
    assert rows == {(p.pk, r.pk, obs_panel.pk) for p in (first, second) for r in raters}
    assert set(batch_assignments(batch).values_list("due_on", flat=True)) == {today()}
    assert batch.mode == "township" and batch.created_by == alice


def test_plan_batch_outside_an_observation_stage_is_refused(campaign, stages, raters, alice):
    from kaoping.campaigns.domain.assignments import create_panel

    campaign.state = "open"
    campaign.save()
    panel = create_panel(stage=stages["review"], name="组", leader=raters[0])
    with pytest.raises(ValidationError, match="only in an observation stage"):
        plan_batch(
            stage=stages["review"], panel=panel, name="x", mode="township",
            starts_on=stages["review"].starts_on, ends_on=stages["review"].starts_on,
            participants=participants_of(campaign), by=alice,
        )  # fmt: skip
    assert not ObservationBatch.objects.exists()


def test_dates_order_and_repeats_are_checked_by_field(campaign, obs_stage, obs_panel, alice):
    first, _second = participants_of(campaign)
    late = obs_stage.ends_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        plan_batch(
            stage=obs_stage, panel=obs_panel, name="x", mode="township", starts_on=late,
            ends_on=obs_stage.starts_on, participants=[first, first], by=alice,
        )  # fmt: skip
    errors = caught.value.message_dict
    assert "The batch cannot end before it starts." in errors["ends_on"]
    assert any("within the stage's window" in m for m in errors["starts_on"])
    assert errors["participants"] == ["An organization is visited only once in a batch."]
    with pytest.raises(ValidationError) as caught:
        make_batch(obs_stage, obs_panel, [], alice)
    assert caught.value.message_dict["participants"] == [
        "Choose at least one organization to visit."
    ]
    assert not Visit.objects.exists()


def test_township_round_stays_in_one_township(campaign, tree, obs_stage, obs_panel, alice):
    other_township = OrganizationFactory(
        name="城关镇党委", kind="party_committee", parent=tree["city_a"]
    )
    rubric = campaign.participants.first().rubric
    far = campaign.participants.create(
        organization=OrganizationFactory(
            name="西关村党支部", kind="village", parent=other_township
        ),
        rubric=rubric,
    )
    first, second = participants_of(campaign)[:2]
    with pytest.raises(ValidationError) as caught:
        make_batch(obs_stage, obs_panel, [first, second, far], alice)
    assert caught.value.message_dict["participants"] == [
        f"A township round visits the organizations of one township; not under the same "
        f"township as {first.organization.name}: 西关村党支部"
    ]
    # Cross observation visits organizations of several townships.
    batch = make_batch(obs_stage, obs_panel, [first, far], alice, mode="cross")
    assert batch.visits.count() == 2


def test_conflict_rule_refuses_and_writes_nothing(campaign, tree, obs_stage, raters, alice):
    """Cross observation: a township's own people never score its organizations."""
    from kaoping.campaigns.domain.assignments import create_panel

    local = UserFactory(username="county_person", full_name="本县干部")
    local.home_organization = tree["county_a"]
    local.save()
    RoleFactory(user=local, organization=tree["city_a"], kind="rater")
    panel = create_panel(stage=obs_stage, name="交叉组", leader=raters[0], members=[local])
    first, _second = participants_of(campaign)
    with pytest.raises(ValidationError) as caught:
        make_batch(obs_stage, panel, [first], alice, mode="cross")
    assert caught.value.message_dict["participants"] == [
        f"本县干部 cannot score {first.organization.name}: it is below their own organization "
        f"{tree['county_a'].name}."
    ]
    assert not ObservationBatch.objects.exists()
    assert not Assignment.objects.filter(stage=obs_stage).exists()


def test_steps_and_commentary_are_recorded(campaign, obs_stage, obs_panel, raters, alice):
    batch = make_batch(obs_stage, obs_panel, participants_of(campaign), alice)
    visit = batch.visits.first()
    leader = raters[0]
    record_steps(visit=visit, steps={"listen": (True, " 书记讲解三会一课落实情况 ")}, by=leader)
    record_steps(visit=visit, steps={"look": (True, ""), "listen": (True, "补充")}, by=leader)
    rows = {code: row for code, _label, row in steps_of(visit)}
    assert list(rows) == ["listen", "look", "check", "talk", "comment"]
    assert rows["listen"].notes == "补充" and rows["listen"].recorded_by == leader
    assert rows["look"].done and rows["check"] is None
    assert VisitStep.history.filter(step="listen").count() == 2
    with pytest.raises(ValidationError, match="Unknown step: sing"):
        record_steps(visit=visit, steps={"sing": (True, "")}, by=leader)

    record_commentary(visit=visit, text="  阵地建设规范，台账需补齐。 ", by=leader)
    visit.refresh_from_db()
    assert visit.commentary == "阵地建设规范，台账需补齐。"
    assert visit.commentary_by == leader and visit.commentary_at is not None
    record_commentary(visit=visit, text="", by=leader)
    visit.refresh_from_db()
    assert visit.commentary == "" and visit.commentary_by is None


@pytest.fixture
def three_visits(campaign, tree, obs_stage, obs_panel, alice):
    add_village(campaign, tree, "三里村党支部")
    return make_batch(obs_stage, obs_panel, participants_of(campaign), alice)


def test_ranking_equals_the_core_with_distinct_totals_and_a_tie(
    campaign, obs_stage, raters, three_visits
):
    first, second, third = participants_of(campaign)
    empty = batch_ranking(three_visits)
    assert empty.ranked == [] and [r.raters for r in empty.visits] == [3, 3, 3]
    # first: 99, 99.5, 100 → 99.5; second: 99.5 × 3 → 99.5 (a tie); third: one sheet, 98.
    plan = {
        first: [[("1.1", 1)], [("1.1", "0.5")], []],
        second: [[("1.2", "0.5")], [("1.3", "0.5")], [("1.1", "0.5")]],
        third: [[("1.1", 2)], None, None],
    }
    totals = {}
    for participant, per_rater in plan.items():
        for rater, deductions in zip(raters, per_rater, strict=True):
            if deductions is not None:
                sheet = submit(assignment_of(obs_stage, participant, rater), deductions)
                totals.setdefault(participant.pk, []).append(sheet.total)
    ranking = batch_ranking(three_visits)
    expected = {pk: aggregate_scores(values, method="mean").value for pk, values in totals.items()}
    assert expected == {first.pk: Decimal("99.5"), second.pk: Decimal("99.5"),
                        third.pk: Decimal("98")}  # fmt: skip
    order = [first.pk, second.pk, third.pk]
    core_ranks = rank([expected[pk] for pk in order])
    assert core_ranks == [1, 1, 3]
    by_visit = {r.visit.participant_id: r for r in ranking.visits}
    assert [by_visit[pk].total for pk in order] == [expected[pk] for pk in order]
    assert [by_visit[pk].rank for pk in order] == core_ranks
    assert [(r.submitted, r.raters) for r in ranking.visits] == [(3, 3), (3, 3), (1, 3)]
    assert [r.visit.participant_id for r in ranking.ranked] == order
    assert by_visit[third.pk].complete is False and by_visit[first.pk].complete is True


def test_ranking_uses_the_stage_method(campaign, obs_stage, raters, three_visits):
    obs_stage.method, obs_stage.trim = "trimmed", 1
    obs_stage.save()
    first = participants_of(campaign)[0]
    for rater, amount in zip(raters, (3, 1, "0.5"), strict=True):
        submit(assignment_of(obs_stage, first, rater), [("1.1", amount)])
    three_visits.refresh_from_db()
    row = batch_ranking(three_visits).ranked[0]
    assert row.total == aggregate_scores([97, 99, Decimal("99.5")], method="trimmed").value == 99


def test_demonstration_round_ranks_townships(campaign, tree, obs_stage, obs_panel, raters, alice):
    township = OrganizationFactory(name="城关镇党委", kind="party_committee", parent=tree["city_a"])
    rubric = campaign.participants.first().rubric
    point = campaign.participants.create(
        organization=OrganizationFactory(name="西关村党支部", kind="village", parent=township),
        rubric=rubric,
    )
    first, second = participants_of(campaign)[:2]
    batch = make_batch(obs_stage, obs_panel, [first, second, point], alice, mode="demonstration")
    assert [v.nominated_by for v in batch.visits.all()] == [tree["county_a"]] * 2 + [township]
    for participant, amount in ((first, 1), (second, 2), (point, "0.5")):
        for rater in raters:
            submit(assignment_of(obs_stage, participant, rater), [("1.1", amount)])
    townships = batch_ranking(batch).townships
    assert [(t.rank, t.name, t.points, t.total) for t in townships] == [
        (1, "城关镇党委", 1, Decimal("99.5")),
        (2, tree["county_a"].name, 2, aggregate_scores([99, 98]).value),
    ]


def test_demonstration_point_must_lie_in_its_township(campaign, tree, obs_stage, obs_panel, alice):
    first = participants_of(campaign)[0]
    with pytest.raises(ValidationError) as caught:
        plan_batch(
            stage=obs_stage, panel=obs_panel, name="示范观摩", mode="demonstration",
            starts_on=today(), ends_on=today(), participants=[first], by=alice,
            nominated_by={first.pk: tree["city_b"]},
        )  # fmt: skip
    assert caught.value.message_dict["participants"] == [
        "A demonstration point lies within the township that nominated it: "
        f"{first.organization.name}"
    ]
