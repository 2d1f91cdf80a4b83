"""Grades by share (先进/一般/后进), caps on a grade's share, and award quotas.

Shares and caps are the scoring core's (`grade_by_share`, `cap_share`, `quota`); this module reads
the working Result rows (or the latest publication's frozen rows) and records the organizer's
adjustments of an award list, each with a reason, never beyond the quota.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.publication import latest_publication
from kaoping.campaigns.models import Award, AwardChange, PublishedResult, Result
from kaoping.scoring import cap_share, grade_by_share


def ranked_results(*, campaign, published: bool = False) -> list:
    """Results with a total, best first (published: the latest publication's frozen rows)."""
    if published:
        publication = latest_publication(campaign)
        rows = PublishedResult.objects.filter(publication=publication) if publication else []
    else:
        rows = Result.objects.filter(campaign=campaign)
    if rows == []:
        return []
    rows = rows.exclude(total=None).select_related("participant__organization")
    return sorted(rows, key=lambda r: (-r.total, r.participant.organization.path))


def grades_by_share(*, campaign, top, bottom, published=False, cap_grade="", cap=None) -> list:
    """[(result, share grade, keeps `cap_grade`)] — 先进/一般/后进 by shares of the ranking; when
    `cap_grade` and `cap` are given, those holding the grade beyond `cap` of all lose it."""
    rows = ranked_results(campaign=campaign, published=published)
    totals = [r.total for r in rows]
    labels = grade_by_share(totals, top=top, bottom=bottom) if rows else []
    if cap_grade and cap is not None:
        kept = cap_share(totals, [r.grade == cap_grade for r in rows], share=cap)
    else:
        kept = [r.grade == cap_grade for r in rows] if cap_grade else [None] * len(rows)
    return list(zip(rows, labels, kept, strict=True))


def award_list(*, award: Award) -> dict:
    """The proposal (top of the working ranking within the quota, eligible kinds only), the
    organizer's latest change per participant, and the final list (never above the quota)."""
    rows = ranked_results(campaign=award.campaign)
    if award.org_kinds:
        rows = [r for r in rows if r.participant.organization.kind in award.org_kinds]
    proposed = [r.participant_id for r in rows[: award.quota]]
    changes = {c.participant_id: c for c in award.changes.select_related("decided_by")}
    final = [
        r
        for r in rows
        if (changes[r.participant_id].included if r.participant_id in changes
            else r.participant_id in proposed)
    ]  # fmt: skip
    return {"rows": rows, "proposed": set(proposed), "changes": changes, "final": final}


@transaction.atomic
def adjust_award(*, award: Award, participant, included: bool, reason: str, by) -> AwardChange:
    """Put a participant on (or take it off) the award list with a recorded reason. Refused
    when adding would exceed the quota. Side effects: one AwardChange row."""
    Award.objects.select_for_update().get(pk=award.pk)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the change.")]})
    if participant.campaign_id != award.campaign_id:
        raise ValidationError({"participant": [_("Not taking part in this campaign.")]})
    current = award_list(award=award)
    on_list = {r.participant_id for r in current["final"]}
    if included and participant.pk not in on_list and len(on_list) >= award.quota:
        raise ValidationError(
            _("The quota of %(quota)d for %(award)s is full; take one off first.")
            % {"quota": award.quota, "award": award.name}
        )
    return AwardChange.objects.create(
        award=award, participant=participant, included=included, reason=reason.strip(),
        decided_by=by,
    )  # fmt: skip
