"""Read filled score sheets (xlsx) or JSON records into the engine's entries.

Every worksheet whose table header has 编号 and 分值 is one organization × rater, named by the
被考核单位 and 评分人 fields above the table. Entries are found by the 编号 column (item codes and
`code/sub` rows), never by position. Cells become entries as `docs/rubric-format.md` describes;
formula cells are ignored (the tool computes every score). Problems are collected, each with its
worksheet, row and item code, and returned together.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.core.spreadsheet_safety import unescape_text
from kaoping.scoring.model import Item, Rubric
from kaoping.scoring.rules.base import Rule, fmt

from .layout import CHOICE, DEDUCT, InputSpec, PlannedRow, describe, plan_section
from .messages import READ, SHEET

__all__ = ["InputProblem", "SheetInput", "read_json", "read_workbook"]

_YES = {"是", "√", "✓", "✔", "Y", "YES", "TRUE", "1"}
_NO = {"否", "×", "✗", "✘", "N", "NO", "FALSE", "0"}


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong in the input: where (a worksheet or a JSON record), row, item code."""

    where: str
    message: str
    row: int | None = None
    code: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.code:
            return READ["where_row"].format(where=self.where, row=self.row, code=self.code,
                                            message=self.message)  # fmt: skip
        if self.row is not None:
            return READ["where_row_only"].format(where=self.where, row=self.row,
                                                 message=self.message)  # fmt: skip
        if self.code:
            return READ["where_code"].format(where=self.where, code=self.code,
                                             message=self.message)  # fmt: skip
        return READ["where_only"].format(where=self.where, message=self.message)


@dataclass
class SheetInput:
    """One organization × rater, ready for `score_sheet`."""

    name: str  # the worksheet's title, or "第n条记录" for JSON
    where: str  # how problems name it: "工作表『…』" or "第n条记录（…）"
    organization: str
    rater: str
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    custom_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # code → spreadsheet row
    date: str = ""
    org_kind: str | None = None
    flagged: set[str] = field(default_factory=set)  # items whose cells were already reported

    def problem(self, code: str, message: str) -> InputProblem:
        """An engine problem (its code may be "1.2/a" or "C1/*"), placed on its row."""
        row = self.rows.get(code)
        if row is None and "/" in code:
            row = self.rows.get(code.split("/")[0] + "/" + code.split("/")[1]) or self.rows.get(
                code.split("/")[0]
            )
        return InputProblem(self.where, message, row=row, code=code)


class _Bad(ValueError):
    pass


# --- cells --------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == "" or value.lstrip().startswith("=")
    return False


def _text(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Our own exports quote text that would read as a formula ('=…): read it back as written.
    return str(unescape_text(value)).strip()


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool):
        raise _Bad(READ["not_number"].format(what=what, value=value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that reads back as the cell's number
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise _Bad(READ["not_number"].format(what=what, value=value)) from None
    if not result.is_finite():
        raise _Bad(READ["not_number"].format(what=what, value=value))
    return result


def _whole(value: Any, what: str) -> int:
    try:
        number = _decimal(value, what)
    except _Bad:
        raise _Bad(READ["not_whole"].format(what=what, value=_text(value))) from None
    if number < 0 or number != number.to_integral_value():
        raise _Bad(READ["not_whole"].format(what=what, value=_text(value)))
    return int(number)


def _choice(value: Any, spec: InputSpec, what: str) -> Any:
    text = _text(value)
    labels = [label for label, _ in spec.choices]
    yes_no = {v for _, v in spec.choices} == {True, False}
    if yes_no:
        if text.upper() in _YES:
            return True
        if text.upper() in _NO:
            return False
        raise _Bad(READ["not_yes_no"].format(what=what, value=text))
    for label, result in spec.choices:
        plain = label.split("（")[0]
        code = result[0] if isinstance(result, tuple) else result
        if text in (label, str(code)) or (
            text == plain and (not isinstance(result, tuple) or result[1] is None)
        ):
            return result
    raise _Bad(READ["bad_choice"].format(what=what, value=text, choices="、".join(labels)))


def _number_entry(spec: InputSpec, value: Any, what: str) -> Decimal:
    number = _decimal(value, what)
    if number < 0:
        raise _Bad(READ["below_zero"].format(what=what, value=fmt(number)))
    if spec.high is not None and spec.column != DEDUCT and number > spec.high:
        raise _Bad(READ["above_max"].format(value=fmt(number), max=fmt(spec.high)))
    if spec.column == DEDUCT and spec.low == 0 and spec.high is not None and number > spec.high:
        raise _Bad(READ["deduct_above_max"].format(value=fmt(number), max=fmt(spec.high)))
    return number


def simple_entry(rule: Rule | dict, spec: InputSpec, value: Any, note: str) -> dict[str, Any]:
    """The entry of a one-cell rule (item, part or slot; a rule or its description) from its cell
    and its note."""
    kind = describe(rule)["kind"]
    if kind == "scale":
        entry: dict[str, Any] = {"score": str(_number_entry(spec, value, READ["what_score"]))}
    elif kind == "binary":
        entry = {"met": _choice(value, spec, READ["what_choice"])}
    elif kind == "veto":
        entry = {"triggered": _choice(value, spec, READ["what_choice"])}
        if note:
            entry["note"] = note
        return entry
    elif kind in ("tiered", "qualitative"):
        entry = {"level": _choice(value, spec, READ["what_level"])}
    elif kind == "per_occurrence":
        entry = {"count": _whole(value, READ["what_count"])}
    elif kind == "deduction":
        amount = _number_entry(spec, value, READ["what_deduct"])
        deduction: dict[str, Any] = {"amount": str(amount)}
        if note:
            deduction["reason"] = note
        return {"deductions": [deduction] if amount > 0 else []}
    else:  # pragma: no cover - layout gives no input for other kinds
        raise _Bad(READ["json_only"])
    if note:
        entry["comment"] = note
    return entry


# --- worksheets -------------------------------------------------------------------------------


class _Sheet:
    """One worksheet with its header located and its rows indexed by 编号."""

    def __init__(self, ws: Worksheet, header_row: int, columns: dict[str, int]) -> None:
        self.ws = ws
        self.header_row = header_row
        self.columns = columns
        self.where = READ["sheet"].format(sheet=ws.title)

    def value(self, row: int, role: str) -> Any:
        column = self.columns.get(role)
        if column is None:
            return None
        value = self.ws.cell(row=row, column=column).value
        return None if _blank(value) else value


def _find_header(ws: Worksheet) -> tuple[int, dict[str, int]] | None:
    names = {SHEET["code"]: "code", SHEET["points"]: "points", SHEET["deduct"]: "deduct",
             SHEET["reason"]: "note", SHEET["note"]: "note", SHEET["score"]: "score",
             SHEET["text"]: "text"}  # fmt: skip
    for row in range(1, min(ws.max_row, 30) + 1):
        found: dict[str, int] = {}
        for column in range(1, min(ws.max_column, 40) + 1):
            text = _text(ws.cell(row=row, column=column).value).replace(" ", "")
            if text in names and names[text] not in found:
                found[names[text]] = column
        if "code" in found and "points" in found:
            return row, found
    return None


def _fields(ws: Worksheet, header_row: int) -> dict[str, tuple[str, int] | None]:
    """The values right of the labels 被考核单位, 评分人, 考评日期, 考核标准 (above the table)."""
    wanted = {SHEET["org"]: "org", SHEET["rater"]: "rater", SHEET["date"]: "date",
              SHEET["rubric"]: "rubric"}  # fmt: skip
    ends = {}
    for merged in ws.merged_cells.ranges:
        ends[(merged.min_row, merged.min_col)] = merged.max_col
    result: dict[str, tuple[str, int] | None] = {}
    for row in range(1, header_row):
        for column in range(1, ws.max_column + 1):
            label = _text(ws.cell(row=row, column=column).value).strip("：: ").replace(" ", "")
            if label in wanted:
                next_col = ends.get((row, column), column) + 1
                value = _text(ws.cell(row=row, column=next_col).value)
                result[wanted[label]] = (value, row)
    return result


def read_workbook(rubric: Rubric, path: str | Path) -> tuple[list[SheetInput], list[InputProblem]]:
    """Read every score sheet of a workbook; return the sheets and every problem found."""
    problems: list[InputProblem] = []
    try:
        workbook = load_workbook(path, data_only=False)  # normal mode: merged cells are kept
    except Exception as err:  # openpyxl raises many kinds for a bad file
        problems.append(InputProblem(str(path), READ["cannot_open"].format(error=err)))
        return [], problems
    planned = {row.code: row for s in rubric.sections for row in plan_section(rubric, s)}
    sheets: list[SheetInput] = []
    for ws in workbook.worksheets:
        header = _find_header(ws)
        if header is None:
            continue
        sheet = _Sheet(ws, *header)
        result = _read_sheet(rubric, sheet, planned, problems)
        if result is not None:
            sheets.append(result)
    if not sheets and not problems:
        problems.append(InputProblem(str(path), READ["no_sheets"]))
    _check_duplicates(sheets, problems)
    return sheets, problems


def _check_duplicates(sheets: list[SheetInput], problems: list[InputProblem]) -> None:
    seen: dict[tuple[str, str], SheetInput] = {}
    for sheet in sheets:
        key = (sheet.organization, sheet.rater)
        if key in seen:
            problems.append(
                InputProblem(
                    sheet.where,
                    READ["duplicate_sheet"].format(
                        org=sheet.organization, rater=sheet.rater, other=seen[key].where
                    ),
                )
            )
        else:
            seen[key] = sheet


def _read_sheet(rubric: Rubric, sheet: _Sheet, planned: dict[str, PlannedRow],
                problems: list[InputProblem]) -> SheetInput | None:  # fmt: skip
    ws, where = sheet.ws, sheet.where
    before = len(problems)
    fields = _fields(ws, sheet.header_row)
    org, rater = fields.get("org"), fields.get("rater")
    if org is None:
        problems.append(InputProblem(where, READ["no_org_field"]))
    elif not org[0]:
        problems.append(InputProblem(where, READ["missing_org"], row=org[1]))
    if rater is None:
        problems.append(InputProblem(where, READ["no_rater_field"]))
    elif not rater[0]:
        problems.append(InputProblem(where, READ["missing_rater"], row=rater[1]))
    stated = fields.get("rubric")
    if stated and stated[0] and not stated[0].startswith(rubric.id):
        problems.append(
            InputProblem(
                where,
                READ["wrong_rubric"].format(found=stated[0], expected=rubric.id),
                row=stated[1],
            )
        )
    for role in ("score", "note") + (("deduct",) if _needs_deduct(planned) else ()):
        if role not in sheet.columns:
            column = {"score": SHEET["score"], "deduct": SHEET["deduct"],
                      "note": SHEET["note"]}[role]  # fmt: skip
            problems.append(
                InputProblem(
                    where, READ["missing_column"].format(column=column), row=sheet.header_row
                )
            )
    if len(problems) > before and any(p.row == sheet.header_row for p in problems[before:]):
        return None
    rows: dict[str, int] = {}
    for row in range(sheet.header_row + 1, ws.max_row + 1):
        code = _text(ws.cell(row=row, column=sheet.columns["code"]).value)
        if not code:
            continue
        if code not in planned:
            problems.append(
                InputProblem(where, READ["unknown_code"].format(code=code), row=row, code=code)
            )
            continue
        if code in rows:
            problems.append(
                InputProblem(
                    where,
                    READ["duplicate_row"].format(code=code, other=rows[code]),
                    row=row,
                    code=code,
                )
            )
            continue
        rows[code] = row
    result = SheetInput(
        name=ws.title, where=where, organization=(org or ("", 0))[0],
        rater=(rater or ("", 0))[0], rows=rows, date=(fields.get("date") or ("", 0))[0],
    )  # fmt: skip
    for item in rubric.items.values():
        if item.code not in rows:
            problems.append(
                InputProblem(where, READ["missing_row"].format(code=item.code), code=item.code)
            )
            result.flagged.add(item.code)
            continue
        _read_item(item, sheet, rows, planned, result, problems)
    return result


def _needs_deduct(planned: dict[str, PlannedRow]) -> bool:
    return any(row.input is not None and row.input.column == DEDUCT for row in planned.values())


def _read_item(item: Item, sheet: _Sheet, rows: dict[str, int],
               planned: dict[str, PlannedRow], out: SheetInput,
               problems: list[InputProblem]) -> None:  # fmt: skip
    row = rows[item.code]
    main = planned[item.code]
    subs = [(planned[c], rows.get(c)) for c in planned
            if c.startswith(item.code + "/") and planned[c].item is item]  # fmt: skip

    def bad(message: str, at: int, code: str) -> None:
        problems.append(InputProblem(sheet.where, message, row=at, code=code))
        out.flagged.add(item.code)

    score_cell = sheet.value(row, "score")
    note = _text(sheet.value(row, "note"))
    if _text(score_cell) == SHEET["na"]:
        if item.not_applicable_allowed:
            out.entries[item.code] = {"na": True}
        else:
            bad(READ["na_not_allowed"], row, item.code)
        return
    rule = item.rule.describe()
    try:
        if rule["kind"] == "deduction":
            entry = _deduction_entry(item, main.input, sheet, row, note)
        elif main.input is not None:
            role = "deduct" if main.input.column == DEDUCT else "score"
            value = sheet.value(row, role)
            entry = None if value is None else simple_entry(rule, main.input, value, note)
        elif subs:
            entry = _composite_entry(item, sheet, subs, note, out, bad)
        else:
            entry = None
            if score_cell is not None:
                bad(READ["json_only"], row, item.code)
    except _Bad as err:
        bad(str(err), row, item.code)
        return
    if entry is not None:
        out.entries[item.code] = entry


def _deduction_entry(item: Item, spec: InputSpec, sheet: _Sheet, row: int, note: str):
    max_points = item.max_points
    deduct_raw, score_raw = sheet.value(row, "deduct"), sheet.value(row, "score")
    deduct = None if deduct_raw is None else _number_entry(spec, deduct_raw, READ["what_deduct"])
    if score_raw is not None:
        score = _decimal(score_raw, READ["what_score"])
        if score > max_points:
            raise _Bad(READ["above_max"].format(value=fmt(score), max=fmt(max_points)))
        if score < 0:
            raise _Bad(READ["below_zero"].format(what=READ["what_score"], value=fmt(score)))
        expected = max(max_points - (deduct or 0), Decimal(0))
        if deduct is not None and expected != score:
            raise _Bad(
                READ["score_mismatch"].format(
                    score=fmt(score),
                    deduct=fmt(deduct),
                    max=fmt(max_points),
                    expected=fmt(expected),
                )
            )
        deduct = max_points - score
    if deduct is None:
        return {"comment": note} if note else None
    entry: dict[str, Any] = {"deductions": []}
    if deduct > 0:
        entry["deductions"].append({"amount": str(deduct), **({"reason": note} if note else {})})
    elif note:
        entry["comment"] = note
    return entry


def _composite_entry(item: Item, sheet: _Sheet, subs, note: str, out: SheetInput, bad):
    """Items written over several rows: checklist, parts, graded deduction, major deduction,
    bonus, custom slots, ledger. Returns None when nothing was entered."""
    rule = item.rule.describe()
    kind = rule["kind"]
    filled: list[tuple[PlannedRow, int, Any, str]] = []
    for spec, row in subs:
        if row is None:
            bad(READ["missing_row"].format(code=spec.code), None, spec.code)
            continue
        role = "deduct" if spec.input is not None and spec.input.column == DEDUCT else "score"
        value = sheet.value(row, role)
        sub_note = _text(sheet.value(row, "note"))
        text = _text(sheet.value(row, "text")) if spec.fill_text else ""
        if value is None and not text:
            continue
        if value is not None and spec.input is None:
            bad(READ["json_only"], row, spec.code)
            continue
        filled.append((spec, row, value, sub_note))
    if not filled:
        return None
    values = filled
    entry: dict[str, Any] | None
    if kind == "checklist":
        met = []
        for spec, row, value, _ in values:
            try:
                if _choice(value, spec.input, READ["what_choice"]):
                    met.append(spec.sub)
            except _Bad as err:
                bad(str(err), row, spec.code)
        entry = {"criteria": met}
    elif kind == "parts":
        answers = {}
        by_code = {part["code"]: part for part in rule["parts"]}
        for spec, row, value, sub_note in values:
            try:
                answers[spec.sub] = simple_entry(by_code[spec.sub]["rule"], spec.input, value,
                                                 sub_note)  # fmt: skip
            except _Bad as err:
                bad(str(err), row, spec.code)
        entry = {"parts": answers}
    elif kind == "graded_deduction":
        counts = {}
        for spec, row, value, _ in values:
            try:
                counts[spec.sub] = _whole(value, READ["what_count"])
            except _Bad as err:
                bad(str(err), row, spec.code)
        entry = {"counts": counts, **({"reason": note} if note else {})}
        return entry
    elif kind == "major_deduction":
        occurrences = []
        for spec, row, value, sub_note in values:
            try:
                amount = _decimal(value, READ["what_deduct"])
            except _Bad as err:
                bad(str(err), row, spec.code)
                continue
            occurrences.append({"amount": str(amount), **({"note": sub_note} if sub_note else {})})
        return {"occurrences": occurrences}
    elif kind == "bonus":
        events = []
        for spec, row, value, sub_note in values:
            project = sub_note or spec.text
            try:
                if spec.input.type == CHOICE:
                    level, modifier = _choice(value, spec.input, READ["what_level"])
                    event = {"project": project, "level": level}
                    if modifier:
                        event["modifier"] = modifier
                else:
                    event = {
                        "project": project,
                        "points": str(_number_entry(spec.input, value, READ["what_score"])),
                    }
            except _Bad as err:
                bad(str(err), row, spec.code)
                continue
            events.append(event)
        return {"events": events}
    elif kind == "custom_slots":
        written, answers = [], {}
        for spec, row, value, sub_note in values:
            text = _text(sheet.value(row, "text"))
            written.append({"code": spec.sub, "text": text})
            if value is None:
                continue
            try:
                answers[spec.sub] = simple_entry(rule["rule"], spec.input, value, sub_note)
            except _Bad as err:
                bad(str(err), row, spec.code)
        out.custom_items[item.code] = written
        entry = {"slots": answers}
    elif kind == "ledger":
        events = []
        for spec, row, value, _ in values:
            try:
                events.append({"event": spec.sub, "count": _whole(value, READ["what_count"])})
            except _Bad as err:
                bad(str(err), row, spec.code)
        entry = {"events": events}
    else:  # pragma: no cover
        return None
    if note:
        entry["comment"] = note
    return entry


# --- JSON ---------------------------------------------------------------------------------------


def read_json(rubric: Rubric, path: str | Path) -> tuple[list[SheetInput], list[InputProblem]]:
    """Read a JSON list of {"organization", "rater", "entries"[, "custom_items", "org_kind"]}."""
    problems: list[InputProblem] = []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        return [], [InputProblem(str(path), READ["cannot_open"].format(error=err))]
    except json.JSONDecodeError as err:
        return [], [InputProblem(str(path), READ["json_syntax"].format(error=err))]
    if not isinstance(data, list):
        return [], [InputProblem(str(path), READ["json_bad"])]
    sheets = []
    for n, record in enumerate(data, start=1):
        if not isinstance(record, Mapping) or not isinstance(record.get("entries"), Mapping):
            problems.append(InputProblem(READ["record"].format(n=n), READ["json_record_bad"]))
            continue
        org = str(record.get("organization") or "").strip()
        rater = str(record.get("rater") or "").strip()
        label = READ["record"].format(n=n)
        where = READ["record_named"].format(n=n, org=org, rater=rater) if org else label
        if not org:
            problems.append(InputProblem(where, READ["missing_org"]))
        if not rater:
            problems.append(InputProblem(where, READ["missing_rater"]))
        custom = record.get("custom_items") or {}
        sheets.append(SheetInput(
            name=label, where=where, organization=org, rater=rater,
            entries=dict(record["entries"]), custom_items=dict(custom),
            org_kind=record.get("org_kind"), date=str(record.get("date") or ""),
        ))  # fmt: skip
    _check_duplicates(sheets, problems)
    return sheets, problems
