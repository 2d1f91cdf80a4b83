"""The three 三级书记责任清单 of seed 004, bundled as data; numbers and texts from the document."""

import pytest
import yaml

from kaoping.rubrics import DUTY_LISTS_DIR, DutyListError, load_duty_lists, parse_duty_list

# 项目 (categories) of 共性项目 and the numbers of their items, as printed.
EXPECTED = {
    "department_secretary": (
        "部门（单位）党委（党组、工委）书记责任清单",
        [
            ("统筹领导", [1, 2]),
            ("率先示范", [3, 4]),
            ("带好队伍", [5, 6, 7, 8]),
            ("支持保障", [9, 10]),
        ],
    ),
    "organ_secretary": (
        "机关党组织书记责任清单",
        [
            ("统筹谋划", [1, 2]),
            ("教育管理", [3, 4, 5, 6]),
            ("推进落实", [7, 8]),
            ("抓点带面", [9, 10]),
        ],
    ),
    "branch_secretary": (
        "机关党委（总支）下属党支部书记责任清单",
        [("制定计划", [1]), ("推进落实", [2, 3, 4, 5]), ("打实基础", [6, 7, 8, 9, 10])],
    ),
}


def test_three_lists_in_document_order():
    lists = load_duty_lists()

    assert [d.level for d in lists] == list(EXPECTED)
    assert [d.number for d in lists] == [1, 2, 3]
    assert {d.collection for d in lists} == {"2020年度“三级书记”抓机关党建工作责任清单"}
    assert {d.document for d in lists} == {"绍市委办综〔2020〕12号"}


@pytest.mark.parametrize("duty_list", load_duty_lists(), ids=lambda d: d.level)
def test_categories_items_and_notes(duty_list):
    title, categories = EXPECTED[duty_list.level]

    assert duty_list.title == title
    assert [(c.name, [i.number for i in c.items]) for c in duty_list.categories] == categories
    assert duty_list.columns == ("类别", "项目", "内容和标准")
    # "注：…个性项目不少于2个。3月底前…"
    assert duty_list.custom_min_count == 2
    assert "个性项目不少于2个。" in duty_list.notes
    assert duty_list.filing_deadline_month == 3
    assert duty_list.filing_text.startswith("3月底前")
    assert duty_list.signature[-1] == "本人签名"


def test_specific_texts():
    department, organ, branch = load_duty_lists()

    assert department.items[8].text == (
        "按要求及时配齐配强机关党组织书记、专（兼）职副书记、下属单位党组织书记，"
        "机关专职党务工作人员的配备占机关工作人员总数的2%。"
    )
    assert (
        department.notes[0]
        == "部门（单位）未设立党委（党组、工委）的，部门（单位）党员一把手履行责任清单。"
    )
    assert organ.items[9].text.startswith("每年至少1次为党组织或党建工作联系点上党课。")
    assert branch.items[9].text == "结合工作实际，配合机关党组织开展党建调研工作。"
    assert branch.filing_text == (
        "3月底前报本部门（单位）党委（总支），审核后由党委（总支）通过“智慧党建”管理服务平台报市直机关工委备案。"
    )


def test_a_broken_list_reports_every_problem():
    path = DUTY_LISTS_DIR / "shaoxing-2020-organ-secretary.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["common"][1]["items"][0]["number"] = 4  # 3 expected
    data["common"][2]["items"][1]["text"] = ""
    data["custom"]["min_count"] = 0
    data["level"] = "mayor"

    with pytest.raises(DutyListError) as caught:
        parse_duty_list(data, path)

    assert len(caught.value.problems) == 4
    assert any("expected item number 3" in p for p in caught.value.problems)


def test_the_id_must_equal_the_file_name():
    path = DUTY_LISTS_DIR / "shaoxing-2020-organ-secretary.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    with pytest.raises(DutyListError):
        parse_duty_list(data, DUTY_LISTS_DIR / "renamed.yaml")
