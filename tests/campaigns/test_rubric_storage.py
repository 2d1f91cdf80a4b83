from decimal import Decimal

import pytest

from kaoping.campaigns.domain.rubrics import rubric_of, store_bundled, store_rubric_text
from kaoping.campaigns.models import StoredRubric
from kaoping.scoring import RubricError


def test_store_bundled_keeps_text_and_parses_to_full_marks(db):
    stored = store_bundled("seed001-village-community")
    assert stored.rubric_id == "seed001-village-community"
    assert rubric_of(stored).full_marks == Decimal(100)


def test_same_text_stored_once(db):
    first = store_bundled("seed003-branch-compliance")
    second = store_bundled("seed003-branch-compliance")
    assert first.pk == second.pk
    assert StoredRubric.objects.count() == 1


def test_unknown_bundled_id_refused(db):
    with pytest.raises(KeyError):
        store_bundled("../settings")


def test_invalid_text_stores_nothing(db):
    with pytest.raises(RubricError):
        store_rubric_text("id: broken\nsections: 3\n")
    assert StoredRubric.objects.count() == 0


def test_campaign_fixture_builds(campaign, stages, review_assignments):
    assert campaign.participants.count() == 2
    assert len(review_assignments) == 6
