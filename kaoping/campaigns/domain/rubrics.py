"""Rubrics as campaigns keep them: the YAML text stored once, parsed once per process."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from kaoping.campaigns.models import StoredRubric
from kaoping.rubrics import BUNDLED_DIR, bundled_rubric_paths
from kaoping.scoring import Rubric, parse_rubric_text


def store_rubric_text(text: str, *, source: str = "") -> StoredRubric:
    """Store a rubric's YAML text (validated first; RubricError lists every problem).

    The same text stored twice is one row: campaigns that take the same standard share it.
    """
    rubric = parse_rubric_text(text, source=source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    stored, _ = StoredRubric.objects.get_or_create(
        sha256=digest,
        defaults={
            "rubric_id": rubric.id,
            "version": rubric.version,
            "title": rubric.title,
            "source": text,
        },
    )
    return stored


def store_bundled(rubric_id: str) -> StoredRubric:
    """Store a bundled standard (kaoping/rubrics) by its id; KeyError for an unknown id."""
    path = BUNDLED_DIR / f"{rubric_id}.yaml"
    if path not in bundled_rubric_paths():
        raise KeyError(rubric_id)
    return store_rubric_text(path.read_text(encoding="utf-8"), source=path.name)


def bundled_choices() -> list[tuple[str, str]]:
    """(id, title) of every bundled standard, for forms."""
    return [(r.id, f"{r.title}（{r.id}）") for r in _bundled()]


@lru_cache(maxsize=1)
def _bundled() -> tuple[Rubric, ...]:
    from kaoping.rubrics import list_bundled

    return tuple(list_bundled())


def rubric_of(stored: StoredRubric) -> Rubric:
    """The parsed rubric of a stored one; parsed once per process (the text never changes)."""
    return _parse(stored.sha256, stored.source)


@lru_cache(maxsize=64)
def _parse(sha256: str, text: str) -> Rubric:
    return parse_rubric_text(text, source=f"stored:{sha256[:12]}")
