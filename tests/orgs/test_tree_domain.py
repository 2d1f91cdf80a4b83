import pytest
from django.core.exceptions import ValidationError

from kaoping.orgs.domain.tree import move_organization
from kaoping.orgs.models import Organization


def test_create_sets_path_from_root(tree):
    village = tree["village_a"]
    expected = f"/{tree['province'].pk}/{tree['city_a'].pk}/{tree['county_a'].pk}/{village.pk}/"
    assert village.path == expected
    assert village.ancestor_ids == [tree["province"].pk, tree["city_a"].pk, tree["county_a"].pk]


def test_create_sets_pinyin_initials(tree):
    assert tree["province"].name_initials == "hnswzzb"


def test_within_returns_subtree_including_root(tree):
    names = set(Organization.objects.within([tree["city_a"]]).values_list("name", flat=True))
    assert names == {"郑州市委", "中牟县委", "白沙村党支部"}


def test_within_several_roots(tree):
    qs = Organization.objects.within([tree["county_a"], tree["city_b"]])
    assert qs.count() == 4


def test_move_rewrites_descendant_paths(tree):
    move_organization(org=tree["county_a"], new_parent=tree["city_b"])
    village = Organization.objects.get(pk=tree["village_a"].pk)
    assert village.path.startswith(Organization.objects.get(pk=tree["city_b"].pk).path)
    names = set(Organization.objects.within([tree["city_b"]]).values_list("name", flat=True))
    assert names == {"开封市委", "朱仙镇村党支部", "中牟县委", "白沙村党支部"}
    assert Organization.objects.get(pk=tree["county_a"].pk).parent_id == tree["city_b"].pk


@pytest.mark.parametrize("target", ["city_a", "county_a", "village_a"])
def test_move_under_own_subtree_refused(tree, target):
    with pytest.raises(ValidationError) as excinfo:
        move_organization(org=tree["city_a"], new_parent=tree[target])
    assert excinfo.value.code == "cycle"
    assert Organization.objects.get(pk=tree["city_a"].pk).parent_id == tree["province"].pk


def test_move_to_root(tree):
    moved = move_organization(org=tree["city_b"], new_parent=None)
    assert moved.path == f"/{moved.pk}/"
    assert (
        Organization.objects.get(pk=tree["village_b"].pk).path
        == f"/{moved.pk}/{tree['village_b'].pk}/"
    )
