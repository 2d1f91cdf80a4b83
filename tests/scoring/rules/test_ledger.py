from decimal import Decimal

from kaoping.scoring import score_item

ITEM = {"code": "L", "text": "党员积分", "max": 100, "rule": {"kind": "ledger", "base": 100, "events": [
    {"code": "award", "label": "获上级表彰", "points": 2},
    {"code": "late", "label": "逾期报送", "points": -1},
]}}  # fmt: skip


def test_ledger_may_exceed_its_base(make_rubric):
    entry = {"events": [{"event": "award", "count": 2}, {"event": "late"}]}
    result = score_item(make_rubric([ITEM]), "L", entry)
    assert (result.score, result.reasons) == (Decimal(103), ("逾期报送1次，扣1分",))


def test_ledger_without_events_is_the_base(make_rubric):
    assert score_item(make_rubric([ITEM]), "L", None).score == Decimal(100)
