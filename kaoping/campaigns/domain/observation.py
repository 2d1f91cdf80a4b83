"""On-site observation (观摩): plan batches, record the five steps and the commentary of each
visit, and rank the organizations visited so far.

Seed 001 names three modes: one by one inside a township (every visited organization under
one township), cross observation between townships (a township's panel visits another's
organizations — the conflict rule of `assignments.rater_conflict` refuses a person scoring their
own township's organizations), and a county demonstration round over the demonstration points
(示范点) the townships nominated, which ranks the townships too. Seed 000 names the five steps
"一听二看三查四谈五评".

Raters score on the ordinary sheets: planning a batch assigns every visited participant to the
batch's panel through `assignments.assign_to_panel` (conflict rule, all or nothing). The
ranking reads the stored totals of the submitted sheets of those assignments and aggregates
them with the stage's method through the scoring core; it never re-scores a sheet.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.assignments import assign_to_panel
from kaoping.campaigns.domain.results_stored import StoredSheet, as_sheet_result
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import SheetStatus, StageKind
from kaoping.campaigns.models import (
    Assignment,
    ObservationBatch,
    ObservationMode,
    ObservationStep,
    Panel,
    Participant,
    Stage,
    Visit,
    VisitStep,
)
from kaoping.scoring import aggregate_scores, aggregate_sheets, rank

ZERO = Decimal(0)


# ---------------------------------------------------------------------------- planning


def _check_plan(stage, panel, starts_on, ends_on, participants) -> None:
    if stage.kind != StageKind.OBSERVATION:
        raise ValidationError(_("Batches are planned only in an observation stage."))
    errors: dict[str, list[str]] = {}
    if panel.stage_id != stage.pk:
        errors["panel"] = [_("The panel %(panel)s is not in this stage.") % {"panel": panel.name}]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The batch cannot end before it starts.")]
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not stage.is_open_on(day):
            errors.setdefault(name, []).append(
                _("The date must fall within the stage's window (%(start)s to %(end)s).")
                % {"start": date_format(stage.starts_on), "end": date_format(stage.ends_on)}
            )
    if not participants:
        errors["participants"] = [_("Choose at least one organization to visit.")]
    elif len({p.pk for p in participants}) != len(participants):
        errors["participants"] = [_("An organization is visited only once in a batch.")]
    if errors:
        raise ValidationError(errors)


def _check_mode(mode, participants, nominated) -> None:
    """One township's organizations in a township round; in a demonstration round every point
    lies within the township that nominated it."""
    if mode == ObservationMode.TOWNSHIP:
        parents = {p.organization.parent_id for p in participants}
        if len(parents) > 1:
            first = participants[0].organization
            outside = [p.organization.name for p in participants
                       if p.organization.parent_id != first.parent_id]  # fmt: skip
            raise ValidationError({"participants": [
                _("A township round visits the organizations of one township; not under the "
                  "same township as %(first)s: %(names)s")
                % {"first": first.name, "names": "、".join(outside)}
            ]})  # fmt: skip
    if mode == ObservationMode.DEMONSTRATION:
        wrong = [p.organization.name for p in participants
                 if not p.organization.is_within(nominated[p.pk])]  # fmt: skip
        if wrong:
            raise ValidationError({"participants": [
                _("A demonstration point lies within the township that nominated it: %(names)s")
                % {"names": "、".join(wrong)}
            ]})  # fmt: skip


@transaction.atomic
def plan_batch(
    *,
    stage: Stage,
    panel: Panel,
    name: str,
    mode: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    participants: Sequence[Participant],
    by,
    nominated_by: dict | None = None,
) -> ObservationBatch:
    """Plan a batch: `participants` are visited in the order given.

    `nominated_by` (demonstration rounds): participant pk → the township that nominated it;
    by default the organization's parent. Refused (ValidationError naming the field, nothing
    written) outside an observation stage, with a panel of another stage, dates outside the
    stage's window, no or repeated organizations, a township round over several townships,
    or any pair the conflict rule refuses. Side effects: the ObservationBatch, one Visit per
    participant, and (through `assign_to_panel`) an Assignment per panel person and visited
    participant, due on the batch's last day.
    """
    participants = list(participants)
    _check_plan(stage, panel, starts_on, ends_on, participants)
    nominated = {}
    if mode == ObservationMode.DEMONSTRATION:
        given = nominated_by or {}
        nominated = {p.pk: given.get(p.pk) or p.organization.parent or p.organization
                     for p in participants}  # fmt: skip
    _check_mode(mode, participants, nominated)
    batch = ObservationBatch.objects.create(
        stage=stage, panel=panel, name=name, mode=mode, starts_on=starts_on, ends_on=ends_on,
        created_by=by,
    )  # fmt: skip
    Visit.objects.bulk_create(
        Visit(batch=batch, participant=p, position=n, nominated_by=nominated.get(p.pk))
        for n, p in enumerate(participants, start=1)
    )
    try:
        assign_to_panel(panel=panel, participants=participants, due_on=ends_on)
    except ValidationError as err:
        raise ValidationError({"participants": err.messages}) from err
    return batch


# ---------------------------------------------------------------------------- the visit


def steps_of(visit: Visit) -> list[tuple[str, str, VisitStep | None]]:
    """The five steps in order: (code, label, the recorded row or None)."""
    recorded = {s.step: s for s in visit.steps.all()}
    return [(code, label, recorded.get(code)) for code, label in ObservationStep.choices]


@transaction.atomic
def record_steps(*, visit: Visit, steps: dict[str, tuple[bool, str]], by) -> list[VisitStep]:
    """Record the steps of a visit: step code → (done, notes). Steps not named stay as they are.

    Refused (ValidationError) for an unknown step code. Side effects: creates or updates one
    VisitStep per named step (history records who)."""
    unknown = sorted(set(steps) - set(ObservationStep.values))
    if unknown:
        raise ValidationError(_("Unknown step: %(codes)s") % {"codes": ", ".join(unknown)})
    existing = {s.step: s for s in visit.steps.all()}
    written = []
    for code, (done, notes) in steps.items():
        row = existing.get(code) or VisitStep(visit=visit, step=code)
        row.done, row.notes, row.recorded_by = bool(done), notes.strip(), by
        row._history_user = by
        row.save()
        written.append(row)
    return written


@transaction.atomic
def record_commentary(*, visit: Visit, text: str, by) -> Visit:
    """Store the leader's commentary (点评) on a visit; blank clears it.

    Side effects: the Visit's commentary, who and when (history records the change)."""
    text = text.strip()
    visit.commentary = text
    visit.commentary_by = by if text else None
    visit.commentary_at = timezone.now() if text else None
    visit._history_user = by
    visit.save(update_fields=["commentary", "commentary_by", "commentary_at"])
    return visit


def batch_assignments(batch: ObservationBatch):
    """The assignments scored in this batch: its panel's, for the organizations it visits."""
    return Assignment.objects.filter(
        stage_id=batch.stage_id, panel_id=batch.panel_id, participant__visits__batch=batch
    )


# ---------------------------------------------------------------------------- ranking


@dataclass
class VisitRow:
    """One visit with its progress and, once a sheet is in, its aggregate and rank."""

    visit: Visit
    raters: int = 0
    submitted: int = 0
    total: Decimal | None = None
    grade: str = ""
    vetoed: bool = False
    note: str = ""
    rank: int | None = None
    sheets: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.raters > 0 and self.submitted == self.raters


@dataclass
class TownshipRow:
    """A township of a demonstration round: the mean of its points' aggregates, and its rank."""

    name: str
    points: int
    total: Decimal
    rank: int = 0


@dataclass
class BatchRanking:
    visits: list[VisitRow]  # in visit order
    ranked: list[VisitRow]  # the visits with a submitted sheet, best first
    townships: list[TownshipRow]


def _sheet_rows(batch: ObservationBatch) -> list[tuple]:
    return list(
        batch_assignments(batch).values_list(
            "participant_id", "sheet__pk", "sheet__status", "sheet__total",
            "sheet__scaled_total", "sheet__sections", "sheet__vetoes",
            "rater__full_name", "rater__username",
        )
    )  # fmt: skip


def batch_ranking(batch: ObservationBatch) -> BatchRanking:
    """The batch's live ranking: per visit the raters and submitted sheets, the aggregate of the
    submitted sheets' stored totals with the stage's method (`aggregate_sheets`: total, grade,
    vetoes), and the core's shared-tie `rank` among visits scored on the same rubric (a vetoed
    organization after every other, as in results). Two queries whatever the batch's size."""
    stage = batch.stage
    visits = list(
        batch.visits.select_related(
            "participant__organization", "participant__rubric", "nominated_by"
        )
    )
    rows = {v.participant_id: VisitRow(visit=v) for v in visits}
    for (participant_id, pk, status, total, scaled, sections, vetoes,
         full_name, username) in _sheet_rows(batch):  # fmt: skip
        row = rows[participant_id]
        row.raters += 1
        if status == SheetStatus.SUBMITTED:
            row.submitted += 1
            row.sheets.append(StoredSheet(
                pk=pk, stage_id=stage.pk, participant_id=participant_id,
                rater=full_name or username, total=total if total is not None else ZERO,
                scaled_total=scaled if scaled is not None else (total or ZERO),
                sections=sections or [], vetoes=tuple(vetoes or ()), lost_points=[],
            ))  # fmt: skip
    for row in rows.values():
        if row.sheets:
            _aggregate(row, stage)
    ordered = [rows[v.participant_id] for v in visits]
    scored = [r for r in ordered if r.total is not None]
    if scored:
        ranks = rank([r.total for r in scored], last=[r.vetoed for r in scored],
                     scopes=[r.visit.participant.rubric_id for r in scored])  # fmt: skip
        for row, place in zip(scored, ranks, strict=True):
            row.rank = place
    ranked = sorted(scored, key=lambda r: (r.rank, r.visit.position))
    townships = _townships(scored) if batch.mode == ObservationMode.DEMONSTRATION else []
    return BatchRanking(visits=ordered, ranked=ranked, townships=townships)


def _aggregate(row: VisitRow, stage: Stage) -> None:
    rubric = rubric_of(row.visit.participant.rubric)
    aggregate = aggregate_sheets(
        [as_sheet_result(rubric, s) for s in row.sheets], rubric=rubric,
        raters=[s.rater for s in row.sheets], method=stage.method, trim=stage.trim,
    )  # fmt: skip
    row.total = aggregate.total.value
    row.grade = aggregate.grade or ""
    row.vetoed = aggregate.vetoed
    row.note = aggregate.total.note


def _townships(scored: list[VisitRow]) -> list[TownshipRow]:
    """Seed 001's demonstration round ranks the townships: each by the mean (the core's
    `aggregate_scores`) of its demonstration points' aggregates."""
    grouped: dict[int, list[VisitRow]] = defaultdict(list)
    for row in scored:
        if row.visit.nominated_by_id:
            grouped[row.visit.nominated_by_id].append(row)
    townships = [
        TownshipRow(name=rows[0].visit.nominated_by.name, points=len(rows),
                    total=aggregate_scores([r.total for r in rows]).value)
        for rows in grouped.values()
    ]  # fmt: skip
    for township, place in zip(townships, rank([t.total for t in townships]), strict=True):
        township.rank = place
    return sorted(townships, key=lambda t: (t.rank, t.name))
