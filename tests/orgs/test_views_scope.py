"""Every organization page for the personas: alice (owner of the scope) can, bob (organizer of
another scope) and charlie (no role) get 404, anonymous is sent to log in."""

import pytest
from django.urls import reverse

# (url name, organization it names or None, what alice gets)
PAGES = [
    ("orgs:tree", None, 200),
    ("orgs:detail", "village_a", 200),
    ("orgs:children", "city_a", 302),  # a plain request is redirected to the detail page
    ("orgs:create_child", "county_a", 200),
    ("orgs:edit", "village_a", 200),
    ("orgs:move", "county_a", 200),
    ("orgs:deactivate", "county_a", 200),
    ("orgs:roster_import", None, 302),  # one scope: straight to its import page
    ("orgs:roster_import_into", "city_a", 200),
    ("orgs:roster_export", "county_a", 200),
    ("orgs:roster_template", None, 200),
]
SCOPED = [page for page in PAGES if page[1] is not None]


def url_for(tree, name, key):
    return reverse(name, args=[tree[key].pk]) if key else reverse(name)


@pytest.mark.parametrize(("name", "key", "status"), PAGES)
def test_owner_can_open(client, alice, tree, name, key, status):
    client.force_login(alice)
    assert client.get(url_for(tree, name, key)).status_code == status


@pytest.mark.parametrize(("name", "key", "_status"), SCOPED)
def test_other_scope_gets_404(client, bob, tree, name, key, _status):
    client.force_login(bob)
    assert client.get(url_for(tree, name, key)).status_code == 404


@pytest.mark.parametrize(("name", "key", "_status"), SCOPED)
def test_other_scope_post_gets_404(client, bob, tree, name, key, _status):
    client.force_login(bob)
    assert client.post(url_for(tree, name, key), {"name": "x"}).status_code == 404


@pytest.mark.parametrize(("name", "key", "_status"), PAGES)
def test_no_role_gets_404(client, charlie, tree, name, key, _status):
    client.force_login(charlie)
    assert client.get(url_for(tree, name, key)).status_code == 404


@pytest.mark.parametrize(("name", "key", "_status"), PAGES)
def test_anonymous_is_sent_to_login(client, tree, name, key, _status):
    url = url_for(tree, name, key)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("orgs:create_child", "county_a"),
        ("orgs:edit", "village_a"),
        ("orgs:move", "county_a"),
        ("orgs:deactivate", "county_a"),
        ("orgs:roster_import_into", "city_a"),
        ("orgs:roster_export", "city_a"),
    ],
)
def test_viewer_may_see_but_not_change(client, dave, tree, name, key):
    client.force_login(dave)
    assert client.get(reverse("orgs:detail", args=[tree[key].pk])).status_code == 200
    assert client.get(url_for(tree, name, key)).status_code == 403


@pytest.mark.parametrize("name", ["orgs:move", "orgs:deactivate"])
def test_top_of_own_scope_cannot_be_moved_or_deactivated(client, alice, tree, name):
    client.force_login(alice)
    assert client.get(url_for(tree, name, "city_a")).status_code == 403
