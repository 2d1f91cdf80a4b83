"""三员分立: the system administrator keeps the whole organization tree and sees nothing scored."""

import pytest
from django.urls import reverse

from kaoping.orgs.models import Organization
from tests.campaigns.setup_fixtures import make_campaign


@pytest.fixture
def sysadmin_client(client, sysadmin, tree):
    client.force_login(sysadmin)
    return client


def test_tree_shows_every_root(sysadmin_client, tree):
    page = sysadmin_client.get(reverse("orgs:tree")).content.decode()
    assert tree["province"].name in page


def test_edits_any_organization(sysadmin_client, tree):
    url = reverse("orgs:edit", args=[tree["village_b"].pk])
    form = {"name": "朱仙镇村党总支", "kind": "village", "position": "1"}
    assert sysadmin_client.post(url, form).status_code == 302
    assert Organization.objects.get(pk=tree["village_b"].pk).name == "朱仙镇村党总支"


def test_moves_across_scopes(sysadmin_client, tree):
    url = reverse("orgs:move", args=[tree["village_b"].pk])
    assert sysadmin_client.post(url, {"parent": tree["county_a"].pk}).status_code == 302
    moved = Organization.objects.get(pk=tree["village_b"].pk)
    assert moved.parent_id == tree["county_a"].pk
    assert moved.path.startswith(tree["county_a"].path)


def test_the_root_cannot_be_moved(sysadmin_client, tree):
    url = reverse("orgs:move", args=[tree["province"].pk])
    assert sysadmin_client.get(url).status_code == 403


def test_no_campaigns_reports_or_audit(sysadmin_client, alice, tree):
    campaign = make_campaign(alice, tree["city_a"])
    listing = sysadmin_client.get(reverse("campaigns:list")).content.decode()
    assert campaign.name not in listing
    detail = sysadmin_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert detail.status_code == 404
    assert campaign.name not in sysadmin_client.get(reverse("reports:index")).content.decode()
    assert sysadmin_client.get(reverse("audit:index")).status_code == 403


def test_organizer_still_kept_to_their_scope(client, alice, tree):
    client.force_login(alice)
    assert client.get(reverse("orgs:detail", args=[tree["village_b"].pk])).status_code == 404
