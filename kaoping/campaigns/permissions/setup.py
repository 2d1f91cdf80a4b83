"""Setting campaigns up: who may change settings, stages, panels and assignments, and states.

All of them are the campaign's organizers (an organizer role covering its scope); what may
change in which state is the domain's business (`kaoping.campaigns.domain.setup`).
"""

import rules

from kaoping.campaigns.permissions.base import organizes_campaign

rules.add_perm("campaigns.change_stages", organizes_campaign)
rules.add_perm("campaigns.assign", organizes_campaign)
rules.add_perm("campaigns.change_state", organizes_campaign)
