"""Scoring permissions beyond the sheet perms in rules.py (edit_sheet, view_sheet, return_sheet).

Objects: ScoreSheet (custom items written through the self-assessment sheet), Campaign (common
slots' wording), Evidence (deleting one's own file).
"""

import rules

from kaoping.campaigns.enums import StageKind
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


rules.add_perm("campaigns.write_custom_items", rates_sheet & is_self_assessment)
rules.add_perm("campaigns.write_common_items", organizes_campaign)
rules.add_perm("campaigns.delete_evidence", uploaded_evidence & rates_evidence_sheet)
