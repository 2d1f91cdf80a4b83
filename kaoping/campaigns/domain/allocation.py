"""Cross-review allocation (交叉互评) of a stage: propose (dry run), move by hand, apply.

The grouping and the reviewing are the pure core's (`kaoping.scoring.allocation`); this module
feeds it participants ordered by organization path, the chosen raters, and the org-tree recusal
predicate, and stores the proposal with its seed so "verify" re-runs it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.accounts.models import User
from kaoping.campaigns.domain import assignments
from kaoping.campaigns.domain.selection_common import new_seed, recusal
from kaoping.campaigns.models import Assignment, CrossAllocation, Participant
from kaoping.scoring import (
    AllocationError,
    allocate_reviews,
    check_review,
    form_groups,
    place_raters,
)


def _participants(stage) -> list[Participant]:
    return list(
        stage.campaign.participants.select_related("organization").order_by("organization__path")
    )


def _users(pks) -> list:
    by_pk = User.objects.select_related("home_organization").in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _compute(stage, *, seed, group_count, balance, same_parent, rater_pks):
    participants = _participants(stage)
    users = _users(rater_pks)
    conflict, owned = recusal(users, participants, same_parent=same_parent)
    by_org = {p.organization_id: p.pk for p in participants}
    units = [p.pk for p in participants]
    kinds = {p.pk: p.organization.kind for p in participants}
    sizes = {p.pk: getattr(p.organization, "member_count", 0) or 0 for p in participants}
    groups = form_groups(units, group_count, seed=seed, balance=balance, kinds=kinds, sizes=sizes)

    def home(user_pk):
        return next((by_org[o.pk] for o in owned[user_pk] if o.pk in by_org), None)

    team = place_raters(groups, [u.pk for u in users], home=home)
    return allocate_reviews(groups, team, seed=seed, conflict=conflict), units


@transaction.atomic
def propose_allocation(
    *, stage, group_count: int, balance: str, same_parent: bool, raters, by, seed=None
) -> CrossAllocation:
    """Form groups and their reviews for `stage` and store them as a proposal (nothing is
    assigned yet). Side effects: one CrossAllocation row with its seed and inputs."""
    assignments.check_assignable(stage)
    rater_pks = [u.pk for u in raters]
    if not rater_pks:
        raise ValidationError({"raters": [_("Choose at least one rater.")]})
    seed = new_seed() if seed is None else seed
    try:
        result, units = _compute(
            stage, seed=seed, group_count=group_count, balance=balance,
            same_parent=same_parent, rater_pks=rater_pks,
        )  # fmt: skip
    except AllocationError as error:
        raise ValidationError({"group_count": error.problems}) from error
    return CrossAllocation.objects.create(
        stage=stage, seed=seed, group_count=group_count, balance=balance,
        same_parent=same_parent, units=units, groups=[list(g) for g in result.groups],
        raters=[list(r) for r in result.raters],
        reviewer={str(k): v for k, v in result.reviewer.items()},
        unplaced=list(result.unplaced), created_by=by,
    )  # fmt: skip


def verify_allocation(*, allocation: CrossAllocation) -> bool:
    """Re-run the core from the recorded seed and inputs; True when it gives the stored draw
    (before any manual move)."""
    result, units = _compute(
        allocation.stage, seed=allocation.seed, group_count=allocation.group_count,
        balance=allocation.balance, same_parent=allocation.same_parent,
        rater_pks=[pk for team in allocation.raters for pk in team],
    )  # fmt: skip
    return (
        units == allocation.units
        and [list(g) for g in result.groups] == allocation.groups
        and {str(k): v for k, v in result.reviewer.items()} == allocation.reviewer
    )


def _rater_pks(allocation) -> list[int]:
    return [pk for team in allocation.raters for pk in team]


def _labels(allocation):
    participants = Participant.objects.filter(pk__in=allocation.units).select_related(
        "organization"
    )
    names = {p.pk: p.organization.name for p in participants}
    names.update({u.pk: u.display_name for u in _users(_rater_pks(allocation))})
    return names


@transaction.atomic
def move_unit(*, allocation: CrossAllocation, participant_pk: int, group: int, by) -> None:
    """Give `participant_pk` to group `group` to review, checked against the same rules
    (not its own group, no recused rater). Side effects: the stored proposal (history keeps
    the previous one)."""
    if allocation.applied_at:
        raise ValidationError(_("This allocation has been applied; it can no longer change."))
    if participant_pk not in allocation.units:
        raise ValidationError({"participant": [_("Not in this allocation.")]})
    participants = [p for p in _participants(allocation.stage) if p.pk in allocation.units]
    conflict, _owned = recusal(
        _users(_rater_pks(allocation)), participants, same_parent=allocation.same_parent
    )
    names = _labels(allocation)
    problems = check_review(
        participant_pk, group, groups=allocation.groups, raters=allocation.raters,
        conflict=conflict, label=lambda key: names.get(key, str(key)),
    )  # fmt: skip
    if problems:
        raise ValidationError({"group": problems})
    allocation.reviewer[str(participant_pk)] = group
    allocation.unplaced = [pk for pk in allocation.unplaced if pk != participant_pk]
    allocation.moved = True
    allocation.save(update_fields=["reviewer", "unplaced", "moved"])


@transaction.atomic
def apply_allocation(*, allocation: CrossAllocation, by) -> list[Assignment]:
    """Create the assignments (source=cross): every rater of a group scores every participant
    that group reviews. Refused while a participant has no reviewing group, or twice.
    Side effects: Assignment rows; the allocation's applied_by/applied_at."""
    stage = allocation.stage
    assignments.check_assignable(stage)
    if allocation.applied_at:
        raise ValidationError(_("This allocation has already been applied."))
    if allocation.unplaced:
        raise ValidationError(
            _("%(count)d organizations have no reviewing group yet; move them first.")
            % {"count": len(allocation.unplaced)}
        )
    participants = Participant.objects.select_related("organization").in_bulk(allocation.units)
    users = {u.pk: u for u in _users(_rater_pks(allocation))}
    written = []
    for index, team in enumerate(allocation.raters):
        reviewed = [participants[int(pk)] for pk, g in allocation.reviewer.items() if g == index]
        raters = [users[pk] for pk in team if pk in users]
        if reviewed and raters:
            written += assignments.write_assignments(
                stage, reviewed, raters, panel=None, due_on=None, source=Assignment.Source.CROSS
            )
    allocation.applied_by, allocation.applied_at = by, timezone.now()
    allocation.save(update_fields=["applied_by", "applied_at"])
    return written
