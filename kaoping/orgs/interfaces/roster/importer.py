"""Importing a roster: every row is cleaned and linked first, then all are written in one
transaction through the domain functions; any error anywhere and nothing is written.

Where a row goes (its parent), in this order:
- 上级编号 (the number an export writes): that organization, which must be the import target or
  below it; if 上级组织 is filled too, it must name the same organization.
- 上级组织 (a name): a row of the same file or an active organization in the target's subtree with
  that name; none is "不存在", several is an ambiguity the row must settle with 上级编号.
- neither: directly under the import target.
A row with 编号 updates that organization (and moves it if its parent changed); a row without
creates one, unless its parent already has an active child of that name (a second import of the
same file must not double the tree).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from kaoping.orgs.domain.tree import create_organization, move_organization, update_organization
from kaoping.orgs.interfaces.roster.columns import COLUMNS, CellError, RowDraft
from kaoping.orgs.interfaces.roster.reader import Sheet, read_sheet
from kaoping.orgs.models import Organization

OUT_OF_RANGE = "不存在或不在本次导入的范围内"
HEADER_BY_FIELD = {c.field: c.header for c in COLUMNS if c.field}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)  # written, in sheet order


def row_error(row: int, header: str, message: str) -> tuple[int, str]:
    return row, f"第{row}行『{header}』{message}"


def import_roster(*, fileobj, into: Organization) -> ImportResult:
    """Create and update organizations in `into`'s subtree from a roster workbook.

    Side effects: when every row is valid, one transaction of `create_organization`,
    `update_organization` and `move_organization` calls; otherwise none.
    Raises `RosterFileError` when the file is not a readable workbook.
    """
    sheet = read_sheet(fileobj)
    if sheet.errors:
        return ImportResult(errors=sheet.errors)
    drafts, errors = clean_rows(sheet)
    errors += link_rows(drafts, into)
    if errors:
        # By row, and within a row in the order found (column order, then references).
        unique = dict.fromkeys(sorted(errors, key=lambda error: error[0]))
        return ImportResult(errors=[message for _row, message in unique])
    return save_rows(drafts)


def clean_rows(sheet: Sheet) -> tuple[list[RowDraft], list[tuple[int, str]]]:
    """resolve → clean → assign for every cell of every row; all cell errors, not the first."""
    columns = [c for c in COLUMNS if c.header in sheet.columns]
    drafts, errors = [], []
    for row, record in sheet.records:
        draft = RowDraft(row=row)
        for column in columns:
            try:
                column.assign(column.clean(column.resolve(record)), draft)
            except CellError as exc:
                errors.append(row_error(row, column.header, str(exc)))
        drafts.append(draft)
    return drafts, errors


def link_rows(drafts: list[RowDraft], into: Organization) -> list[tuple[int, str]]:
    """Find each row's organization (编号) and parent; report what cannot be found or would loop."""
    scope = Organization.objects.within([into])
    wanted = {d.code for d in drafts} | {d.parent_code for d in drafts}
    by_pk = {o.pk: o for o in scope.filter(pk__in=wanted - {None})}
    errors = _link_codes(drafts, by_pk, into)
    names = {d.parent_name for d in drafts if d.parent_name}
    by_name: dict[str, list] = {}
    for org in scope.active().filter(name__in=names):
        by_name.setdefault(org.name, []).append(org)
    drafted = {d.org.pk: d for d in drafts if d.org}
    rows_by_name: dict[str, list[RowDraft]] = {}
    for draft in drafts:
        rows_by_name.setdefault(draft.name, []).append(draft)
    for draft in drafts:
        by_name_in_file = rows_by_name.get(draft.parent_name, [])
        error = _link_parent(draft, by_pk, by_name, by_name_in_file, into)
        if error:
            errors.append(error)
        elif isinstance(draft.parent, Organization) and draft.parent.pk in drafted:
            # The parent is itself a row of this file: follow the row, it may move.
            draft.parent = drafted[draft.parent.pk]
    errors += _find_cycles(drafts, drafted)
    errors += _find_duplicates(drafts)
    return errors


def _link_codes(drafts, by_pk, into) -> list[tuple[int, str]]:
    errors, first_row = [], {}
    for draft in drafts:
        if draft.code is None:
            continue
        if draft.code in first_row:
            errors.append(row_error(draft.row, "编号", f"与第{first_row[draft.code]}行重复"))
            continue
        first_row[draft.code] = draft.row
        org = by_pk.get(draft.code)
        if org is None or org.pk == into.pk:
            errors.append(row_error(draft.row, "编号", OUT_OF_RANGE))
        else:
            draft.org = org
    return errors


def _link_parent(draft, by_pk, by_name, by_name_in_file, into) -> tuple[int, str] | None:
    """Set `draft.parent`; return the row's error instead when it cannot."""
    if draft.parent_code is not None:
        parent = by_pk.get(draft.parent_code)
        if parent is None:
            return row_error(draft.row, "上级编号", OUT_OF_RANGE)
        row_names = {d.name for d in by_name_in_file if d.org and d.org.pk == parent.pk}
        if draft.parent_name and draft.parent_name not in {parent.name, *row_names}:
            return row_error(draft.row, "上级组织", "与『上级编号』不是同一个组织")
        draft.parent = parent
        return None
    if not draft.parent_name:
        draft.parent = into
        return None
    candidates = [d for d in by_name_in_file if d is not draft]
    in_file = {d.org.pk for d in candidates if d.org}
    candidates += [o for o in by_name.get(draft.parent_name, []) if o.pk not in in_file]
    if draft.org is not None:
        candidates = [c for c in candidates if c is not draft.org]
    if not candidates:
        return row_error(draft.row, "上级组织", "不存在")
    if len(candidates) > 1:
        message = f"“{draft.parent_name}”有{len(candidates)}个同名组织，请填写『上级编号』加以区分"
        return row_error(draft.row, "上级组织", message)
    draft.parent = candidates[0]
    return None


def _find_cycles(drafts, drafted) -> list[tuple[int, str]]:
    """Rows that would end up under themselves once every row's move is applied."""
    errors = []
    for draft in drafts:
        if draft.org is None:
            continue  # a new organization has no subordinates yet
        seen, node = set(), _step_up(draft, drafted)
        while node is not None and id(node) not in seen:
            if node is draft:
                errors.append(row_error(draft.row, "上级组织", "不能是本组织或其下级组织"))
                break
            seen.add(id(node))
            node = _step_up(node, drafted)
    return errors


def _step_up(node, drafted):
    """The next row above `node` after the import; None once only unchanged ancestors remain."""
    if isinstance(node, RowDraft):
        parent = node.parent
        if isinstance(parent, RowDraft) or parent is None:
            return parent
        if parent.pk in drafted:
            return drafted[parent.pk]
        node = parent
    for pk in reversed(node.ancestor_ids):
        if pk in drafted:
            return drafted[pk]
    return None


def _find_duplicates(drafts) -> list[tuple[int, str]]:
    """New rows whose parent already has, or gets from an earlier row, a child of that name."""
    new = [d for d in drafts if d.code is None and d.name and d.parent is not None]
    parent_pks = {d.parent.pk for d in new if isinstance(d.parent, Organization)}
    existing = set(
        Organization.objects.active()
        .filter(parent__in=parent_pks, name__in={d.name for d in new})
        .values_list("parent_id", "name")
    )
    errors, first_row, counts = [], {}, Counter()
    for draft in new:
        parent_key = draft.parent.pk if isinstance(draft.parent, Organization) else id(draft.parent)
        key = (parent_key, draft.name)
        counts[key] += 1
        if isinstance(draft.parent, Organization) and key in existing:
            message = f"“{draft.name}”在上级组织下已存在；如要修改它，请填写『编号』"
            errors.append(row_error(draft.row, "组织名称", message))
        elif counts[key] > 1:
            message = f"与第{first_row[key]}行重复（同一上级组织下同名）"
            errors.append(row_error(draft.row, "组织名称", message))
        first_row.setdefault(key, draft.row)
    return errors


class _RowFailed(Exception):
    def __init__(self, errors):
        self.errors = errors


def save_rows(drafts: list[RowDraft]) -> ImportResult:
    """Write linked rows, parents before children, in one transaction."""
    result = ImportResult()
    saved: dict[int, Organization] = {}
    try:
        with transaction.atomic():
            for draft in sorted(drafts, key=lambda d: _depth(d, {})):
                saved[id(draft)] = _save_row(draft, saved, result)
    except _RowFailed as failed:
        return ImportResult(errors=failed.errors)
    result.organizations = [saved[id(d)] for d in drafts]
    return result


def _depth(draft: RowDraft, memo: dict) -> int:
    if id(draft) not in memo:
        parent = draft.parent
        memo[id(draft)] = _depth(parent, memo) + 1 if isinstance(parent, RowDraft) else 0
    return memo[id(draft)]


def _save_row(draft: RowDraft, saved: dict, result: ImportResult) -> Organization:
    parent = draft.parent
    parent_pk = saved[id(parent)].pk if isinstance(parent, RowDraft) else parent.pk
    try:
        if draft.org is None:
            # Read the parent afresh: an earlier row may have moved it, changing its path.
            parent_org = Organization.objects.get(pk=parent_pk)
            result.created += 1
            return create_organization(parent=parent_org, **draft.values)
        org = update_organization(org=draft.org, **draft.values)
        if org.parent_id != parent_pk:
            org = move_organization(org=org, new_parent=Organization.objects.get(pk=parent_pk))
        result.updated += 1
        return org
    except ValidationError as exc:
        # The cleaning above should have caught this; still an error list, never a 500.
        raise _RowFailed(_validation_errors(draft.row, exc)) from exc


def _validation_errors(row: int, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [row_error(row, "组织名称", " ".join(exc.messages))[1]]
    return [
        row_error(row, HEADER_BY_FIELD.get(name, name), " ".join(messages))[1]
        for name, messages in exc.message_dict.items()
    ]
