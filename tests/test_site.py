"""Site-wide guards on the demo data: every page each demo persona reaches renders, in both
languages, with exactly one <h1> and no server error."""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from kaoping.accounts.models import User
from kaoping.campaigns.models import Assignment, Campaign, Participant, Stage
from kaoping.core.demo.campaigns import load_demo_campaigns
from kaoping.core.demo.loader import load_demo
from kaoping.orgs.models import Organization

H1 = re.compile(rb"<h1[\s>]")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            load_demo_campaigns()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def county_campaign():
    return Campaign.objects.get(name__contains="X县")


def pages_for(username):
    user = User.objects.get(username=username)
    pages = [
        reverse("home"),
        reverse("orgs:tree"),
        reverse("campaigns:list"),
        reverse("campaigns:worklist"),
        reverse("campaigns:my_results"),
        reverse("rectification:index"),
        reverse("duties:index"),
        reverse("reports:index"),
    ]
    campaign = county_campaign()
    if username == "demo-county":
        village = Organization.objects.get(name="东关村党支部")
        participant = Participant.objects.get(campaign=campaign, organization=village)
        stage = Stage.objects.filter(campaign=campaign).order_by("position").last()
        pages += [
            reverse("orgs:detail", args=[village.pk]),
            reverse("orgs:edit", args=[village.pk]),
            reverse("orgs:move", args=[village.pk]),
            reverse("orgs:create_child", args=[village.parent_id]),
            reverse("orgs:roster_import_into", args=[village.parent_id]),
            reverse("campaigns:create"),
            reverse("campaigns:detail", args=[campaign.pk]),
            reverse("campaigns:stage_edit", args=[stage.pk]),
            reverse("campaigns:assign", args=[stage.pk]),
            reverse("campaigns:results", args=[campaign.pk]),
            reverse("campaigns:result_detail", args=[campaign.pk, participant.pk]),
            reverse("campaigns:common_items", args=[campaign.pk]),
            reverse("campaigns:selection", args=[campaign.pk]),
            reverse("campaigns:awards", args=[campaign.pk]),
            reverse("campaigns:benchmarks", args=[campaign.pk]),
            reverse("reports:dashboard", args=[campaign.pk]),
            reverse("reports:documents", args=[campaign.pk]),
            reverse("reports:bulletin", args=[campaign.pk]),
            reverse("reports:three_year"),
            reverse("reports:org_trend", args=[village.pk]),
            reverse("rectification:campaign", args=[campaign.pk]),
        ]
    if username in ("demo-rater", "demo-village"):
        assignment = Assignment.objects.filter(rater=user, stage__campaign=campaign).first()
        pages.append(reverse("campaigns:sheet", args=[assignment.pk]))
    if username == "demo-village":
        participant = Participant.objects.get(campaign=campaign, organization__name="东关村党支部")
        pages.append(reverse("campaigns:result_detail", args=[campaign.pk, participant.pk]))
    return user, pages


PERSONAS = [
    "demo-province",
    "demo-county",
    "demo-steel",
    "demo-rater",
    "demo-village",
    "demo-branch",
    "demo-viewer",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("username", PERSONAS)
def test_every_page_renders_with_one_heading(demo, client, username, language):
    user, pages = pages_for(username)
    client.force_login(user)
    client.cookies["django_language"] = language
    for url in pages:
        with translation.override(language):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert len(H1.findall(response.content)) == 1, url
        assert response["Content-Language"] == language, url


def test_login_page_is_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "zh-hans"
    assert "登录".encode() in response.content
