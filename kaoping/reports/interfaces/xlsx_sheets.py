"""Filled score sheets (得分表) written fast: the clerk's layout, streamed sheet by sheet.

The layout stays in one place, `kaoping.scoring.workbook.write_sheet` (openpyxl). It is drawn
once per rubric into a scratch worksheet and turned into a `Layout`: every cell's value and style,
the merged ranges, widths, frozen header and print setup. Each submitted sheet then only lays its
own values (organization, rater, date, 扣分, 扣分原因, 得分, total) over that layout.

The worksheets are written as SpreadsheetML straight into the zip, one finished sheet at a time
(constant memory): the layout's rows are rendered to XML once per rubric and reused, so a sheet
costs its ~30 changed cells, not its ~300 styled ones. Drawing each sheet with openpyxl took
≈ 60 ms, streaming it cell by cell with xlsxwriter ≈ 15-45 ms; this takes ≈ 1 ms, which is
what makes the 30,000 sheets of a 10,000-organization campaign practical (docs/performance.md).
The package holds the parts Excel, WPS and openpyxl need: content types, workbook with print
titles, styles, worksheets.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook as ScratchBook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.core.spreadsheet_safety import safe_text
from kaoping.scoring.workbook import FIELD_ROWS, HEADER_ROW, columns_for
from kaoping.scoring.workbook.template import safe_title, write_sheet

# Where the per-sheet fields go (1-based, as write_sheet draws them): 被考核单位 and 评分人 values on
# the first field row, 考评日期 on the second.
ORG_CELL, RATER_CELL, DATE_CELL = (FIELD_ROWS[0], 3), (FIELD_ROWS[0], 7), (FIELD_ROWS[1], 3)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BORDER_SIDES = ("left", "right", "top", "bottom")


class Formula(str):
    """A formula of the layout (for the rater's eyes), never user text."""


@dataclass
class Layout:
    """One rubric's blank sheet: cells by row (1-based) as (column, value, style key)."""

    cols: object
    rows: dict[int, list[tuple[int, object, tuple]]]
    last_row: int
    merges: list[str]
    widths: dict[int, float]
    heights: dict[int, float]
    freeze: tuple[int, int] | None  # (row, column), 1-based, of the first unfrozen cell
    margins: dict[str, float]
    code_rows: dict[str, int] = field(default_factory=dict)
    # Rendered once per workbook (`_render`): each row's XML with no sheet values, its opening
    # tag, each cell's XML fragment and style number.
    rendered: dict[int, str] = field(default_factory=dict)
    openings: dict[int, str] = field(default_factory=dict)
    fragments: dict[int, dict[int, str]] = field(default_factory=dict)
    style_ids: dict[tuple[int, int], int] = field(default_factory=dict)


def _style_key(cell) -> tuple:
    """What write_sheet sets on a cell: font, alignment, solid fill, thin borders."""
    props: dict = {}
    font = cell.font
    if font.b:
        props["bold"] = True
    if font.sz and float(font.sz) != 11:
        props["size"] = float(font.sz)
    align = cell.alignment
    for name in ("horizontal", "vertical"):
        if getattr(align, name):
            props[name] = getattr(align, name)
    if align.wrap_text:
        props["wrap"] = True
    if align.indent:
        props["indent"] = int(align.indent)
    if cell.fill.fill_type == "solid":
        props["fill"] = str(cell.fill.fgColor.rgb)[-6:]
    sides = tuple(
        side for side in _BORDER_SIDES
        if getattr(cell.border, side) is not None and getattr(cell.border, side).style == "thin"
    )  # fmt: skip
    if sides:
        props["border"] = sides
    return tuple(sorted(props.items()))


def layout_for(rubric) -> Layout:
    """Draw the blank sheet once with the clerk's code and keep what is needed to replay it."""
    cols = columns_for(rubric)
    ws = ScratchBook().active
    write_sheet(ws, rubric, cols, organization="", rater="")
    rows: dict[int, list] = {}
    code_rows: dict[str, int] = {}
    for line in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=cols.last):
        for cell in line:
            value = getattr(cell, "value", None)
            if value is None and not cell.has_style:
                continue
            if isinstance(value, str) and value.startswith("="):
                value = Formula(value[1:])
            rows.setdefault(cell.row, []).append((cell.column, value, _style_key(cell)))
            if cell.column == cols.code and cell.row > HEADER_ROW and value:
                code_rows[str(value)] = cell.row
    widths = {}
    for letter, dimension in ws.column_dimensions.items():
        if dimension.width:
            widths[coordinate_to_tuple(f"{letter}1")[1]] = dimension.width
    freeze = coordinate_to_tuple(ws.freeze_panes) if ws.freeze_panes else None
    m = ws.page_margins
    return Layout(
        cols=cols, rows=rows, last_row=ws.max_row,
        merges=sorted(str(r) for r in ws.merged_cells.ranges), widths=widths,
        heights={n: d.height for n, d in ws.row_dimensions.items() if d.height}, freeze=freeze,
        margins={"left": m.left, "right": m.right, "top": m.top, "bottom": m.bottom},
        code_rows=code_rows,
    )  # fmt: skip


class _Styles:
    """Fonts, fills, borders and cell formats, each made once per workbook, by style key."""

    def __init__(self) -> None:
        self.fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>']
        self.fills = ['<fill><patternFill patternType="none"/></fill>',
                      '<fill><patternFill patternType="gray125"/></fill>']  # fmt: skip
        self.borders = ["<border><left/><right/><top/><bottom/><diagonal/></border>"]
        self.xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        self.index: dict[tuple, int] = {(): 0}

    @staticmethod
    def _add(items: list[str], xml: str) -> int:
        if xml not in items:
            items.append(xml)
        return items.index(xml)

    def of(self, key: tuple) -> int:
        if key in self.index:
            return self.index[key]
        props = dict(key)
        font = ("<font>" + ("<b/>" if props.get("bold") else "")
                + f'<sz val="{props.get("size", 11):g}"/><name val="Calibri"/>'
                + '<family val="2"/></font>')  # fmt: skip
        font_id = self._add(self.fonts, font)
        fill_id = 0
        if "fill" in props:
            fill_id = self._add(self.fills, '<fill><patternFill patternType="solid">'
                                f'<fgColor rgb="FF{props["fill"]}"/><bgColor indexed="64"/>'
                                "</patternFill></fill>")  # fmt: skip
        sides = props.get("border", ())
        border = "<border>" + "".join(
            f'<{s} style="thin"><color rgb="FF000000"/></{s}>' if s in sides else f"<{s}/>"
            for s in _BORDER_SIDES
        ) + "<diagonal/></border>"  # fmt: skip
        border_id = self._add(self.borders, border)
        align = ""
        for name, attribute in (("horizontal", "horizontal"), ("vertical", "vertical"),
                                ("wrap", "wrapText"), ("indent", "indent")):  # fmt: skip
            if name in props:
                value = props[name]
                align += f' {attribute}="{1 if value is True else value}"'
        xf = (f'<xf numFmtId="0" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" '
              f'xfId="0" applyFont="1" applyFill="1" applyBorder="1"'
              + (f' applyAlignment="1"><alignment{align}/></xf>' if align else "/>"))  # fmt: skip
        self.xfs.append(xf)
        self.index[key] = len(self.xfs) - 1
        return self.index[key]

    def xml(self) -> str:
        def block(tag, items):
            return f'<{tag} count="{len(items)}">{"".join(items)}</{tag}>'

        return (f'{XML}<styleSheet xmlns="{MAIN}">{block("fonts", self.fonts)}'
                f'{block("fills", self.fills)}{block("borders", self.borders)}'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
                f'</cellStyleXfs>{block("cellXfs", self.xfs)}<cellStyles count="1">'
                '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')  # fmt: skip


def _cell(ref: str, value, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        number = _number(value)
        return f'<c r="{ref}"{s}><v>{number!r}</v></c>'
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{escape(value)}</f></c>'
    # Everything else is text, written as an inline string; text that a spreadsheet would read
    # as a formula (a reason typed as "=…") gets the leading apostrophe of `safe_text`.
    text = _text(safe_text(str(value)))
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(value) -> str:
    # XML 1.0 forbids most control characters; a pasted one must not break the whole file.
    return escape(str(value).translate(_CONTROL))


def _number(value):
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _render(layout: Layout, styles: _Styles) -> None:
    for row in range(1, layout.last_row + 1):
        height = layout.heights.get(row)
        attrs = f' ht="{height:g}" customHeight="1"' if height else ""
        layout.openings[row] = f'<row r="{row}"{attrs}>'
        fragments = layout.fragments[row] = {}
        for column, value, key in layout.rows.get(row, ()):
            style = layout.style_ids[(row, column)] = styles.of(key)
            fragments[column] = _cell(f"{get_column_letter(column)}{row}", value, style)
        layout.rendered[row] = _join(layout, row, fragments)


def _join(layout: Layout, row: int, fragments: dict[int, str]) -> str:
    return layout.openings[row] + "".join(fragments[c] for c in sorted(fragments)) + "</row>"


def _sheet_xml(layout: Layout, values: dict, styles: _Styles) -> str:
    """The worksheet part: the layout's rendered rows, the rows holding this sheet's values
    rendered again with them."""
    by_row: dict[int, dict] = {}
    for (row, column), value in values.items():
        by_row.setdefault(row, {})[column] = value
    parts = []
    for row in range(1, layout.last_row + 1):
        changed = by_row.get(row)
        if not changed:
            parts.append(layout.rendered[row])
            continue
        fragments = dict(layout.fragments[row])
        for column, value in changed.items():
            style = layout.style_ids.get((row, column), 0)
            fragments[column] = _cell(f"{get_column_letter(column)}{row}", value, style)
        parts.append(_join(layout, row, fragments))
    last = get_column_letter(layout.cols.last)
    view = '<sheetView workbookViewId="0"/>'
    if layout.freeze:
        row, column = layout.freeze
        top_left = f"{get_column_letter(column)}{row}"
        pane = {(True, True): "bottomRight", (True, False): "bottomLeft"}.get(
            (row > 1, column > 1), "topRight"
        )
        splits = (f' xSplit="{column - 1}"' if column > 1 else "") + (
            f' ySplit="{row - 1}"' if row > 1 else ""
        )
        view = (f'<sheetView workbookViewId="0"><pane{splits} topLeftCell="{top_left}" '
                f'activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
                "</sheetView>")  # fmt: skip
    cols = "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                   for c, w in sorted(layout.widths.items()))  # fmt: skip
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in layout.merges)
    m = layout.margins
    return (f'{XML}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{last}{layout.last_row}"/><sheetViews>{view}</sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData>{"".join(parts)}</sheetData>'
            + (f'<mergeCells count="{len(layout.merges)}">{merges}</mergeCells>' if merges else "")
            + '<printOptions horizontalCentered="1"/>'
            f'<pageMargins left="{m["left"]}" right="{m["right"]}" top="{m["top"]}" '
            f'bottom="{m["bottom"]}" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>")  # fmt: skip


def _empty_sheet_xml() -> str:
    return f'{XML}<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'


class _Names:
    """Worksheet names unique the way Excel compares them (case-insensitively)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, title: str) -> str:
        base, n = title, 1
        while title.lower() in self.used:
            n += 1
            suffix = f"({n})"
            title = base[: 31 - len(suffix)] + suffix
        self.used.add(title.lower())
        return title


def _overrides(sheet, layout: Layout, organization: str, rater: str) -> dict:
    """(row, column) → value of one submitted sheet: fields, 扣分/扣分原因/说明, 得分, total."""
    cols = layout.cols
    values: dict[tuple[int, int], object] = {ORG_CELL: organization, RATER_CELL: rater}
    if sheet.submitted_at:
        values[DATE_CELL] = sheet.submitted_at.date().isoformat()
    for item_code, value, score in _entries(sheet):
        row = layout.code_rows.get(item_code)
        if row is None:
            continue
        value = value or {}
        deductions = value.get("deductions") if isinstance(value, dict) else None
        if deductions and cols.deduct is not None:
            total = sum((Decimal(str(d.get("amount", 0))) for d in deductions), Decimal(0))
            values[(row, cols.deduct)] = _number(total)
            reasons = "；".join(str(d.get("reason", "")) for d in deductions if d.get("reason"))
            values[(row, cols.note)] = reasons or None
        elif isinstance(value, dict) and value.get("note"):
            values[(row, cols.note)] = value["note"]
        if score is not None:
            values[(row, cols.score)] = _number(score)
    values[(layout.last_row, cols.score)] = _number(sheet.total)
    return values


def _entries(sheet):
    """(item code, value, score) of a sheet's entries: read in bulk by `with_entries`, else
    through the (prefetched) relation."""
    rows = getattr(sheet, "entry_rows", None)
    if rows is None:
        rows = [(e.item_code, e.value, e.score) for e in sheet.entries.all()]
    return rows


def _package(zf: zipfile.ZipFile, names: list[str], print_titles: list[bool],
             styles: _Styles) -> None:  # fmt: skip
    """Everything but the worksheets, written once they are all known."""
    count = len(names)
    sheets = "".join(f"<sheet name={quoteattr(name)} sheetId=\"{n}\" r:id=\"rId{n}\"/>"
                     for n, name in enumerate(names, start=1))  # fmt: skip
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
        f"{escape(_quoted(name))}!${HEADER_ROW}:${HEADER_ROW}</definedName>"
        for n, (name, wanted) in enumerate(zip(names, print_titles, strict=True)) if wanted
    )  # fmt: skip
    zf.writestr("xl/workbook.xml",
                f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/>'
                f"</bookViews><sheets>{sheets}</sheets>"
                + (f"<definedNames>{titles}</definedNames>" if titles else "") + "</workbook>")  # fmt: skip
    sheet_type = f"{RELS}/worksheet"
    rels = "".join(f'<Relationship Id="rId{n}" Type="{sheet_type}" '
                   f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))  # fmt: skip
    zf.writestr("xl/_rels/workbook.xml.rels",
                f'{XML}<Relationships xmlns="{PACKAGE_RELS}">{rels}<Relationship '
                f'Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
                "</Relationships>")  # fmt: skip
    zf.writestr("xl/styles.xml", styles.xml())


def _start_package(zf: zipfile.ZipFile) -> None:
    """The parts Excel reads first. Every other .xml part is a worksheet, so the content types
    are known before the worksheets are counted."""
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    zf.writestr("[Content_Types].xml",
                f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                f'<Default Extension="xml" ContentType="{ct}.worksheet+xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
                "</Types>")  # fmt: skip
    zf.writestr("_rels/.rels",
                f'{XML}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
                f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def write_filled_sheets(out, sheets: Iterable) -> int:
    """One worksheet per submitted sheet, named organization-rater, in the 得分表 layout.
    Each worksheet goes into the zip as soon as it is drawn (constant memory)."""
    styles = _Styles()
    layouts: dict[int, Layout] = {}
    names, titles, used = [], [], _Names()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        _start_package(zf)
        for sheet in sheets:
            assignment = sheet.assignment
            participant = assignment.participant
            layout = layouts.get(participant.rubric_id)
            if layout is None:  # the rubric is read (and its layout drawn) once per workbook
                layout = layouts[participant.rubric_id] = layout_for(rubric_of(participant.rubric))
                _render(layout, styles)
            org, rater = participant.organization.name, _rater_name(assignment.rater)
            names.append(used.unique(safe_title(f"{org}-{rater}")))
            titles.append(True)
            values = _overrides(sheet, layout, org, rater)
            zf.writestr(f"xl/worksheets/sheet{len(names)}.xml", _sheet_xml(layout, values, styles))
        count = len(names)
        if not count:
            names.append("无")
            titles.append(False)
            zf.writestr("xl/worksheets/sheet1.xml", _empty_sheet_xml())
        _package(zf, names, titles, styles)
    return count


def _rater_name(user) -> str:
    return user.full_name or user.username
