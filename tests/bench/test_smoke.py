"""Smoke run of the benchmark generator and a publication at 1,000 organizations."""

import pytest

from bench.province import generate
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.models import Result, ScoreSheet

pytestmark = pytest.mark.django_db


def test_generator_and_recompute_at_1000_organizations():
    province = generate(orgs=1000, raters=3, seed=7, patterns=300)
    assert province.participants == ScoreSheet.objects.count() // 3
    assert province.entries == province.sheets * 37  # the village rubric's 37 items
    done = recompute_results(campaign=province.campaign)
    assert done.results == province.participants == done.ranked
    best = Result.objects.filter(campaign=province.campaign, rank_in_kind=1).first()
    assert best is not None and best.total <= 100
    # Deterministic: the same seed gives the same stored totals.
    totals = sorted(ScoreSheet.objects.values_list("total", flat=True))
    assert totals[0] < totals[-1]
