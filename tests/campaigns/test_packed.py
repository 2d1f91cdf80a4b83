"""A sheet's numbers packed flat at submission (domain/packed.py), and packed later by the data
migration for sheets submitted before it: the same bytes either way, read back to the numbers
the JSON columns hold."""

import importlib
import json
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pytest
from django.apps import apps
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from kaoping.campaigns.domain.packed import (
    FIGURES_DTYPE,
    LOSS_DTYPE,
    LOSS_KINDS,
    pack_figures,
    pack_losses,
    pack_reasons,
    units,
)
from kaoping.campaigns.models import ScoreSheet
from tests.campaigns.results_fixtures import submit

migration = importlib.import_module("kaoping.campaigns.migrations.0008_packed_sheet_figures")


def test_units_are_exact_or_none():
    assert units("12.5") == 12_500_000
    assert units(Decimal("0.000001")) == 1
    assert units(3) == 3_000_000
    assert units("0.0000001") is None  # a seventh place cannot be packed
    assert units("abc") is None and units(None) is None


@given(
    st.decimals(min_value=-(10**9), max_value=10**9)
    | st.sampled_from([Decimal("NaN"), Decimal("-Infinity"), Decimal("1E+3"), Decimal("5E-7")])
    | st.integers(-(10**12), 10**12)
    | st.text(max_size=8)
)
def test_units_agree_with_decimal_arithmetic(value):
    try:
        scaled = Decimal(str(value)).scaleb(6)
        expected = int(scaled) if scaled.is_finite() and scaled == scaled.to_integral() else None
    except ArithmeticError:
        expected = None
    assert units(value) == expected


def test_kinds_sort_as_their_names_do():
    assert list(LOSS_KINDS) == sorted(LOSS_KINDS)


@given(st.lists(st.tuples(*[st.decimals(0, 1000, places=3)] * 3), min_size=1, max_size=8))
def test_figures_read_back_as_the_sections_numbers(sections):
    rows = [{"score": str(a), "applicable_points": str(b), "major_deductions": str(c)}
            for a, b, c in sections]  # fmt: skip
    read = np.frombuffer(pack_figures(rows), dtype=FIGURES_DTYPE).reshape(-1, 3)
    expected = [[int(v.scaleb(6)) for v in row] for row in sections]
    assert read.tolist() == expected


def test_losses_read_back_and_refuse_what_does_not_fit():
    lost = [
        {"item": "1.1", "kind": "points", "points": "0.7"},
        {"item": "一.2", "kind": "veto", "points": "0"},
        {"item": "M", "kind": "major", "points": "5"},
    ]
    read = np.frombuffer(pack_losses(lost), dtype=LOSS_DTYPE)
    assert [bytes(code).decode() for code in read["item"]] == ["1.1", "一.2", "M"]
    assert [LOSS_KINDS[k] for k in read["kind"]] == ["points", "veto", "major"]
    assert read["points"].tolist() == [700_000, 0, 5_000_000]
    assert pack_losses([{"item": "x" * 25, "kind": "points", "points": "1"}]) is None
    assert pack_losses([{"item": "1.1", "kind": "unknown", "points": "1"}]) is None
    assert pack_losses([{"item": "1.1", "kind": "points", "points": "0.1234567"}]) is None
    assert pack_losses([]) == b""


def test_reasons_are_one_json_list_per_line_each_reason_once():
    lost = [
        {"reasons": ["台账不全", "", "台账不全", "多行\n原因"]},
        {"reasons": []},
        {"reasons": ["记录缺失"]},
    ]
    text = pack_reasons(lost)
    lines = text.split("\n")
    assert [json.loads(line) for line in lines] == [["台账不全", "多行\n原因"], [], ["记录缺失"]]
    assert pack_reasons([{"reasons": []}, {"reasons": [""]}]) == ""


def test_submission_packs_what_the_json_columns_say(campaign, review_assignments):
    sheet = submit(review_assignments[0], {"1.1": "1", "2.4": "0.5"}, reason="标识不统一")
    sheet.refresh_from_db()
    figures = np.frombuffer(sheet.figures, dtype=FIGURES_DTYPE).reshape(-1, 3).tolist()
    assert figures == [
        [units(row["score"]), units(row["applicable_points"]), units(row["major_deductions"])]
        for row in sheet.sections
    ]
    losses = np.frombuffer(sheet.losses, dtype=LOSS_DTYPE)
    assert [(bytes(r["item"]).decode(), LOSS_KINDS[r["kind"]], int(r["points"])) for r in losses] == [
        (row["item"], row["kind"], units(row["points"])) for row in sheet.lost_points
    ]  # fmt: skip
    assert [json.loads(line) for line in sheet.loss_reasons.split("\n")] == [
        row["reasons"] for row in sheet.lost_points
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_packs_earlier_sheets_as_submission_does(campaign, review_assignments):
    for assignment, deductions in zip(
        review_assignments[:3], ({"1.1": "1"}, {"2.4": "0.5", "1.1": "2"}, {}), strict=True
    ):
        submit(assignment, deductions, reason="标识不统一")
    stored = {s.pk: (bytes(s.figures), bytes(s.losses), s.loss_reasons)
              for s in ScoreSheet.objects.all()}  # fmt: skip
    ScoreSheet.objects.update(figures=None, losses=None, loss_reasons=None)  # as before 0008
    with connection.schema_editor() as editor:
        migration.pack_submitted(apps, SimpleNamespace(connection=editor.connection))
    again = {s.pk: (bytes(s.figures), bytes(s.losses), s.loss_reasons)
             for s in ScoreSheet.objects.all()}  # fmt: skip
    assert again == stored and len(stored) == 3


def test_a_returned_sheet_is_no_longer_packed(campaign, review_assignments):
    from kaoping.campaigns.domain.sheets import return_sheet

    sheet = submit(review_assignments[0], {"1.1": "1"})
    campaign.state = "open"
    campaign.save(update_fields=["state"])
    return_sheet(sheet=sheet, by=campaign.created_by, reason="重新核实")
    sheet.refresh_from_db()
    assert (sheet.figures, sheet.losses, sheet.loss_reasons) == (None, None, None)
