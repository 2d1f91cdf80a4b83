"""The system administrator's account pages."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kaoping.security.models import EndReason, UserSession
from tests.factories import PASSWORD, UserFactory
from tests.security.session_helpers import (
    audit_actions,
    english_client,
    is_signed_in,
    sign_in,
)

User = get_user_model()
NEW_PASSWORD = "Kaoping#Strong-2027"


@pytest.fixture
def admin_client(sysadmin):
    client = english_client()
    client.force_login(sysadmin)
    return client


def create_payload(**changes):
    payload = {
        "username": "zhangsan",
        "full_name": "张三",
        "phone": "13800001234",
        "home_organization": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**payload, **changes}


@pytest.mark.parametrize("persona", ["alice", "charlie", "secadmin", "auditor"])
@pytest.mark.parametrize(
    "name, args, method",
    [
        ("user_list", [], "get"),
        ("user_create", [], "get"),
        ("user_create", [], "post"),
        ("user_edit", ["TARGET"], "get"),
        ("user_edit", ["TARGET"], "post"),
        ("user_disable", ["TARGET"], "post"),
        ("user_enable", ["TARGET"], "post"),
        ("user_reset_password", ["TARGET"], "get"),
        ("user_reset_password", ["TARGET"], "post"),
    ],
)
def test_account_pages_refuse_everyone_but_the_system_administrator(
    request, persona, name, args, method, bob
):
    client = english_client()
    client.force_login(request.getfixturevalue(persona))
    url = reverse(f"security:{name}", args=[bob.pk if arg == "TARGET" else arg for arg in args])
    response = getattr(client, method)(url, create_payload())
    assert response.status_code == 403
    bob.refresh_from_db()
    assert bob.is_active
    assert not User.objects.filter(username="zhangsan").exists()


def test_user_list_searches_and_pages(admin_client, tree):
    for n in range(30):
        UserFactory(username=f"wang{n:02d}", full_name=f"王{n}")
    UserFactory(username="li", full_name="李四", home_organization=tree["city_a"])
    response = admin_client.get(reverse("security:user_list"), {"q": "王"})
    page = response.context["page"]
    assert page.paginator.count == 30
    assert len(page.object_list) == 25
    second = admin_client.get(reverse("security:user_list"), {"q": "王", "page": 2})
    assert [u.username for u in second.context["page"].object_list] == [
        f"wang{n:02d}" for n in range(25, 30)
    ]
    found = admin_client.get(reverse("security:user_list"), {"q": "LI"})
    assert [u.username for u in found.context["page"].object_list] == ["li"]
    assert "郑州市委" in found.content.decode()


def test_create_user_with_initial_password(admin_client, sysadmin, tree):
    payload = create_payload(home_organization=tree["village_a"].pk)
    response = admin_client.post(reverse("security:user_create"), payload)
    user = User.objects.get(username="zhangsan")
    assert response.status_code == 302
    assert response.url == reverse("security:user_edit", args=[user.pk])
    assert user.full_name == "张三"
    assert user.home_organization == tree["village_a"]
    assert user.is_active
    assert user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert not user.roles.exists()
    assert audit_actions(user=sysadmin) == ["user_created"]


def test_create_refuses_a_username_differing_only_in_case(admin_client, alice):
    response = admin_client.post(reverse("security:user_create"), create_payload(username="ALICE"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert User.objects.filter(username__iexact="alice").count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"username": ""}, "username"),
        ({"username": "bad name!"}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"phone": "call me"}, "phone"),
        ({"password2": "Kaoping#Other-2027"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password1"),
    ],
)
def test_create_shows_errors_on_the_field(admin_client, changes, field):
    response = admin_client.post(reverse("security:user_create"), create_payload(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()


def test_edit_user_details(admin_client, sysadmin, charlie, tree):
    url = reverse("security:user_edit", args=[charlie.pk])
    response = admin_client.post(
        url, {"full_name": "查理", "phone": "13900001111", "home_organization": tree["city_b"].pk}
    )
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert charlie.full_name == "查理"
    assert charlie.home_organization == tree["city_b"]
    assert audit_actions(user=sysadmin) == ["user_changed"]


def test_edit_shows_errors(admin_client, charlie):
    url = reverse("security:user_edit", args=[charlie.pk])
    response = admin_client.post(url, {"full_name": "", "phone": "", "home_organization": ""})
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    charlie.refresh_from_db()
    assert charlie.full_name == "Charlie"


def test_disable_ends_sessions_and_enable_lets_them_back(admin_client, sysadmin, alice):
    alices = english_client()
    sign_in(alices, alice)
    response = admin_client.post(reverse("security:user_disable", args=[alice.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Account alice disabled; 1 session ended."
    ]
    alice.refresh_from_db()
    assert not alice.is_active
    next_request = alices.get(reverse("home"))
    assert next_request.status_code == 302
    assert next_request.url.startswith(reverse("login"))
    assert UserSession.objects.get(user=alice).end_reason == EndReason.DISABLED
    refused = english_client().post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 200

    admin_client.post(reverse("security:user_enable", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.is_active
    sign_in(english_client(), alice)
    assert audit_actions(user=sysadmin) == ["user_disabled", "user_enabled"]


def test_reset_password_forces_a_change_and_ends_sessions(admin_client, sysadmin, alice):
    alices = english_client()
    sign_in(alices, alice)
    url = reverse("security:user_reset_password", args=[alice.pk])
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice.must_change_password
    assert not is_signed_in(alices)
    assert audit_actions(user=sysadmin) == ["password_reset"]


def test_reset_password_refuses_a_mismatch(admin_client, alice):
    url = reverse("security:user_reset_password", args=[alice.pk])
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": "other"})
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "sysadmin"])
def test_administrator_accounts_cannot_be_changed_here(admin_client, request, persona):
    target = request.getfixturevalue(persona)
    assert admin_client.get(reverse("security:user_edit", args=[target.pk])).status_code == 200
    for name in ("user_disable", "user_reset_password"):
        response = admin_client.post(
            reverse(f"security:{name}", args=[target.pk]),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active
    assert target.check_password(PASSWORD)
