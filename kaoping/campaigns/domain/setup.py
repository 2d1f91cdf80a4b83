"""Setting a campaign up: its settings, rubrics per kind, participants, stages and states.

Who takes part is computed, never picked one by one: the active organizations in the scope's
subtree whose kind takes part, minus the excluded subtrees. While a campaign is a draft its
Participant rows follow that rule (`refresh_participants` runs after every settings change and
once more on opening); from opening on they are fixed, so a later change of the tree never moves
a scored organization in or out.

Stage windows: a campaign's period is the time being assessed (usually a year), and reviews
often happen after it ends (a 2026 assessment scored in January 2027). So a window may start no
earlier than the period's first day and must end within `WINDOW_GRACE_DAYS` after its last day.

Stage weights: a stage's result counts by its weight (0 leaves it out) or, when it overrides, by
replacing the stages before it (`kaoping.scoring.combine_stages`). Before opening, the weights
of the stages that do not override must add up to exactly 1 — or to 0 when some stage
overrides (then the overriding stage alone decides).

Every function is all-or-nothing; refusals raise `django.core.exceptions.ValidationError`
whose messages name the field or the missing thing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.rubrics import store_bundled
from kaoping.campaigns.enums import (
    CAMPAIGN_TRANSITIONS,
    AggregationMethod,
    CampaignState,
    StageKind,
)
from kaoping.campaigns.models import (
    Campaign,
    CampaignRubric,
    CampaignTransition,
    Participant,
    Stage,
)
from kaoping.orgs.enums import OrgKind
from kaoping.orgs.models import Organization

WINDOW_GRACE_DAYS = 366
SETTINGS_FIELDS = (
    "name",
    "year",
    "period_start",
    "period_end",
    "description",
    "scope",
    "participant_kinds",
)
STAGE_FIELDS = (
    "kind",
    "name",
    "position",
    "starts_on",
    "ends_on",
    "method",
    "trim",
    "weight",
    "overrides",
)
# Stages can be added and edited until results are published; deleted only in a draft.
STAGE_EDITABLE_STATES = (CampaignState.DRAFT, CampaignState.OPEN, CampaignState.CLOSED)


def _kind_label(kind: str) -> str:
    return str(dict(OrgKind.choices).get(kind, kind))


# ---------------------------------------------------------------------------- queries


def visible_campaigns(user):
    """Campaigns a user may open: those in an organizer's scope, and those where the user is
    assigned or leads a panel. One query (with subqueries), distinct."""
    from kaoping.accounts import scopes

    if not getattr(user, "is_authenticated", False):
        return Campaign.objects.none()
    condition = (
        Q(scope__in=scopes.managed_organizations(user).values("pk"))
        | Q(pk__in=Stage.objects.filter(assignments__rater=user).values("campaign_id"))
        | Q(pk__in=Stage.objects.filter(panels__leader=user).values("campaign_id"))
    )
    return Campaign.objects.filter(condition)


# ---------------------------------------------------------------------------- participants


def participating_organizations(*, campaign: Campaign):
    """The organizations the campaign's settings select (a queryset; nothing is written)."""
    orgs = (
        Organization.objects.within([campaign.scope])
        .active()
        .filter(kind__in=campaign.participant_kinds or [])
    )
    excluded = list(campaign.excluded.all()) if campaign.pk else []
    if excluded:
        orgs = orgs.exclude(pk__in=Organization.objects.within(excluded).values("pk"))
    return orgs.order_by("path")


def kinds_lacking_rubric(*, campaign: Campaign) -> list[str]:
    """Kinds (codes) of selected organizations for which the campaign names no rubric."""
    present = set(
        participating_organizations(campaign=campaign)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    covered = set(campaign.rubrics.values_list("org_kind", flat=True))
    return sorted(present - covered)


@transaction.atomic
def refresh_participants(*, campaign: Campaign) -> int:
    """Make the Participant rows follow the settings (a draft only; otherwise nothing changes).

    Side effects: deletes rows no longer selected (with their assignments), creates rows for
    newly selected organizations whose kind has a rubric, and sets each row's rubric to its
    kind's. Organizations whose kind has no rubric get no row (a Participant needs a rubric);
    `kinds_lacking_rubric` names them. Returns the number of participants.
    """
    if campaign.state != CampaignState.DRAFT:
        return campaign.participants.count()
    rubric_by_kind = {cr.org_kind: cr.rubric_id for cr in campaign.rubrics.all()}
    wanted = {
        pk: rubric_by_kind[kind]
        for pk, kind in participating_organizations(campaign=campaign).values_list("pk", "kind")
        if kind in rubric_by_kind
    }
    existing = {p.organization_id: p for p in campaign.participants.all()}
    gone = [p.pk for org_id, p in existing.items() if org_id not in wanted]
    Participant.objects.filter(pk__in=gone).delete()
    changed = []
    for org_id, participant in existing.items():
        if org_id in wanted and participant.rubric_id != wanted[org_id]:
            participant.rubric_id = wanted[org_id]
            changed.append(participant)
    Participant.objects.bulk_update(changed, ["rubric"])
    Participant.objects.bulk_create(
        Participant(campaign=campaign, organization_id=org_id, rubric_id=rubric_id)
        for org_id, rubric_id in wanted.items()
        if org_id not in existing
    )
    return len(wanted)


# ---------------------------------------------------------------------------- settings


def _check_settings(campaign: Campaign, excluded: Iterable[Organization]) -> None:
    errors: dict[str, list[str]] = {}
    if (
        campaign.period_start
        and campaign.period_end
        and campaign.period_start > campaign.period_end
    ):
        errors["period_end"] = [_("The period cannot end before it starts.")]
    unknown = [k for k in campaign.participant_kinds if k not in OrgKind.values]
    if unknown:
        errors["participant_kinds"] = [
            _("Unknown organization kind: %(kinds)s") % {"kinds": "、".join(unknown)}
        ]
    outside = [org.name for org in excluded if not org.is_within(campaign.scope)]
    if outside:
        errors["excluded"] = [
            _("Not in the campaign's scope %(scope)s: %(names)s")
            % {"scope": campaign.scope.name, "names": "、".join(outside)}
        ]
    if errors:
        raise ValidationError(errors)


def _set_rubrics(campaign: Campaign, rubrics: Mapping[str, str]) -> None:
    """Kind → bundled rubric id; kinds missing from `rubrics` lose their rubric."""
    wanted = {kind: rid for kind, rid in rubrics.items() if rid}
    unknown = [k for k in wanted if k not in OrgKind.values]
    if unknown:
        raise ValidationError(
            _("Unknown organization kind: %(kinds)s") % {"kinds": "、".join(unknown)}
        )
    campaign.rubrics.exclude(org_kind__in=list(wanted)).delete()
    current = {cr.org_kind: cr for cr in campaign.rubrics.all()}
    for kind, rubric_id in wanted.items():
        try:
            stored = store_bundled(rubric_id)
        except KeyError:
            raise ValidationError(
                _("Unknown rubric %(rubric)s for %(kind)s.")
                % {"rubric": rubric_id, "kind": _kind_label(kind)}
            ) from None
        if kind in current:
            if current[kind].rubric_id != stored.pk:
                current[kind].rubric = stored
                current[kind].save(update_fields=["rubric"])
        else:
            CampaignRubric.objects.create(campaign=campaign, org_kind=kind, rubric=stored)


@transaction.atomic
def create_campaign(
    *,
    by,
    scope: Organization,
    name: str,
    year: int,
    period_start: datetime.date,
    period_end: datetime.date,
    participant_kinds: Iterable[str],
    description: str = "",
    excluded: Iterable[Organization] = (),
    rubrics: Mapping[str, str] | None = None,
) -> Campaign:
    """Create a draft campaign. `rubrics` maps an organization kind to a bundled rubric id.

    Side effects: the Campaign, its CampaignRubric rows (storing the bundled rubrics), its
    Participant rows. The caller checks that `by` organizes `scope`.
    """
    excluded = list(excluded)
    campaign = Campaign(
        name=name,
        year=year,
        period_start=period_start,
        period_end=period_end,
        description=description,
        scope=scope,
        participant_kinds=sorted(set(participant_kinds)),
        created_by=by,
    )
    _check_settings(campaign, excluded)
    campaign.save()
    campaign.excluded.set(excluded)
    _set_rubrics(campaign, rubrics or {})
    refresh_participants(campaign=campaign)
    return campaign


@transaction.atomic
def update_campaign(
    *,
    campaign: Campaign,
    excluded: Iterable[Organization] | None = None,
    rubrics: Mapping[str, str] | None = None,
    **fields,
) -> Campaign:
    """Change a draft campaign's settings (any of SETTINGS_FIELDS), exclusions and rubrics.

    Side effects: saves the campaign, replaces exclusions and rubrics when given, refreshes
    the participants. Refused once the campaign has opened.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("Only a draft campaign's settings can change."))
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"not a campaign setting: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(campaign, field, value)
    if "participant_kinds" in fields:
        campaign.participant_kinds = sorted(set(fields["participant_kinds"]))
    excluded = list(campaign.excluded.all()) if excluded is None else list(excluded)
    _check_settings(campaign, excluded)
    campaign.save()
    campaign.excluded.set(excluded)
    if rubrics is not None:
        _set_rubrics(campaign, rubrics)
    refresh_participants(campaign=campaign)
    return campaign


# ---------------------------------------------------------------------------- stages


def _weight_problem(stages: Iterable[Stage]) -> str | None:
    stages = list(stages)
    weighted = sum((Decimal(s.weight) for s in stages if not s.overrides), Decimal(0))
    if weighted == 1 or (weighted == 0 and any(s.overrides for s in stages)):
        return None
    return _(
        "The weights of the stages that do not override add up to %(sum)s; they must add up "
        "to 1 (or to 0 when a stage overrides)."
    ) % {"sum": f"{weighted.normalize():f}"}


def _check_stage(stage: Stage) -> None:
    campaign = stage.campaign
    errors: dict[str, list[str]] = {}
    if stage.kind not in StageKind.values:
        errors["kind"] = [_("Choose a stage kind.")]
    if stage.starts_on and stage.ends_on:
        if stage.starts_on > stage.ends_on:
            errors["ends_on"] = [_("The window cannot end before it starts.")]
        elif stage.starts_on < campaign.period_start:
            errors["starts_on"] = [
                _("The window cannot start before the campaign's period (%(start)s).")
                % {"start": date_format(campaign.period_start)}
            ]
        elif stage.ends_on > campaign.period_end + datetime.timedelta(days=WINDOW_GRACE_DAYS):
            errors["ends_on"] = [
                _("The window must end within a year after the campaign's period (%(end)s).")
                % {"end": date_format(campaign.period_end)}
            ]
    if stage.method == AggregationMethod.TRIMMED and (stage.trim or 0) < 1:
        errors["trim"] = [_("A trimmed mean drops at least one score at each end.")]
    weight = Decimal(stage.weight if stage.weight is not None else -1)
    if not stage.overrides and not (0 <= weight <= 1):
        errors["weight"] = [_("A weight lies between 0 and 1.")]
    if errors:
        raise ValidationError(errors)


def _check_stage_state(campaign: Campaign) -> None:
    if campaign.state not in STAGE_EDITABLE_STATES:
        raise ValidationError(_("Stages cannot change once the results are published."))


def _check_weights_kept(stage: Stage) -> None:
    """Once past draft the weights were checked at opening: a change that breaks them would
    leave results no one can combine, so it is refused (a draft may be unbalanced for now)."""
    if stage.campaign.state == CampaignState.DRAFT:
        return
    others = Stage.objects.filter(campaign_id=stage.campaign_id).exclude(pk=stage.pk)
    problem = _weight_problem([*others, stage])
    if problem:
        raise ValidationError({"weight": [problem]})


@transaction.atomic
def add_stage(*, campaign: Campaign, **fields) -> Stage:
    """Add a stage (fields: STAGE_FIELDS; `position` defaults to after the last one).

    Refused once the campaign has opened if the weights would no longer add up. Side effects:
    the Stage; when the campaign is open and the stage is a self-assessment, its participants
    are assigned to their own branch users at once.
    """
    from kaoping.campaigns.domain.assignments import auto_assign_self_assessment

    _check_stage_state(campaign)
    if fields.get("position") is None:
        last = campaign.stages.order_by("-position").values_list("position", flat=True).first()
        fields["position"] = (last or 0) + 1
    stage = Stage(campaign=campaign, **fields)
    if stage.overrides:
        stage.weight = Decimal(0)
    _check_stage(stage)
    _check_weights_kept(stage)
    stage.save()
    if campaign.state == CampaignState.OPEN and stage.kind == StageKind.SELF_ASSESSMENT:
        auto_assign_self_assessment(stage=stage)
    return stage


@transaction.atomic
def update_stage(*, stage: Stage, **fields) -> Stage:
    """Change a stage's fields (STAGE_FIELDS) until results are published. Once the campaign
    has opened, a change that breaks the weights (see the module) is refused. Side effect: save."""
    _check_stage_state(stage.campaign)
    unknown = set(fields) - set(STAGE_FIELDS)
    if unknown:
        raise TypeError(f"not a stage field: {sorted(unknown)}")
    if stage.campaign.state != CampaignState.DRAFT and fields.get("kind", stage.kind) != stage.kind:
        raise ValidationError({"kind": [_("A stage's kind cannot change once it has opened.")]})
    for field, value in fields.items():
        setattr(stage, field, value)
    if stage.overrides:
        stage.weight = Decimal(0)
    _check_stage(stage)
    _check_weights_kept(stage)
    stage.save()
    return stage


@transaction.atomic
def delete_stage(*, stage: Stage) -> None:
    """Delete a draft campaign's stage with its panels and assignments."""
    if stage.campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("Stages can be deleted only while the campaign is a draft."))
    stage.delete()


def stage_accepts_entries(stage: Stage, day: datetime.date) -> tuple[bool, str]:
    """Whether `stage` takes entries and submissions on `day` (its window, both ends included).

    Only the window: whether the campaign is open is `campaign_accepts_entries`. The message
    (empty when accepted) names the window, for the person who tried.
    """
    if stage.starts_on <= day <= stage.ends_on:
        return True, ""
    return False, _("This stage accepts entries from %(start)s to %(end)s") % {
        "start": date_format(stage.starts_on),
        "end": date_format(stage.ends_on),
    }


def campaign_accepts_entries(campaign: Campaign) -> tuple[bool, str]:
    """Whether the campaign's state lets raters write (open only), with the refusal message."""
    if campaign.state == CampaignState.OPEN:
        return True, ""
    return False, _("This campaign is not open for scoring (it is %(state)s).") % {
        "state": campaign.get_state_display()
    }


# ---------------------------------------------------------------------------- states


def opening_problems(*, campaign: Campaign) -> list[str]:
    """What keeps a campaign from opening, one message per problem (empty: it may open)."""
    problems = []
    lacking = kinds_lacking_rubric(campaign=campaign)
    if lacking:
        problems.append(
            _("No rubric for these organization kinds: %(kinds)s")
            % {"kinds": "、".join(_kind_label(k) for k in lacking)}
        )
    elif not participating_organizations(campaign=campaign).exists():
        problems.append(
            _("No organization takes part: check the scope, the kinds and the exclusions.")
        )
    stages = list(campaign.stages.all())
    if not stages:
        problems.append(_("The campaign has no stage: add at least one."))
    else:
        weight = _weight_problem(stages)
        if weight:
            problems.append(weight)
    problems.extend(_slot_problems(campaign, stages))
    return problems


def _slot_problems(campaign: Campaign, stages: list[Stage]) -> list[str]:
    """Custom slots no one could word in time: an organization words its own in its
    self-assessment (so one is needed), the organizer words the common ones before opening.
    Without them no sheet holding the item can ever be submitted. Three queries."""
    from kaoping.campaigns.domain.custom_items import ORGANIZATION, ORGANIZER, slot_items
    from kaoping.campaigns.domain.rubrics import rubric_of
    from kaoping.campaigns.models import CustomItem, StoredRubric

    participants = dict(campaign.participants.values_list("pk", "rubric_id"))
    if not participants:
        return []
    problems = []
    has_self = any(s.kind == StageKind.SELF_ASSESSMENT for s in stages)
    worded: dict[str, set[int]] = {}
    for code, pk in CustomItem.objects.filter(participant_id__in=list(participants)).values_list(
        "item_code", "participant_id"
    ):
        worded.setdefault(code, set()).add(pk)
    for stored in StoredRubric.objects.filter(pk__in=set(participants.values())).order_by("pk"):
        rubric = rubric_of(stored)
        own = [i.code for i in slot_items(rubric, ORGANIZATION)]
        if own and not has_self:
            problems.append(
                _("%(rubric)s has custom items the organizations write in their "
                  "self-assessment (%(codes)s), but the campaign has no self-assessment stage.")
                % {"rubric": stored.title, "codes": "、".join(own)}
            )  # fmt: skip
        members = {pk for pk, rid in participants.items() if rid == stored.pk}
        unworded = [i.code for i in slot_items(rubric, ORGANIZER)
                    if not members <= worded.get(i.code, set())]  # fmt: skip
        if unworded:
            problems.append(
                _("Word the common items of %(rubric)s first: %(codes)s.")
                % {"rubric": stored.title, "codes": "、".join(unworded)}
            )
    return problems


def _open(campaign: Campaign) -> None:
    from kaoping.campaigns.domain.assignments import auto_assign_self_assessment

    if campaign.state == CampaignState.DRAFT:
        refresh_participants(campaign=campaign)
        problems = opening_problems(campaign=campaign)
        if problems:
            raise ValidationError(problems)
    for stage in campaign.stages.filter(kind=StageKind.SELF_ASSESSMENT):
        auto_assign_self_assessment(stage=stage)


@transaction.atomic
def transition(*, campaign: Campaign, to_state: str, by, note: str = "") -> CampaignTransition:
    """Move the campaign to `to_state` along CAMPAIGN_TRANSITIONS.

    Side effects: the campaign's state, a CampaignTransition (who, when, note). Opening a draft
    first refreshes its participants and checks `opening_problems`; every opening assigns the
    self-assessment stages to the branch users. Reopening (closed → open) needs a note.
    Publishing's own work (freezing results) belongs to the results domain, which calls this.
    """
    given, campaign = campaign, Campaign.objects.select_for_update().get(pk=campaign.pk)
    from_state = campaign.state
    if to_state not in CAMPAIGN_TRANSITIONS.get(from_state, set()):
        raise ValidationError(
            _("A campaign cannot go from %(from)s to %(to)s.")
            % {
                "from": CampaignState(from_state).label,
                "to": dict(CampaignState.choices).get(to_state, to_state),
            }
        )
    note = note.strip()
    if from_state == CampaignState.CLOSED and to_state == CampaignState.OPEN and not note:
        raise ValidationError({"note": [_("Say why the campaign reopens.")]})
    if to_state == CampaignState.OPEN:
        _open(campaign)
    campaign.state = to_state
    campaign.save(update_fields=["state", "updated_at"])
    given.state = to_state
    return CampaignTransition.objects.create(
        campaign=campaign, from_state=from_state, to_state=to_state, by=by, note=note
    )
