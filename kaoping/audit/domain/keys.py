"""The HMAC key of the audit chain, kept outside the database.

KAOPING_AUDIT_KEY (setting or environment) wins; otherwise a random key is written once to
<KAOPING_VAR_DIR>/audit.key with mode 0600. Losing the key makes the existing chain unverifiable,
so back the file up with the database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings

KEY_FILE_NAME = "audit.key"


def key_path() -> Path:
    return Path(settings.VAR_DIR) / KEY_FILE_NAME


def audit_key() -> bytes:
    configured = getattr(settings, "KAOPING_AUDIT_KEY", "") or os.environ.get("KAOPING_AUDIT_KEY")
    if configured:
        return configured.encode()
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
