import datetime

import pytest
from django.core.exceptions import ValidationError

from kaoping.campaigns.domain import assignments as assigning
from kaoping.campaigns.domain import setup
from kaoping.campaigns.models import Assignment, ScoreSheet
from tests.campaigns.conftest import TODAY
from tests.campaigns.setup_fixtures import *  # noqa: F403  (fixtures)
from tests.campaigns.setup_fixtures import stage_fields
from tests.factories import RoleFactory, UserFactory


def person(username, home, *roles):
    """A user belonging to `home`, with (kind, organization) roles."""
    user = UserFactory(username=username, full_name=username)
    user.home_organization = home
    user.save(update_fields=["home_organization"])
    for kind, org in roles:
        RoleFactory(user=user, organization=org, kind=kind)
    return user


def rows(stage):
    return sorted(
        stage.assignments.values_list(
            "participant__organization__name", "rater__username", "source"
        )
    )


# ---------------------------------------------------------------------------- conflict rule


def test_own_organization_refused(tree):
    user = person("wang", tree["village_a"])
    assert assigning.rater_conflict(rater=user, organization=tree["village_a"]) == (
        "wang cannot score 白沙村党支部: it is their own organization."
    )


def test_ancestor_of_own_refused(tree):
    user = person("wang", tree["village_a"])
    assert assigning.rater_conflict(rater=user, organization=tree["county_a"]) == (
        "wang cannot score 中牟县委: it is above their own organization 白沙村党支部."
    )
    assert assigning.rater_conflict(rater=user, organization=tree["province"]) is not None


def test_descendant_of_own_refused(tree):
    user = person("zhao", tree["county_a"])
    assert assigning.rater_conflict(rater=user, organization=tree["village_a"]) == (
        "zhao cannot score 白沙村党支部: it is below their own organization 中牟县委."
    )


def test_sibling_and_other_line_allowed(campaign, tree):
    user = person("li", tree["village_a2"])
    assert assigning.rater_conflict(rater=user, organization=tree["village_a"]) is None
    assert assigning.rater_conflict(rater=user, organization=tree["village_b"]) is None


def test_branch_user_role_counts_as_own(campaign, tree):
    user = person("sun", tree["city_b"], ("branch_user", tree["village_a2"]))
    assert assigning.rater_conflict(rater=user, organization=tree["village_a2"]) == (
        "sun cannot score 黄店村党支部: it is their own organization."
    )
    assert assigning.rater_conflict(rater=user, organization=tree["village_a"]) is None


def test_no_home_no_role_means_no_conflict(tree):
    user = person("nobody", None)
    assert assigning.rater_conflict(rater=user, organization=tree["village_a"]) is None


def test_rater_needs_covering_role(tree, charlie):
    assert assigning.rater_refusal(rater=charlie, organization=tree["village_a"]) == (
        "Charlie holds no rater or organizer role covering 白沙村党支部."
    )


# ---------------------------------------------------------------------------- manual


def test_assign_to_rater_writes_manual_assignments(campaign, stages, raters):
    due = TODAY + datetime.timedelta(days=5)
    written = assigning.assign_to_rater(
        stage=stages["review"],
        participants=campaign.participants.all(),
        rater=raters[0],
        due_on=due,
    )
    assert len(written) == 2
    assert rows(stages["review"]) == [
        ("白沙村党支部", "rater_1", "manual"),
        ("黄店村党支部", "rater_1", "manual"),
    ]
    assert {a.due_on for a in stages["review"].assignments.all()} == {due}


def test_assign_to_rater_without_role_refused(campaign, stages, charlie):
    with pytest.raises(ValidationError) as caught:
        assigning.assign_to_rater(
            stage=stages["review"], participants=campaign.participants.all(), rater=charlie
        )
    assert caught.value.messages == [
        "Charlie holds no rater or organizer role covering 白沙村党支部.",
        "Charlie holds no rater or organizer role covering 黄店村党支部.",
    ]
    assert not Assignment.objects.exists()


def test_due_date_outside_window_refused(campaign, stages, raters):
    with pytest.raises(ValidationError) as caught:
        assigning.assign_to_rater(
            stage=stages["review"],
            participants=campaign.participants.all(),
            rater=raters[0],
            due_on=TODAY + datetime.timedelta(days=11),
        )
    assert list(caught.value.message_dict) == ["due_on"]


def test_panel_assigns_leader_and_members(campaign, stages, raters):
    panel = assigning.create_panel(
        stage=stages["review"], name="第一联络组", leader=raters[0], members=raters[1:]
    )
    assigning.assign_to_panel(panel=panel, participants=campaign.participants.all())
    assert stages["review"].assignments.filter(panel=panel).count() == 6
    assert {a.source for a in stages["review"].assignments.all()} == {"manual"}


def test_bulk_assign_all_or_nothing_lists_every_conflict(campaign, stages, raters, tree):
    zhao = person("zhao", tree["county_a"], ("rater", tree["city_a"]))
    wang = person("wang", tree["village_a"], ("rater", tree["city_a"]))
    panel = assigning.create_panel(
        stage=stages["review"], name="第二联络组", leader=raters[0], members=[zhao, wang]
    )
    with pytest.raises(ValidationError) as caught:
        assigning.assign_to_panel(panel=panel, participants=campaign.participants.all())
    assert caught.value.messages == [
        "zhao cannot score 白沙村党支部: it is below their own organization 中牟县委.",
        "wang cannot score 白沙村党支部: it is their own organization.",
        "zhao cannot score 黄店村党支部: it is below their own organization 中牟县委.",
    ]
    assert not Assignment.objects.exists()


def test_pair_held_by_another_panel_refused(campaign, stages, raters):
    first = assigning.create_panel(stage=stages["review"], name="一组", leader=raters[0])
    second = assigning.create_panel(stage=stages["review"], name="二组", leader=raters[0])
    assigning.assign_to_panel(panel=first, participants=campaign.participants.all()[:1])
    with pytest.raises(ValidationError) as caught:
        assigning.assign_to_panel(panel=second, participants=campaign.participants.all())
    assert caught.value.messages == ["评分人1 already scores 白沙村党支部 in panel 一组."]
    assert stages["review"].assignments.count() == 1


def test_reassign_updates_due_date_without_duplicates(campaign, stages, raters):
    participants = campaign.participants.all()
    assigning.assign_to_rater(stage=stages["review"], participants=participants, rater=raters[0])
    due = TODAY
    assigning.assign_to_rater(
        stage=stages["review"], participants=participants, rater=raters[0], due_on=due
    )
    assert list(stages["review"].assignments.values_list("due_on", flat=True)) == [due, due]


def test_update_panel_follows_its_people(campaign, stages, raters):
    panel = assigning.create_panel(
        stage=stages["review"], name="一组", leader=raters[0], members=[raters[1]]
    )
    assigning.assign_to_panel(panel=panel, participants=campaign.participants.all())
    assigning.update_panel(panel=panel, name="一组", leader=raters[0], members=[raters[2]])
    assert sorted({r for _o, r, _s in rows(stages["review"])}) == ["rater_1", "rater_3"]
    assert stages["review"].assignments.count() == 4


def test_update_panel_refuses_conflicting_newcomer(campaign, stages, raters, tree):
    panel = assigning.create_panel(stage=stages["review"], name="一组", leader=raters[0])
    assigning.assign_to_panel(panel=panel, participants=campaign.participants.all())
    wang = person("wang", tree["village_a"], ("rater", tree["city_a"]))
    with pytest.raises(ValidationError):
        assigning.update_panel(panel=panel, name="改名", leader=raters[0], members=[wang])
    panel.refresh_from_db()
    assert panel.name == "一组" and not panel.members.exists()


def test_unassign_refused_once_submitted(campaign, stages, raters):
    [assignment, *_] = assigning.assign_to_rater(
        stage=stages["review"], participants=campaign.participants.all(), rater=raters[0]
    )
    ScoreSheet.objects.create(assignment=assignment, status="submitted")
    with pytest.raises(ValidationError) as caught:
        assigning.unassign(assignment=assignment)
    assert caught.value.messages == ["评分人1 has already scored 白沙村党支部; that sheet stays."]
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_unassign_untouched(campaign, stages, raters):
    [assignment, *_] = assigning.assign_to_rater(
        stage=stages["review"], participants=campaign.participants.all(), rater=raters[0]
    )
    ScoreSheet.objects.create(assignment=assignment)
    assigning.unassign(assignment=assignment)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_no_assignment_changes_after_closing(campaign, stages, raters, alice):
    setup.transition(campaign=campaign, to_state="open", by=alice)
    setup.transition(campaign=campaign, to_state="closed", by=alice)
    stages["review"].campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        assigning.assign_to_rater(
            stage=stages["review"], participants=campaign.participants.all(), rater=raters[0]
        )


# ---------------------------------------------------------------------------- self-assessment


def test_self_assessment_assigned_to_branch_users(campaign, stages, branch_user):
    missing = assigning.auto_assign_self_assessment(stage=stages["self"])
    assert rows(stages["self"]) == [("白沙村党支部", "baisha", "self")]
    assert [p.organization.name for p in missing] == ["黄店村党支部"]
    assigning.auto_assign_self_assessment(stage=stages["self"])
    assert stages["self"].assignments.count() == 1


def test_self_assessment_ignores_conflict_rule(campaign, stages, branch_user):
    assert assigning.rater_conflict(rater=branch_user, organization=campaign.scope) is not None
    assigning.auto_assign_self_assessment(stage=stages["self"])
    assert stages["self"].assignments.get().rater == branch_user


def test_opening_assigns_self_assessment(campaign, stages, branch_user, alice):
    setup.transition(campaign=campaign, to_state="open", by=alice)
    assert rows(stages["self"]) == [("白沙村党支部", "baisha", "self")]
    assert rows(stages["review"]) == []


def test_self_stage_added_to_open_campaign_is_assigned(campaign, stages, branch_user, alice):
    stages["self"].delete()
    setup.transition(campaign=campaign, to_state="open", by=alice)
    stage = setup.add_stage(
        campaign=campaign,
        **stage_fields(
            kind="self_assessment", name="补充自评", weight=0, starts_on=TODAY, ends_on=TODAY
        ),
    )
    assert rows(stage) == [("白沙村党支部", "baisha", "self")]


def test_participants_without_branch_user(campaign, branch_user):
    names = [
        p.organization.name for p in assigning.participants_without_branch_user(campaign=campaign)
    ]
    assert names == ["黄店村党支部"]
