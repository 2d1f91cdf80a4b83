"""Which of the three bundled lists (seed 004) an organization holds.

The seed names the holders by office: 1. 部门（单位）党委（党组、工委）书记, 2. 机关党组织书记,
3. 机关党委（总支）下属党支部书记. The tree knows kinds and parents, so the rule reads both
(docs/duties.md has the table and the reasons):

| kind | parent's kind | list |
| --- | --- | --- |
| party_committee, working_committee | any | 1 department |
| organ_committee | any | 2 organ |
| general_branch | organ_committee | 3 branch (a 总支 below a 机关党委 is one of its 下属 organizations) |
| general_branch | anything else | 2 organ (the department's 机关总支 is its organ Party organization) |
| branch | organ_committee, general_branch | 3 branch |
| branch | party_committee, working_committee | 2 organ (a department's only 机关支部) |
| anything else (villages, communities, "两新") | — | none: the seed is about 机关党建 |

The scope's root is never a holder: it is the organization the lists are filed with.
"""

from __future__ import annotations

from functools import cache

from kaoping.duties.enums import DutyLevel
from kaoping.orgs.enums import OrgKind
from kaoping.rubrics import DutyList as DutyTemplate
from kaoping.rubrics import load_duty_lists

COMMITTEES = {OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE}
ORGAN_PARENTS = {OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH}


def holder_level(kind: str, parent_kind: str | None) -> str | None:
    """The level of list an organization of `kind` under a parent of `parent_kind` holds."""
    if kind in COMMITTEES:
        return DutyLevel.DEPARTMENT
    if kind == OrgKind.ORGAN_COMMITTEE:
        return DutyLevel.ORGAN
    if kind == OrgKind.GENERAL_BRANCH:
        return DutyLevel.BRANCH if parent_kind == OrgKind.ORGAN_COMMITTEE else DutyLevel.ORGAN
    if kind == OrgKind.BRANCH:
        if parent_kind in ORGAN_PARENTS:
            return DutyLevel.BRANCH
        if parent_kind in COMMITTEES:
            return DutyLevel.ORGAN
    return None


@cache
def templates() -> dict[str, DutyTemplate]:
    """The bundled lists by level (loaded and validated once per process)."""
    return {template.level: template for template in load_duty_lists()}


def template_by_id(template_id: str) -> DutyTemplate:
    for template in templates().values():
        if template.id == template_id:
            return template
    raise KeyError(template_id)


def common_snapshot(template: DutyTemplate) -> list[dict]:
    """The template's common duties as stored on a list: categories with numbered items."""
    return [
        {"category": category.name,
         "items": [{"number": item.number, "text": item.text} for item in category.items]}
        for category in template.categories
    ]  # fmt: skip
