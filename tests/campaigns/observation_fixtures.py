"""Helpers for the observation tests: an open campaign with an observation stage around the real
today (sheets are submitted "today"), a panel of the three raters led by rater_1, and a batch.

Campaign (tests/campaigns/conftest.py): city_a ── county_a ── village_a, village_a2; the raters
belong to city_b, so the conflict rule lets them score every village.
"""

import datetime

import pytest
from django.utils import timezone

from kaoping.campaigns.domain.assignments import create_panel
from kaoping.campaigns.domain.observation import plan_batch
from kaoping.campaigns.domain.sheets import open_sheet, save_entry, submit_sheet
from kaoping.campaigns.models import Assignment, Participant, Stage
from tests.factories import OrganizationFactory


def today():
    return timezone.localdate()


@pytest.fixture
def obs_stage(campaign):
    campaign.state = "open"
    campaign.save(update_fields=["state"])
    day = today()
    return Stage.objects.create(
        campaign=campaign, kind="observation", name="现场观摩", position=3,
        starts_on=day - datetime.timedelta(days=10), ends_on=day + datetime.timedelta(days=10),
        method="mean", weight=1,
    )  # fmt: skip


@pytest.fixture
def obs_panel(obs_stage, raters):
    return create_panel(stage=obs_stage, name="第一观摩组", leader=raters[0], members=raters[1:])


def add_village(campaign, tree, name):
    org = OrganizationFactory(name=name, kind="village", parent=tree["county_a"])
    rubric = campaign.participants.first().rubric
    return Participant.objects.create(campaign=campaign, organization=org, rubric=rubric)


def participants_of(campaign):
    return list(campaign.participants.select_related("organization").order_by("pk"))


def make_batch(stage, panel, participants, by, *, mode="township", name="第一批"):
    return plan_batch(
        stage=stage, panel=panel, name=name, mode=mode, starts_on=today(), ends_on=today(),
        participants=participants, by=by,
    )  # fmt: skip


def submit(assignment, deductions=(), *, by=None):
    """Submit the assignment's village sheet with `deductions`: [(item code, amount)]."""
    by = by or assignment.rater
    sheet = open_sheet(assignment=assignment)
    version = sheet.version
    for code, amount in deductions:
        result = save_entry(
            sheet=sheet, item_code=code, by=by, version=version,
            value={"deductions": [{"amount": str(amount), "reason": "观摩发现问题"}]},
        )  # fmt: skip
        version = result.version
    submit_sheet(sheet=sheet, by=by)
    return sheet


def assignment_of(stage, participant, rater):
    return Assignment.objects.get(stage=stage, participant=participant, rater=rater)
