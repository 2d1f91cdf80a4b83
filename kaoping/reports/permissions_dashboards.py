"""Who sees dashboards and multi-year reports. Objects: Campaign, Organization.

A campaign's dashboard is seen by whoever sees its results (`campaigns.view_results`: working
results for organizers and panel leaders, the published ones for those whose roles cover a
participant); progress and the late list only by who sees the working results. Trends and the
three-year evaluation by whoever's roles cover the organization (or scope).
"""

import rules

from kaoping.accounts import scopes
from kaoping.campaigns.permissions.base import leads_a_panel_in, organizes_campaign
from kaoping.campaigns.permissions.results import covers_a_participant, is_published


@rules.predicate
def covers_organization(user, organization):
    return organization is not None and scopes.covers(user, organization)


rules.add_perm(
    "reports.view_dashboard",
    organizes_campaign | leads_a_panel_in | (is_published & covers_a_participant),
)
rules.add_perm("reports.view_progress", organizes_campaign | leads_a_panel_in)
rules.add_perm("reports.view_org_trend", covers_organization)
rules.add_perm("reports.view_three_year", covers_organization)
