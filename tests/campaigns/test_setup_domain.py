import datetime

import pytest
from django.core.exceptions import ValidationError

from kaoping.campaigns.domain import setup
from kaoping.campaigns.models import CampaignTransition, Participant
from kaoping.orgs.domain.tree import deactivate_organization
from tests.campaigns.setup_fixtures import *  # noqa: F403  (fixtures and helpers)
from tests.campaigns.setup_fixtures import make_campaign, stage_fields
from tests.factories import OrganizationFactory

D = datetime.date


def participant_names(campaign):
    return sorted(
        Participant.objects.filter(campaign=campaign).values_list("organization__name", flat=True)
    )


def test_participants_are_scope_kinds_with_rubric(draft):
    assert participant_names(draft) == ["白沙村党支部", "黄店村党支部"]
    assert {p.rubric.rubric_id for p in draft.participants.all()} == {"seed001-village-community"}


def test_excluded_subtree_and_inactive_organizations_left_out(alice, county_orgs):
    inner = OrganizationFactory(
        name="村内党小组村", kind="village", parent=county_orgs["village_a"]
    )
    deactivate_organization(org=county_orgs["village_a2"])
    campaign = make_campaign(alice, county_orgs["city_a"], excluded=[county_orgs["village_a"]])
    assert inner.is_within(county_orgs["village_a"])
    assert participant_names(campaign) == []


def test_participants_follow_settings_while_draft(draft, county_orgs):
    setup.update_campaign(
        campaign=draft,
        participant_kinds=["village", "community"],
        rubrics={"village": "seed001-village-community", "community": "seed001-village-community"},
    )
    assert participant_names(draft) == ["东风社区党委", "白沙村党支部", "黄店村党支部"]
    setup.update_campaign(campaign=draft, excluded=[county_orgs["village_a2"]])
    assert participant_names(draft) == ["东风社区党委", "白沙村党支部"]


def test_participants_fixed_after_opening(draft, county_orgs, alice):
    setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    OrganizationFactory(name="新村党支部", kind="village", parent=county_orgs["county_a"])
    assert setup.refresh_participants(campaign=draft) == 2
    assert participant_names(draft) == ["白沙村党支部", "黄店村党支部"]


def test_kind_without_rubric_gets_no_participant_row(alice, county_orgs):
    campaign = make_campaign(
        alice, county_orgs["city_a"], participant_kinds=["village", "private_enterprise"]
    )
    assert participant_names(campaign) == ["白沙村党支部", "黄店村党支部"]
    assert setup.kinds_lacking_rubric(campaign=campaign) == ["private_enterprise"]


def test_cannot_open_without_rubric_stage_listing_all(alice, county_orgs):
    campaign = make_campaign(
        alice,
        county_orgs["city_a"],
        participant_kinds=["village", "community", "private_enterprise"],
    )
    with pytest.raises(ValidationError) as caught:
        setup.transition(campaign=campaign, to_state="open", by=alice)
    assert caught.value.messages == [
        "No rubric for these organization kinds: Community Party organization、"
        "Private enterprise Party organization",
        "The campaign has no stage: add at least one.",
    ]
    campaign.refresh_from_db()
    assert campaign.state == "draft"
    assert not CampaignTransition.objects.exists()


def test_cannot_open_without_participants(alice, county_orgs):
    campaign = make_campaign(
        alice, county_orgs["city_a"], participant_kinds=["community"], rubrics={}
    )
    setup.update_campaign(campaign=campaign, excluded=[county_orgs["community_a"]])
    setup.add_stage(campaign=campaign, **stage_fields())
    with pytest.raises(ValidationError) as caught:
        setup.transition(campaign=campaign, to_state="open", by=alice)
    assert caught.value.messages == [
        "No organization takes part: check the scope, the kinds and the exclusions."
    ]


def test_cannot_open_when_weights_do_not_add_up(draft, alice):
    setup.add_stage(campaign=draft, **stage_fields(weight="0.3"))
    setup.add_stage(campaign=draft, **stage_fields(name="抽查", kind="spot_check", weight="0.5"))
    assert setup.opening_problems(campaign=draft) == [
        "The weights of the stages that do not override add up to 0.8; they must add up to 1 "
        "(or to 0 when a stage overrides)."
    ]


def test_only_overriding_stage_may_open(draft, alice):
    setup.add_stage(campaign=draft, **stage_fields(weight="0.4", overrides=True))
    assert setup.opening_problems(campaign=draft) == []
    assert draft.stages.get().weight == 0


def test_transitions_recorded_with_who_and_note(draft, alice):
    setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    setup.transition(campaign=draft, to_state="closed", by=alice)
    setup.transition(campaign=draft, to_state="open", by=alice, note="补录一个村")
    setup.transition(campaign=draft, to_state="closed", by=alice)
    setup.transition(campaign=draft, to_state="published", by=alice)
    setup.transition(campaign=draft, to_state="archived", by=alice)
    rows = list(draft.transitions.values_list("from_state", "to_state", "by__username", "note"))
    assert rows == [
        ("draft", "open", "alice", ""),
        ("open", "closed", "alice", ""),
        ("closed", "open", "alice", "补录一个村"),
        ("open", "closed", "alice", ""),
        ("closed", "published", "alice", ""),
        ("published", "archived", "alice", ""),
    ]
    draft.refresh_from_db()
    assert draft.state == "archived"


def test_reopen_needs_a_note(draft, alice):
    setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    setup.transition(campaign=draft, to_state="closed", by=alice)
    with pytest.raises(ValidationError) as caught:
        setup.transition(campaign=draft, to_state="open", by=alice, note="  ")
    assert caught.value.message_dict == {"note": ["Say why the campaign reopens."]}


@pytest.mark.parametrize(("start", "target"), [("draft", "closed"), ("draft", "published")])
def test_illegal_transition_refused(draft, alice, start, target):
    with pytest.raises(ValidationError) as caught:
        setup.transition(campaign=draft, to_state=target, by=alice)
    assert caught.value.messages[0].startswith("A campaign cannot go from Draft to ")
    assert draft.transitions.count() == 0


def test_unknown_state_refused(draft, alice):
    with pytest.raises(ValidationError):
        setup.transition(campaign=draft, to_state="nonsense", by=alice)


def test_only_draft_settings_change(draft, alice):
    setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    with pytest.raises(ValidationError) as caught:
        setup.update_campaign(campaign=draft, name="改名")
    assert caught.value.messages == ["Only a draft campaign's settings can change."]
    draft.refresh_from_db()
    assert draft.name == "2026年度村级党建测评"


def test_settings_errors_name_fields(alice, county_orgs):
    with pytest.raises(ValidationError) as caught:
        make_campaign(
            alice,
            county_orgs["county_a"],
            period_start=D(2026, 12, 31),
            period_end=D(2026, 1, 1),
            excluded=[county_orgs["city_b"]],
        )
    assert caught.value.message_dict == {
        "period_end": ["The period cannot end before it starts."],
        "excluded": ["Not in the campaign's scope 中牟县委: 开封市委"],
    }


def test_unknown_rubric_refused(alice, county_orgs):
    with pytest.raises(ValidationError) as caught:
        make_campaign(alice, county_orgs["city_a"], rubrics={"village": "nope"})
    assert caught.value.messages == ["Unknown rubric nope for Village Party organization."]


# ---------------------------------------------------------------------------- stages


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"starts_on": D(2026, 12, 2), "ends_on": D(2026, 12, 1)},
            {"ends_on": ["The window cannot end before it starts."]},
        ),
        (
            {"starts_on": D(2025, 12, 31)},
            {"starts_on": ["The window cannot start before the campaign's period (Jan. 1, 2026)."]},
        ),
        (
            {"ends_on": D(2028, 1, 5)},
            {
                "ends_on": [
                    "The window must end within a year after the campaign's period (Dec. 31, 2026)."
                ]
            },
        ),
        (
            {"method": "trimmed", "trim": 0},
            {"trim": ["A trimmed mean drops at least one score at each end."]},
        ),
        ({"weight": "1.5"}, {"weight": ["A weight lies between 0 and 1."]}),
    ],
)
def test_stage_validation(draft, fields, errors):
    with pytest.raises(ValidationError) as caught:
        setup.add_stage(campaign=draft, **stage_fields(**fields))
    assert caught.value.message_dict == errors
    assert not draft.stages.exists()


def test_window_after_period_allowed(draft):
    stage = setup.add_stage(
        campaign=draft, **stage_fields(starts_on=D(2027, 1, 5), ends_on=D(2027, 1, 20))
    )
    assert stage.position == 1


def test_stage_delete_only_in_draft(draft, alice):
    stage = setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    stage.campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        setup.delete_stage(stage=stage)
    assert draft.stages.count() == 1


def test_stage_edit_allowed_while_open_but_not_kind(draft, alice):
    stage = setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    stage.campaign.refresh_from_db()
    setup.update_stage(stage=stage, ends_on=D(2026, 12, 10))
    with pytest.raises(ValidationError):
        setup.update_stage(stage=stage, kind="spot_check")
    stage.refresh_from_db()
    assert (stage.kind, stage.ends_on) == ("full_review", D(2026, 12, 10))


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (D(2026, 10, 31), False),
        (D(2026, 11, 1), True),
        (D(2026, 11, 30), True),
        (D(2026, 12, 1), False),
    ],
)
def test_window_boundaries(draft, day, accepted):
    stage = setup.add_stage(campaign=draft, **stage_fields())
    ok, message = setup.stage_accepts_entries(stage, day)
    assert ok is accepted
    expected = "" if accepted else "This stage accepts entries from Nov. 1, 2026 to Nov. 30, 2026"
    assert message == expected


def test_window_message_in_chinese_format(draft):
    from django.utils import translation

    stage = setup.add_stage(campaign=draft, **stage_fields())
    with translation.override("zh-hans"):
        _ok, message = setup.stage_accepts_entries(stage, D(2026, 12, 1))
    assert "2026年11月1日" in message and "2026年11月30日" in message


def test_campaign_accepts_entries_only_when_open(draft, alice):
    assert setup.campaign_accepts_entries(draft)[0] is False
    setup.add_stage(campaign=draft, **stage_fields())
    setup.transition(campaign=draft, to_state="open", by=alice)
    assert setup.campaign_accepts_entries(draft) == (True, "")


def test_weights_checked_on_every_stage_change_once_open(draft, alice):
    first = setup.add_stage(campaign=draft, **stage_fields(weight="0.3"))
    second = setup.add_stage(campaign=draft, **stage_fields(name="抽查", weight="0.7"))
    setup.transition(campaign=draft, to_state="open", by=alice)
    first.campaign.refresh_from_db()
    second.campaign = first.campaign
    message = (
        "The weights of the stages that do not override add up to 1.2; they must add up to 1 "
        "(or to 0 when a stage overrides)."
    )
    with pytest.raises(ValidationError) as caught:
        setup.update_stage(stage=first, weight="0.5")
    assert caught.value.message_dict == {"weight": [message]}
    with pytest.raises(ValidationError) as caught:
        setup.add_stage(campaign=first.campaign, **stage_fields(name="复核", weight="0.2"))
    assert caught.value.message_dict["weight"][0].startswith("The weights of the stages")
    first.refresh_from_db()
    assert str(first.weight.normalize()) == "0.3"
    assert draft.stages.count() == 2
    # A change that keeps them whole, and a stage that adds nothing, are fine.
    setup.add_stage(campaign=first.campaign, **stage_fields(name="复核", weight="0"))
    setup.update_stage(stage=second, name="抽查复核")


def test_cannot_open_when_custom_slots_can_never_be_worded(campaign, alice):
    from kaoping.campaigns.domain.custom_items import write_common_items
    from kaoping.campaigns.domain.rubrics import store_bundled

    stored = store_bundled("seed003-branch-compliance")
    campaign.rubrics.update(rubric=stored)
    campaign.participants.update(rubric=stored)
    setup.add_stage(campaign=campaign, **stage_fields(starts_on=D(2026, 11, 1)))
    title = stored.title
    assert setup.opening_problems(campaign=campaign) == [
        f"{title} has custom items the organizations write in their self-assessment (I), but "
        "the campaign has no self-assessment stage.",
        f"Word the common items of {title} first: C1、C2、C3、C4.",
    ]
    with pytest.raises(ValidationError):
        setup.transition(campaign=campaign, to_state="open", by=alice)
    for code, count in (("C1", 4), ("C2", 4), ("C3", 4), ("C4", 3)):
        write_common_items(campaign=campaign, item_code=code, texts=["甲"] * count, by=alice)
    setup.add_stage(campaign=campaign, **stage_fields(kind="self_assessment", name="自评",
                                                      weight=0))  # fmt: skip
    assert setup.opening_problems(campaign=campaign) == []
