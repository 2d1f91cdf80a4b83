import pytest

from kaoping.duties.domain.cycle import DutyError, open_cycle
from kaoping.duties.domain.templates import holder_level, templates
from kaoping.rubrics import load_duty_lists


@pytest.mark.parametrize(
    ("kind", "parent", "level"),
    [
        ("party_committee", "working_committee", "department_secretary"),
        ("working_committee", None, "department_secretary"),
        ("organ_committee", "party_committee", "organ_secretary"),
        ("general_branch", "party_committee", "organ_secretary"),
        ("general_branch", "organ_committee", "branch_secretary"),
        ("branch", "organ_committee", "branch_secretary"),
        ("branch", "general_branch", "branch_secretary"),
        ("branch", "party_committee", "organ_secretary"),
        ("branch", "village", None),
        ("village", "party_committee", None),
        ("private_enterprise", "party_committee", None),
    ],
)
def test_holder_level_by_kind_and_parent(kind, parent, level):
    assert holder_level(kind, parent) == level


def test_templates_are_the_three_bundled_lists():
    by_level = templates()
    assert [t.number for t in by_level.values()] == [1, 2, 3]
    assert by_level["branch_secretary"].title == "机关党委（总支）下属党支部书记责任清单"
    assert all(t.custom_min_count == 2 for t in by_level.values())


def test_open_cycle_creates_lists_for_holders_below_the_root(cycle, organs):
    held = {dl.organization.name: dl.level for dl in cycle.lists.select_related("organization")}
    assert held == {
        "市财政局党组": "department_secretary",
        "市财政局机关党委": "organ_secretary",
        "第一党支部": "branch_secretary",
        "第二党支部": "branch_secretary",
    }
    assert cycle.deadline.isoformat() == "2026-03-31"


def test_open_cycle_copies_the_common_duties_verbatim(branch_list):
    template = next(t for t in load_duty_lists() if t.level == "branch_secretary")
    copied = [item for category in branch_list.common for item in category["items"]]
    assert [(i["number"], i["text"]) for i in copied] == [
        (i.number, i.text) for i in template.items
    ]
    assert [c["category"] for c in branch_list.common] == ["制定计划", "推进落实", "打实基础"]


def test_open_cycle_twice_for_a_year_is_refused(cycle, organs, alice):
    with pytest.raises(DutyError, match="already has responsibility lists for 2026"):
        open_cycle(scope=organs["root"], year=2026, by=alice)
