"""The content of a list and its hash (领单).

The hash is SHA-256 over a canonical JSON (keys sorted, no spaces, UTF-8, characters not
escaped) of the content together with the signature (name and date), so neither can change
unnoticed. A signed list keeps every version (`ListVersion`); the current rows must hash to the
latest version's hash, which `verify_list` checks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass


def list_content(duty_list, custom=None) -> dict:
    """The list's content as signed: template, year, organization, common and custom duties.
    `custom` (a list of {text, standard}) replaces the stored custom duties (an amendment)."""
    if custom is None:
        custom = [{"text": c.text, "standard": c.standard} for c in duty_list.custom.all()]
    return {
        "template": duty_list.template_id,
        "title": duty_list.title,
        "year": duty_list.cycle.year,
        "organization": duty_list.organization.name,
        "common": duty_list.common,
        "custom": [{"text": c["text"], "standard": c["standard"]} for c in custom],
    }


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(content: dict, *, name: str, day) -> str:
    signed = {"content": content, "signature": {"name": name, "date": day.isoformat()}}
    return hashlib.sha256(canonical_json(signed)).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    problems: tuple[str, ...] = ()


def verify_list(duty_list) -> Verdict:
    """Whether a signed list is intact: its rows hash to the latest version's hash, and every
    stored version hashes to its own recorded hash. A draft is trivially intact."""
    versions = list(duty_list.versions.order_by("number"))
    if not versions:
        return Verdict(ok=not duty_list.content_hash, problems=("no signed version",) * bool(
            duty_list.content_hash))  # fmt: skip
    problems = []
    for version in versions:
        digest = content_hash(version.content, name=version.signed_name, day=version.signed_on)
        if digest != version.content_hash:
            problems.append(f"version {version.number} does not match its hash")
    latest = versions[-1]
    current = content_hash(list_content(duty_list), name=latest.signed_name, day=latest.signed_on)
    if current != latest.content_hash:
        problems.append("the list has changed since it was signed")
    if duty_list.content_hash != latest.content_hash:
        problems.append("the list's hash is not its latest version's")
    return Verdict(ok=not problems, problems=tuple(problems))
