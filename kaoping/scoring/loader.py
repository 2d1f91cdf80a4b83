"""Load and validate rubric files: every problem is collected, then raised as one RubricError."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kaoping.scoring.errors import Problems, RubricError
from kaoping.scoring.model import ORG_KINDS, Group, Item, ItemBonus, Rubric, Section
from kaoping.scoring.numbers import ZERO, NumberError, is_multiple, parse_decimal
from kaoping.scoring.outcome import parse_outcome
from kaoping.scoring.rules.base import Effect, ParseContext, fmt
from kaoping.scoring.rules.registry import parse_rule

__all__ = ["load_rubric", "parse_rubric"]

_TOP_KEYS = {
    "id", "title", "issuer", "year", "version", "source", "applies_to", "full_marks", "step",
    "bonus_cap", "falsification_factor", "rounding", "sections", "outcome", "description",
}  # fmt: skip
_SECTION_KEYS = {"code", "title", "points", "weight", "groups", "items", "description"}
_ITEM_KEYS = {
    "code", "group", "text", "standard", "max", "step", "rule", "applies_to",
    "not_applicable_allowed", "item_bonus", "note",
}  # fmt: skip
_RUBRIC = "rubric"


class _DecimalLoader(yaml.SafeLoader):
    """A YAML loader that reads `0.1` as Decimal("0.1") from its text, never as a float."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def load_rubric(path: str | Path) -> Rubric:
    """Read a rubric YAML file and validate it; raise RubricError with every problem."""
    path = Path(path)
    return parse_rubric_text(path.read_text(encoding="utf-8"), source=str(path))


def parse_rubric_text(text: str, *, source: str = "") -> Rubric:
    """Validate a rubric given as YAML text (a file's content, or one stored in a database)."""
    try:
        data = yaml.load(text, Loader=_DecimalLoader)
    except yaml.YAMLError as err:
        problems = Problems()
        problems.add(_RUBRIC, "yaml", f"YAML 格式错误：{err}")
        raise RubricError(problems.items, source=source) from None
    return parse_rubric(data, source=source)


def parse_rubric(data: Any, *, source: str = "") -> Rubric:
    """Validate a rubric mapping (as read from YAML or JSON) and build the frozen Rubric."""
    problems = Problems()
    if not isinstance(data, Mapping):
        problems.add(_RUBRIC, "not_mapping", "标准文件须为映射（YAML 字典）")
        raise RubricError(problems.items, source=source)
    parser = _Parser(problems)
    rubric = parser.rubric(data)
    if problems:
        raise RubricError(problems.items, source=source)
    return rubric


class _Parser:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.codes: set[str] = set()

    def add(self, code: str, kind: str, message: str) -> None:
        self.problems.add(code, kind, message)

    def number(self, code: str, raw: Any, what: str, *, default: Decimal | None = None):
        if raw is None:
            if default is None:
                self.add(code, "missing_key", f"缺少{what}")
            return default
        try:
            return parse_decimal(raw)
        except NumberError as err:
            self.add(code, err.code, f"{what}：{err.message}")
            return default

    def unknown_keys(self, code: str, raw: Mapping, allowed: set[str]) -> None:
        for key in raw:
            if key not in allowed:
                self.add(code, "unknown_key", f"含未知字段“{key}”")

    def claim(self, code: str) -> None:
        if code in self.codes:
            self.add(code, "duplicate_code", f"代码“{code}”重复")
        self.codes.add(code)

    def kinds(self, code: str, raw: Any) -> frozenset[str] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or not raw:
            self.add(code, "bad_kinds", "applies_to 须为组织类型代码的非空列表")
            return frozenset()
        for kind in raw:
            if kind not in ORG_KINDS:
                self.add(code, "unknown_org_kind", f"未知的组织类型“{kind}”")
        return frozenset(map(str, raw))

    def rubric(self, data: Mapping) -> Rubric:
        self.unknown_keys(_RUBRIC, data, _TOP_KEYS)
        for key in ("id", "title", "issuer", "year", "version"):
            if data.get(key) in (None, ""):
                self.add(_RUBRIC, "missing_key", f"缺少“{key}”")
        step = self.number(_RUBRIC, data.get("step"), "步长", default=Decimal("0.1"))
        if step <= 0:
            self.add(_RUBRIC, "bad_step", "步长须大于0")
            step = Decimal("0.1")
        full_marks = self.number(_RUBRIC, data.get("full_marks"), "满分 full_marks", default=ZERO)
        applies_to = self.kinds(_RUBRIC, data.get("applies_to"))
        if applies_to is None:
            self.add(_RUBRIC, "missing_key", "缺少适用组织类型 applies_to")
        sections = self.sections(data.get("sections"), step, applies_to)
        self.check_full_marks(sections, full_marks)
        bonus_cap = None
        if data.get("bonus_cap") is not None:
            bonus_cap = self.number(_RUBRIC, data["bonus_cap"], "加分上限 bonus_cap")
        factor = self.number(
            _RUBRIC, data.get("falsification_factor"), "倒扣倍数", default=Decimal(2)
        )
        rounding = data.get("rounding", 2)
        if rounding is not None and (not isinstance(rounding, int) or not 0 <= rounding <= 6):
            self.add(_RUBRIC, "bad_rounding", "rounding 须为0到6的整数（保留小数位数）或 null")
            rounding = 2
        outcome = parse_outcome(
            data.get("outcome") or {}, sections=sections, problems=self.problems
        )
        return Rubric(
            id=str(data.get("id", "")), title=str(data.get("title", "")),
            issuer=str(data.get("issuer", "")), year=_int(data.get("year")),
            version=_int(data.get("version")), applies_to=applies_to or frozenset(),
            full_marks=full_marks, sections=sections, outcome=outcome, step=step,
            bonus_cap=bonus_cap, falsification_factor=factor, rounding=rounding,
            source=str(data.get("source", "")),
        )  # fmt: skip

    def sections(self, raw: Any, step: Decimal, kinds: frozenset[str] | None):
        if not isinstance(raw, list) or not raw:
            self.add(_RUBRIC, "missing_key", "缺少部分列表 sections")
            return ()
        return tuple(self.section(s, step, kinds) for s in raw if self.is_mapping(s, "section"))

    def is_mapping(self, raw: Any, what: str) -> bool:
        if isinstance(raw, Mapping) and raw.get("code") not in (None, ""):
            return True
        self.add(_RUBRIC, "bad_list", f"每个 {what} 须为带 code 的映射")
        return False

    def section(self, raw: Mapping, step: Decimal, kinds: frozenset[str] | None) -> Section:
        code = str(raw["code"])
        self.claim(code)
        self.unknown_keys(code, raw, _SECTION_KEYS)
        points = self.number(code, raw.get("points"), "部分分值 points", default=ZERO)
        weight = None
        if raw.get("weight") is not None:
            weight = self.number(code, raw["weight"], "权重 weight", default=ZERO)
            if not ZERO < weight <= 1:
                self.add(code, "bad_weight", "权重须大于0且不超过1")
        groups = tuple(
            self.group(g) for g in raw.get("groups") or () if self.is_mapping(g, "group")
        )
        items = tuple(
            self.item(i, code, step, kinds) for i in raw.get("items") or ()
            if self.is_mapping(i, "item")
        )  # fmt: skip
        if not items:
            self.add(code, "empty_section", "该部分没有考核内容")
        section = Section(
            code=code,
            title=str(raw.get("title", "")),
            points=points,
            items=items,
            groups=groups,
            weight=weight,
        )
        self.check_section_sums(section)
        return section

    def group(self, raw: Mapping) -> Group:
        code = str(raw["code"])
        self.claim(code)
        self.unknown_keys(code, raw, {"code", "title", "points"})
        points = self.number(code, raw.get("points"), "分组分值 points", default=ZERO)
        return Group(code=code, title=str(raw.get("title", "")), points=points)

    def item(self, raw: Mapping, section: str, step: Decimal, kinds) -> Item:
        code = str(raw["code"])
        self.claim(code)
        self.unknown_keys(code, raw, _ITEM_KEYS)
        if raw.get("step") is not None:
            step = self.number(code, raw["step"], "步长 step", default=step)
            if step <= 0:
                self.add(code, "bad_step", "步长须大于0")
                step = Decimal("0.1")
        declared = self.number(code, raw.get("max"), "满分 max", default=None) \
            if raw.get("max") is not None else None  # fmt: skip
        ctx = ParseContext(code=code, problems=self.problems, max_points=declared, step=step)
        rule = parse_rule(raw.get("rule"), ctx)
        max_points = self.item_max(code, rule, declared, step)
        applies_to = self.kinds(code, raw.get("applies_to"))
        if applies_to and kinds is not None and not applies_to <= kinds:
            self.add(code, "kind_outside_rubric", "该项适用的组织类型超出本标准的适用范围")
        na_allowed = raw.get("not_applicable_allowed", False)
        if not isinstance(na_allowed, bool):
            self.add(code, "not_boolean", "not_applicable_allowed 须为 true 或 false")
            na_allowed = False
        group = str(raw["group"]) if raw.get("group") is not None else None
        return Item(
            code=code, section=section, text=str(raw.get("text") or ""),
            standard=str(raw.get("standard") or ""), max_points=max_points, step=step, rule=rule,
            group=group, applies_to=applies_to, not_applicable_allowed=na_allowed,
            item_bonus=self.item_bonus(code, raw.get("item_bonus")),
        )  # fmt: skip

    def item_max(self, code: str, rule, declared: Decimal | None, step: Decimal) -> Decimal:
        if not rule.needs_max:
            if declared:
                self.add(code, "adjustment_max", f"“{rule.kind}”项不计入分值，不应规定 max")
            return ZERO
        implied = rule.implied_max()
        if declared is None and implied is None:
            self.add(code, "missing_key", "缺少满分 max")
            return ZERO
        if declared is not None and implied is not None and declared != implied:
            self.add(
                code, "max_mismatch", f"满分{fmt(declared)}与评分规则推出的满分{fmt(implied)}不符"
            )
        max_points = declared if declared is not None else implied
        if max_points < 0:
            self.add(code, "bad_max", "满分不能为负数")
        elif not is_multiple(max_points, step) and max_points != 0:
            self.add(code, "off_step", f"步长{fmt(step)}不能整除满分{fmt(max_points)}")
        return max_points

    def item_bonus(self, code: str, raw: Any) -> ItemBonus | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            self.add(code, "bad_value", "item_bonus 须为映射（unit, cap）")
            return None
        self.unknown_keys(code, raw, {"unit", "cap", "text"})
        unit = self.number(code, raw.get("unit"), "项内加分 unit", default=ZERO)
        cap = self.number(code, raw.get("cap"), "项内加分上限 cap", default=ZERO)
        if unit <= 0 or cap <= 0:
            self.add(code, "not_positive", "项内加分的 unit 与 cap 须大于0")
        return ItemBonus(unit=unit, cap=cap, text=str(raw.get("text", "")))

    def check_section_sums(self, section: Section) -> None:
        scored = [i for i in section.items if i.effect is Effect.POINTS]
        total = sum((i.max_points for i in scored), ZERO)
        if total != section.points:
            self.add(
                section.code,
                "section_sum",
                f"“{section.title}”各项满分合计{fmt(total)}分，与该部分分值"
                f"{fmt(section.points)}分不符",
            )
        group_codes = {g.code for g in section.groups}
        for item in section.items:
            if item.group is not None and item.group not in group_codes:
                self.add(item.code, "unknown_group", f"该部分没有代码为“{item.group}”的分组")
        for group in section.groups:
            total = sum((i.max_points for i in scored if i.group == group.code), ZERO)
            if total != group.points:
                self.add(
                    group.code,
                    "group_sum",
                    f"“{group.title}”各项满分合计{fmt(total)}分，与分组分值"
                    f"{fmt(group.points)}分不符",
                )

    def check_full_marks(self, sections: tuple[Section, ...], full_marks: Decimal) -> None:
        weights = [s.weight for s in sections]
        if any(w is not None for w in weights) and any(w is None for w in weights):
            self.add(_RUBRIC, "partial_weights", "要么每个部分都有权重，要么都没有")
            return
        total = sum((s.points * (s.weight or 1) for s in sections), ZERO)
        if total != full_marks:
            self.add(
                _RUBRIC,
                "full_marks_sum",
                f"各部分分值合计{fmt(total)}分，与满分{fmt(full_marks)}分不符",
            )


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0
