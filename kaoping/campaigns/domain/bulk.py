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

import gc
import json
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

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
    with page_cache():
        for start in range(0, len(sheets), CHUNK):
            part = sheets[start : start + CHUNK]
            loaded.entries += _write_chunk(part, results[start : start + CHUNK], now)
            loaded.sheets += len(part)
    return loaded


LOAD_CACHE_KIB = 262_144  # SQLite page cache during a bulk job: 256 MiB


@contextmanager
def page_cache():
    """On SQLite, a large page cache for a bulk job (a load's entry B-trees, a recompute's result
    tables then stay in memory instead of being re-read page by page), restored afterwards.
    Memory only: durability, journaling and the transaction are unchanged."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def collector_paused():
    """Python's cycle collector off for a bulk job, then back as it was. Such a job allocates
    millions of short-lived containers that form no cycles, and each collection they trigger
    walks them all (a quarter of a recompute's time, 40 % of a rescore's scoring: measured);
    whatever cycles do form are collected once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _json(value) -> str:
    # What JSONField.get_db_prep_value writes (json.dumps with its defaults).
    return json.dumps(value)


class JsonTexts:
    """`_json(value)` encoded once per distinct value: a load's entries repeat a few shapes
    (`{"deductions": []}` for most items), and encoding each one was a third of the load's
    time. Values are told apart by exact type as well as by equality (1, 1.0 and True encode
    differently), so the text is always what `_json` gives for that very value."""

    def __init__(self):
        self.texts: dict[object, str] = {}

    def __call__(self, value) -> str:
        try:
            key = _frozen(value)
            text = self.texts.get(key)
        except TypeError:  # something json may still encode but we cannot key: no memo
            return _json(value)
        if text is None:
            text = self.texts[key] = _json(value)
        return text


def _frozen(value):
    """A hashable key equal for two values only if json.dumps writes them the same way."""
    kind = type(value)
    if kind is dict:
        return (dict, *[(type(k), k, _frozen(v)) for k, v in value.items()])
    if kind is list or kind is tuple:
        return (kind, *[_frozen(v) for v in value])
    if kind is float:
        return (float, repr(value))  # -0.0 == 0.0 but encodes as "-0.0"; nan != nan
    hash(value)  # TypeError for anything else unhashable
    return (kind, value)


def _decimal(field, value):
    return _decimal_of(field)(value)


def _decimal_of(field):
    """What `_decimal(field, value)` returns, as a function of the value: the connection's
    adapter looked up once (through the connection proxy it costs more than the adaptation)."""
    adapt, digits, places = (
        connection.ops.adapt_decimalfield_value,
        field.max_digits,
        field.decimal_places,
    )

    def adapted(value):
        return None if value is None else adapt(value, digits, places)

    return adapted


def _final_of():
    """A function giving an adapted decimal as the text the driver would make of it (sqlite3's
    registered adapter for Decimal is `str`), so it is done once per distinct entry instead of
    once per row. Other drivers get the adapted value unchanged."""
    if connection.vendor != "sqlite":
        return lambda adapted: adapted
    return lambda adapted: str(adapted) if isinstance(adapted, Decimal) else adapted


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
                stored["figures"], stored["losses"], stored["loss_reasons"],
            )  # fmt: skip
        rows.append((sheet.assignment_id, SheetStatus.SUBMITTED.value, 1, "", stamp, "",
                     *fields, stamp))  # fmt: skip
    return rows


SHEET_COLUMNS = (
    "assignment_id", "status", "version", "commentary", "submitted_at", "returned_reason",
    "total", "scaled_total", "grade", "section_scores", "stars", "vetoes", "lost_points",
    "sections", "figures", "losses", "loss_reasons", "updated_at",
)  # fmt: skip
# The per-sheet columns last: a row is a prepared (code, value, score, stamp) plus (sheet, by).
ENTRY_COLUMNS = ("item_code", "value", "score", "updated_at", "sheet_id", "updated_by_id")
EVENT_COLUMNS = ("sheet_id", "kind", "by_id", "at", "reason", "total")


def _write_chunk(sheets, results, now) -> int:
    with connection.cursor() as cursor:
        insert_rows(
            cursor, ScoreSheet._meta.db_table, SHEET_COLUMNS, _sheet_rows(sheets, results, now)
        )
        ids = _sheet_ids(cursor, [s.assignment_id for s in sheets])
        entry_rows, event_rows = _entry_and_event_rows(sheets, results, ids, now)
        insert_rows(cursor, Entry._meta.db_table, ENTRY_COLUMNS, entry_rows)
        insert_rows(cursor, SheetEvent._meta.db_table, EVENT_COLUMNS, event_rows)
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
    score_of = _decimal_of(Entry._meta.get_field("score"))
    event_total = _decimal_of(SheetEvent._meta.get_field("total"))
    stamp = connection.ops.adapt_datetimefield_value(now)
    empty, text_of, final = _json({}), JsonTexts(), _final_of()
    entries, events, prepared = [], [], {}
    for sheet, result in zip(sheets, results, strict=True):
        sheet_id = ids[sheet.assignment_id]
        # (code, value, score, stamp) per entry row, prepared once per distinct (values, result)
        # pair; a row is then one tuple concatenation.
        key = (id(sheet.values), id(result))
        cells = prepared.get(key)
        if cells is None:
            cells = prepared[key] = [
                (code, empty if sheet.values.get(code) is None else text_of(sheet.values[code]),
                 final(score_of(score)), stamp)
                for code, score in entry_scores(result, sheet.values).items()
            ]  # fmt: skip
        tail = (sheet_id, sheet.by_id)
        entries.extend([cell + tail for cell in cells])
        events.append((sheet_id, SheetEvent.Kind.SUBMITTED.value, sheet.by_id, stamp, "",
                       event_total(result.total)))  # fmt: skip
    return entries, events


def insert_rows(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
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
