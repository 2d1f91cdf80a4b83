import datetime as dt
import io

from openpyxl import load_workbook

from kaoping.orgs.domain.tree import update_organization
from kaoping.orgs.interfaces.roster.columns import COLUMNS, KIND_LABELS
from kaoping.orgs.interfaces.roster.importer import import_roster
from kaoping.orgs.interfaces.roster.writer import export_rows, render_workbook, template_rows
from kaoping.orgs.models import Organization
from tests.factories import OrganizationFactory


def snapshot(root):
    fields = ("pk", "name", "kind", "parent_id", "path", "secretary", "founded_on", "is_weak")
    return sorted(Organization.objects.within([root]).values_list(*fields))


def test_template_has_merged_title_header_dropdowns_and_examples():
    sheet = load_workbook(io.BytesIO(render_workbook(template_rows(), title="党组织名册"))).active
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:M1"]
    assert sheet["A1"].value == "党组织名册"
    assert [c.value for c in sheet[2]] == [c.header for c in COLUMNS]
    lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["D3:D2001"] == '"' + ",".join(KIND_LABELS.values()) + '"'
    assert lists["M3:M2001"] == '"是,否"'
    assert sheet["B3"].value == "城关镇党委"
    assert sheet["E4"].value == "城关镇党委"


def test_template_examples_import_cleanly(tree):
    content = render_workbook(template_rows(), title="党组织名册")
    result = import_roster(fileobj=io.BytesIO(content), into=tree["county_a"])
    assert (result.errors, result.created) == ([], 2)


def test_export_lists_subtree_below_target_in_tree_order(tree):
    update_organization(org=tree["village_a"], founded_on=dt.date(2026, 3, 31), is_weak=True)
    rows = export_rows(tree["city_a"])
    assert [row[:6] for row in rows] == [
        [tree["county_a"].pk, "中牟县委", "", "党委", "郑州市委", tree["city_a"].pk],
        [tree["village_a"].pk, "白沙村党支部", "", "村党组织", "中牟县委", tree["county_a"].pk],
    ]
    assert rows[1][-2:] == [dt.date(2026, 3, 31), "是"]


def test_export_reimports_to_the_same_tree(tree):
    OrganizationFactory(name="第一党支部", parent=tree["county_a"], secretary="甲")
    OrganizationFactory(name="第一党支部", parent=tree["village_a"], secretary="乙")
    update_organization(org=tree["village_a"], founded_on=dt.date(2020, 7, 1))
    before = snapshot(tree["city_a"])
    content = render_workbook(export_rows(tree["city_a"]), title="名册")
    result = import_roster(fileobj=io.BytesIO(content), into=tree["city_a"])
    assert (result.errors, result.created, result.updated) == ([], 0, 4)
    assert snapshot(tree["city_a"]) == before


def test_edited_export_moves_and_adds(tree):
    content = render_workbook(export_rows(tree["city_a"]), title="名册")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    sheet["E4"], sheet["F4"] = "郑州市委", None  # village_a now directly under city_a
    sheet.append([None, "新建党支部", None, "党支部", "白沙村党支部"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_roster(fileobj=io.BytesIO(buffer.getvalue()), into=tree["city_a"])
    assert (result.errors, result.created, result.updated) == ([], 1, 2)
    village = Organization.objects.get(pk=tree["village_a"].pk)
    assert village.parent_id == tree["city_a"].pk
    assert Organization.objects.get(name="新建党支部").parent_id == village.pk
