"""Bulk load of submitted sheets (executemany / COPY): the same rows as the per-object path."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from kaoping.campaigns.domain.bulk import BulkSheet, load_submitted
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.domain.stored import Submission, store_submissions
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Assignment, Entry, ScoreSheet, SheetEvent
from kaoping.scoring import EntryError, score_sheet

pytestmark = pytest.mark.django_db

VALUES = [
    {"1.1": {"deductions": [{"amount": "0.5", "reason": "台账不完整"}]}, "2.3": {"deductions": []}},
    {"3.2": {"deductions": [{"amount": "2", "reason": "会议记录缺失"}]}},
    {},
]
SHEET_FIELDS = ("status", "version", "total", "scaled_total", "grade", "section_scores", "stars",
                "vetoes", "lost_points", "sections")  # fmt: skip


def _snapshot(assignments):
    sheets = {}
    for a in assignments:
        sheet = ScoreSheet.objects.get(assignment=a)
        entries = {e.item_code: (e.value, e.score, e.updated_by_id) for e in sheet.entries.all()}
        events = [(e.kind, e.by_id, e.total) for e in sheet.events.all()]
        sheets[(a.participant_id, a.rater_id)] = (
            {f: getattr(sheet, f) for f in SHEET_FIELDS},
            entries,
            events,
        )
    return sheets


def test_bulk_load_writes_what_the_per_object_path_writes(campaign, stages, raters, village_rubric):
    rubric = rubric_of(village_rubric)
    review = list(Assignment.objects.filter(pk__in=[
        Assignment.objects.create(stage=stages["review"], participant=p, rater=r).pk
        for p in campaign.participants.all() for r in raters]).order_by("pk"))  # fmt: skip
    own = [Assignment.objects.create(stage=stages["self"], participant=a.participant, rater=a.rater)
           for a in review]  # fmt: skip
    store_submissions([
        Submission(sheet=ScoreSheet(assignment=a), values=VALUES[n % 3],
                   result=score_sheet(rubric, VALUES[n % 3]), by=a.rater)
        for n, a in enumerate(own)])  # fmt: skip
    loaded = load_submitted(rubric=rubric, sheets=[
        BulkSheet(assignment_id=a.pk, values=VALUES[n % 3], by_id=a.rater_id)
        for n, a in enumerate(review)])  # fmt: skip
    assert loaded.sheets == 6
    assert loaded.entries == 6 * len(rubric.items)  # blank deduction items get a row too
    assert _snapshot(review) == _snapshot(own)
    first = ScoreSheet.objects.get(assignment=review[0])
    assert first.status == SheetStatus.SUBMITTED and first.total == Decimal("99.5")


def test_a_bad_entry_refuses_the_whole_load(campaign, stages, raters, village_rubric):
    rubric = rubric_of(village_rubric)
    assignments = [Assignment.objects.create(stage=stages["review"], participant=p, rater=raters[0])
                   for p in campaign.participants.all()]  # fmt: skip
    bad = {"1.1": {"deductions": [{"amount": "abc", "reason": "不是数字"}]}}
    with pytest.raises(EntryError):
        load_submitted(rubric=rubric, sheets=[
            BulkSheet(assignment_id=assignments[0].pk, values=VALUES[0], by_id=raters[0].pk),
            BulkSheet(assignment_id=assignments[1].pk, values=bad, by_id=raters[0].pk)])  # fmt: skip
    assert not ScoreSheet.objects.exists() and not Entry.objects.exists()


def test_a_row_the_database_refuses_rolls_everything_back(campaign, stages, raters, village_rubric):
    rubric = rubric_of(village_rubric)
    assignment = Assignment.objects.create(stage=stages["review"],
                                           participant=campaign.participants.first(),
                                           rater=raters[0])  # fmt: skip
    sheet = BulkSheet(assignment_id=assignment.pk, values=VALUES[1], by_id=raters[0].pk)
    with pytest.raises(IntegrityError):
        load_submitted(rubric=rubric, sheets=[sheet, sheet])  # the same assignment twice
    assert not ScoreSheet.objects.exists()
    assert not Entry.objects.exists() and not SheetEvent.objects.exists()


def _cache_size():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def test_the_loads_page_cache_is_restored_after_it(campaign, stages, raters, village_rubric):
    """SQLite: the larger page cache lasts for the load only, refused or not."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("a SQLite page-cache setting")
    rubric = rubric_of(village_rubric)
    before = _cache_size()
    first, second = [
        Assignment.objects.create(stage=stages["review"], participant=p, rater=raters[0])
        for p in campaign.participants.all()
    ][:2]
    load_submitted(rubric=rubric, sheets=[
        BulkSheet(assignment_id=first.pk, values=VALUES[0], by_id=raters[0].pk)])  # fmt: skip
    assert _cache_size() == before
    sheet = BulkSheet(assignment_id=second.pk, values=VALUES[1], by_id=raters[0].pk)
    with pytest.raises(IntegrityError):
        load_submitted(rubric=rubric, sheets=[sheet, sheet])
    assert _cache_size() == before
    assert ScoreSheet.objects.count() == 1  # the refused load left nothing
