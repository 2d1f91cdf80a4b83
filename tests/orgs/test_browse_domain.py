import pytest

from kaoping.orgs.domain import browse
from kaoping.orgs.domain.tree import deactivate_organization
from kaoping.orgs.models import Organization
from tests.factories import OrganizationFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hns", {"河南省委组织部"}),
        ("bsc", {"白沙村党支部"}),
        ("baisha", {"白沙村党支部"}),
        ("BSC", {"白沙村党支部"}),
        ("白沙", {"白沙村党支部"}),
        ("zzs", {"郑州市委"}),
        ("cdzb", {"白沙村党支部", "朱仙镇村党支部"}),
        ("", set()),
    ],
)
def test_matching_by_name_and_pinyin(tree, text, expected):
    assert set(Organization.objects.matching(text).values_list("name", flat=True)) == expected


def test_search_stays_in_scope(alice):
    assert [o.name for o in browse.search(alice, "cdzb")] == ["白沙村党支部"]


def test_search_lists_visible_ancestors_only(alice):
    (village,) = browse.search(alice, "bsc")
    assert village.ancestor_names == ["郑州市委", "中牟县委"]


def test_search_without_role_finds_nothing(charlie):
    assert browse.search(charlie, "bsc") == []


def test_tree_roots_are_role_tops_with_children(alice, tree):
    (root,) = browse.tree_roots(alice)
    assert root == tree["city_a"]
    assert [c.name for c in root.loaded_children] == ["中牟县委"]
    assert root.loaded_children[0].child_count == 1


def test_tree_roots_hide_inactive_children(alice, tree):
    deactivate_organization(org=tree["county_a"])
    (root,) = browse.tree_roots(alice)
    assert (root.child_count, root.loaded_children) == (0, [])


def test_visible_children_of_other_scope_is_empty(alice, tree):
    assert browse.visible_children(alice, tree["city_b"]) == []


def test_visible_ancestors_leave_out_unseen(alice, tree):
    assert browse.visible_ancestors(alice, tree["village_a"]) == [tree["city_a"], tree["county_a"]]


def test_tree_order_puts_parents_first_and_sorts_siblings(tree):
    late = OrganizationFactory(name="甲支部", parent=tree["county_a"], position=2)
    early = OrganizationFactory(name="乙支部", parent=tree["county_a"], position=1)
    ordered = browse.tree_order(Organization.objects.within([tree["city_a"]]))
    assert [o.pk for o in ordered] == [
        tree["city_a"].pk,
        tree["county_a"].pk,
        tree["village_a"].pk,
        early.pk,
        late.pk,
    ]
