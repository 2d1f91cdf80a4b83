"""Province-scale paths: the results list read off its index at any page depth, and the bulk
load's encoded entries byte-identical to the ORM's."""

import json
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.urls import reverse

from kaoping.campaigns.domain.bulk import BulkSheet, JsonTexts, load_submitted
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.domain.rubrics import rubric_of, store_bundled
from kaoping.campaigns.domain.stored import Submission, store_submissions
from kaoping.campaigns.forms.results import SORTS, ManyOptionsSelect
from kaoping.campaigns.models import (
    Assignment,
    CampaignRubric,
    Entry,
    Participant,
    Result,
    ScoreSheet,
)
from kaoping.scoring import score_sheet
from tests.campaigns.results_fixtures import submit
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(campaign, review_assignments, tree, village_rubric, stages, raters):
    """Three villages: 白沙村 99, 黄店村 and 城郊村 tied at 97 (rank 2 each)."""
    deductions = {"白沙村党支部": {"1.1": "1"}, "黄店村党支部": {"1.1": "2", "2.1": "1"}}
    for assignment in review_assignments:
        submit(assignment, deductions[assignment.participant.organization.name])
    org = OrganizationFactory(name="城郊村党支部", kind="village", parent=tree["city_a"])
    participant = Participant.objects.create(campaign=campaign, organization=org,
                                             rubric=village_rubric)  # fmt: skip
    submit(Assignment.objects.create(stage=stages["review"], participant=participant,
                                     rater=raters[0]), {"1.1": "3"})  # fmt: skip
    campaign.state = "closed"
    campaign.save()
    recompute_results(campaign=campaign)
    return campaign


def _names(response):
    return [r.participant.organization.name for r in response.context["page"].object_list]


def test_rank_order_is_rank_then_id_with_unranked_last_on_every_page(client, ranked, alice,
                                                                     monkeypatch):  # fmt: skip
    monkeypatch.setattr("kaoping.campaigns.views.results.PAGE_SIZE", 1)
    by_id = list(Result.objects.filter(campaign=ranked).order_by("pk"))
    first = next(r for r in by_id if r.rank_in_kind == 1)
    tied = [r for r in by_id if r.rank_in_kind == 2]
    Result.objects.filter(pk=first.pk).update(rank_in_kind=None)  # e.g. no sheet yet
    client.force_login(alice)
    url = reverse("campaigns:results", args=[ranked.pk])
    pages = [client.get(url, {"page": n}) for n in (1, 2, 3)]
    expected = [r.participant.organization.name for r in (*tied, first)]
    assert [_names(p)[0] for p in pages] == expected
    assert pages[2].context["page"].paginator.num_pages == 3
    # A page past the end answers the last one, as Paginator.get_page does.
    assert _names(client.get(url, {"page": 99})) == [expected[-1]]


def test_within_a_scope_on_page_two_and_not_a_sibling_path(client, ranked, alice, tree,
                                                           monkeypatch):  # fmt: skip
    monkeypatch.setattr("kaoping.campaigns.views.results.PAGE_SIZE", 1)
    client.force_login(alice)
    url = reverse("campaigns:results", args=[ranked.pk])
    within = {"within": tree["county_a"].pk, "sort": "name"}
    assert _names(client.get(url, within)) == ["白沙村党支部"]
    assert _names(client.get(url, {**within, "page": 2})) == ["黄店村党支部"]
    assert client.get(url, within).context["page"].paginator.count == 2
    # city_a's subtree holds all three; province is not a choice (ignored: all three).
    assert client.get(url, {"within": tree["city_a"].pk}).context["page"].paginator.count == 3


def test_grade_choices_come_from_the_campaigns_rubrics_bands(client, ranked, alice):
    # The village rubric has no grade bands; a second rubric for another kind brings its own.
    graded = store_bundled("seed003-branch-compliance")
    CampaignRubric.objects.create(campaign=ranked, org_kind="community", rubric=graded)
    outcome = rubric_of(graded).outcome
    bands = {b.label for b in outcome.grades} | ({outcome.fail_grade} - {None})
    assert bands
    client.force_login(alice)
    form = client.get(reverse("campaigns:results", args=[ranked.pk])).context["form"]
    assert [value for value, _ in form.fields["grade"].choices] == ["", *sorted(bands)]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_the_rank_order_is_read_off_the_index_not_sorted(ranked):
    ids = Result.objects.filter(campaign=ranked).order_by(*SORTS["rank"], "pk")
    plan = _plan(ids.values_list("pk", flat=True)[100:150])
    assert "result_rank_order" in plan and "TEMP B-TREE" not in plan
    # The entry table keeps one index on sheet: the unique (sheet, item_code) one.
    plan = _plan(Entry.objects.filter(sheet_id=1))
    assert "sqlite_autoindex_campaigns_entry" in plan and "sheet_id_" not in plan


def test_the_entry_table_has_no_index_on_sheet_alone():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Entry._meta.db_table)
    on_sheet = [
        c for c in constraints.values()
        if (c["index"] or c["unique"]) and c["columns"][:1] == ["sheet_id"]
    ]  # fmt: skip
    assert [c["columns"] for c in on_sheet] == [["sheet_id", "item_code"]]


VALUES = [
    {"deductions": []}, {"deductions": [{"amount": "0.5", "reason": "台账不完整"}]}, 1, 1.0, True,
    0.0, -0.0, "1", None, [], {}, {"1": 1}, {"a": 1, "b": 2}, {"b": 2, "a": 1}, {1: "x"},
    {True: "x"}, [1, [2.5, "三"]], float("nan"), 10**20,
]  # fmt: skip


def test_json_texts_are_json_dumps_for_every_value_even_equal_looking_ones():
    texts = JsonTexts()
    for _ in range(2):  # the second round answers from the memo
        assert [texts(v) for v in VALUES] == [json.dumps(v) for v in VALUES]
    assert texts({"deductions": []}) is texts({"deductions": []})  # encoded once


def _raw(assignments):
    with connection.cursor() as cursor:
        rows = []
        # PostgreSQL keeps the value as jsonb: compare its text, and its column type.
        sqlite = connection.vendor == "sqlite"
        value = "e.value" if sqlite else "e.value::text"
        kind = "typeof(e.score)" if sqlite else "pg_typeof(e.score)::text"
        for a in assignments:
            cursor.execute(
                f"SELECT e.item_code, {value}, e.score, {kind} FROM campaigns_entry e "
                "JOIN campaigns_scoresheet s ON s.id = e.sheet_id WHERE s.assignment_id = %s "
                "ORDER BY e.item_code",
                [a.pk],
            )
            rows.append(cursor.fetchall())
        return rows


def test_bulk_entries_are_stored_as_the_same_bytes_as_the_orm_writes(campaign, stages, raters,
                                                                      village_rubric):  # fmt: skip
    rubric = rubric_of(village_rubric)
    values = [
        {
            "1.1": {"deductions": [{"amount": "0.5", "reason": "台账不完整"}]},
            "2.3": {"deductions": []},
        },
        {"1.1": {"deductions": [{"amount": "0.5", "reason": "台账不完整"}]}},
    ]  # two sheets, equal values in separate objects: the memo must not mix them up
    participants = list(campaign.participants.order_by("pk"))
    review = [Assignment.objects.create(stage=stages["review"], participant=p, rater=raters[0])
              for p in participants]  # fmt: skip
    own = [Assignment.objects.create(stage=stages["self"], participant=p, rater=raters[0])
           for p in participants]  # fmt: skip
    store_submissions([Submission(sheet=ScoreSheet(assignment=a), values=values[n],
                                  result=score_sheet(rubric, values[n]), by=a.rater)
                       for n, a in enumerate(own)])  # fmt: skip
    load_submitted(rubric=rubric, sheets=[BulkSheet(assignment_id=a.pk, values=values[n],
                                                    by_id=a.rater_id)
                                          for n, a in enumerate(review)])  # fmt: skip
    bulk, orm = _raw(review), _raw(own)
    assert bulk == orm and len(bulk[0]) == len(rubric.items)
    row = next(r for r in bulk[0] if r[0] == "1.1")
    if connection.vendor == "sqlite":  # the stored text itself (jsonb on PostgreSQL re-spells it)
        assert (
            row[1]
            == '{"deductions": [{"amount": "0.5", "reason": "\\u53f0\\u8d26\\u4e0d\\u5b8c\\u6574"}]}'
        )
    assert Decimal(str(row[2])) == Decimal("2.5")


@pytest.mark.parametrize("value", [None, "", 5, "5", "nope"])
def test_the_scope_select_writes_djangos_select_markup(value):
    choices = [("", "All"), (5, "中牟县委 <&>"), (7, '"quoted"'), (5, "a repeat")]
    attrs = {"id": "id_within", "data-x": True, "hidden": False}
    fast = ManyOptionsSelect(choices=choices).render("within", value, attrs)
    assert fast == forms.Select(choices=choices).render("within", value, attrs)
