"""Random draws (双随机) of a campaign: organizations and inspectors from a recorded seed.

The drawing is the pure core's (`kaoping.scoring.sampling`). Inputs are the campaign's
participants ordered by organization path and the inspector pool in the order chosen; both are
stored with the seed, so `verify_draw` re-runs the core and shows the identical result, and
`draw_workbook` exports the record for publication (公示).
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kaoping.accounts.models import User
from kaoping.campaigns.domain import assignments
from kaoping.campaigns.domain.selection_common import new_seed, recusal
from kaoping.campaigns.enums import StageKind
from kaoping.campaigns.models import Assignment, Draw, Participant
from kaoping.core.spreadsheet_safety import safe_row, safe_text
from kaoping.scoring import draw_inspectors, draw_units

SAMPLE_STAGE_KINDS = (StageKind.SPOT_CHECK, StageKind.CROSS_REVIEW)


def _run(campaign, *, seed, share, count, stratify, per_unit, same_parent, units, pool):
    participants = Participant.objects.select_related("organization").in_bulk(units)
    ordered = [participants[pk] for pk in units if pk in participants]
    strata = {p.pk: p.organization.parent_id for p in ordered} if stratify else None
    drawn = draw_units([p.pk for p in ordered], seed=seed, share=share, count=count, strata=strata)
    by_pk = User.objects.select_related("home_organization").in_bulk(pool)
    people = [by_pk[pk] for pk in pool if pk in by_pk]
    conflict, _owned = recusal(people, ordered, same_parent=same_parent)
    inspectors = draw_inspectors(
        list(drawn.drawn), [u.pk for u in people], seed=seed, per_unit=per_unit, conflict=conflict
    )
    return drawn, inspectors


@transaction.atomic
def make_draw(
    *, campaign, title: str, share=None, count=None, stratify=False, per_unit=2,
    same_parent=False, pool=(), by, seed=None,
) -> Draw:  # fmt: skip
    """Draw `share` (rounded up) or `count` of the campaign's participants and `per_unit`
    inspectors each from `pool`. Side effects: one Draw row holding seed, inputs and result."""
    if (share is None) == (count is None):
        raise ValidationError(_("Give either a share or a number of organizations."))
    if per_unit < 2:
        raise ValidationError({"per_unit": [_("At least two inspectors per organization.")]})
    pool = [u.pk for u in pool]
    if len(pool) < per_unit:
        raise ValidationError(
            {"pool": [_("The pool needs at least %(n)d inspectors.") % {"n": per_unit}]}
        )
    units = list(campaign.participants.order_by("organization__path").values_list("pk", flat=True))
    seed = new_seed() if seed is None else seed
    drawn, inspectors = _run(
        campaign, seed=seed, share=share, count=count, stratify=stratify, per_unit=per_unit,
        same_parent=same_parent, units=units, pool=pool,
    )  # fmt: skip
    return Draw.objects.create(
        campaign=campaign, title=title, seed=seed, share=share, count=count, stratify=stratify,
        per_unit=per_unit, same_parent=same_parent, units=units, pool=pool,
        strata={str(k): v for k, v in drawn.strata.items()} if drawn.strata else None,
        drawn=list(drawn.drawn),
        inspectors={str(k): list(v) for k, v in inspectors.inspectors.items()},
        short=list(inspectors.short), created_by=by,
    )  # fmt: skip


def verify_draw(*, draw: Draw) -> dict:
    """Re-run the draw from its recorded seed and inputs. Returns {"same": bool, "drawn": [...],
    "inspectors": {...}} with the re-computed result. No side effects."""
    share = None if draw.share is None else Decimal(draw.share).normalize()
    drawn, inspectors = _run(
        draw.campaign, seed=draw.seed, share=share, count=draw.count, stratify=draw.stratify,
        per_unit=draw.per_unit, same_parent=draw.same_parent, units=draw.units, pool=draw.pool,
    )  # fmt: skip
    again = {str(k): list(v) for k, v in inspectors.inspectors.items()}
    return {
        "same": list(drawn.drawn) == draw.drawn and again == draw.inspectors,
        "drawn": list(drawn.drawn),
        "inspectors": again,
    }


def draw_rows(draw: Draw) -> list[dict]:
    """The drawn organizations with their inspectors, for pages and the export (two queries)."""
    participants = Participant.objects.select_related("organization__parent").in_bulk(draw.drawn)
    users = User.objects.in_bulk([pk for v in draw.inspectors.values() for pk in v])
    rows = []
    for number, pk in enumerate(draw.drawn, start=1):
        participant = participants.get(pk)
        if participant is None:
            continue
        org = participant.organization
        rows.append(
            {
                "number": number,
                "participant": participant,
                "organization": org.name,
                "parent": org.parent.name if org.parent_id else "",
                "inspectors": [users[u].display_name for u in draw.inspectors.get(str(pk), [])],
                "short": pk in draw.short,
            }
        )
    return rows


def draw_workbook(draw: Draw) -> bytes:
    """The draw record as xlsx for publication: inputs, seed, and the drawn list."""
    book = Workbook()
    sheet = book.active
    sheet.title = "抽取结果"
    how = (
        f"{Decimal(draw.share) * 100:.2f}%（向上取整）"
        if draw.share is not None
        else str(draw.count)
    )
    sheet.append(["抽取记录", safe_text(draw.title)])
    sheet.append(["考评", safe_text(draw.campaign.name)])
    sheet.append(["随机种子", str(draw.seed)])
    sheet.append(["抽取比例或数量", how])
    sheet.append(["按上级分层", "是" if draw.stratify else "否"])
    sheet.append(["每个单位检查人员", draw.per_unit])
    sheet.append(["备选单位数", len(draw.units)])
    sheet.append(["检查人员库人数", len(draw.pool)])
    sheet.append(["抽取时间", timezone.localtime(draw.created_at).strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append(["序号", "被抽取单位", "上级组织", "检查人员"])
    for row in draw_rows(draw):
        sheet.append(
            safe_row(
                [row["number"], row["organization"], row["parent"], "、".join(row["inspectors"])]
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def apply_draw(*, draw: Draw, stage, by) -> list[Assignment]:
    """Create the assignments of a spot-check or cross-review re-check stage (source=sample):
    each drawn participant to its drawn inspectors. Side effects: Assignment rows; the draw's
    stage, applied_by, applied_at."""
    if stage.campaign_id != draw.campaign_id or stage.kind not in SAMPLE_STAGE_KINDS:
        raise ValidationError(
            {"stage": [_("Choose a spot-check or cross-review stage of this campaign.")]}
        )
    if draw.applied_at:
        raise ValidationError(_("This draw has already been applied."))
    assignments.check_assignable(stage)
    participants = Participant.objects.select_related("organization").in_bulk(draw.drawn)
    users = User.objects.in_bulk(draw.pool)
    written = []
    for pk in draw.drawn:
        raters = [users[u] for u in draw.inspectors.get(str(pk), []) if u in users]
        if raters:
            written += assignments.write_assignments(
                stage, [participants[pk]], raters, panel=None, due_on=None,
                source=Assignment.Source.SAMPLE,
            )  # fmt: skip
    draw.stage, draw.applied_by, draw.applied_at = stage, by, timezone.now()
    draw.save(update_fields=["stage", "applied_by", "applied_at"])
    return written
