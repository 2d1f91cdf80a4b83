"""Scoring permissions beyond the sheet perms in rules.py (edit_sheet, view_sheet, return_sheet).

Objects: ScoreSheet (custom items written through the self-assessment sheet), Campaign (common
slots' wording), Evidence (viewing: the sheet's viewers, and for a self-assessment's files the
raters of the same participant's later stages; deleting one's own file).
"""

import rules
from django.db.models import Q

from kaoping.campaigns.enums import StageKind
from kaoping.campaigns.models import Assignment
from kaoping.campaigns.permissions.base import organizes_campaign, rates_sheet


@rules.predicate
def is_self_assessment(user, sheet):
    return sheet is not None and sheet.assignment.stage.kind == StageKind.SELF_ASSESSMENT


@rules.predicate
def uploaded_evidence(user, evidence):
    return evidence is not None and evidence.uploaded_by_id == user.pk


@rules.predicate
def rates_evidence_sheet(user, evidence):
    return evidence is not None and rates_sheet(user, evidence.sheet)


@rules.predicate
def scores_later_stage_of(user, evidence):
    """Self-assessment evidence is seen by who rates (or leads a panel rating) the same
    participant in a later stage: they score with it, read only."""
    if evidence is None or not getattr(user, "is_authenticated", False):
        return False
    assignment = evidence.sheet.assignment
    if assignment.stage.kind != StageKind.SELF_ASSESSMENT:
        return False
    return Assignment.objects.filter(
        Q(rater=user) | Q(panel__leader=user),
        participant_id=assignment.participant_id,
        stage__campaign_id=assignment.stage.campaign_id,
        stage__position__gt=assignment.stage.position,
    ).exists()


@rules.predicate
def views_evidence_sheet(user, evidence):
    return evidence is not None and user.has_perm("campaigns.view_sheet", evidence.sheet)


rules.add_perm("campaigns.write_custom_items", rates_sheet & is_self_assessment)
rules.add_perm("campaigns.view_evidence", views_evidence_sheet | scores_later_stage_of)
rules.add_perm("campaigns.write_common_items", organizes_campaign)
rules.add_perm("campaigns.delete_evidence", uploaded_evidence & rates_evidence_sheet)
