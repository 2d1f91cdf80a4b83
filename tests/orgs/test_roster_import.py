import datetime as dt
import io
import zipfile

import pytest

from kaoping.orgs.interfaces.roster.importer import import_roster
from kaoping.orgs.interfaces.roster.reader import RosterFileError
from kaoping.orgs.models import Organization
from tests.factories import OrganizationFactory
from tests.orgs.workbooks import HEADERS, xlsx_bytes

GOOD_ROWS = [
    {"组织名称": "城关镇党委", "组织类别": "党委", "排序": 1, "书记": "张三", "党员人数": 320},
    {
        "组织名称": "城关镇白沙村党支部",
        "简称": "白沙村",
        "组织类别": "村党组织",
        "上级组织": "城关镇党委",
        "党员人数": 36,
        "成立日期": "1998年7月1日",
        "软弱涣散": "是",
    },
    {
        "组织名称": "城关镇东街社区党支部",
        "组织类别": "社区党组织",
        "上级组织": "城关镇党委",
        "成立日期": dt.datetime(2001, 3, 31),
    },
]


def run(content, into):
    return import_roster(fileobj=io.BytesIO(content), into=into)


def test_import_creates_rows_under_target_and_named_parents(tree):
    result = run(xlsx_bytes(GOOD_ROWS), tree["county_a"])
    assert (result.errors, result.created, result.updated) == ([], 3, 0)
    town = Organization.objects.get(name="城关镇党委")
    assert town.parent_id == tree["county_a"].pk
    village = Organization.objects.get(name="城关镇白沙村党支部")
    assert (village.parent_id, village.kind, village.short_name) == (town.pk, "village", "白沙村")
    assert (village.founded_on, village.is_weak, village.member_count) == (
        dt.date(1998, 7, 1),
        True,
        36,
    )
    assert village.path == f"{town.path}{village.pk}/"
    assert village.name_initials == "cgzbscdzb"
    community = Organization.objects.get(name="城关镇东街社区党支部")
    assert community.founded_on == dt.date(2001, 3, 31)


def test_import_accepts_iso_dates_and_numbers_as_text(tree):
    rows = [
        {"组织名称": "新支部", "组织类别": "党支部", "成立日期": "2026-03-31", "党员人数": "12"}
    ]
    assert run(xlsx_bytes(rows), tree["county_a"]).errors == []
    org = Organization.objects.get(name="新支部")
    assert (org.founded_on, org.member_count) == (dt.date(2026, 3, 31), 12)


def test_import_reads_shuffled_headers_without_title_row(tree):
    headers = list(reversed(HEADERS))
    result = run(xlsx_bytes(GOOD_ROWS, headers, title=None), tree["county_a"])
    assert (result.errors, result.created) == ([], 3)
    assert Organization.objects.get(name="城关镇白沙村党支部").parent.name == "城关镇党委"


def test_import_parent_may_be_existing_org_in_scope(tree):
    rows = [{"组织名称": "白沙村第一党小组", "组织类别": "党支部", "上级组织": "白沙村党支部"}]
    assert run(xlsx_bytes(rows), tree["city_a"]).errors == []
    assert Organization.objects.get(name="白沙村第一党小组").parent_id == tree["village_a"].pk


def test_bad_row_writes_nothing_and_names_row_and_column(tree):
    rows = [*GOOD_ROWS, {"组织名称": "孤儿支部", "组织类别": "党支部", "上级组织": "不存在的党委"}]
    before = Organization.objects.count()
    result = run(xlsx_bytes(rows), tree["county_a"])
    assert result.errors == ["第6行『上级组织』不存在"]
    assert (result.created, Organization.objects.count()) == (0, before)


def test_every_bad_cell_is_listed_in_row_order(tree):
    rows = [
        {"组织名称": "", "组织类别": "党支部"},
        {
            "组织名称": "甲",
            "组织类别": "乡镇",
            "党员人数": "-3",
            "成立日期": "去年",
            "软弱涣散": "也许",
        },
    ]
    result = run(xlsx_bytes(rows), tree["county_a"])
    assert result.errors == [
        "第3行『组织名称』不能为空",
        "第4行『组织类别』“乡镇”不是有效的类别，可选：党委、党工委、党总支、党支部、机关党委、村党组织、社区党组织、非公企业党组织、社会组织党组织",
        "第4行『党员人数』“-3”应为不小于0的整数",
        "第4行『成立日期』“去年”不是有效的日期，请写成2026-03-31或2026年3月31日",
        "第4行『软弱涣散』“也许”应为“是”或“否”",
    ]


def test_parent_outside_target_is_not_found(tree):
    rows = [{"组织名称": "越界支部", "组织类别": "党支部", "上级组织": "开封市委"}]
    assert run(xlsx_bytes(rows), tree["city_a"]).errors == ["第3行『上级组织』不存在"]


def test_ambiguous_parent_name_is_reported(tree):
    OrganizationFactory(name="第一党支部", parent=tree["county_a"])
    OrganizationFactory(name="第一党支部", parent=tree["village_a"])
    rows = [{"组织名称": "党小组", "组织类别": "党支部", "上级组织": "第一党支部"}]
    assert run(xlsx_bytes(rows), tree["city_a"]).errors == [
        "第3行『上级组织』“第一党支部”有2个同名组织，请填写『上级编号』加以区分"
    ]


def test_second_import_of_same_file_is_refused(tree):
    content = xlsx_bytes(GOOD_ROWS[:1])
    assert run(content, tree["county_a"]).created == 1
    result = run(content, tree["county_a"])
    assert result.errors == [
        "第3行『组织名称』“城关镇党委”在上级组织下已存在；如要修改它，请填写『编号』"
    ]
    assert Organization.objects.filter(name="城关镇党委").count() == 1


def test_duplicate_rows_in_file_are_refused(tree):
    rows = [GOOD_ROWS[0], GOOD_ROWS[0]]
    assert run(xlsx_bytes(rows), tree["county_a"]).errors == [
        "第4行『组织名称』与第3行重复（同一上级组织下同名）"
    ]


def test_code_updates_and_moves_existing_org(tree):
    headers = ["编号", "组织名称", "组织类别", "上级编号", "书记"]
    village = tree["village_a"]
    rows = [[village.pk, "白沙村党总支", "党总支", tree["city_a"].pk, "赵六"]]
    result = run(xlsx_bytes(rows, headers), tree["city_a"])
    assert (result.errors, result.created, result.updated) == ([], 0, 1)
    village.refresh_from_db()
    assert (village.name, village.kind, village.secretary) == (
        "白沙村党总支",
        "general_branch",
        "赵六",
    )
    assert village.path == f"{tree['city_a'].path}{village.pk}/"


def test_code_outside_target_is_refused(tree):
    headers = ["编号", "组织名称", "组织类别"]
    rows = [[tree["village_b"].pk, "改名", "党支部"], [tree["city_a"].pk, "改名", "党委"]]
    result = run(xlsx_bytes(rows, headers), tree["city_a"])
    assert result.errors == [
        "第3行『编号』不存在或不在本次导入的范围内",
        "第4行『编号』不存在或不在本次导入的范围内",
    ]


def test_move_under_own_descendant_is_refused(tree):
    headers = ["编号", "组织名称", "组织类别", "上级组织"]
    rows = [[tree["county_a"].pk, "中牟县委", "党委", "白沙村党支部"]]
    result = run(xlsx_bytes(rows, headers), tree["city_a"])
    assert result.errors == ["第3行『上级组织』不能是本组织或其下级组织"]
    assert Organization.objects.get(pk=tree["county_a"].pk).parent_id == tree["city_a"].pk


def test_parent_name_and_code_must_agree(tree):
    headers = ["组织名称", "组织类别", "上级组织", "上级编号"]
    rows = [["新支部", "党支部", "白沙村党支部", tree["county_a"].pk]]
    result = run(xlsx_bytes(rows, headers), tree["city_a"])
    assert result.errors == ["第3行『上级组织』与『上级编号』不是同一个组织"]


def test_missing_required_header_is_reported(tree):
    result = run(xlsx_bytes([["甲"]], ["组织名称"]), tree["city_a"])
    assert result.errors == ["表头缺少『组织类别』列"]


def test_sheet_without_rows_is_reported(tree):
    assert run(xlsx_bytes([]), tree["city_a"]).errors == ["表中没有可导入的数据行"]


def zip_with_broken_parts():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><unclosed")
        archive.writestr("xl/workbook.xml", "not xml at all")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content", [b"", b"name,kind\n", b"PK\x03\x04 not really a zip", zip_with_broken_parts()]
)
def test_unreadable_file_raises_file_error(tree, content):
    with pytest.raises(RosterFileError):
        run(content, tree["city_a"])
