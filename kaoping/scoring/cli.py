"""`kaoping rubric|sheet|score …`: the clerk's scoring tools, with no database and no server.

    kaoping rubric list
    kaoping rubric show ID
    kaoping rubric validate FILE.yaml
    kaoping sheet template ID -o blank.xlsx [--org NAME] [--rater NAME] [--count N]
    kaoping score ID FILE.xlsx|FILE.json [--json] [--method mean|trimmed|median] [--trim K]
                                         [--sheets]

ID is a bundled rubric's id (`kaoping rubric list`) or the path of a rubric YAML file. Exit codes:
0 done, 1 an invalid rubric or entries (every problem listed, never a traceback), 2 usage (bad
arguments, an unknown rubric, a missing file). All text is in `workbook/messages.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping.scoring.aggregate import Method, aggregate_sheets
from kaoping.scoring.errors import EntryError, RubricError
from kaoping.scoring.loader import load_rubric
from kaoping.scoring.model import ORG_KINDS, Rubric
from kaoping.scoring.ranking import rank
from kaoping.scoring.results import SheetResult
from kaoping.scoring.rules.base import fmt
from kaoping.scoring.sheet import score_sheet
from kaoping.scoring.workbook import (
    InputProblem,
    SheetInput,
    read_json,
    read_workbook,
    write_template,
)
from kaoping.scoring.workbook.messages import CLI, KIND_LABELS, METHODS

__all__ = ["main"]


class _Usage(Exception):
    """A usage error: exit code 2."""


class _Failed(Exception):
    """Invalid content (rubric or entries): exit code 1, with the lines to print."""

    def __init__(self, lines: list[str], payload: Any = None) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.payload = payload


# --- argument parsing ---------------------------------------------------------------------------

_ARGPARSE_MESSAGES = (
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选项："),
    ("(choose from ", "（可选："),
    ("expected one argument", "须跟一个值"),
    ("invalid int value: ", "须为整数："),
    ("argument ", "参数 "),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:  # argparse passes "" when it builds a subcommand's prog
            prefix = CLI["usage_prefix"]
        return super().add_usage(usage, actions, groups, prefix=prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = CLI["positionals"]
        self._optionals.title = CLI["options"]
        self.add_argument("-h", "--help", action="help", help=CLI["help"])

    def error(self, message: str):
        for english, chinese in _ARGPARSE_MESSAGES:
            message = message.replace(english, chinese)
        raise _Usage(CLI["usage_error"].format(message=message))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=CLI["prog"], description=CLI["description"])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    rubric = commands.add_parser("rubric", help=CLI["rubric_help"])
    rubric_commands = rubric.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rubric_commands.add_parser("list", help=CLI["rubric_list_help"]).set_defaults(run=_rubric_list)
    show = rubric_commands.add_parser("show", help=CLI["rubric_show_help"])
    show.add_argument("id", metavar="ID", help=CLI["id_help"])
    show.set_defaults(run=_rubric_show)
    validate = rubric_commands.add_parser("validate", help=CLI["rubric_validate_help"])
    validate.add_argument("file", metavar="FILE", help=CLI["file_help"])
    validate.set_defaults(run=_rubric_validate)

    sheet = commands.add_parser("sheet", help=CLI["sheet_help"])
    sheet_commands = sheet.add_subparsers(dest="action", required=True, parser_class=_Parser)
    template = sheet_commands.add_parser("template", help=CLI["template_help"])
    template.add_argument("id", metavar="ID", help=CLI["id_help"])
    template.add_argument("-o", "--output", required=True, metavar="FILE.xlsx",
                          help=CLI["output_help"])  # fmt: skip
    template.add_argument("--org", default="", metavar="NAME", help=CLI["org_help"])
    template.add_argument("--rater", default="", metavar="NAME", help=CLI["rater_help"])
    template.add_argument("--count", type=int, default=1, metavar="N", help=CLI["count_help"])
    template.set_defaults(run=_sheet_template)

    score = commands.add_parser("score", help=CLI["score_help"])
    score.add_argument("id", metavar="ID", help=CLI["id_help"])
    score.add_argument("file", metavar="FILE", help=CLI["score_file_help"])
    score.add_argument("--json", action="store_true", help=CLI["json_help"])
    score.add_argument("--method", choices=[m.value for m in Method], default="mean",
                       help=CLI["method_help"])  # fmt: skip
    score.add_argument("--trim", type=int, default=1, metavar="K", help=CLI["trim_help"])
    score.add_argument("--sheets", action="store_true", help=CLI["sheets_help"])
    score.set_defaults(run=_score)
    return parser


def main(args: Sequence[str] | None = None) -> int:
    """Run one command; `args` starts with the command name (`["rubric", "list"]`)."""
    args = list(sys.argv[1:] if args is None else args)
    try:
        options = _parser().parse_args(args)
        return options.run(options)
    except _Usage as err:
        print(str(err), file=sys.stderr)
        return 2
    except _Failed as err:
        if err.payload is not None:
            _print_json(err.payload)
        else:
            print("\n".join(err.lines), file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`
        return 0
    except SystemExit as exit_:  # --help
        return exit_.code if isinstance(exit_.code, int) else 0


# --- rubrics ------------------------------------------------------------------------------------


def _bundled() -> dict[str, Path]:
    from kaoping.rubrics import bundled_rubric_paths

    return {path.stem: path for path in bundled_rubric_paths()}


def _load(ref: str) -> Rubric:
    """A bundled rubric by id, or a rubric YAML file by path."""
    path = Path(ref)
    bundled = _bundled()
    if ref in bundled:
        path = bundled[ref]
    elif not (path.suffix in (".yaml", ".yml") and path.is_file()):
        raise _Usage(CLI["unknown_rubric"].format(id=ref, known="、".join(bundled)))
    try:
        return load_rubric(path)
    except RubricError as err:
        raise _Failed(_rubric_problems(err, str(path))) from None


def _rubric_problems(err: RubricError, source: str) -> list[str]:
    lines = [CLI["rubric_invalid"].format(source=source, count=len(err.problems))]
    lines += [CLI["problem"].format(code=p.code, message=p.message) for p in err.problems]
    return lines


def _rubric_list(_options) -> int:
    rows = []
    for rubric_id in _bundled():
        rubric = _load(rubric_id)
        rows.append([rubric.id, str(rubric.version), rubric.title, fmt(rubric.full_marks),
                     str(len(rubric.items))])  # fmt: skip
    print(_table(CLI["list_header"], rows))
    return 0


def _rubric_show(options) -> int:
    rubric = _load(options.id)
    kinds = "、".join(ORG_KINDS.get(k, k) for k in sorted(rubric.applies_to))
    print(CLI["show_head"].format(title=rubric.title))
    print(
        CLI["show_meta"].format(
            id=rubric.id,
            version=rubric.version,
            issuer=rubric.issuer,
            year=rubric.year,
            full=fmt(rubric.full_marks),
            kinds=kinds,
        )
    )
    for section in rubric.sections:
        print()
        key = "show_section_weight" if section.weight is not None else "show_section"
        print(CLI[key].format(code=section.code, title=section.title, points=fmt(section.points),
                              weight=fmt(section.weight or Decimal(0))))  # fmt: skip
        for item in section.items:
            points = CLI["show_points"].format(points=fmt(item.max_points)) \
                if item.max_points else CLI["show_no_points"]  # fmt: skip
            print(CLI["show_item"].format(code=item.code, kind=KIND_LABELS.get(item.kind, item.kind),
                                          points=points, text=item.text))  # fmt: skip
            if item.standard:
                print(CLI["show_standard"].format(standard=item.standard))
            for code, text, sub_points in _subs(item):
                suffix = f"（{fmt(sub_points)}分）" if sub_points is not None else ""
                print(CLI["show_sub"].format(code=code, text=text, points=suffix))
    if rubric.outcome.grades:
        grades = "、".join(
            f"{g.label}≥{fmt(g.min_score)}" if g.min_score is not None else g.label
            for g in rubric.outcome.grades
        )
        print()
        print(CLI["show_grades"].format(grades=grades))
    if rubric.outcome.stars:
        stars = "、".join(f"{s.label}（{s.section}）" for s in rubric.outcome.stars)
        print(CLI["show_stars"].format(stars=stars))
    return 0


def _subs(item) -> list[tuple[str, str, Decimal | None]]:
    rule = item.rule.describe()
    out: list[tuple[str, str, Decimal | None]] = []
    for name in ("criteria", "parts", "categories", "levels", "events"):
        for sub in rule.get(name) or ():
            text = sub.get("text", "") or sub.get("label", "")
            points = sub.get("points")
            if points is None:
                points = sub.get("unit")
            out.append((sub["code"], text, points))
    return out


def _rubric_validate(options) -> int:
    path = Path(options.file)
    if not path.is_file():
        raise _Usage(CLI["no_file"].format(path=path))
    try:
        rubric = load_rubric(path)
    except RubricError as err:
        raise _Failed(_rubric_problems(err, str(path))) from None
    print(CLI["valid"].format(title=rubric.title, id=rubric.id, version=rubric.version,
                              sections=len(rubric.sections), items=len(rubric.items),
                              full=fmt(rubric.full_marks)))  # fmt: skip
    return 0


# --- sheets -------------------------------------------------------------------------------------


def _sheet_template(options) -> int:
    if options.count < 1:
        raise _Usage(CLI["count_positive"])
    rubric = _load(options.id)
    items = write_template(rubric, options.output, organization=options.org,
                           rater=options.rater, count=options.count)  # fmt: skip
    print(CLI["written"].format(path=options.output, count=options.count, rows=items))
    return 0


# --- scoring ------------------------------------------------------------------------------------


def _score(options) -> int:
    if options.trim < 0:
        raise _Usage(CLI["trim_negative"])
    rubric = _load(options.id)
    path = Path(options.file)
    if not path.is_file():
        raise _Usage(CLI["no_file"].format(path=path))
    if path.suffix.lower() == ".json":
        sheets, problems = read_json(rubric, path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets, problems = read_workbook(rubric, path)
    else:
        raise _Usage(CLI["bad_suffix"].format(path=path))
    results: list[tuple[SheetInput, SheetResult]] = []
    for sheet in sheets:
        try:
            result = score_sheet(rubric, sheet.entries, custom_items=sheet.custom_items or None,
                                 org_kind=sheet.org_kind)  # fmt: skip
        except EntryError as err:
            # an item whose cells were already reported is not reported again as "未录入"
            problems.extend(
                sheet.problem(p.code, p.message)
                for p in err.problems
                if p.code.split("/")[0] not in sheet.flagged
            )
            continue
        results.append((sheet, result))
    if problems:
        _fail(problems, options.json)
    ranking = _ranking(rubric, results, options.method, options.trim)
    if options.json:
        _print_json(_json_output(rubric, results, ranking, options))
    else:
        _print_text(rubric, results, ranking, options)
    return 0


def _fail(problems: list[InputProblem], as_json: bool) -> None:
    # Sort by where they are, so a clerk goes through the file once, top to bottom.
    ordered = sorted(enumerate(problems), key=lambda p: (p[1].where, p[1].row or 0, p[0]))
    problems = [p for _, p in ordered]
    if as_json:
        payload = {"ok": False, "errors": [
            {"where": p.where, "row": p.row, "code": p.code, "message": p.message,
             "text": str(p)} for p in problems
        ]}  # fmt: skip
        raise _Failed([], payload)
    raise _Failed([CLI["errors_head"].format(count=len(problems))] + [str(p) for p in problems])


def _ranking(rubric: Rubric, results, method: str, trim: int) -> list[dict[str, Any]]:
    by_org: dict[str, list[tuple[SheetInput, SheetResult]]] = defaultdict(list)
    for sheet, result in results:
        by_org[sheet.organization].append((sheet, result))
    rows = []
    for org, pairs in by_org.items():
        # The engine decides the grade: a veto found on any rater's sheet forces the fail grade.
        aggregate = aggregate_sheets([r for _, r in pairs], rubric=rubric, method=method,
                                     trim=trim, raters=[s.rater for s, _ in pairs])  # fmt: skip
        rows.append({"organization": org, "aggregate": aggregate, "grade": aggregate.grade,
                     "raters": len(pairs), "vetoes": sorted(aggregate.veto_codes())})  # fmt: skip
    ranks = rank([row["aggregate"].total.value for row in rows])
    for row, position in zip(rows, ranks, strict=True):
        row["rank"] = position
    rows.sort(key=lambda row: (row["rank"], row["organization"]))
    return rows


def _method_label(method: str, trim: int) -> str:
    return METHODS[method].format(k=trim)


def _print_text(rubric: Rubric, results, ranking, options) -> None:
    print(CLI["result_head"].format(title=rubric.title, id=rubric.id, version=rubric.version))
    print(CLI["method_line"].format(method=_method_label(options.method, options.trim)))
    if options.sheets or len(results) <= 50:
        print(CLI["sheets_head"])
        for sheet, result in results:
            grade = f"，{result.grade}" if result.grade else ""
            veto = CLI["veto_mark"].format(codes="、".join(result.vetoes)) if result.vetoes else ""
            print(CLI["sheet_line"].format(sheet=sheet.name, org=sheet.organization,
                                           rater=sheet.rater, total=fmt(result.scaled_total),
                                           grade=grade, veto=veto))  # fmt: skip
    print()
    rows = []
    for row in ranking:
        total = row["aggregate"].total
        notes = [total.note] if total.note else []
        if row["vetoes"]:
            notes.append(CLI["vetoed_note"].format(codes="、".join(row["vetoes"])))
        rows.append(
            [
                str(row["rank"]),
                row["organization"],
                fmt(total.value),
                row["grade"] or CLI["no_grade"],
                str(row["raters"]),
                "；".join(notes),
            ]
        )
    print(_table(CLI["ranking_header"], rows))


def _json_output(rubric: Rubric, results, ranking, options) -> dict[str, Any]:
    def d(value: Decimal) -> str:
        return fmt(value)

    sheets = []
    for sheet, result in results:
        sheets.append({
            "sheet": sheet.name, "organization": sheet.organization, "rater": sheet.rater,
            "date": sheet.date, "total": d(result.total), "scaled_total": d(result.scaled_total),
            "bonus": d(result.bonus), "major_deductions": d(result.major_deductions),
            "grade": result.grade, "vetoes": list(result.vetoes), "stars": list(result.stars),
            "sections": {s.code: d(s.score) for s in result.sections},
            "items": {code: d(r.score if r.effect == "points" else r.amount)
                      for code, r in result.items.items()},
            "levels": {c: r.level for c, r in result.items.items() if r.level},
            "lost": [{"item": x.item, "kind": x.kind, "points": d(x.points),
                      "reasons": list(x.reasons)} for x in result.lost],
        })  # fmt: skip
    rows = []
    for row in ranking:
        total = row["aggregate"].total
        rows.append({
            "rank": row["rank"], "organization": row["organization"], "total": d(total.value),
            "grade": row["grade"], "raters": row["raters"], "method": total.method.value,
            "method_used": total.method_used.value, "dropped": [d(x) for x in total.dropped],
            "note": total.note, "vetoes": row["vetoes"],
            "veto_raters": {v.code: list(v.raters) for v in row["aggregate"].vetoes},
            "stars": list(row["aggregate"].stars),
            "sections": {code: d(a.value) for code, a in row["aggregate"].sections.items()},
        })  # fmt: skip
    return {
        "ok": True,
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title},
        "method": options.method, "trim": options.trim, "sheets": sheets, "ranking": rows,
    }  # fmt: skip


# --- output helpers ------------------------------------------------------------------------------


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [str(c) + " " * (widths[i] - _width(str(c))) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
