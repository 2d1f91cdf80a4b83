from decimal import Decimal

from kaoping.scoring import score_item, score_sheet

# seed 004 备注 3: "发现有弄虚作假的，相应项目加倍倒扣"
ITEM = {"code": "2.1", "text": "三会一课", "max": 3, "rule": {"kind": "scale"}}
OTHER = {"code": "2.2", "text": "主题党日", "max": 1, "rule": {"kind": "binary"}}


def test_falsified_item_scores_minus_twice_the_claim(make_rubric):
    result = score_item(make_rubric([ITEM]), "2.1", {"score": "3", "falsified": True})
    assert (result.score, result.claimed, result.falsified) == (Decimal(-6), Decimal(3), True)


def test_falsified_item_is_on_the_lost_list(make_rubric):
    sheet = score_sheet(make_rubric([ITEM, OTHER]), {"2.1": {"score": "2", "falsified": True},
                                                     "2.2": {"met": True}})  # fmt: skip
    assert sheet.total == Decimal("-3.00")
    assert [(x.item, x.kind, x.points) for x in sheet.lost] == [("2.1", "falsified", Decimal(7))]
