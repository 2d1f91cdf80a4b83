"""Helpers for the scoring tests (sheets, evidence, custom items, worklist).

`open_campaign` opens the shared campaign and widens its stage windows to include the real today,
so view tests (which save "today") pass on any date; domain tests pass `day=TODAY` explicitly.
"""

import datetime

import pytest

from kaoping.campaigns.domain.rubrics import store_rubric_text
from kaoping.campaigns.domain.sheets import open_sheet
from kaoping.campaigns.models import Assignment, Participant

ALL_KINDS_RUBRIC = """
id: test-all-kinds
title: 各类评分规则测试表
issuer: 测试
year: 2026
version: 1
applies_to: [village]
full_marks: 60
step: 0.5
bonus_cap: 5
sections:
  - code: A
    title: 基本项
    points: 40
    items:
      - {code: A1, text: 酌情打分, standard: 最高得4分, max: 4, rule: {kind: scale}}
      - {code: A2, text: 上党课, max: 2, rule: {kind: binary}}
      - code: A3
        text: 学习制度
        max: 3
        rule:
          kind: checklist
          criteria:
            - {code: a, text: 书记带头学习, points: 1}
            - {code: b, text: 干部学习, points: 1}
            - {code: c, text: 形成制度, points: 1}
            - {code: d, text: 成果发表, points: 1}
      - code: A4
        text: 分项
        max: 5
        rule:
          kind: parts
          parts:
            - {code: a, text: 积极参与, points: 2, rule: {kind: binary}}
            - {code: b, text: 有创新, points: 3, rule: {kind: scale}}
      - {code: A5, text: 扣分, max: 3, rule: {kind: deduction, unit: 0.5}}
      - code: A6
        text: 分类扣分
        max: 6
        rule:
          kind: graded_deduction
          categories:
            - {code: principal, label: 主要领导, unit: 1}
            - {code: member, label: 其他党员, unit: 0.5}
      - {code: A7, text: 每次, max: 2, rule: {kind: per_occurrence, unit: 1}}
      - code: A8
        text: 等次
        max: 10
        rule:
          kind: tiered
          levels:
            - {code: excellent, label: 优秀, points: 10}
            - {code: good, label: 良好, points: 8}
            - {code: other, label: 其他, points: 0}
      - code: A9
        text: 定性评价
        rule:
          kind: qualitative
          levels: [{code: good, label: 好}, {code: poor, label: 差}]
      - {code: A10, text: 可不适用, max: 5, not_applicable_allowed: true, rule: {kind: scale}}
  - code: B
    title: 个性指标
    points: 10
    items:
      - code: B1
        text: 个性指标
        max: 10
        rule:
          kind: custom_slots
          min_slots: 1
          max_slots: 2
          points_each: 5
          written_by: organization
          rule: {kind: scale}
  - code: C
    title: 调整项
    points: 0
    items:
      - {code: C1, text: 反向指标, rule: {kind: veto}}
      - {code: C2, text: 重扣分, rule: {kind: major_deduction, min: 5, max: 10}}
      - code: C3
        text: 加分
        rule:
          kind: bonus
          levels: [{code: central, label: 中央, points: 3}, {code: city, label: 市委, points: 1}]
          modifiers: [{code: halved, label: 会议交流, factor: 0.5}]
  - code: D
    title: 积分
    points: 10
    items:
      - code: D1
        text: 积分台账
        max: 10
        rule:
          kind: ledger
          base: 10
          events: [{code: award, label: 获表彰, points: 2}, {code: late, label: 逾期, points: -1}]
outcome:
  grades: [{label: 好, min: 30}, {label: 差}]
"""


def open_up(campaign, stages):
    """Open the campaign and make its stage windows include both TODAY and the real today."""
    campaign.state = "open"
    campaign.save(update_fields=["state"])
    real = datetime.date.today()
    for stage in stages.values():
        stage.starts_on = min(stage.starts_on, real)
        stage.ends_on = max(stage.ends_on, real)
        stage.save(update_fields=["starts_on", "ends_on"])
        stage.campaign = campaign


@pytest.fixture
def open_stages(campaign, stages):
    open_up(campaign, stages)
    return stages


@pytest.fixture
def review_sheet(open_stages, review_assignments, raters, tree):
    """rater_1's review sheet of village_a (the seed 001 village sheet)."""
    assignment = Assignment.objects.get(
        stage=open_stages["review"], rater=raters[0], participant__organization=tree["village_a"]
    )
    return open_sheet(assignment=assignment)


@pytest.fixture
def kinds_rubric(db):
    return store_rubric_text(ALL_KINDS_RUBRIC)


@pytest.fixture
def kinds_participant(campaign, tree, kinds_rubric):
    """village_a2 scored with the all-kinds rubric."""
    participant = Participant.objects.get(campaign=campaign, organization=tree["village_a2"])
    participant.rubric = kinds_rubric
    participant.save(update_fields=["rubric"])
    return participant


@pytest.fixture
def kinds_sheet(open_stages, kinds_participant, raters):
    assignment = Assignment.objects.create(
        stage=open_stages["review"], participant=kinds_participant, rater=raters[0]
    )
    return open_sheet(assignment=assignment)


@pytest.fixture
def self_sheet(open_stages, kinds_participant, branch_user, tree):
    """The branch user's self-assessment sheet (all-kinds rubric, which has 个性指标)."""
    branch_user.home_organization = tree["village_a2"]
    branch_user.save(update_fields=["home_organization"])
    assignment = Assignment.objects.create(
        stage=open_stages["self"], participant=kinds_participant, rater=branch_user,
        source=Assignment.Source.SELF,
    )  # fmt: skip
    return open_sheet(assignment=assignment)


# What `from tests.campaigns.scoring_fixtures import *` gives a test module: the fixtures.
__all__ = [
    "kinds_participant",
    "kinds_rubric",
    "kinds_sheet",
    "open_stages",
    "review_sheet",
    "self_sheet",
]
