"""Who may produce report documents (bulletins, Excel, summaries): predicates and perms.

Objects: Campaign for the campaign documents, Assignment for the paper round trip."""

import rules

from kaoping.campaigns.permissions.base import organizes_campaign


@rules.predicate
def rates_assignment(user, assignment):
    return assignment is not None and assignment.rater_id == user.pk


@rules.predicate
def organizes_assignment_campaign(user, assignment):
    return assignment is not None and organizes_campaign(user, assignment.stage.campaign)


rules.add_perm("reports.view_documents", organizes_campaign)
rules.add_perm("reports.change_bulletin", organizes_campaign)
# Blank sheets: the rater, or an organizer printing them for raters who work on paper.
rules.add_perm("reports.download_paper", rates_assignment | organizes_assignment_campaign)
# Entries are the rater's own: only the rater imports them (recorded as imported by the rater).
rules.add_perm("reports.import_paper", rates_assignment)
