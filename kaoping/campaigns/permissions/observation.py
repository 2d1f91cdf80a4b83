"""Observation batches (观摩). Objects: Stage (planning, the batch list), ObservationBatch, Visit.

The organizer of the campaign plans; the batch's panel (leader and members) sees the batch,
its visits and the live ranking; the leader records the steps and the commentary. The visited
organizations see nothing of a batch (its ranking is a working result).
"""

import rules
from django.db.models import Q

from kaoping.campaigns.permissions.base import organizes_campaign


def _in_panel(user, panel) -> bool:
    if not user.is_authenticated:
        return False
    return panel.leader_id == user.pk or panel.members.filter(user=user).exists()


@rules.predicate
def organizes_stage_campaign(user, stage):
    return stage is not None and organizes_campaign(user, stage.campaign)


@rules.predicate
def in_a_stage_panel(user, stage):
    if stage is None or not user.is_authenticated:
        return False
    return stage.panels.filter(Q(leader=user) | Q(members__user=user)).exists()


@rules.predicate
def organizes_batch_campaign(user, batch):
    return batch is not None and organizes_campaign(user, batch.stage.campaign)


@rules.predicate
def in_batch_panel(user, batch):
    return batch is not None and _in_panel(user, batch.panel)


@rules.predicate
def leads_batch_panel(user, batch):
    return batch is not None and batch.panel.leader_id == user.pk


@rules.predicate
def organizes_visit_campaign(user, visit):
    return visit is not None and organizes_batch_campaign(user, visit.batch)


@rules.predicate
def in_visit_panel(user, visit):
    return visit is not None and in_batch_panel(user, visit.batch)


@rules.predicate
def leads_visit_panel(user, visit):
    return visit is not None and leads_batch_panel(user, visit.batch)


rules.add_perm("campaigns.plan_observation", organizes_stage_campaign)
rules.add_perm("campaigns.view_observation", organizes_stage_campaign | in_a_stage_panel)
rules.add_perm("campaigns.view_batch", organizes_batch_campaign | in_batch_panel)
rules.add_perm("campaigns.view_batch_ranking", organizes_batch_campaign | in_batch_panel)
rules.add_perm("campaigns.view_visit", organizes_visit_campaign | in_visit_panel)
rules.add_perm("campaigns.record_visit", leads_visit_panel)
