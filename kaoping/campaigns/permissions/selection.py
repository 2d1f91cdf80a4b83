"""Selection (交叉互评, 双随机, awards, 标杆). Objects: Campaign, Panel.

The campaign's organizers manage everything; a panel leader nominates benchmarks for the panels
they lead. Everyone else gets 404 from the views.
"""

import rules

from kaoping.campaigns.permissions.base import leads_a_panel_in, organizes_campaign


@rules.predicate
def organizes_panel_campaign(user, panel):
    return panel is not None and organizes_campaign(user, panel.stage.campaign)


@rules.predicate
def leads_panel(user, panel):
    return panel is not None and user.is_authenticated and panel.leader_id == user.pk


rules.add_perm("campaigns.manage_selection", organizes_campaign)
rules.add_perm("campaigns.nominate_benchmark", organizes_campaign | leads_a_panel_in)
rules.add_perm("campaigns.nominate_for_panel", organizes_panel_campaign | leads_panel)
