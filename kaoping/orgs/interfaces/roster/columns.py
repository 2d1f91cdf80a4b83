"""The roster sheet's columns, after pretix's column protocol.

Each column knows its header text and how to `resolve` its raw cell from a row, `clean` it into a
Python value (raising `CellError`), `assign` it to the row's draft and `export` it back from an
organization. The importer saves drafts through the domain functions afterwards.

Headers and cell messages are the document's own Chinese: the sheet is an office document that
is filled, printed and passed on in Chinese whatever language the UI speaks, so they are plain
strings and not in the translation catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from kaoping.core.spreadsheet_safety import unescape_text
from kaoping.formats.zh_Hans.formats import DATE_INPUT_FORMATS
from kaoping.orgs.enums import OrgKind
from kaoping.orgs.models import Organization

# The kinds as the documents name them; the template's dropdown offers exactly these.
KIND_LABELS = {
    OrgKind.PARTY_COMMITTEE: "党委",
    OrgKind.WORKING_COMMITTEE: "党工委",
    OrgKind.GENERAL_BRANCH: "党总支",
    OrgKind.BRANCH: "党支部",
    OrgKind.ORGAN_COMMITTEE: "机关党委",
    OrgKind.VILLAGE: "村党组织",
    OrgKind.COMMUNITY: "社区党组织",
    OrgKind.PRIVATE_ENTERPRISE: "非公企业党组织",
    OrgKind.SOCIAL_ORGANIZATION: "社会组织党组织",
}
KINDS_BY_TEXT = {label: kind for kind, label in KIND_LABELS.items()} | {
    kind.value: kind for kind in OrgKind
}
YES, NO = "是", "否"
TRUE_TEXTS = {YES, "y", "yes", "true", "1", "√", "✓"}
FALSE_TEXTS = {NO, "n", "no", "false", "0", "×"}


class CellError(Exception):
    """A cell's value is wrong; the message is what follows "第n行『列名』"."""


@dataclass
class RowDraft:
    """One data row on its way to the database: cleaned values and references to resolve."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    code: int | None = None
    parent_code: int | None = None
    parent_name: str = ""
    org: Organization | None = None  # the existing organization a 编号 names
    parent: RowDraft | Organization | None = None  # resolved by the importer

    @property
    def name(self) -> str:
        return self.values.get("name") or (self.org.name if self.org else "")


def text_of(value: Any) -> str:
    """A cell as text: numbers without a trailing ".0" (phones typed as numbers), stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # The export quotes text that would read as a formula ('=…): read it back as written.
    return str(unescape_text(value)).strip()


class Column:
    header: str = ""
    aliases: tuple[str, ...] = ()
    field: str | None = None
    required: bool = False  # the header must be present and every row's cell filled
    width: int = 12

    def resolve(self, record: dict[str, Any]) -> Any:
        return record.get(self.header)

    def clean(self, value: Any) -> Any:
        return text_of(value)

    def assign(self, value: Any, draft: RowDraft) -> None:
        draft.values[self.field] = value

    def export(self, org: Organization, parent: Organization | None) -> Any:
        return getattr(org, self.field)


class TextColumn(Column):
    def __init__(self, header, field, *, aliases=(), required=False, width=12):
        self.header, self.field, self.aliases = header, field, aliases
        self.required, self.width = required, width

    def clean(self, value):
        text = text_of(value)
        if self.required and not text:
            raise CellError("不能为空")
        limit = Organization._meta.get_field(self.field).max_length
        if len(text) > limit:
            raise CellError(f"不能超过{limit}个字")
        return text


class KindColumn(Column):
    header, field, required, width = "组织类别", "kind", True, 16
    aliases = ("类别", "组织类型", "党组织类别")

    def clean(self, value):
        text = text_of(value)
        if not text:
            raise CellError("不能为空")
        if text not in KINDS_BY_TEXT:
            raise CellError(f"“{text}”不是有效的类别，可选：{'、'.join(KIND_LABELS.values())}")
        return KINDS_BY_TEXT[text]

    def export(self, org, parent):
        return KIND_LABELS.get(org.kind, org.kind)


class NumberColumn(Column):
    """A whole number ≥ 0; `blank` is what an empty cell means."""

    def __init__(self, header, field, *, aliases=(), blank=None, width=10):
        self.header, self.field, self.aliases = header, field, aliases
        self.blank, self.width = blank, width

    def clean(self, value):
        text = text_of(value)
        if not text:
            return self.blank
        if not re.fullmatch(r"\d+", text):
            raise CellError(f"“{text}”应为不小于0的整数")
        return int(text)


class DateColumn(Column):
    header, field, width = "成立日期", "founded_on", 14
    aliases = ("建立日期", "成立时间")

    def clean(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = text_of(value)
        if not text:
            return None
        for fmt in DATE_INPUT_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellError(f"“{text}”不是有效的日期，请写成2026-03-31或2026年3月31日")


class FlagColumn(Column):
    header, field, width = "软弱涣散", "is_weak", 10
    aliases = ("是否软弱涣散", "软弱涣散党组织")

    def clean(self, value):
        if isinstance(value, bool):
            return value
        text = text_of(value).lower()
        if not text or text in FALSE_TEXTS:
            return False
        if text in TRUE_TEXTS:
            return True
        raise CellError(f"“{text_of(value)}”应为“是”或“否”")

    def export(self, org, parent):
        return YES if org.is_weak else NO


class CodeColumn(Column):
    """The system's number for an organization: an exported row names what it updates."""

    header, width = "编号", 8
    aliases = ("组织编号", "系统编号")

    def clean(self, value):
        text = text_of(value)
        if not text:
            return None
        if not re.fullmatch(r"\d+", text):
            raise CellError(f"“{text}”应为导出时填写的数字编号")
        return int(text)

    def assign(self, value, draft):
        draft.code = value

    def export(self, org, parent):
        return org.pk


class ParentCodeColumn(CodeColumn):
    header, aliases, width = "上级编号", ("上级组织编号",), 10

    def assign(self, value, draft):
        draft.parent_code = value

    def export(self, org, parent):
        return parent.pk if parent else None


class ParentNameColumn(Column):
    header, width = "上级组织", 24
    aliases = ("上级党组织", "上级组织名称")

    def assign(self, value, draft):
        draft.parent_name = value

    def export(self, org, parent):
        return parent.name if parent else ""


NAME = TextColumn("组织名称", "name", aliases=("党组织名称", "名称"), required=True, width=28)

COLUMNS: tuple[Column, ...] = (
    CodeColumn(),
    NAME,
    TextColumn("简称", "short_name", aliases=("组织简称",), width=14),
    KindColumn(),
    ParentNameColumn(),
    ParentCodeColumn(),
    NumberColumn("排序", "position", aliases=("排序号", "序号"), blank=0, width=8),
    TextColumn("书记", "secretary", aliases=("党组织书记", "支部书记"), width=10),
    TextColumn("联系人", "contact", width=10),
    TextColumn("联系电话", "phone", aliases=("电话", "手机", "联系方式"), width=15),
    NumberColumn("党员人数", "member_count", aliases=("党员数",), width=10),
    DateColumn(),
    FlagColumn(),
)


def normalize_header(text: Any) -> str:
    """Header text as compared: no spaces, no required-field stars, half-width brackets."""
    text = text_of(text).replace("（", "(").replace("）", ")")
    return re.sub(r"[\s*＊]", "", text)


HEADER_LOOKUP = {
    normalize_header(name): column
    for column in COLUMNS
    for name in (column.header, *column.aliases)
}
