"""Helpers for the bundled-standard tests: the entries of a sheet that scores every item in full."""

from decimal import Decimal

import pytest

from kaoping.rubrics import load_bundled

# Kinds with no entry mean "nothing happened": full points or no effect.
_NO_ENTRY = {"deduction", "graded_deduction", "veto", "major_deduction", "bonus", "ledger"}


def _full(rule, points: Decimal) -> dict | None:
    kind = rule.kind
    if kind in _NO_ENTRY:
        return None
    if kind == "scale":
        return {"score": str(points)}
    if kind == "binary":
        return {"met": True}
    if kind == "checklist":
        return {"criteria": [criterion.code for criterion in rule.criteria]}
    if kind == "parts":
        return {"parts": {part.code: _full(part.rule, part.points) or {} for part in rule.parts}}
    if kind == "per_occurrence":
        return {"count": int(points / rule.unit)}
    if kind in ("tiered", "qualitative"):
        return {"level": rule.levels[0].code}
    raise AssertionError(f"no full entry for kind {kind}")


def full_entries(rubric, *, custom_items=None) -> dict:
    """Entries that give every scored item its max (custom slots: every written slot in full)."""
    entries = {}
    for code, item in rubric.items.items():
        if item.kind == "custom_slots":
            slots = (custom_items or {})[code]
            each = item.rule.points_each
            entries[code] = {"slots": {slot["code"]: {"score": str(each)} for slot in slots}}
            continue
        entry = _full(item.rule, item.max_points)
        if entry is not None:
            entries[code] = entry
    return entries


@pytest.fixture
def full():
    return full_entries


@pytest.fixture(scope="session")
def rubric():
    """Load a bundled rubric by id (cached for the session)."""
    cache = {}

    def get(rubric_id: str):
        if rubric_id not in cache:
            cache[rubric_id] = load_bundled(rubric_id)
        return cache[rubric_id]

    return get
