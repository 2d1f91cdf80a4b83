"""The worklist: what is assigned, what is done, what is late; one query per list."""

import datetime

from django.urls import reverse

from kaoping.campaigns.domain.sheets import open_sheet, submit_sheet
from kaoping.campaigns.models import Assignment, Participant
from tests.campaigns.conftest import TODAY
from tests.campaigns.scoring_fixtures import *  # noqa: F403  (fixtures)
from tests.factories import OrganizationFactory

URL = reverse("campaigns:worklist")


def test_rater_sees_assignments_with_status(client, open_stages, review_assignments, raters):
    sheet = open_sheet(assignment=review_assignments[0])
    submit_sheet(sheet=sheet, by=raters[0], day=TODAY)
    client.force_login(raters[0])
    text = client.get(URL).content.decode()
    assert "白沙村党支部" in text and "黄店村党支部" in text
    assert "1 of 2 sheets submitted" in text
    assert reverse("campaigns:sheet", kwargs={"pk": review_assignments[0].pk}) in text


def test_late_flagged(client, open_stages, review_assignments, raters):
    Assignment.objects.filter(pk=review_assignments[0].pk).update(
        due_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    client.force_login(raters[0])
    assert "Late" in client.get(URL).content.decode()


def test_branch_user_sees_own_self_assessment(client, open_stages, branch_user, campaign, tree):
    participant = Participant.objects.get(campaign=campaign, organization=tree["village_a"])
    Assignment.objects.create(stage=open_stages["self"], participant=participant, rater=branch_user)
    client.force_login(branch_user)
    text = client.get(URL).content.decode()
    assert "自查自评" in text and "白沙村党支部" in text and "黄店村党支部" not in text


def test_draft_campaign_hidden_and_others_see_nothing(
    client, stages, review_assignments, raters, charlie
):
    client.force_login(raters[0])
    assert "白沙村党支部" not in client.get(URL).content.decode()  # the campaign is a draft
    client.force_login(charlie)
    assert client.get(URL).status_code == 200


def test_worklist_queries_do_not_grow(client, django_assert_max_num_queries, open_stages, campaign,
                                      raters, village_rubric, tree):  # fmt: skip
    def assign(n):
        org = OrganizationFactory(name=f"测试村{n}", kind="village", parent=tree["county_a"])
        participant = Participant.objects.create(
            campaign=campaign, organization=org, rubric=village_rubric
        )
        open_sheet(assignment=Assignment.objects.create(stage=open_stages["review"],
                                                       participant=participant, rater=raters[2]))  # fmt: skip

    client.force_login(raters[2])
    assign(1)
    with django_assert_max_num_queries(5):
        client.get(URL)
    assign(2)
    assign(3)
    with django_assert_max_num_queries(5):
        client.get(URL)
