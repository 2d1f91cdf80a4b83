"""Who sees results. Objects: Campaign (the list), Participant (one organization's result).

Before publication only the campaign's organizers and panel leaders see results (the working
ones). After it, each organization's users see their own result and those above see their
subtree (`scopes.covers`: a branch user only its own organization; viewers included).
"""

import rules

from kaoping.accounts import scopes
from kaoping.campaigns.enums import CampaignState
from kaoping.campaigns.permissions.base import (
    covers_participant,
    leads_a_panel_in,
    organizes_campaign,
)

PUBLISHED_STATES = (CampaignState.PUBLISHED, CampaignState.ARCHIVED)


@rules.predicate
def is_published(user, campaign):
    return campaign is not None and campaign.state in PUBLISHED_STATES


@rules.predicate
def covers_a_participant(user, campaign):
    """Some participant of the campaign lies in the user's scope (one query)."""
    if campaign is None or not getattr(user, "is_authenticated", False):
        return False
    visible = scopes.visible_organizations(user)
    return campaign.participants.filter(organization__in=visible).exists()


@rules.predicate
def works_on_participant_campaign(user, participant):
    if participant is None:
        return False
    campaign = participant.campaign
    return organizes_campaign(user, campaign) or leads_a_panel_in(user, campaign)


@rules.predicate
def participant_published(user, participant):
    return participant is not None and participant.campaign.state in PUBLISHED_STATES


rules.add_perm(
    "campaigns.view_results",
    organizes_campaign | leads_a_panel_in | (is_published & covers_a_participant),
)
rules.add_perm(
    "campaigns.view_result",
    works_on_participant_campaign | (participant_published & covers_participant),
)
