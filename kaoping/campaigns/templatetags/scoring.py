"""Small template helpers of the scoring pages."""

from decimal import Decimal

from django import template

from kaoping.scoring.rules.base import fmt

register = template.Library()


@register.filter
def points(value) -> str:
    """A score as people write it: 0.5, 3, 97.5 (no trailing zeros); "" for nothing."""
    if value in (None, ""):
        return ""
    return fmt(Decimal(str(value)))


@register.filter
def item_anchor(code: str) -> str:
    """The id of an item's row on the sheet page (item codes hold dots and Chinese numerals)."""
    return "item-" + str(code).encode().hex()


@register.filter
def no_stop(text) -> str:
    """Text without its closing punctuation, to be followed by "：" (no "。：")."""
    return str(text or "").rstrip(" 。．.；;：:，,！!？?")
