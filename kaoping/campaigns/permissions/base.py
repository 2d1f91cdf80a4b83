"""Who stands where in a campaign. Objects: Campaign, ScoreSheet, Participant."""

import rules

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.campaigns.enums import CampaignState


@rules.predicate
def organizes_campaign(user, campaign):
    return campaign is not None and scopes.covers(user, campaign.scope, RoleKind.ORGANIZER)


@rules.predicate
def leads_a_panel_in(user, campaign):
    if campaign is None or not user.is_authenticated:
        return False
    return campaign.stages.filter(panels__leader=user).exists()


@rules.predicate
def assigned_in(user, campaign):
    if campaign is None or not user.is_authenticated:
        return False
    return campaign.stages.filter(assignments__rater=user).exists()


@rules.predicate
def campaign_published(user, campaign):
    return campaign is not None and campaign.state in (
        CampaignState.PUBLISHED,
        CampaignState.ARCHIVED,
    )


@rules.predicate
def rates_sheet(user, sheet):
    return sheet is not None and sheet.assignment.rater_id == user.pk


@rules.predicate
def leads_sheet_panel(user, sheet):
    panel = sheet.assignment.panel if sheet is not None else None
    return panel is not None and panel.leader_id == user.pk


@rules.predicate
def organizes_sheet_campaign(user, sheet):
    return sheet is not None and organizes_campaign(user, sheet.assignment.stage.campaign)


@rules.predicate
def covers_participant(user, participant):
    """A published result is seen by its own organization and by those above it."""
    return participant is not None and scopes.covers(user, participant.organization)
