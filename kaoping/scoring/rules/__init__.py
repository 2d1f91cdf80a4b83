"""Rule kinds: one small module each, registered by name in `registry.RULES`."""

from .base import Effect, ParseContext, Rule, RuleScore, ScoreContext
from .registry import RULES, parse_rule

__all__ = ["RULES", "Effect", "ParseContext", "Rule", "RuleScore", "ScoreContext", "parse_rule"]
