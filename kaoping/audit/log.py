"""Write to the audit log: `record(action, request=..., user=..., target=..., result=..., detail=...)`.

Transactions: the event is written in the caller's transaction when there is one (inside a
savepoint), so a success event commits exactly when the action it describes commits, and the
chain head moves with it. A refusal that rolls its transaction back must therefore be recorded
after leaving the rolled-back block (in the `except` outside `atomic`), not inside it. Outside a
transaction (a failed sign-in, a download) the event commits at once.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kaoping.accounts.client_address import client_address
from kaoping.audit.domain.chain import GENESIS, event_hash
from kaoping.audit.models import AuditEvent, ChainHead, Result


def record(
    action: str,
    *,
    request=None,
    user=None,
    target=None,
    result: str = Result.SUCCESS,
    detail: dict | str | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    `request` defaults to the request being served (for the address); `user` to its signed-in
    user; `username` names someone who is not a user object (a failed sign-in). `target` is a
    model instance or a text. `detail` is any JSON-able value (dates and decimals become text).
    """
    if result not in Result.values:
        raise ValueError(f"result must be one of {Result.values}, got {result!r}")
    if request is None:
        request = current_request()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if user is not None and not getattr(user, "pk", None):
        user = None  # AnonymousUser or an unsaved user
    target_type, target_id, target_repr = _describe(target)
    event = AuditEvent(
        user=user,
        username=(user.get_username() if user is not None else (username or ""))[:150],
        client_address=(client_address(request) or "") if request is not None else "",
        action=str(action)[:64],
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        result=result,
        detail=_jsonable(detail),
    )
    with transaction.atomic():
        head = _locked_head()
        event.sequence = head.sequence + 1
        event.occurred_at = timezone.now()
        event.prev_hash = head.hash or GENESIS
        event.hash = event_hash(event)
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(sequence=event.sequence, hash=event.hash)
    return event


def current_request():
    """The request being served, if any: domain functions (publication, imports) record without
    being handed it. simple_history's HistoryRequestMiddleware keeps it for the request's life."""
    return getattr(HistoricalRecords.context, "request", None)


def _locked_head() -> ChainHead:
    # SELECT ... FOR UPDATE serializes appends on PostgreSQL; SQLite's IMMEDIATE transactions
    # already hold the single write lock (and ignore FOR UPDATE).
    head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _describe(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk or "")[:64], str(target)[:300]
    return "", "", str(target)[:300]


def _jsonable(detail):
    if detail is None:
        return None
    return json.loads(json.dumps(detail, cls=DjangoJSONEncoder, ensure_ascii=False))
