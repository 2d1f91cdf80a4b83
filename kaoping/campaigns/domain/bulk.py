"""Submitted sheets and their entries loaded in bulk, at database speed.

The paper/xlsx import and the benchmark's synthetic province store thousands to millions of
submitted sheets at once. `store_submissions` (stored.py) goes through the ORM's `bulk_create`
(~30,000 rows/s); here the same rows — sheets with the scoring core's stored fields, entries with
their item scores (same rule for which items get a row: `stored.entry_scores`) and one submitted
event per sheet — go through `cursor.executemany` on SQLite and COPY on PostgreSQL, in one
transaction. Every sheet is scored by the core (`score_sheet`) before anything is written, so a bad
entry refuses the whole load with the core's problems; a row the database refuses (a sheet that
already exists) rolls everything back. No history rows, like `store_submissions`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from kaoping.campaigns.domain.stored import entry_scores, stored_fields
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Entry, ScoreSheet, SheetEvent
from kaoping.scoring import EntryError, Rubric, SheetResult, score_sheet

CHUNK = 50_000  # sheets per round trip; bounds memory at province scale


@dataclass(frozen=True)
class BulkSheet:
    """One sheet to load: its assignment, the raw entries by item code and who entered them.
    `result` may carry the core's score when the caller already has it (it is then trusted)."""

    assignment_id: int
    values: Mapping[str, object]
    by_id: int
    result: SheetResult | None = None


@dataclass
class Loaded:
    sheets: int = 0
    entries: int = 0


def score_all(rubric: Rubric, sheets: Sequence[BulkSheet]) -> list[SheetResult]:
    """The core's score of every sheet, or EntryError naming the first bad sheet's problems."""
    results = []
    for position, sheet in enumerate(sheets):
        if sheet.result is not None:
            results.append(sheet.result)
            continue
        try:
            results.append(score_sheet(rubric, sheet.values))
        except EntryError as error:
            error.sheet_position = position  # which row of the load was refused
            raise
    return results


@transaction.atomic
def load_submitted(*, rubric: Rubric, sheets: Sequence[BulkSheet]) -> Loaded:
    """Store `sheets` as SUBMITTED ScoreSheets with their Entries and a submitted SheetEvent each.

    Side effects (one transaction, all or nothing): every sheet scored by the core first (an
    EntryError refuses the load before any write); then inserts in chunks of CHUNK sheets via
    executemany (SQLite, others) or COPY (PostgreSQL). IntegrityError (e.g. an assignment that
    already has a sheet) rolls the whole load back."""
    results = score_all(rubric, sheets)
    now = timezone.now()
    loaded = Loaded()
    for start in range(0, len(sheets), CHUNK):
        part = sheets[start : start + CHUNK]
        loaded.entries += _write_chunk(part, results[start : start + CHUNK], now)
        loaded.sheets += len(part)
    return loaded


def _json(value) -> str:
    # What JSONField.get_db_prep_value writes (json.dumps with its defaults).
    return json.dumps(value)


def _decimal(field, value):
    return None if value is None else connection.ops.adapt_decimalfield_value(
        value, field.max_digits, field.decimal_places
    )  # fmt: skip


def _sheet_rows(sheets, results, now) -> list[tuple]:
    fields = ScoreSheet._meta
    total, scaled = fields.get_field("total"), fields.get_field("scaled_total")
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows, prepared = [], {}
    for sheet, result in zip(sheets, results, strict=True):
        # Imports repeat the same result object for identical sheets: prepare it once.
        fields = prepared.get(id(result))
        if fields is None:
            stored = stored_fields(result)
            fields = prepared[id(result)] = (
                _decimal(total, stored["total"]), _decimal(scaled, stored["scaled_total"]),
                stored["grade"], _json(stored["section_scores"]), _json(stored["stars"]),
                _json(stored["vetoes"]), _json(stored["lost_points"]), _json(stored["sections"]),
            )  # fmt: skip
        rows.append((sheet.assignment_id, SheetStatus.SUBMITTED.value, 1, "", stamp, "",
                     *fields, stamp))  # fmt: skip
    return rows


SHEET_COLUMNS = (
    "assignment_id", "status", "version", "commentary", "submitted_at", "returned_reason",
    "total", "scaled_total", "grade", "section_scores", "stars", "vetoes", "lost_points",
    "sections", "updated_at",
)  # fmt: skip
ENTRY_COLUMNS = ("sheet_id", "item_code", "value", "score", "updated_by_id", "updated_at")
EVENT_COLUMNS = ("sheet_id", "kind", "by_id", "at", "reason", "total")


def _write_chunk(sheets, results, now) -> int:
    with connection.cursor() as cursor:
        _insert(cursor, ScoreSheet._meta.db_table, SHEET_COLUMNS, _sheet_rows(sheets, results, now))
        ids = _sheet_ids(cursor, [s.assignment_id for s in sheets])
        entry_rows, event_rows = _entry_and_event_rows(sheets, results, ids, now)
        _insert(cursor, Entry._meta.db_table, ENTRY_COLUMNS, entry_rows)
        _insert(cursor, SheetEvent._meta.db_table, EVENT_COLUMNS, event_rows)
    return len(entry_rows)


def _sheet_ids(cursor, assignment_ids: list[int]) -> dict[int, int]:
    """assignment → the new sheet's id (a sheet is one-to-one with its assignment). Read back
    rather than guessed from a sequence, so concurrent inserts can never shift them."""
    table = ScoreSheet._meta.db_table
    found: dict[int, int] = {}
    for start in range(0, len(assignment_ids), 900):  # SQLite's bound-parameter limit
        batch = assignment_ids[start : start + 900]
        marks = ", ".join(["%s"] * len(batch))
        cursor.execute(f"SELECT assignment_id, id FROM {table} WHERE assignment_id IN ({marks})",
                       batch)  # fmt: skip
        found.update(cursor.fetchall())
    return found


def _entry_and_event_rows(sheets, results, ids, now):
    score_field = Entry._meta.get_field("score")
    event_total = SheetEvent._meta.get_field("total")
    stamp = connection.ops.adapt_datetimefield_value(now)
    empty = _json({})
    entries, events, prepared = [], [], {}
    for sheet, result in zip(sheets, results, strict=True):
        sheet_id = ids[sheet.assignment_id]
        # (code, value, score) per entry row, prepared once per distinct (values, result) pair.
        key = (id(sheet.values), id(result))
        cells = prepared.get(key)
        if cells is None:
            cells = prepared[key] = [
                (code, empty if sheet.values.get(code) is None else _json(sheet.values[code]),
                 _decimal(score_field, score))
                for code, score in entry_scores(result, sheet.values).items()
            ]  # fmt: skip
        entries.extend([(sheet_id, code, value, score, sheet.by_id, stamp)
                        for code, value, score in cells])  # fmt: skip
        events.append((sheet_id, SheetEvent.Kind.SUBMITTED.value, sheet.by_id, stamp, "",
                       _decimal(event_total, result.total)))  # fmt: skip
    return entries, events


def _insert(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """The fastest safe insert for the database: COPY on PostgreSQL, executemany elsewhere."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        # The raw psycopg cursor bypasses Django's error translation: restore it, so a refused
        # row raises django.db.IntegrityError here as it does with executemany.
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
