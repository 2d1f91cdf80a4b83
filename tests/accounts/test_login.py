from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_renders_for_anonymous(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_login_with_password_reaches_home(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].username == "alice"


def test_login_with_wrong_password_shows_error(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["user"].is_anonymous
    assert response.context["form"].errors


def test_home_redirects_anonymous_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_lists_own_roles_only(client, alice, bob):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert [r.organization.name for r in response.context["roles"]] == ["郑州市委"]


def test_home_for_user_without_role_says_so(client, charlie):
    client.force_login(charlie)
    response = client.get(reverse("home"))
    assert list(response.context["roles"]) == []


def test_logout_ends_session(client, alice):
    client.force_login(alice)
    client.post(reverse("logout"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
