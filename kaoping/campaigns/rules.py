"""Campaign permissions (django-rules). Predicates live in `permissions/`; names are here."""

import rules

from kaoping.accounts.rules import is_organizer
from kaoping.campaigns.permissions import (  # noqa: F401  (their perms)
    observation,
    results,
    scoring,
    selection,
    setup,
)
from kaoping.campaigns.permissions.base import (
    assigned_in,
    covers_participant,
    leads_a_panel_in,
    leads_sheet_panel,
    organizes_campaign,
    organizes_sheet_campaign,
    rates_sheet,
)

rules.add_perm("campaigns.add_campaign", is_organizer)
rules.add_perm("campaigns.change_campaign", organizes_campaign)
rules.add_perm("campaigns.view_campaign", organizes_campaign | leads_a_panel_in | assigned_in)
rules.add_perm("campaigns.edit_sheet", rates_sheet)
rules.add_perm("campaigns.view_sheet", rates_sheet | leads_sheet_panel | organizes_sheet_campaign)
rules.add_perm("campaigns.return_sheet", leads_sheet_panel | organizes_sheet_campaign)
rules.add_perm("campaigns.view_working_results", organizes_campaign | leads_a_panel_in)
rules.add_perm("campaigns.publish", organizes_campaign)
rules.add_perm("campaigns.view_published_result", covers_participant)
