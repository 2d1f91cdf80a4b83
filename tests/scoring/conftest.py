"""Small inline rubrics for the scoring tests (never the bundled files under kaoping/rubrics/)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from kaoping.scoring import parse_rubric


def rubric_mapping(items, *, points=None, **top):
    """A one-section rubric mapping around `items`; section points default to Σ max."""
    total = points
    if total is None:
        total = sum((Decimal(str(i.get("max", 0))) for i in items), Decimal(0))
    data = {
        "id": "test",
        "title": "测试标准",
        "issuer": "测试",
        "year": 2020,
        "version": 1,
        "applies_to": ["branch", "general_branch"],
        "full_marks": str(total),
        "sections": [
            {"code": "1", "title": "第一部分", "points": str(total), "items": copy.deepcopy(items)}
        ],
    }
    data.update(top)
    return data


@pytest.fixture
def make_rubric():
    def build(items, **kwargs):
        return parse_rubric(copy.deepcopy(rubric_mapping(items, **kwargs)), source="test")

    return build
