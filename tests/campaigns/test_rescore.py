"""A full recompute from raw entries after a rubric correction (domain/rescore.py, `rescore`).

The expected numbers come from the document's rule (seed 001, the village sheet: 得分 = 分值 −
扣分, never below 0; total = the sum of the items, 100 in all) and the stage's trimmed mean (3
raters, trim 1: the middle one), worked out by hand below, not by the code under test.
"""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.province import generate
from kaoping.audit import actions
from kaoping.audit.models import AuditEvent
from kaoping.campaigns.domain import rescore as rescore_module
from kaoping.campaigns.domain.rescore import RescoreError, rescore_campaign
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.domain.rubrics import store_bundled, store_rubric_text
from kaoping.campaigns.models import (
    CampaignRubric,
    CustomItem,
    Entry,
    Participant,
    Result,
    ScoreSheet,
    StoredRubric,
)
from kaoping.cli import main as kaoping_main
from kaoping.rubrics import BUNDLED_DIR
from tests.campaigns.results_fixtures import submit

pytestmark = pytest.mark.django_db

# Deductions per sheet: village_a by raters 1–3, then village_a2 by raters 1–3.
DEDUCTIONS = [
    {"1.1": "2.5"},  # 97.5; corrected: 1.1 = max(2 − 2.5, 0) = 0, 1.5 = 3 → 98
    {"1.5": "2"},  # 98; corrected: 1.1 = 2, 1.5 = 3 − 2 = 1 → 98
    {"1.1": "3"},  # 97; corrected: 1.1 = 0 (was 0 already), 1.5 = 3 → 98
    {"1.5": "0.5"},  # 99.5; corrected: 1.1 = 2, 1.5 = 2.5 → 99.5
    {"1.1": "0.3"},  # 99.7; corrected: 1.1 = 1.7, 1.5 = 3 → 99.7
    {},  # 100 either way
]


def _item_max(text: str, code: str, old, new) -> str:
    pattern = rf'(- code: "{re.escape(code)}"\n(?:.*\n)*?\s+max: ){old}\n'
    changed, count = re.subn(pattern, rf"\g<1>{new}\n", text, count=1)
    assert count == 1
    return changed


def corrected(source: str, *, step: str | None = None) -> str:
    """The village rubric with item 1.1's max lowered 3 → 2 and 1.5's raised 2 → 3 (section 一
    still 25 points), version 2; optionally another step."""
    text = _item_max(_item_max(source, "1.1", 3, 2), "1.5", 2, 3)
    text = re.sub(r"^version: \d+$", "version: 2", text, count=1, flags=re.M)
    if step:
        text = re.sub(r"^step: .*$", f"step: {step}", text, count=1, flags=re.M)
    return text


@pytest.fixture
def scored(campaign, review_assignments):
    """Six submitted sheets (DEDUCTIONS in order), the campaign closed, results computed."""
    sheets = [submit(a, d) for a, d in zip(review_assignments, DEDUCTIONS, strict=True)]
    campaign.state = "closed"
    campaign.save()
    recompute_results(campaign=campaign)
    return sheets


@pytest.fixture
def fixed_rubric(village_rubric):
    return store_rubric_text(corrected(village_rubric.source), source="corrected.yaml")


def totals(sheets):
    return [ScoreSheet.objects.get(pk=s.pk).total for s in sheets]


def result_totals(campaign):
    return {
        r.participant.organization.name: r.total
        for r in Result.objects.filter(campaign=campaign).select_related(
            "participant__organization"
        )
    }


def entry_score(sheet, code):
    return Entry.objects.get(sheet=sheet, item_code=code).score


def _columns(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields
            if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))]  # fmt: skip


def snapshot(campaign):
    """Every stored column of the campaign's sheets, entries and results but the times they
    were written."""
    names = _columns(ScoreSheet)

    def plain(value):
        return bytes(value) if isinstance(value, memoryview) else value

    sheets = {
        s["id"]: {k: plain(v) for k, v in s.items()}
        for s in ScoreSheet.objects.filter(assignment__stage__campaign=campaign).values(*names)
    }
    entries = sorted(
        Entry.objects.filter(sheet__assignment__stage__campaign=campaign).values_list(
            "sheet_id", "item_code", "value", "score", "updated_at"
        )
    )
    result_fields = [name for name in _columns(Result) if name != "id"]
    results = sorted(
        Result.objects.filter(campaign=campaign).values_list(*result_fields),
        key=lambda row: row[result_fields.index("participant")],
    )
    rubrics = sorted(Participant.objects.filter(campaign=campaign).values_list("pk", "rubric"))
    choices = sorted(CampaignRubric.objects.filter(campaign=campaign).values_list("pk", "rubric"))
    return sheets, entries, results, rubrics, choices


def rescore_events():
    return list(AuditEvent.objects.filter(action=actions.RESCORE).order_by("sequence"))


def test_a_corrected_rubric_changes_exactly_the_expected_totals(
    campaign, scored, fixed_rubric, village_rubric, alice, tree
):
    assert totals(scored) == [Decimal(v) for v in ("97.5", "98", "97", "99.5", "99.7", "100")]
    assert result_totals(campaign) == {
        "白沙村党支部": Decimal("97.5"),
        "黄店村党支部": Decimal("99.7"),
    }

    done = rescore_campaign(campaign=campaign, by=alice, rubric=fixed_rubric)

    assert totals(scored) == [Decimal(v) for v in ("98", "98", "98", "99.5", "99.7", "100")]
    # Trimmed mean of three (trim 1) is the middle sheet: 98 for 白沙村, 99.7 for 黄店村.
    assert result_totals(campaign) == {
        "白沙村党支部": Decimal("98"),
        "黄店村党支部": Decimal("99.7"),
    }
    first = scored[0]
    assert entry_score(first, "1.1") == Decimal("0") and entry_score(first, "1.5") == Decimal(3)
    assert entry_score(scored[4], "1.1") == Decimal("1.7")
    assert entry_score(scored[2], "1.1") == Decimal("0")  # floored before and after
    assert entry_score(first, "2.1") == Decimal(4)  # untouched item
    sheet = ScoreSheet.objects.get(pk=first.pk)
    assert [(x["item"], x["points"]) for x in sheet.lost_points] == [("1.1", "2")]
    assert done.sheets == 6 and done.entries == 6 * 37
    # 1.1 changes on every sheet but the one floored at 0 both times; 1.5 on every sheet.
    assert (done.totals_changed, done.entry_scores_changed, done.entries_created) == (2, 11, 0)
    assert done.participants_switched == 2
    assert set(Participant.objects.filter(campaign=campaign).values_list("rubric", flat=True)) == {
        fixed_rubric.pk
    }
    assert CampaignRubric.objects.get(campaign=campaign).rubric == fixed_rubric
    (event,) = rescore_events()
    assert event.user == alice and event.target_id == str(campaign.pk)
    assert event.detail["sheets"] == 6 and event.detail["totals_changed"] == 2
    assert event.detail["entry_scores_changed"] == 11
    assert event.detail["participants_switched"] == 2 and event.detail["results"] == 2
    assert [r["pk"] for r in event.detail["old_rubrics"]] == [village_rubric.pk]
    assert event.detail["new_rubric"]["pk"] == fixed_rubric.pk
    assert event.detail["new_rubric"]["version"] == 2


def test_the_same_rubric_stores_identical_fields(campaign, scored, alice):
    before = snapshot(campaign)
    done = rescore_campaign(campaign=campaign, by=alice)
    assert snapshot(campaign) == before
    assert (done.sheets, done.totals_changed, done.entry_scores_changed) == (6, 0, 0)
    (event,) = rescore_events()
    assert event.detail["old_rubrics"] == [] and event.detail["new_rubric"] is None


def test_chunks_give_the_same_result(campaign, scored, fixed_rubric, alice, monkeypatch):
    monkeypatch.setattr(rescore_module, "CHUNK", 4)
    done = rescore_campaign(campaign=campaign, by=alice, rubric=fixed_rubric)
    assert done.sheets == 6
    assert totals(scored) == [Decimal(v) for v in ("98", "98", "98", "99.5", "99.7", "100")]


def test_an_item_the_correction_adds_gets_its_row(campaign, scored, village_rubric, alice):
    # A new optional item 1.10 (1 point) and 1.1 lowered to 2: section 一 still 25 points.
    text = _item_max(village_rubric.source, "1.1", 3, 2).replace(
        '      - code: "1.2"\n',
        '      - code: "1.10"\n        text: 新增\n        max: 1\n'
        "        rule: {kind: deduction}\n"
        '      - code: "1.2"\n',
        1,
    )
    fixed = store_rubric_text(text, source="added.yaml")
    done = rescore_campaign(campaign=campaign, by=alice, rubric=fixed)
    assert done.entries_created == 6
    row = Entry.objects.get(sheet=scored[0], item_code="1.10")
    assert (row.value, row.score, row.updated_by) == ({}, Decimal(1), alice)
    # 1.1 = max(2 − 2.5, 0) = 0 and 1.10 = 1: 100 − 2 = 98.
    assert totals(scored)[0] == Decimal(98)


def test_a_bad_entry_refuses_everything_and_names_the_sheet(
    campaign, scored, village_rubric, alice, monkeypatch
):
    # Step 0.5: the deduction of 0.3 on 黄店村's second sheet is off the step.
    fixed = store_rubric_text(corrected(village_rubric.source, step="0.5"), source="step.yaml")
    monkeypatch.setattr(rescore_module, "CHUNK", 1)  # earlier sheets written before the refusal
    before = snapshot(campaign)
    with pytest.raises(RescoreError) as refused:
        rescore_campaign(campaign=campaign, by=alice, rubric=fixed)
    message = refused.value.message
    assert "黄店村党支部" in message and "评分人2" in message and "1.1" in message
    assert refused.value.sheet_id == scored[4].pk
    assert [p["code"] for p in refused.value.problems] == ["1.1"]
    assert snapshot(campaign) == before
    assert rescore_events() == []


def test_an_archived_campaign_is_refused(campaign, scored, fixed_rubric, alice):
    campaign.state = "archived"
    campaign.save()
    before = snapshot(campaign)
    with pytest.raises(RescoreError, match="archived"):
        rescore_campaign(campaign=campaign, by=alice, rubric=fixed_rubric)
    assert snapshot(campaign) == before


def test_after_publication_only_the_working_results_change(campaign, scored, fixed_rubric,
                                                           alice):  # fmt: skip
    """The published results stand until a republication publishes the rescored ones."""
    from kaoping.campaigns.domain.publication import publish, republish
    from kaoping.campaigns.models import PublishedResult

    publish(campaign=campaign, by=alice)
    published = sorted(PublishedResult.objects.values_list("participant_id", "total"))
    rescore_campaign(campaign=campaign, by=alice, rubric=fixed_rubric)
    assert sorted(PublishedResult.objects.values_list("participant_id", "total")) == published
    working = sorted(Result.objects.filter(campaign=campaign).values_list("participant", "total"))
    assert working != published
    republish(campaign=campaign, by=alice, note="第1.1项分值更正")
    latest = PublishedResult.objects.filter(publication__number=2)
    assert sorted(latest.values_list("participant_id", "total")) == working


@pytest.mark.parametrize("state", ["draft", "open"])
def test_a_campaign_still_scoring_is_refused(campaign, scored, fixed_rubric, alice, state):
    campaign.state = state
    campaign.save()
    before = snapshot(campaign)
    with pytest.raises(RescoreError, match="Close"):
        rescore_campaign(campaign=campaign, by=alice, rubric=fixed_rubric)
    assert snapshot(campaign) == before


def test_another_rubric_id_is_refused(campaign, scored, alice):
    other = store_bundled("seed001-two-new-organizations")
    before = snapshot(campaign)
    with pytest.raises(RescoreError) as refused:
        rescore_campaign(campaign=campaign, by=alice, rubric=other)
    assert "seed001-two-new-organizations" in refused.value.message
    assert "seed001-village-community" in refused.value.message
    assert snapshot(campaign) == before


CUSTOM_RUBRIC = """
id: test-rescore-custom
title: 个性指标测试
issuer: 测试
year: 2026
version: 1
applies_to: [village]
full_marks: 20
sections:
  - code: "1"
    title: 共性
    points: 10
    items:
      - {code: "1.1", text: 学习, max: 10, rule: {kind: scale}}
  - code: "2"
    title: 个性
    points: 10
    items:
      - code: I
        text: 个性指标
        max: 10
        rule: {kind: custom_slots, slots: 2, points_each: 5, written_by: organization,
               rule: {kind: scale}}
"""


def test_custom_items_reach_the_core(campaign, review_assignments, alice, branch_user):
    stored = store_rubric_text(CUSTOM_RUBRIC)
    Participant.objects.filter(campaign=campaign).update(rubric=stored)
    slots = [("I-1", "产业党建"), ("I-2", "网格治理")]
    for participant in Participant.objects.filter(campaign=campaign):
        for code, text in slots:
            CustomItem.objects.create(participant=participant, item_code="I", slot_code=code,
                                      text=text, written_by=branch_user)  # fmt: skip
    custom = {"I": [{"code": code, "text": text} for code, text in slots]}
    entries = {"1.1": {"score": "8"},
               "I": {"slots": {"I-1": {"score": "4.5"}, "I-2": {"score": "5"}}}}  # fmt: skip
    sheets = []
    for assignment in review_assignments:
        assignment.refresh_from_db()
        sheets.append(submit(assignment, entries=entries, custom=custom))
    campaign.state = "closed"
    campaign.save()
    recompute_results(campaign=campaign)
    before = snapshot(campaign)
    done = rescore_campaign(campaign=campaign, by=alice)  # EntryError if the slots were missing
    assert snapshot(campaign) == before
    assert done.sheets == 6
    assert totals(sheets) == [Decimal("17.5")] * 6  # 8 + 4.5 + 5


def test_a_generated_province_rescores_to_the_same_rows(alice, monkeypatch):
    """Hundreds of sheets over several chunks: what the bulk load stored is what a rescore
    stores."""
    province = generate(orgs=300, raters=3, seed=11, patterns=200)
    campaign = province.campaign
    recompute_results(campaign=campaign)
    monkeypatch.setattr(rescore_module, "CHUNK", 100)
    before = snapshot(campaign)
    done = rescore_campaign(campaign=campaign, by=alice)
    assert done.sheets == province.sheets and done.entries == province.entries
    assert snapshot(campaign) == before


# The command


def test_the_command_rescores_with_a_corrected_file(campaign, scored, village_rubric, alice,
                                                    tmp_path):  # fmt: skip
    path = tmp_path / "fixed.yaml"
    path.write_text(corrected(village_rubric.source), encoding="utf-8")
    out = StringIO()
    call_command("rescore", "--campaign", str(campaign.pk), "--rubric", str(path), "--by", "alice",
                 stdout=out)  # fmt: skip
    printed = out.getvalue()
    assert "Rescored 6 sheets (222 entries)" in printed
    assert "2 totals changed, 11 item scores changed" in printed
    assert "2 participants moved" in printed and "2 results recomputed" in printed
    assert totals(scored)[0] == Decimal(98)
    assert StoredRubric.objects.filter(version=2, rubric_id="seed001-village-community").exists()


def test_the_command_without_a_file_keeps_the_rubric(campaign, scored, alice):
    out = StringIO()
    call_command("rescore", "--campaign", str(campaign.pk), "--by", "alice", stdout=out)
    assert "0 totals changed" in out.getvalue()


def _refused(*argv) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("rescore", *argv, stdout=StringIO())
    assert refused.value.returncode == 1
    return str(refused.value)


def test_the_command_refuses_clearly(campaign, scored, alice, tmp_path):
    pk = str(campaign.pk)
    assert "no campaign with id 999999" in _refused("--campaign", "999999", "--by", "alice")
    assert "no active user named nobody" in _refused("--campaign", pk, "--by", "nobody")
    missing = tmp_path / "missing.yaml"
    assert "Cannot read the rubric file" in _refused(
        "--campaign", pk, "--rubric", str(missing), "--by", "alice"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: 坏\n", encoding="utf-8")
    assert "is not valid" in _refused("--campaign", pk, "--rubric", str(broken), "--by", "alice")
    other = tmp_path / "other.yaml"
    other.write_text(
        (BUNDLED_DIR / "seed001-two-new-organizations.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert "must keep the id" in _refused("--campaign", pk, "--rubric", str(other), "--by", "alice")
    # Refused: the corrected file's StoredRubric is not kept either (same transaction).
    assert not StoredRubric.objects.filter(rubric_id="seed001-two-new-organizations").exists()
    campaign.state = "archived"
    campaign.save()
    assert "archived" in _refused("--campaign", pk, "--by", "alice")


def test_the_kaoping_command_exits_1_with_the_message(campaign, scored, capsys, monkeypatch):
    # Django is set up already; setting it up again would bind the logging handlers to this
    # test's captured stderr, closed once it ends, and break every later test that logs.
    monkeypatch.setattr("django.setup", lambda *args, **kwargs: None)
    with pytest.raises(SystemExit) as exited:
        kaoping_main(["rescore", "--campaign", "999999", "--by", "alice"])
    assert exited.value.code == 1
    assert "999999" in capsys.readouterr().err


def test_the_command_says_a_republication_publishes_the_rescore(campaign, scored, alice):
    from kaoping.campaigns.domain.publication import publish

    publish(campaign=campaign, by=alice)
    out = StringIO()
    call_command("rescore", "--campaign", str(campaign.pk), "--by", "alice", stdout=out)
    assert "The published results are unchanged: republish" in out.getvalue()
