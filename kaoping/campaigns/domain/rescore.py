"""A full recompute from raw entries: every submitted sheet of a campaign scored again.

Submission stores what the scoring core computed (`stored.stored_fields`), and results aggregate
those stored numbers without re-scoring. After a rubric correction (an item's max points, a
step, a threshold wrongly transcribed) the stored numbers are stale: `rescore_campaign` switches
the participants of that rubric id to the corrected StoredRubric, scores every SUBMITTED sheet
again from its stored Entry values with `score_sheet` (the rubric, custom items and organization
kind exactly as `sheets.submit_sheet` passes them), stores the new sheet fields and item scores
in bulk and recomputes the results, all in one transaction.

Speed: entries are read with one query per CHUNK sheets (ordered by sheet), each distinct JSON
text decoded once, and rows written with executemany (SQLite) or COPY + UPDATE … FROM
(PostgreSQL). Each sheet is scored on its own: sheets are never memoized by identical entries.
No history rows are written (like the bulk load); the audit event records the rescore.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.campaigns.domain.bulk import ENTRY_COLUMNS, collector_paused, insert_rows
from kaoping.campaigns.domain.custom_items import written_slots
from kaoping.campaigns.domain.results import Recomputed, recompute_results
from kaoping.campaigns.domain.sheets import problem_rows, scoring_args
from kaoping.campaigns.domain.stored import entry_scores, stored_fields
from kaoping.campaigns.enums import CampaignState, SheetStatus
from kaoping.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRubric,
    CustomItem,
    Entry,
    Participant,
    ScoreSheet,
    Stage,
    StoredRubric,
)
from kaoping.scoring import EntryError, score_sheet

__all__ = ["CHUNK", "RescoreError", "Rescored", "rescore_campaign"]

CHUNK = 10_000  # sheets per read: ≈ 370,000 entries of a 37-item sheet, bounds memory
DECODED_LIMIT = 200_000  # distinct JSON texts kept decoded at once


class RescoreError(Exception):
    """A refused rescore; nothing was written. `problems` lists a refused sheet's items (code,
    text and the core's message) and `sheet_id` names it."""

    def __init__(self, message: str, *, problems: list[dict] | None = None, sheet_id=None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.sheet_id = sheet_id


@dataclass
class Rescored:
    """What a rescore did. `phases` are CPU seconds per step (setup, sheets, then per chunk
    read, decode, score, prepare and write, then recompute and audit), for the benchmark."""

    sheets: int = 0
    entries: int = 0
    totals_changed: int = 0
    entry_scores_changed: int = 0
    entries_created: int = 0
    participants_switched: int = 0
    recomputed: Recomputed | None = None
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    def add(self, phase: str, since: float) -> float:
        now = time.process_time()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - since
        return now


@transaction.atomic
def rescore_campaign(*, campaign, by, rubric: StoredRubric | None = None) -> Rescored:
    """Score every SUBMITTED sheet of `campaign` again from its stored entries, optionally after
    switching the participants (and the campaign's rubric choices) of `rubric`'s id to `rubric`,
    a corrected StoredRubric; then recompute the results.

    Side effects (one transaction, all or nothing; the campaign row locked like
    `recompute_results`): each sheet's `stored_fields` and `updated_at` rewritten, Entry.score
    updated where it changed, a row with an empty value added for an item the corrected rubric
    scores that the sheet has none for (as submission does), StageResult/Result replaced, one
    audit event. The published results (PublishedResult) are never touched: after publication
    the corrected results reach readers by a republication (`publication.republish`). Refused
    (RescoreError, nothing written) for an archived campaign, one still scoring (draft or open:
    close it first), a rubric whose id no participant is scored by, or a sheet the core cannot
    score (named)."""
    started, cpu = time.perf_counter(), time.process_time()
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.state == CampaignState.ARCHIVED:
        raise RescoreError(
            _("%(campaign)s is archived: its sheets and results stay as they are.")
            % {"campaign": locked.name}
        )
    if locked.state not in (CampaignState.CLOSED, CampaignState.PUBLISHED):
        # Closed first, so that no sheet is submitted under the old rubric meanwhile.
        raise RescoreError(
            _(
                "Close %(campaign)s before rescoring it: no sheet may be submitted while its "
                "scores are recomputed. Reopen it afterwards if scoring goes on."
            )
            % {"campaign": locked.name}
        )
    rescored = Rescored()
    old, new = _switch_rubric(locked, rubric, rescored) if rubric is not None else ([], None)
    run = _Run(locked.pk, _ScoringArgs(locked), _Decoder(), _Writer(by, rescored), rescored)
    cpu = rescored.add("setup", cpu)
    sheets = _submitted_sheets(locked)
    cpu = rescored.add("sheets", cpu)
    for start in range(0, len(sheets), CHUNK):
        with collector_paused():
            _rescore_chunk(sheets[start : start + CHUNK], run)
    cpu = time.process_time()
    rescored.recomputed = recompute_results(campaign=locked)
    cpu = rescored.add("recompute", cpu)
    rescored.seconds = time.perf_counter() - started
    record(actions.RESCORE, user=by, target=locked, detail=_detail(rescored, old, new))
    rescored.add("audit", cpu)
    return rescored


def _describe(stored: StoredRubric) -> dict:
    return {"pk": stored.pk, "rubric_id": stored.rubric_id, "version": stored.version,
            "sha256": stored.sha256}  # fmt: skip


def _switch_rubric(campaign, rubric: StoredRubric, rescored: Rescored):
    """Point the participants and campaign rubric choices of `rubric`'s id at `rubric`; return
    the rubrics they had before (described) and the new one."""
    participants = Participant.objects.filter(campaign=campaign)
    used = sorted(set(participants.values_list("rubric__rubric_id", flat=True)))
    if rubric.rubric_id not in used:
        raise RescoreError(
            _(
                "The corrected rubric's id is %(new)s, but this campaign scores with %(used)s: "
                "a correction must keep the id of the rubric it corrects."
            )
            % {"new": rubric.rubric_id, "used": "、".join(used) or "—"}
        )
    mine = participants.filter(rubric__rubric_id=rubric.rubric_id).exclude(rubric=rubric)
    old = [_describe(s) for s in StoredRubric.objects.filter(
        pk__in=mine.values("rubric_id")).order_by("pk")]  # fmt: skip
    rescored.participants_switched = mine.update(rubric=rubric)
    CampaignRubric.objects.filter(campaign=campaign, rubric__rubric_id=rubric.rubric_id).exclude(
        rubric=rubric
    ).update(rubric=rubric)
    return old, _describe(rubric)


def _detail(rescored: Rescored, old: list[dict], new: dict | None) -> dict:
    recomputed = rescored.recomputed
    return {
        "sheets": rescored.sheets,
        "entries": rescored.entries,
        "totals_changed": rescored.totals_changed,
        "entry_scores_changed": rescored.entry_scores_changed,
        "entries_created": rescored.entries_created,
        "participants_switched": rescored.participants_switched,
        "results": recomputed.results if recomputed else 0,
        "old_rubrics": old,
        "new_rubric": new,
        "seconds": round(rescored.seconds, 3),
    }


class _ScoringArgs:
    """Participant → the rubric, custom items and kind that score its sheets, by
    `sheets.scoring_args` (what every submission uses) from three bulk queries: participants,
    their StoredRubrics once each, the campaign's custom items (a model instance per participant
    with its prefetch took 0.4 s at 10,000 participants)."""

    def __init__(self, campaign):
        participants = Participant.objects.filter(campaign=campaign)
        self.rubrics = {s.pk: s for s in StoredRubric.objects.filter(
            pk__in=participants.values("rubric_id"))}  # fmt: skip
        self.people = {pk: (rubric, kind) for pk, rubric, kind in participants.values_list(
            "pk", "rubric_id", "organization__kind")}  # fmt: skip
        self.custom: dict[int, list] = {}
        for row in CustomItem.objects.filter(participant__campaign=campaign).only(
            "participant_id", "item_code", "slot_code", "text"
        ):
            self.custom.setdefault(row.participant_id, []).append(row)
        self.args: dict[int, tuple] = {}

    def __call__(self, participant_id: int) -> tuple:
        args = self.args.get(participant_id)
        if args is None:
            rubric, kind = self.people[participant_id]
            rows = self.custom.get(participant_id, [])
            args = self.args[participant_id] = scoring_args(
                self.rubrics[rubric], kind, lambda: written_slots(rows)
            )
        return args


def _tables() -> tuple[str, str, str, str]:
    return (ScoreSheet._meta.db_table, Assignment._meta.db_table, Stage._meta.db_table,
            Entry._meta.db_table)  # fmt: skip


def _submitted_sheets(campaign) -> list[tuple]:
    """The campaign's submitted sheets as (id, participant, total, scaled total) raw from the
    cursor, in id order."""
    sheet, assignment, stage, _entry = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, a.participant_id, s.total, s.scaled_total FROM {sheet} s "
            f"JOIN {assignment} a ON a.id = s.assignment_id "
            f"JOIN {stage} st ON st.id = a.stage_id "
            "WHERE s.status = %s AND st.campaign_id = %s ORDER BY s.id",
            [SheetStatus.SUBMITTED.value, campaign.pk],
        )
        return cursor.fetchall()


def _entry_rows(first: int, last: int, campaign_id: int) -> list[tuple]:
    """(sheet, entry id, item code, JSON text, score) of the submitted sheets with ids in
    [first, last] of the campaign, ordered by sheet: one query, values left undecoded."""
    sheet, assignment, stage, entry = _tables()
    # JSON as text on every database (psycopg would otherwise decode jsonb row by row).
    value = "e.value::text" if connection.vendor == "postgresql" else "e.value"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, e.id, e.item_code, {value}, e.score FROM {sheet} s "
            f"JOIN {assignment} a ON a.id = s.assignment_id "
            f"JOIN {stage} st ON st.id = a.stage_id "
            f"JOIN {entry} e ON e.sheet_id = s.id "
            "WHERE s.id BETWEEN %s AND %s AND s.status = %s AND st.campaign_id = %s "
            "ORDER BY s.id",
            [first, last, SheetStatus.SUBMITTED.value, campaign_id],
        )
        return cursor.fetchall()


class _Decoder:
    """JSON text → value, decoded once per distinct text. Most entries of a campaign share a
    few texts (`{"deductions": []}`); the decoded values are only read by the core."""

    def __init__(self):
        self.values: dict[str, object] = {}

    def __call__(self, text):
        if not isinstance(text, str):
            return text  # a driver that decodes JSON itself
        value = self.values.get(text)
        if value is None:
            if len(self.values) >= DECODED_LIMIT:
                self.values.clear()
            value = self.values[text] = json.loads(text)
        return value


def _grouped(sheets: Sequence[tuple], rows: list[tuple], decode) -> list[tuple]:
    """Per sheet (in `sheets` order): (sheet row, {code: value}, its entry rows)."""
    by_sheet = {sheet_id: list(group) for sheet_id, group in groupby(rows, itemgetter(0))}
    out = []
    for sheet in sheets:
        group = by_sheet.get(sheet[0], ())
        out.append((sheet, {row[2]: decode(row[3]) for row in group}, group))
    return out


@dataclass
class _Run:
    campaign_id: int
    args: _ScoringArgs
    decode: _Decoder
    writer: _Writer
    rescored: Rescored


def _rescore_chunk(chunk, run: _Run) -> None:
    """Read, score and write one chunk of sheets; every query done before its writes."""
    args, writer, rescored = run.args, run.writer, run.rescored
    cpu = time.process_time()
    rows = _entry_rows(chunk[0][0], chunk[-1][0], run.campaign_id)
    cpu = rescored.add("read", cpu)
    grouped = _grouped(chunk, rows, run.decode)
    rescored.entries += len(rows)
    del rows
    cpu = rescored.add("decode", cpu)
    results = []
    for sheet, values, _entries in grouped:
        rubric, custom, kind = args(sheet[1])
        try:
            results.append(score_sheet(rubric, values, custom_items=custom, org_kind=kind))
        except EntryError as error:
            raise _refusal(sheet[0], rubric, error) from error
    cpu = rescored.add("score", cpu)
    for (sheet, values, entries), result in zip(grouped, results, strict=True):
        writer.sheet(sheet, values, entries, result)
    cpu = rescored.add("prepare", cpu)
    writer.flush()
    rescored.add("write", cpu)
    rescored.sheets += len(chunk)


def _refusal(sheet_id: int, rubric, error: EntryError) -> RescoreError:
    sheet = ScoreSheet.objects.select_related(
        "assignment__participant__organization", "assignment__rater"
    ).get(pk=sheet_id)
    rater = sheet.assignment.rater
    problems = problem_rows(rubric, error.problems)
    return RescoreError(
        _(
            "Nothing was rescored: the sheet of %(organization)s by %(rater)s cannot be scored "
            "under the rubric: %(problems)s"
        )
        % {
            "organization": sheet.assignment.participant.organization.name,
            "rater": rater.full_name or rater.username,
            "problems": "；".join(f"{p['where']} {p['message']}" for p in problems),
        },
        problems=problems,
        sheet_id=sheet_id,
    )


def _number(value):
    """A stored decimal as read by the raw cursor (SQLite: int or float) as a Decimal."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _preparer(model, name: str) -> Callable:
    """`value → what the ORM sends for model.name`, so every key `stored_fields` returns is
    written as a save would write it, whatever the key."""
    model_field = model._meta.get_field(name)
    return lambda value: model_field.get_db_prep_value(value, connection, prepared=False)


class _Writer:
    """Collects a chunk's rows (sheet fields, changed entry scores, new entries) and writes
    them in bulk."""

    def __init__(self, by, rescored: Rescored):
        self.by_id, self.rescored = by.pk, rescored
        self.now = _preparer(ScoreSheet, "updated_at")(timezone.now())
        self.names: tuple[str, ...] | None = None
        self.prepare: dict[str, Callable] = {}
        self.score = _memo(_preparer(Entry, "score"))
        self.number = _memo(_number)
        self.empty = _preparer(Entry, "value")({})
        self.sheets, self.scores, self.created = [], [], []

    def sheet(self, sheet, values, entries, result) -> None:
        sheet_id, _participant, total, scaled = sheet
        fields = stored_fields(result)
        if self.names is None:
            self.names = tuple(fields)
            self.prepare = {name: _preparer(ScoreSheet, name) for name in self.names}
        self.sheets.append((*[self.prepare[n](fields[n]) for n in self.names], self.now, sheet_id))
        number = self.number
        if (number(total), number(scaled)) != (result.total, result.scaled_total):
            self.rescored.totals_changed += 1
        scores = entry_scores(result, values)
        # Every entry is an item of the rubric (the core refuses any other code), so each has
        # its score here; an item with no row yet is one the corrected rubric added.
        for _sheet, entry_id, code, _text, before in entries:
            score = scores[code]
            if number(before) != score:
                self.scores.append((self.score(score), entry_id))
        if len(scores) > len(entries):
            for code in scores.keys() - values.keys():
                self.created.append((code, self.empty, self.score(scores[code]), self.now,
                                     sheet_id, self.by_id))  # fmt: skip

    def flush(self) -> None:
        with connection.cursor() as cursor:
            if self.sheets:
                update_rows(cursor, ScoreSheet._meta.db_table,
                            [_column(ScoreSheet, n) for n in (*self.names, "updated_at")],
                            self.sheets)  # fmt: skip
            if self.scores:
                update_rows(cursor, Entry._meta.db_table, ["score"], self.scores)
            if self.created:
                insert_rows(cursor, Entry._meta.db_table, ENTRY_COLUMNS, self.created)
        self.rescored.entry_scores_changed += len(self.scores)
        self.rescored.entries_created += len(self.created)
        self.sheets, self.scores, self.created = [], [], []


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def _memo(function: Callable) -> Callable:
    """`function` computed once per distinct argument (scores and numbers repeat a lot)."""
    known: dict = {}

    def memoized(value):
        try:
            return known[value]
        except KeyError:
            result = known[value] = function(value)
            return result

    return memoized


def update_rows(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """Set `columns` of the rows whose id ends each tuple (values in column order, then id):
    executemany on SQLite and others; on PostgreSQL COPY into a temporary table of the same
    column types, then one UPDATE … FROM it."""
    if connection.vendor != "postgresql":
        assignments = ", ".join(f"{c} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)
        return
    temp, names = f"rescore_{table}", ", ".join(columns)
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} ON COMMIT DROP AS "
                   f"SELECT {names}, id FROM {table} WITH NO DATA")  # fmt: skip
    cursor.execute(f"TRUNCATE {temp}")
    insert_rows(cursor, temp, (*columns, "id"), rows)
    assignments = ", ".join(f"{c} = r.{c}" for c in columns)
    cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {temp} AS r WHERE t.id = r.id")
