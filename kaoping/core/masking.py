"""Phone numbers shown masked (138****1234) to everyone but those allowed to see them whole.

A person sees their own number; the system administrator (who manages accounts) sees every
number; an organization's contact phone is also whole for those who may change that
organization (they typed it and keep it current). Everyone else reads the masked form, on
pages and in exports alike.
"""

from __future__ import annotations

__all__ = ["can_see_org_phone", "can_see_phone", "mask_phone", "org_phone_for", "phone_for"]

SHOWN_HEAD = 3
SHOWN_TAIL = 4


def mask_phone(value) -> str:
    """ "13812341234" → "138****1234"; a short value keeps only its last two characters."""
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) <= 2:
        return "*" * len(text)
    if len(text) <= SHOWN_HEAD + SHOWN_TAIL:
        return "*" * (len(text) - 2) + text[-2:]
    hidden = len(text) - SHOWN_HEAD - SHOWN_TAIL
    return text[:SHOWN_HEAD] + "*" * hidden + text[-SHOWN_TAIL:]


def _is_system_admin(viewer) -> bool:
    from kaoping.accounts.rules import is_system_admin

    return bool(is_system_admin(viewer))


def can_see_phone(viewer, owner) -> bool:
    """Whether `viewer` may read `owner`'s (a user's) phone number whole."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return viewer.pk == getattr(owner, "pk", None) or _is_system_admin(viewer)


def can_see_org_phone(viewer, org) -> bool:
    """Whether `viewer` may read an organization's contact phone whole."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return _is_system_admin(viewer) or viewer.has_perm("orgs.change_organization", org)


def phone_for(owner, viewer) -> str:
    """`owner`'s phone as `viewer` may see it."""
    phone = getattr(owner, "phone", "") or ""
    return phone if can_see_phone(viewer, owner) else mask_phone(phone)


def org_phone_for(org, viewer) -> str:
    phone = getattr(org, "phone", "") or ""
    return phone if can_see_org_phone(viewer, org) else mask_phone(phone)
