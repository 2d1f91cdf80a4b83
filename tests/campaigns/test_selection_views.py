"""Selection pages: allocation, draws, grades and awards, benchmarks — through the client."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.campaigns.domain import allocation as alloc
from kaoping.campaigns.domain import sampling
from kaoping.campaigns.models import (
    Assignment,
    Award,
    BenchmarkRound,
    CrossAllocation,
    Draw,
    Nomination,
    Objection,
    Panel,
    Result,
)

pytest_plugins = ["tests.campaigns.selection_fixtures"]

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def proposal(cross_stage, team, alice):
    return alloc.propose_allocation(
        stage=cross_stage, group_count=3, balance="kind", same_parent=False, raters=team,
        by=alice, seed=42,
    )  # fmt: skip


@pytest.fixture
def draw(campaign, team, alice, towns):
    return sampling.make_draw(
        campaign=campaign, title="2026年抽查", share=Decimal("0.2"), pool=team, by=alice,
        seed=99, stratify=True,
    )  # fmt: skip


@pytest.fixture
def panels(stages, raters):
    return [
        Panel.objects.create(stage=stages["review"], name=f"第{n}组", leader=raters[n])
        for n in range(3)
    ]


def _results(campaign):
    for n, p in enumerate(campaign.participants.order_by("organization__path")):
        Result.objects.create(campaign=campaign, participant=p, total=Decimal(90 - n), grade="五星")


def _urls(campaign, cross_stage, proposal, draw):
    return [
        reverse("campaigns:selection", args=[campaign.pk]),
        reverse("campaigns:allocation_new", args=[cross_stage.pk]),
        reverse("campaigns:allocation", args=[proposal.pk]),
        reverse("campaigns:allocation_verify", args=[proposal.pk]),
        reverse("campaigns:draw_new", args=[campaign.pk]),
        reverse("campaigns:draw", args=[draw.pk]),
        reverse("campaigns:draw_verify", args=[draw.pk]),
        reverse("campaigns:draw_xlsx", args=[draw.pk]),
        reverse("campaigns:awards", args=[campaign.pk]),
        reverse("campaigns:benchmarks", args=[campaign.pk]),
    ]


def test_every_page_renders_for_the_organizer(client, alice, campaign, cross_stage, proposal,
                                              draw):  # fmt: skip
    login(client, alice)
    for url in _urls(campaign, cross_stage, proposal, draw):
        assert client.get(url).status_code == 200, url
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:selection", args=[campaign.pk]) in detail


def test_others_get_404_and_anonymous_goes_to_login(client, bob, charlie, raters, panels,
                                                    campaign, cross_stage, proposal, draw):  # fmt: skip
    urls = _urls(campaign, cross_stage, proposal, draw)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for user in (bob, charlie):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(reverse("campaigns:allocation_apply", args=[proposal.pk])).status_code
            == 404
        )
    login(client, raters[0])  # a panel leader: benchmarks only
    for url in urls[:-1]:
        assert client.get(url).status_code == 404, url
    assert client.get(urls[-1]).status_code == 200
    assert not Assignment.objects.filter(source="cross").exists()


def test_allocation_propose_move_verify_apply(client, alice, campaign, cross_stage, team):
    login(client, alice)
    url = reverse("campaigns:allocation_new", args=[cross_stage.pk])
    page = client.get(url).content.decode()
    assert 'name="seed"' in page and team[0].display_name in page
    response = client.post(url, {"group_count": 1, "balance": "kind", "seed": 42,
                                 "raters": [u.pk for u in team]})  # fmt: skip
    assert response.status_code == 400 and "greater than or equal to 2" in response.content.decode()
    response = client.post(url, {"group_count": 3, "balance": "kind", "seed": 42,
                                 "raters": [u.pk for u in team]})  # fmt: skip
    proposal = CrossAllocation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:allocation", args=[proposal.pk]
    )
    assert proposal.seed == 42 and proposal.created_by == alice
    page = client.get(response["Location"]).content.decode()
    assert "Group 3" in page and "Proposal" in page and team[0].display_name in page
    verify = reverse("campaigns:allocation_verify", args=[proposal.pk])
    assert "Identical" in client.get(verify, headers={"HX-Request": "true"}).content.decode()

    move = reverse("campaigns:allocation_move", args=[proposal.pk])
    unit = proposal.groups[0][0]
    refused = client.post(move, {"participant": unit, "group": 1})
    assert refused.status_code == 400
    assert "第 1 组不能评本组的" in refused.content.decode()
    proposal.refresh_from_db()
    assert not proposal.moved
    moved = False
    for group_units in proposal.groups:
        for unit in group_units:
            own = next(i for i, g in enumerate(proposal.groups) if unit in g)
            for target in range(3):
                if target in (own, proposal.reviewer[str(unit)]):
                    continue
                response = client.post(move, {"participant": unit, "group": target + 1})
                if response.status_code == 302:
                    moved = (unit, target)
                    break
                assert "须回避" in response.content.decode()
            if moved:
                break
        if moved:
            break
    assert moved
    proposal.refresh_from_db()
    assert proposal.moved and proposal.reviewer[str(moved[0])] == moved[1]
    page = client.get(verify).content.decode()
    assert "Different" in page and "changed by hand" in page

    response = client.post(reverse("campaigns:allocation_apply", args=[proposal.pk]), follow=True)
    assert "Allocation applied" in response.content.decode()
    assert set(
        Assignment.objects.filter(stage=cross_stage, source="cross").values_list(
            "participant_id", flat=True
        )
    ) == set(proposal.units)
    proposal.refresh_from_db()
    assert proposal.applied_by == alice and proposal.applied_at
    again = client.post(reverse("campaigns:allocation_apply", args=[proposal.pk]), follow=True)
    assert "already been applied" in again.content.decode()


def test_unplaced_units_are_shown_and_block_apply(client, alice, cross_stage, team):
    proposal = alloc.propose_allocation(
        # Both raters live under 镇0, so with "not the same parent" nobody may review 镇0's
        # villages, whatever the groups (primary keys, hence groups, differ between databases).
        stage=cross_stage, group_count=2, balance="kind", same_parent=True, raters=team[:2],
        by=alice, seed=42,
    )  # fmt: skip
    login(client, alice)
    page = client.get(reverse("campaigns:allocation", args=[proposal.pk])).content.decode()
    assert "No group may review" in page and "sel-unplaced" in page
    response = client.post(reverse("campaigns:allocation_apply", args=[proposal.pk]), follow=True)
    assert "no reviewing group yet" in response.content.decode()
    assert not Assignment.objects.filter(source="cross").exists()


def test_draw_verify_xlsx_apply(client, alice, campaign, team, towns, check_stage, stages):
    login(client, alice)
    url = reverse("campaigns:draw_new", args=[campaign.pk])
    base = {"title": "2026年抽查", "per_unit": 2, "seed": 99, "pool": [u.pk for u in team]}
    response = client.post(url, {**base, "share": "20", "count": "3"})
    assert response.status_code == 400 and "either a share or a number" in response.content.decode()
    response = client.post(url, {**base, "share": "20", "stratify": "on"})
    draw = Draw.objects.get()
    assert response.status_code == 302 and draw.share == Decimal("0.2") and draw.seed == 99
    assert len(draw.drawn) == 4  # rounded up per parent, as in the domain test
    page = client.get(response["Location"]).content.decode()
    assert "4 organizations drawn" in page and "20 % (rounded up)" in page
    verify = client.get(reverse("campaigns:draw_verify", args=[draw.pk]),
                        headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    assert "Identical" in verify
    xlsx = client.get(reverse("campaigns:draw_xlsx", args=[draw.pk]))
    assert "spreadsheetml" in xlsx["Content-Type"]
    sheet = load_workbook(io.BytesIO(xlsx.content))["抽取结果"]
    assert sheet["B3"].value == "99"
    names = [row[1] for row in sheet.iter_rows(min_row=12, values_only=True)]
    assert names == [r["organization"] for r in sampling.draw_rows(draw)]

    apply = reverse("campaigns:draw_apply", args=[draw.pk])
    wrong = client.post(apply, {"stage": stages["review"].pk})
    assert wrong.status_code == 400 and not Assignment.objects.filter(source="sample").exists()
    response = client.post(apply, {"stage": check_stage.pk}, follow=True)
    assert "Draw applied" in response.content.decode()
    made = Assignment.objects.filter(stage=check_stage, source="sample")
    assert made.count() == sum(len(v) for v in draw.inspectors.values())
    draw.refresh_from_db()
    assert draw.applied_by == alice and draw.stage == check_stage


def test_grades_by_share_and_award_quota(client, alice, campaign, towns):
    _results(campaign)
    login(client, alice)
    url = reverse("campaigns:awards", args=[campaign.pk])
    page = client.get(url, {"top": "20", "bottom": "10", "cap_grade": "五星", "cap": "30"})
    body = page.content.decode()
    assert body.count("<td>先进</td>") == 2 and body.count("<td>后进</td>") == 1
    assert body.count("beyond the cap") == 14 - 4
    bad = client.get(url, {"top": "80", "bottom": "30"}).content.decode()
    assert "more than 100" in bad

    assert client.post(url, {"name": "先进党支部", "quota": "3"}).status_code == 302
    award = Award.objects.get()
    rows = sorted(Result.objects.filter(campaign=campaign).select_related("participant"),
                  key=lambda r: -r.total)  # fmt: skip
    adjust = reverse("campaigns:award_adjust", args=[award.pk])
    outsider, first = rows[5].participant, rows[0].participant
    refused = client.post(adjust, {"participant": outsider.pk, "included": "1", "reason": "复核"})
    assert refused.status_code == 400 and "quota of 3" in refused.content.decode()
    no_reason = client.post(adjust, {"participant": first.pk, "included": "0", "reason": ""})
    assert no_reason.status_code == 400 and "Reason" in no_reason.content.decode()
    assert client.post(adjust, {"participant": first.pk, "included": "0",
                                "reason": "整改未完成"}).status_code == 302  # fmt: skip
    assert client.post(adjust, {"participant": outsider.pk, "included": "1",
                                "reason": "复核"}).status_code == 302  # fmt: skip
    page = client.get(url).content.decode()
    assert "3 of a quota of 3" in page and "整改未完成" in page
    refused = client.post(adjust, {"participant": first.pk, "included": "1", "reason": "再议"})
    assert refused.status_code == 400 and "quota of 3" in refused.content.decode()


def test_benchmark_steps_through_the_pages(client, alice, campaign, panels, raters):
    url = reverse("campaigns:benchmarks", args=[campaign.pk])
    participants = list(campaign.participants.order_by("organization__path"))
    login(client, raters[0])
    other = client.post(url, {"action": "nominate", "panel": panels[1].pk,
                              "participant": participants[0].pk, "reason": "好"})  # fmt: skip
    assert other.status_code == 400 and not Nomination.objects.exists()
    assert client.post(url, {"action": "nominate", "panel": panels[0].pk,
                             "participant": participants[0].pk,
                             "reason": "工作法可复制"}).status_code == 302  # fmt: skip
    assert client.post(url, {"action": "review", "nomination": 1}).status_code == 404
    login(client, raters[1])
    client.post(url, {"action": "nominate", "panel": panels[1].pk,
                      "participant": participants[1].pk, "reason": "阵地规范"})  # fmt: skip
    page = client.get(url).content.decode()
    assert "阵地规范" in page and "工作法可复制" not in page  # leaders see their own panels
    first, second = Nomination.objects.order_by("pk")

    login(client, alice)
    today = datetime.date.today()
    starts, ends = today - datetime.timedelta(days=10), today - datetime.timedelta(days=1)
    notice = {"action": "notice", "starts_on": starts, "ends_on": ends}
    refused = client.post(url, notice)
    assert refused.status_code == 400 and "between 2 and 3" in refused.content.decode()
    for n in (first, second):
        response = client.post(url, {"action": "review", "nomination": n.pk, "selected": "on",
                                     "note": "复核属实"})  # fmt: skip
        assert response.status_code == 302
    assert client.post(url, notice).status_code == 302
    late = client.post(url, {"action": "objection", "nomination": first.pk, "text": "台账不全",
                             "received_on": today})  # fmt: skip
    assert late.status_code == 400 and "notice period only" in late.content.decode()
    assert client.post(url, {"action": "objection", "nomination": first.pk, "text": "台账不全",
                             "received_on": starts}).status_code == 302  # fmt: skip
    refused = client.post(url, {"action": "confirm"})
    assert refused.status_code == 400 and "Answer every objection" in refused.content.decode()
    objection = Objection.objects.get()
    assert client.post(url, {"action": "answer", "objection": objection.pk,
                             "answer": "已核实补齐"}).status_code == 302  # fmt: skip
    assert client.post(url, {"action": "confirm"}).status_code == 302
    round_ = BenchmarkRound.objects.get()
    assert round_.state == "confirmed" and round_.confirmed_by == alice
    page = client.get(url).content.decode()
    assert "Confirmed by Alice" in page and "已核实补齐" in page and "Reviewed by Alice" in page


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_no_n_plus_one(client, alice, campaign, cross_stage, team, towns):
    login(client, alice)
    index = reverse("campaigns:selection", args=[campaign.pk])

    def propose(k):
        return alloc.propose_allocation(stage=cross_stage, group_count=k, balance="none",
                                        same_parent=False, raters=team, by=alice, seed=k)  # fmt: skip

    def make(count):
        return sampling.make_draw(campaign=campaign, title=f"d{count}", count=count, pool=team,
                                  by=alice, seed=count)  # fmt: skip

    small_alloc, small_draw = propose(2), make(1)
    Award.objects.create(campaign=campaign, name="a", quota=1, created_by=alice)
    one = _count(client, index)
    counts = [_count(client, reverse("campaigns:allocation", args=[small_alloc.pk])),
              _count(client, reverse("campaigns:draw", args=[small_draw.pk]))]  # fmt: skip
    big_alloc, big_draw = propose(4), make(3)
    propose(3), make(2)
    Award.objects.create(campaign=campaign, name="b", quota=2, created_by=alice)
    Award.objects.create(campaign=campaign, name="c", quota=3, created_by=alice)
    assert _count(client, index) == one
    assert _count(client, reverse("campaigns:allocation", args=[big_alloc.pk])) == counts[0]
    assert _count(client, reverse("campaigns:draw", args=[big_draw.pk])) == counts[1]
