"""The hash chain: each row's hash = HMAC-SHA256(key, prev_hash + canonical JSON of the row)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

from kaoping.audit.domain.keys import audit_key

GENESIS = "0" * 64


def canonical(event) -> str:
    """The row's content as stable JSON: sorted keys, UTC time with microseconds."""
    data = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": event.user_id,
        "username": event.username,
        "client_address": event.client_address,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "result": event.result,
        "detail": event.detail,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sign(text: str, key: bytes | None = None) -> str:
    return hmac.new(key or audit_key(), text.encode(), hashlib.sha256).hexdigest()


def event_hash(event, key: bytes | None = None) -> str:
    return sign(event.prev_hash + canonical(event), key)


def checkpoint_seal(checkpoint, key: bytes | None = None) -> str:
    text = "checkpoint|{}|{}|{}|{}|{}".format(
        checkpoint.through_sequence,
        checkpoint.last_hash,
        checkpoint.purged_before.astimezone(UTC).isoformat(timespec="microseconds"),
        checkpoint.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        checkpoint.row_count,
    )
    return sign(text, key)
