"""The audit administrator's search: filters over the log, newest first."""

from __future__ import annotations

import datetime

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from kaoping.audit.models import AuditEvent


def search_events(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    user: str = "",
    action: str = "",
    result: str = "",
    text: str = "",
):
    """Events matching every given filter. Dates are local days, both ends included; `user`
    matches the copied username; `text` looks in the object, the address and the detail."""
    events = AuditEvent.objects.order_by("-sequence")
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if user:
        events = events.filter(username__icontains=user)
    if action:
        events = events.filter(action=action)
    if result:
        events = events.filter(result=result)
    if text:
        events = events.annotate(detail_as_text=Cast("detail", TextField())).filter(
            Q(target_repr__icontains=text)
            | Q(target_type__icontains=text)
            | Q(client_address__icontains=text)
            | Q(detail_as_text__icontains=text)
        )
    return events


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
