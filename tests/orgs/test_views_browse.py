import pytest
from django.urls import reverse

from kaoping.orgs.domain.tree import deactivate_organization
from tests.factories import OrganizationFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def add_branches(parent, count):
    for n in range(count):
        village = OrganizationFactory(name=f"第{n}村党支部", kind="village", parent=parent)
        OrganizationFactory(name=f"第{n}村第一党小组", parent=village)


# Whole requests: session, user, the user's roles (read twice: `scopes` caches them on the user
# object, and `has_perm` receives the real user while views hold the lazy wrapper), navigation,
# then the page's own queries: the tree two (roots, their children), a node's children one,
# a search two (matches, their ancestors).
TREE_QUERIES = 8
CHILDREN_QUERIES = 8
SEARCH_QUERIES = 8


@pytest.mark.parametrize("count", [1, 3])
def test_tree_page_queries_do_not_grow(alice_client, tree, django_assert_max_num_queries, count):
    add_branches(tree["city_a"], count)
    with django_assert_max_num_queries(TREE_QUERIES):
        response = alice_client.get(reverse("orgs:tree"))
    assert response.status_code == 200
    assert response.content.decode().count('hx-trigger="toggle once"') == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_children_partial_queries_do_not_grow(
    alice_client, tree, django_assert_max_num_queries, count
):
    add_branches(tree["county_a"], count)
    url = reverse("orgs:children", args=[tree["county_a"].pk])
    with django_assert_max_num_queries(CHILDREN_QUERIES):
        response = alice_client.get(url, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.count("<li>") == count + 1
    assert "白沙村党支部" in html


@pytest.mark.parametrize("count", [1, 3])
def test_search_queries_do_not_grow(alice_client, tree, django_assert_max_num_queries, count):
    add_branches(tree["county_a"], count)
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = alice_client.get(
            reverse("orgs:tree"), {"q": "dzb"}, **HTMX, HTTP_HX_TARGET="search-results"
        )
    assert response.content.decode().count("<li>") == count + 1


def test_tree_shows_own_scope_only(alice_client, tree):
    html = alice_client.get(reverse("orgs:tree")).content.decode()
    assert "郑州市委" in html and "中牟县委" in html
    assert "开封市委" not in html and "河南省委组织部" not in html


def test_search_by_initials_full_page(alice_client, tree):
    html = alice_client.get(reverse("orgs:tree"), {"q": "bsc"}).content.decode()
    assert reverse("orgs:detail", args=[tree["village_a"].pk]) in html
    assert "郑州市委 › 中牟县委" in html


def test_search_partial_for_htmx(alice_client, tree):
    response = alice_client.get(
        reverse("orgs:tree"), {"q": "bsc"}, **HTMX, HTTP_HX_TARGET="search-results"
    )
    html = response.content.decode()
    assert "<html" not in html and "白沙村党支部" in html


def test_search_does_not_leak_other_scope(alice_client, tree):
    html = alice_client.get(reverse("orgs:tree"), {"q": "zxz"}).content.decode()
    assert "朱仙镇" not in html


def test_children_partial_hides_inactive(alice_client, tree):
    deactivate_organization(org=tree["village_a"])
    url = reverse("orgs:children", args=[tree["county_a"].pk])
    html = alice_client.get(url, **HTMX).content.decode()
    assert "白沙村党支部" not in html


def test_detail_shows_fields_children_and_visible_breadcrumb(alice_client, tree):
    html = alice_client.get(reverse("orgs:detail", args=[tree["county_a"].pk])).content.decode()
    assert "白沙村党支部" in html
    assert reverse("orgs:detail", args=[tree["city_a"].pk]) in html
    assert "河南省委组织部" not in html
    assert reverse("orgs:edit", args=[tree["county_a"].pk]) in html


def test_detail_for_viewer_has_no_actions(client, dave, tree):
    client.force_login(dave)
    html = client.get(reverse("orgs:detail", args=[tree["county_a"].pk])).content.decode()
    assert reverse("orgs:edit", args=[tree["county_a"].pk]) not in html


def test_detail_of_inactive_has_no_actions(alice_client, tree):
    deactivate_organization(org=tree["village_a"])
    html = alice_client.get(reverse("orgs:detail", args=[tree["village_a"].pk])).content.decode()
    assert reverse("orgs:edit", args=[tree["village_a"].pk]) not in html
