"""A submitted sheet's numbers packed flat, so a province's recompute reads integers, not JSON.

At submission the sheet stores what the scoring core computed twice: as JSON for people and
pages (`sections`, `lost_points`), and packed here for the recompute, which reads hundreds of
thousands of sheets at once and spent most of its time decoding that JSON
(docs/performance.md):

- `figures`: little-endian int64 in units of 10**-FIGURE_PLACES — per section, in the rubric's
  order, its score, applicable points and major deductions (the totals have their own columns);
- `losses`: one LOSS_DTYPE record per lost-points line, in the core's order — the item code
  (UTF-8, at most ITEM_BYTES bytes), the kind's index in LOSS_KINDS and the points;
- `loss_reasons`: the lines' reasons, one JSON list per line of text (`pack_reasons`).

A number that is not exact at FIGURE_PLACES, or an item code too long for its field, packs as
None: the recompute then takes that sheet's campaign batch by the Decimal reference path.
No Django here: the data migration that packs existing sheets imports this module.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import numpy as np

FIGURE_PLACES = 6  # = kaoping.scoring.outcome.FINE_PLACES, the most places a stored score has
ITEM_BYTES = 24
# Alphabetical, so that sorting by the kind's index sorts as the kind's name does.
LOSS_KINDS = ("falsified", "major", "points", "veto")
KIND_INDEX = {kind: n for n, kind in enumerate(LOSS_KINDS)}
LOSS_DTYPE = np.dtype([("item", f"S{ITEM_BYTES}"), ("kind", "u1"), ("points", "<i8")])
FIGURES_DTYPE = np.dtype("<i8")


def units(value) -> int | None:
    """`value` (a Decimal, its text or a number) in units of 10**-FIGURE_PLACES, or None when
    that is not exact."""
    text = value if type(value) is str else str(value)
    whole, dot, part = text.partition(".")
    # Plain decimal text (what str(Decimal) gives for stored scores) needs no Decimal at all.
    plain = text.isascii() and whole.lstrip("-").isdigit() and (not dot or part.isdigit())
    if plain and len(part) <= FIGURE_PLACES:
        return int(whole + part) * 10 ** (FIGURE_PLACES - len(part))
    try:
        scaled = Decimal(text).scaleb(FIGURE_PLACES)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def pack_figures(sections: Iterable[Mapping]) -> bytes | None:
    """Each section's (score, applicable points, major deductions), from the rows
    `stored.sections_data` writes (or reads back)."""
    numbers = []
    for row in sections:
        numbers += [units(row["score"]), units(row["applicable_points"]),
                    units(row["major_deductions"])]  # fmt: skip
    if None in numbers:
        return None
    return struct.pack(f"<{len(numbers)}q", *numbers)


_LOSS = struct.Struct(f"<{ITEM_BYTES}sBq")  # = LOSS_DTYPE, byte for byte


def pack_losses(lost: Sequence[Mapping]) -> bytes | None:
    """The lost-points lines (`stored.lost_points_data` rows) as LOSS_DTYPE records."""
    records = []
    for row in lost:
        code = str(row.get("item", "")).encode("utf-8")
        kind = KIND_INDEX.get(row.get("kind", "points"))
        points = units(row.get("points", "0"))
        # numpy strips trailing NULs when reading an S field back: refuse codes that end in one.
        if len(code) > ITEM_BYTES or code.endswith(b"\0") or kind is None or points is None:
            return None
        records.append(_LOSS.pack(code, kind, points))
    return b"".join(records)


def pack_reasons(lost: Sequence[Mapping]) -> str:
    """The lines' reasons, one JSON list per line (each reason once, blanks left out: what a
    result merges), the lines joined by newlines — compact JSON never holds a raw newline, so a
    reader splits the lines without decoding them; "" when no line has a reason."""
    lines = [_line(tuple(row.get("reasons") or ())) for row in lost]
    if all(line == "[]" for line in lines):
        return ""
    return "\n".join(lines)


@lru_cache(maxsize=8192)
def _line(reasons: tuple[str, ...]) -> str:
    # The same reasons recur on many sheets ("扣0.5分：台账不全"): encoded once each.
    return json.dumps(list(dict.fromkeys(r for r in reasons if r)), ensure_ascii=False)


def packed_fields(sections: Iterable[Mapping], lost: Sequence[Mapping]) -> dict:
    """The three packed ScoreSheet fields for a sheet's stored numbers."""
    return {
        "figures": pack_figures(sections),
        "losses": pack_losses(lost),
        "loss_reasons": pack_reasons(lost),
    }
