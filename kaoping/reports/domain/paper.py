"""The paper round trip: blank sheets for a rater's assignments, filled offline, uploaded.

Reading is the clerk's workbook reader (cells → entries, with worksheet/row/item for every
problem); validation is the scoring core; storing is `save_entry`, the very function a typed-in
entry goes through (window, lock, version, history). All or nothing: one problem anywhere and
nothing is written.
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from kaoping.audit import actions
from kaoping.audit import log as audit
from kaoping.campaigns.domain.custom_items import custom_items_for
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.domain.sheets import SheetError, open_sheet, save_entry, window_check
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Assignment
from kaoping.reports.interfaces import xlsx
from kaoping.reports.models import ImportRecord
from kaoping.scoring import EntryError, score_sheet
from kaoping.scoring.workbook import read_workbook

IMPORTED = "imported"


@dataclass
class PaperProblem:
    sheet: str
    message: str
    row: int | None = None
    item: str = ""


@dataclass
class ImportOutcome:
    problems: list[PaperProblem] = field(default_factory=list)
    record: ImportRecord | None = None


def rater_assignments(*, stage, rater):
    """A rater's assignments in a stage, organizations in tree order (one query)."""
    return (
        Assignment.objects.filter(stage=stage, rater=rater)
        .select_related(
            "participant__organization", "participant__rubric", "rater", "stage__campaign"
        )
        .order_by("participant__organization__path")
    )


def blank_workbook(*, assignments) -> tempfile.SpooledTemporaryFile:
    """The blank sheets as a file (rewound). No database writes."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    xlsx.write_blank_sheets(out, assignments)
    out.seek(0)
    return out


def _problem(item) -> PaperProblem:
    return PaperProblem(sheet=item.where, message=item.message, row=item.row, item=item.code or "")


def _read(assignments, upload) -> tuple[list, list[PaperProblem]]:
    rubrics = {a.participant.rubric_id for a in assignments}
    if len(rubrics) != 1:
        return [], [PaperProblem("", _("These assignments use different score sheets; upload "
                                       "one workbook per assignment."))]  # fmt: skip
    rubric = rubric_of(assignments[0].participant.rubric)
    sheets, problems = read_workbook(rubric, upload)
    return [(rubric, s) for s in sheets], [_problem(p) for p in problems]


def _match(assignments, pairs, problems, day):
    """Pair each worksheet with the assignment of its 被考核单位; check each can take entries."""
    by_name: dict[str, list] = {}
    for a in assignments:
        by_name.setdefault(a.participant.organization.name, []).append(a)
    matched = []
    for rubric, sheet in pairs:
        found = by_name.get(sheet.organization, [])
        if len(found) != 1:
            message = (_("%(org)s is not one of the organizations of this download.")
                       if not found else _("%(org)s names more than one organization; upload "
                       "its assignment on its own.")) % {"org": sheet.organization}  # fmt: skip
            problems.append(PaperProblem(sheet.where, message))
            continue
        assignment = found[0]
        ok, message = window_check(assignment.stage, day)
        current = getattr(assignment, "sheet", None)
        if ok and current is not None and current.status == SheetStatus.SUBMITTED:
            ok, message = False, _("This sheet has been submitted and cannot change.")
        if not ok:
            problems.append(PaperProblem(sheet.where, message))
            continue
        participant = assignment.participant
        # the custom items' wording stays what the organization wrote, not what paper says
        custom = custom_items_for(participant=participant)
        try:
            score_sheet(rubric, sheet.entries, custom_items=custom,
                        org_kind=participant.organization.kind, allow_missing=True)  # fmt: skip
        except EntryError as err:
            problems.extend(_problem(sheet.problem(p.code, p.message)) for p in err.problems)
            continue
        matched.append((assignment, sheet))
    return matched


def import_paper(*, assignments, upload, filename: str, by,
                 day: datetime.date | None = None) -> ImportOutcome:  # fmt: skip
    """Validate every worksheet of `upload` and, only if all are clean, store their entries.

    Side effects (only without problems, in one transaction): each sheet opened if needed and
    its entries written through `save_entry` (items left blank on paper are cleared), every
    entry history row's change reason set to "imported" with `by` as its user, one
    ImportRecord(by, file hash, sheets, entry count), an audit event (import, success). A
    refused upload writes only an audit event (import, failure). Any SheetError (a save racing the
    import) rolls everything back and is returned as a problem."""
    day = day or timezone.localdate()
    assignments = list(assignments)
    content = upload.read()
    upload.seek(0)
    pairs, problems = _read(assignments, upload)
    matched = _match(assignments, pairs, problems, day) if not problems else []
    sha256 = hashlib.sha256(content).hexdigest()
    audited = {"kind": "paper", "filename": filename, "sha256": sha256}
    if problems:
        _audit_refused(by, audited, problems)
        return ImportOutcome(problems=problems)
    try:
        with transaction.atomic():
            record = _store(matched, by=by, day=day, filename=filename, sha256=sha256,
                            stage=assignments[0].stage)  # fmt: skip
            audit.record(actions.IMPORT, user=by, target=record, detail={
                **audited, "sheets": len(matched), "entries": record.entry_count})  # fmt: skip
    except SheetError as err:
        detail = [PaperProblem(p.get("where", ""), p["message"], item=p["code"])
                  for p in err.problems]  # fmt: skip
        problems = [PaperProblem("", err.message), *detail]
        _audit_refused(by, audited, problems)
        return ImportOutcome(problems=problems)
    return ImportOutcome(record=record)


def _audit_refused(by, audited: dict, problems: list[PaperProblem]) -> None:
    audit.record(actions.IMPORT, user=by, result="failure",
                 detail={**audited, "problems": len(problems)})  # fmt: skip


def _store(matched, *, by, day, filename, sha256, stage) -> ImportRecord:
    record = ImportRecord.objects.create(stage=stage, by=by, filename=filename[:255],
                                         sha256=sha256)  # fmt: skip
    count = 0
    for assignment, sheet_input in matched:
        sheet = open_sheet(assignment=assignment)
        version = sheet.version
        stale = set(sheet.entries.values_list("item_code", flat=True)) - set(sheet_input.entries)
        for code, value in [*sheet_input.entries.items(), *((c, None) for c in sorted(stale))]:
            saved = save_entry(sheet=sheet, item_code=code, value=value, by=by, version=version,
                               day=day)  # fmt: skip
            version = saved.version
            if saved.entry is not None:
                update_change_reason(saved.entry, IMPORTED)
                count += 1
        record.sheets.add(sheet)
    record.entry_count = count
    record.save(update_fields=["entry_count"])
    return record
