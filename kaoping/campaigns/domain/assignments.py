"""Who scores whom in a stage: panels, manual assignments, self-assessment.

The conflict rule (`rater_conflict`) is the one place that decides whether a person may score
an organization; later allocation kinds (cross review, random sampling: Assignment.Source.CROSS
and SAMPLE) call it too. A person's own organizations are their `home_organization` and every
organization they hold a branch_user role for; they never score one of those, an ancestor of one
(their own superiors) or a descendant of one (their own subordinates).

Self-assessment is the exception: each participant is assigned to its own branch users, with
source=self, and the conflict rule does not apply.

Bulk writes are all-or-nothing: every pair is checked first, and one refused pair writes
nothing; the ValidationError lists every refusal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.models import Role
from kaoping.campaigns.enums import CampaignState, SheetStatus, StageKind
from kaoping.campaigns.models import Assignment, Panel, PanelMember, Participant, Stage
from kaoping.orgs.models import Organization

ASSIGNABLE_STATES = (CampaignState.DRAFT, CampaignState.OPEN)


def _name(user) -> str:
    return user.display_name


def own_organizations(user) -> list[Organization]:
    """The organizations a person belongs to or acts for (cached on the user object)."""
    cache = user.__dict__
    if "_kaoping_own_orgs" not in cache:
        owned = {}
        if user.home_organization_id:
            owned[user.home_organization_id] = user.home_organization
        roles = Role.objects.filter(user=user, kind=RoleKind.BRANCH_USER).select_related(
            "organization"
        )
        for role in roles:
            owned.setdefault(role.organization_id, role.organization)
        cache["_kaoping_own_orgs"] = list(owned.values())
    return cache["_kaoping_own_orgs"]


def people_organizations(users: Iterable) -> dict[int, tuple[list, list]]:
    """Per user pk: (the roots of their rater and organizer roles, their own organizations),
    read in one query for everyone; `rater_refusal(..., orgs=)` then needs none. Users should
    come with `home_organization` selected."""
    users = {u.pk: u for u in users}
    result = {
        pk: ([], [u.home_organization] if u.home_organization_id else []) for pk, u in users.items()
    }
    roles = Role.objects.filter(
        user_id__in=list(users), kind__in=[RoleKind.RATER, RoleKind.ORGANIZER, RoleKind.BRANCH_USER]
    ).select_related("organization")
    for role in roles:
        roots, own = result[role.user_id]
        if role.kind == RoleKind.BRANCH_USER:
            if all(o.pk != role.organization_id for o in own):
                own.append(role.organization)
        elif role.organization.is_active:  # as scopes.covers: an inactive root covers nothing
            roots.append(role.organization)
    return result


def rater_conflict(*, rater, organization: Organization, owned=None) -> str | None:
    """Why `rater` may not score `organization` under the conflict rule, or None.

    Refused: their own organization, one above it (ancestor) or one below it (descendant).
    `owned`: the rater's own organizations when already read (`people_organizations`).
    """
    values = {"rater": _name(rater), "organization": organization.name}
    for own in own_organizations(rater) if owned is None else owned:
        values["own"] = own.name
        if own.pk == organization.pk:
            return _("%(rater)s cannot score %(organization)s: it is their own organization.") % (
                values
            )
        if own.is_within(organization):
            return (
                _(
                    "%(rater)s cannot score %(organization)s: it is above their own organization "
                    "%(own)s."
                )
                % values
            )
        if organization.is_within(own):
            return (
                _(
                    "%(rater)s cannot score %(organization)s: it is below their own organization "
                    "%(own)s."
                )
                % values
            )
    return None


def rater_refusal(*, rater, organization: Organization, orgs=None) -> str | None:
    """Why `rater` may not be assigned `organization` by hand: no covering role, or a conflict.

    `orgs`: the rater's entry of `people_organizations` (no query then)."""
    if orgs is None:
        covered = scopes.covers(rater, organization, RoleKind.RATER, RoleKind.ORGANIZER)
    else:
        covered = any(organization.path.startswith(root.path) for root in orgs[0])
    if not covered:
        return _("%(rater)s holds no rater or organizer role covering %(organization)s.") % {
            "rater": _name(rater),
            "organization": organization.name,
        }
    return rater_conflict(
        rater=rater, organization=organization, owned=None if orgs is None else orgs[1]
    )


def rater_candidates(*, campaign):
    """Users who may be chosen as raters or leaders: a rater or organizer role on the campaign's
    scope, above it or inside it (each assignment is still checked organization by organization)."""
    from kaoping.accounts.models import User

    scope = campaign.scope
    orgs = Q(roles__organization__in=Organization.objects.within([scope])) | Q(
        roles__organization_id__in=scope.ancestor_ids
    )
    return (
        User.objects.filter(orgs, roles__kind__in=[RoleKind.RATER, RoleKind.ORGANIZER])
        .filter(is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


# ---------------------------------------------------------------------------- checks


def check_assignable(stage: Stage) -> None:
    if stage.campaign.state not in ASSIGNABLE_STATES:
        raise ValidationError(
            _("Assignments can change only while the campaign is a draft or open.")
        )


def _check_due(stage: Stage, due_on: datetime.date | None) -> None:
    if due_on is not None and not (stage.starts_on <= due_on <= stage.ends_on):
        raise ValidationError(
            {
                "due_on": [
                    _("The due date must fall within the stage's window (%(start)s to %(end)s).")
                    % {"start": date_format(stage.starts_on), "end": date_format(stage.ends_on)}
                ]
            }
        )


def _check_participants(stage: Stage, participants: list[Participant]) -> None:
    foreign = [p for p in participants if p.campaign_id != stage.campaign_id]
    if foreign:
        raise ValidationError(
            _("Not taking part in this campaign: %(names)s")
            % {"names": "、".join(p.organization.name for p in foreign)}
        )


def _refusals(raters: list, participants: list[Participant]) -> list[str]:
    problems = []
    orgs = people_organizations(raters)
    for participant in participants:
        for rater in raters:
            reason = rater_refusal(
                rater=rater, organization=participant.organization, orgs=orgs[rater.pk]
            )
            if reason:
                problems.append(reason)
    return problems


def _started(assignments) -> list[Assignment]:
    """Assignments whose sheet has entries or was submitted: taking them away would lose work."""
    return list(
        assignments.filter(
            Q(sheet__entries__isnull=False) | ~Q(sheet__status=SheetStatus.DRAFT),
            sheet__isnull=False,
        )
        .select_related("participant__organization", "rater")
        .distinct()
    )


def _refuse_started(assignments) -> None:
    started = _started(assignments)
    if started:
        raise ValidationError(
            [
                _("%(rater)s has already scored %(organization)s; that sheet stays.")
                % {"rater": _name(a.rater), "organization": a.participant.organization.name}
                for a in started
            ]
        )


def write_assignments(stage, participants, raters, *, panel, due_on, source) -> list[Assignment]:
    """Create or update one assignment per (participant, rater); refuse a pair another panel
    already holds. Two queries for the existing rows, whatever the numbers."""
    existing = {
        (a.participant_id, a.rater_id): a
        for a in Assignment.objects.filter(
            stage=stage, participant__in=participants, rater__in=raters
        ).select_related("panel")
    }
    taken = []
    for participant in participants:
        for rater in raters:
            current = existing.get((participant.pk, rater.pk))
            if current and current.panel_id and panel and current.panel_id != panel.pk:
                taken.append(
                    _("%(rater)s already scores %(organization)s in panel %(panel)s.")
                    % {
                        "rater": _name(rater),
                        "organization": participant.organization.name,
                        "panel": current.panel.name,
                    }
                )
    if taken:
        raise ValidationError(taken)
    written, new = [], []
    for participant in participants:
        for rater in raters:
            current = existing.get((participant.pk, rater.pk))
            if current:
                current.panel = panel or current.panel
                current.due_on = due_on
                written.append(current)
            else:
                new.append(
                    Assignment(
                        stage=stage,
                        participant=participant,
                        rater=rater,
                        panel=panel,
                        due_on=due_on,
                        source=source,
                    )
                )
    Assignment.objects.bulk_update(written, ["panel", "due_on"])
    return written + Assignment.objects.bulk_create(new)


# ---------------------------------------------------------------------------- manual


def _panel_raters(panel: Panel) -> list:
    members = [m.user for m in panel.members.select_related("user__home_organization")]
    return [panel.leader, *(u for u in members if u.pk != panel.leader_id)]


@transaction.atomic
def assign_to_panel(
    *, panel: Panel, participants: Iterable[Participant], due_on: datetime.date | None = None
) -> list[Assignment]:
    """Assign participants to a panel: its leader and every member get an Assignment (manual,
    with the panel and due date). All or nothing: any refused pair writes nothing and the
    ValidationError lists every refusal. Re-assigning updates the due date."""
    stage = panel.stage
    participants = list(participants)
    check_assignable(stage)
    _check_participants(stage, participants)
    _check_due(stage, due_on)
    raters = _panel_raters(panel)
    problems = _refusals(raters, participants)
    if problems:
        raise ValidationError(problems)
    return write_assignments(
        stage, participants, raters, panel=panel, due_on=due_on, source=Assignment.Source.MANUAL
    )


@transaction.atomic
def assign_to_rater(
    *,
    stage: Stage,
    participants: Iterable[Participant],
    rater,
    due_on: datetime.date | None = None,
) -> list[Assignment]:
    """Assign participants to one rater (manual, no panel). All or nothing, as assign_to_panel."""
    participants = list(participants)
    check_assignable(stage)
    _check_participants(stage, participants)
    _check_due(stage, due_on)
    problems = _refusals([rater], participants)
    if problems:
        raise ValidationError(problems)
    return write_assignments(
        stage, participants, [rater], panel=None, due_on=due_on, source=Assignment.Source.MANUAL
    )


@transaction.atomic
def unassign(*, assignment: Assignment) -> None:
    """Delete an assignment, unless its sheet has entries or was submitted."""
    check_assignable(assignment.stage)
    _refuse_started(Assignment.objects.filter(pk=assignment.pk))
    assignment.delete()


# ---------------------------------------------------------------------------- panels


@transaction.atomic
def create_panel(*, stage: Stage, name: str, leader, members: Iterable = ()) -> Panel:
    """A panel in `stage` with a leader and members (the leader is not stored as a member).

    Side effects: the Panel and its PanelMember rows. No assignment yet."""
    check_assignable(stage)
    panel = Panel.objects.create(stage=stage, name=name, leader=leader)
    PanelMember.objects.bulk_create(
        PanelMember(panel=panel, user=u)
        for u in {m.pk: m for m in members if m.pk != leader.pk}.values()
    )
    return panel


@transaction.atomic
def update_panel(*, panel: Panel, name: str, leader, members: Iterable) -> Panel:
    """Rename, change leader and members; the panel's organizations follow its people.

    Side effects: new people get an Assignment for every organization the panel scores (all
    or nothing under the conflict rule); people who left lose theirs, unless they have already
    scored one (then nothing changes and the refusal names the sheets).
    """
    check_assignable(panel.stage)
    members = {m.pk: m for m in members if m.pk != leader.pk}
    old_ids = {panel.leader_id, *panel.members.values_list("user_id", flat=True)}
    new_ids = {leader.pk, *members}
    leaving = panel.assignments.filter(rater_id__in=old_ids - new_ids)
    _refuse_started(leaving)
    leaving.delete()
    panel.name, panel.leader = name, leader
    panel.save(update_fields=["name", "leader"])
    panel.members.exclude(user_id__in=members).delete()
    PanelMember.objects.bulk_create(
        [PanelMember(panel=panel, user=u) for u in members.values()], ignore_conflicts=True
    )
    participants = list(
        Participant.objects.filter(assignments__panel=panel)
        .select_related("organization")
        .distinct()
    )
    joining = [u for u in [leader, *members.values()] if u.pk not in old_ids]
    if participants and joining:
        problems = _refusals(joining, participants)
        if problems:
            raise ValidationError(problems)
        due = panel.assignments.exclude(due_on=None).values_list("due_on", flat=True).first()
        write_assignments(
            panel.stage,
            participants,
            joining,
            panel=panel,
            due_on=due,
            source=Assignment.Source.MANUAL,
        )
    return panel


@transaction.atomic
def delete_panel(*, panel: Panel) -> None:
    """Delete a panel with its assignments, unless one of them has been scored."""
    check_assignable(panel.stage)
    _refuse_started(panel.assignments.all())
    panel.assignments.all().delete()
    panel.delete()


# ---------------------------------------------------------------------------- self-assessment


def _branch_users_by_org(org_ids) -> dict[int, list]:
    users: dict[int, list] = {}
    roles = Role.objects.filter(
        kind=RoleKind.BRANCH_USER, organization_id__in=org_ids, user__is_active=True
    ).select_related("user")
    for role in roles:
        users.setdefault(role.organization_id, []).append(role.user)
    return users


@transaction.atomic
def auto_assign_self_assessment(*, stage: Stage) -> list[Participant]:
    """Assign every participant of a self-assessment stage to its own branch users.

    Side effects: one Assignment (source=self, no panel) per participant and branch user that
    does not have one yet; idempotent. The conflict rule does not apply. Returns the
    participants left without a branch user (shown as a warning on the campaign page).
    """
    if stage.kind != StageKind.SELF_ASSESSMENT:
        return []
    participants = list(stage.campaign.participants.select_related("organization"))
    users = _branch_users_by_org([p.organization_id for p in participants])
    existing = set(stage.assignments.values_list("participant_id", "rater_id"))
    Assignment.objects.bulk_create(
        Assignment(stage=stage, participant=p, rater=u, source=Assignment.Source.SELF)
        for p in participants
        for u in users.get(p.organization_id, [])
        if (p.pk, u.pk) not in existing
    )
    return [p for p in participants if p.organization_id not in users]


def participants_without_branch_user(*, campaign) -> list[Participant]:
    """Participants no branch user acts for (nobody can self-assess for them)."""
    covered = Role.objects.filter(
        kind=RoleKind.BRANCH_USER,
        user__is_active=True,
        organization_id__in=campaign.participants.values("organization_id"),
    ).values("organization_id")
    return list(
        campaign.participants.exclude(organization_id__in=covered)
        .select_related("organization")
        .order_by("organization__path")
    )
