"""Shared by the selection domain: seeds and the org-tree recusal predicate for the core."""

from __future__ import annotations

import secrets

from kaoping.campaigns.domain.assignments import people_organizations, rater_conflict


def new_seed() -> int:
    """A fresh seed, recorded with the allocation or draw so anyone can re-run it."""
    return secrets.randbelow(10**9)


def recusal(users, participants, *, same_parent: bool):
    """`conflict(user_pk, participant_pk) -> bool` for the scoring core: the conflict rule of
    `rater_conflict` (own organization, ancestors, descendants), plus, when asked, "not the same
    parent". One query for everyone's own organizations; the predicate itself is query-free."""
    users = {u.pk: u for u in users}
    orgs = {p.pk: p.organization for p in participants}
    owned = {pk: own for pk, (_roots, own) in people_organizations(users.values()).items()}

    def conflict(user_pk, participant_pk) -> bool:
        organization = orgs[participant_pk]
        user = users[user_pk]
        if rater_conflict(rater=user, organization=organization, owned=owned[user_pk]):
            return True
        return same_parent and any(
            o.parent_id is not None and o.parent_id == organization.parent_id
            for o in owned[user_pk]
        )

    return conflict, owned
