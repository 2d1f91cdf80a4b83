"""How a scored sheet is stored: the fields of ScoreSheet that the scoring core fills.

Submission (kaoping.campaigns.domain.sheets), the demo and bulk imports all store a sheet's
result through `stored_fields`, so results always aggregate the same numbers.
"""

from __future__ import annotations

from kaoping.scoring import SheetResult


def lost_points_data(result: SheetResult) -> list[dict]:
    """The lost points as JSON-ready rows (Decimals as strings)."""
    return [
        {
            "item": lost.item,
            "section": lost.section,
            "kind": lost.kind,
            "points": str(lost.points),
            "text": lost.text,
            "reasons": list(lost.reasons),
        }
        for lost in result.lost
    ]


def stored_fields(result: SheetResult) -> dict:
    """ScoreSheet field values for a scored sheet."""
    return {
        "total": result.total,
        "scaled_total": result.scaled_total,
        "grade": result.grade or "",
        "section_scores": {code: str(score) for code, score in result.section_scores().items()},
        "stars": list(result.stars),
        "vetoes": list(result.vetoes),
        "lost_points": lost_points_data(result),
    }


def item_scores(result: SheetResult) -> dict[str, object]:
    """Item code → the score to store on its Entry (the amount for bonus/major kinds)."""
    return {
        code: (item.score if item.effect == "points" else item.amount)
        for code, item in result.items.items()
    }
