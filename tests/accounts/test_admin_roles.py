"""三员分立: exclusive administrator roles, no business role for administrators, and the
security administrator's pages for roles and the policy."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from kaoping.accounts.domain.roles import grant_role, is_last_security_admin, set_admin_role
from kaoping.accounts.models import Role, SecurityPolicy, User
from kaoping.accounts.rules import is_audit_admin, is_security_admin, is_system_admin
from kaoping.audit import actions
from kaoping.audit.models import AuditEvent
from kaoping.security.twofactor.reauth import SESSION_KEY as REAUTH_KEY
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


# The model and the domain.


def test_admin_role_is_one_value_so_roles_exclude_each_other(secadmin):
    choices = User._meta.get_field("admin_role").choices
    with translation.override("en"):
        labels = [(value, str(label)) for value, label in choices]
    assert labels == [
        ("system", "System administrator"),
        ("security", "Security administrator"),
        ("audit", "Audit administrator"),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=secadmin.pk).update(admin_role="system,audit")


def test_an_administrator_cannot_be_given_a_business_role_by_any_path(sysadmin, tree):
    with pytest.raises(ValidationError):
        Role.objects.create(user=sysadmin, organization=tree["city_a"], kind="organizer")
    with pytest.raises(ValidationError):
        RoleFactory(user=sysadmin, organization=tree["city_a"])
    with pytest.raises(ValidationError) as info:
        Role(user=sysadmin, organization=tree["city_a"], kind="viewer").full_clean()
    assert info.value.error_dict["user"][0].code == "admin_with_roles"
    assert not Role.objects.filter(user=sysadmin).exists()


def test_a_user_with_business_roles_cannot_become_an_administrator(secadmin, alice):
    with pytest.raises(ValidationError) as info:
        set_admin_role(actor=secadmin, user=alice, admin_role="audit")
    assert info.value.error_list[0].code == "admin_with_roles"
    alice.refresh_from_db()
    assert alice.admin_role == ""
    alice.admin_role = "audit"
    with pytest.raises(ValidationError):
        alice.full_clean()


def test_grant_role_refuses_administrators_and_duplicates(secadmin, auditor, alice, tree):
    with pytest.raises(ValidationError):
        grant_role(actor=secadmin, user=auditor, organization=tree["city_a"], kind="viewer")
    with pytest.raises(ValidationError):
        grant_role(actor=secadmin, user=alice, organization=tree["city_a"], kind="organizer")
    assert events(actions.ROLE_GRANTED) == []


def test_nobody_changes_their_own_administrator_role(secadmin):
    with pytest.raises(ValidationError) as info:
        set_admin_role(actor=secadmin, user=secadmin, admin_role="")
    assert info.value.error_list[0].code == "self_grant"
    secadmin.refresh_from_db()
    assert secadmin.admin_role == "security"


def test_the_last_security_administrator_keeps_the_role(secadmin, sysadmin):
    with pytest.raises(ValidationError) as info:
        set_admin_role(actor=sysadmin, user=secadmin, admin_role="audit")
    assert info.value.error_list[0].code == "last_security_admin"
    assert is_last_security_admin(secadmin)
    other = UserFactory(username="secadmin2")
    set_admin_role(actor=secadmin, user=other, admin_role="security")
    assert not is_last_security_admin(secadmin)
    set_admin_role(actor=other, user=secadmin, admin_role="")
    secadmin.refresh_from_db()
    assert secadmin.admin_role == ""
    assert [e.detail for e in events(actions.ADMIN_ROLE_REMOVED)] == [
        {"user": "secadmin", "admin_role": "security"}
    ]


def test_predicates_follow_the_admin_role_and_need_an_active_account(sysadmin, secadmin, auditor):
    assert (is_system_admin(sysadmin), is_security_admin(sysadmin), is_audit_admin(sysadmin)) == (
        True,
        False,
        False,
    )
    assert (is_system_admin(secadmin), is_security_admin(secadmin)) == (False, True)
    assert (is_audit_admin(auditor), is_security_admin(auditor)) == (True, False)
    auditor.is_active = False
    assert not is_audit_admin(auditor)


# The security administrator's pages.

SECURITY_PAGES = [
    ("accounts:security_users", False),
    ("accounts:security_user", True),
    ("accounts:security_policy", False),
]


@pytest.mark.parametrize("name,with_pk", SECURITY_PAGES)
def test_only_the_security_administrator_opens_the_security_pages(
    client, name, with_pk, secadmin, sysadmin, auditor, alice, charlie
):
    url = reverse(name, args=[charlie.pk] if with_pk else [])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for outsider in (sysadmin, auditor, alice, charlie):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
    client.force_login(secadmin)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["accounts:security_grant", "accounts:security_admin_role", "accounts:security_remove_role"],
)
def test_outsiders_cannot_post_to_the_security_actions(client, name, sysadmin, alice, charlie):
    role = alice.roles.get()
    pk = role.pk if name == "accounts:security_remove_role" else charlie.pk
    client.force_login(sysadmin)
    response = client.post(
        reverse(name, args=[pk]), {"organization": role.organization_id, "kind": "viewer"}
    )
    assert response.status_code == 403
    assert Role.objects.filter(pk=role.pk).exists()
    assert not charlie.roles.exists()


def test_security_admin_grants_and_removes_a_business_role(client, secadmin, charlie, tree):
    client.force_login(secadmin)
    search = client.get(reverse("accounts:security_user", args=[charlie.pk]), {"org_q": "开封"})
    assert tree["city_b"] in search.context["matches"]
    response = client.post(
        reverse("accounts:security_grant", args=[charlie.pk]),
        {"organization": tree["city_b"].pk, "kind": "rater"},
    )
    assert response.status_code == 302
    role = Role.objects.get(user=charlie)
    assert (role.organization, role.kind) == (tree["city_b"], "rater")
    [granted] = events(actions.ROLE_GRANTED)
    assert granted.user == secadmin
    assert granted.detail == {
        "user": "charlie",
        "organization": "开封市委",
        "organization_id": tree["city_b"].pk,
        "kind": "rater",
    }
    client.post(reverse("accounts:security_remove_role", args=[role.pk]))
    assert not Role.objects.filter(user=charlie).exists()
    [removed] = events(actions.ROLE_REMOVED)
    assert (removed.user, removed.detail["kind"]) == (secadmin, "rater")


def test_granting_a_business_role_to_an_administrator_is_refused_and_logged(
    client, secadmin, auditor, tree
):
    client.force_login(secadmin)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:security_grant", args=[auditor.pk]),
        {"organization": tree["city_a"].pk, "kind": "viewer"},
        follow=True,
    )
    assert not auditor.roles.exists()
    assert "is an administrator and cannot hold a business role" in response.content.decode()
    [refused] = events(actions.ROLE_GRANTED)
    assert refused.result == "failure"


def test_security_admin_appoints_others_but_not_themselves(client, secadmin, charlie):
    client.force_login(secadmin)
    client.post(reverse("accounts:security_admin_role", args=[charlie.pk]), {"admin_role": "audit"})
    charlie.refresh_from_db()
    assert charlie.admin_role == "audit"
    [granted] = events(actions.ADMIN_ROLE_GRANTED)
    assert granted.detail == {"user": "charlie", "admin_role": "audit"}
    client.post(reverse("accounts:security_admin_role", args=[secadmin.pk]), {"admin_role": ""})
    secadmin.refresh_from_db()
    assert secadmin.admin_role == "security"
    assert events(actions.ADMIN_ROLE_REMOVED)[0].result == "failure"


def test_security_admin_edits_the_policy(client, secadmin):
    client.force_login(secadmin)
    response = client.post(
        reverse("accounts:security_policy"),
        {
            "password_profile": "asvs",
            "idle_minutes": "20",
            "absolute_hours": "10",
            "two_factor_for_everyone": "on",
        },
    )
    assert response.status_code == 302
    policy = SecurityPolicy.objects.get()
    assert (
        policy.password_profile,
        policy.idle_minutes,
        policy.absolute_hours,
        policy.two_factor_for_everyone,
    ) == ("asvs", 20, 10, True)
    [event] = events(actions.POLICY_CHANGED)
    assert event.detail["changes"]["two_factor_for_everyone"] == {"old": False, "new": True}


def test_bad_policy_values_are_refused_with_the_field_named(client, secadmin):
    client.force_login(secadmin)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:security_policy"),
        {"password_profile": "asvs", "idle_minutes": "0", "absolute_hours": "10"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["idle_minutes"] == [
        "Idle logout must be between 1 and 1440 minutes."
    ]
    assert not SecurityPolicy.objects.exists()
    assert events(actions.POLICY_CHANGED) == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_security_pages_render_with_one_heading(client, secadmin, alice, tree, language):
    client.force_login(secadmin)
    client.cookies["django_language"] = language
    pages = [
        reverse("accounts:security_users") + "?q=ali",
        reverse("accounts:security_user", args=[alice.pk]) + "?org_q=zz",
        reverse("accounts:security_user", args=[secadmin.pk]),
        reverse("accounts:security_policy"),
        reverse("accounts:password_change"),
    ]
    session = client.session
    session[REAUTH_KEY] = time.time()
    session.save()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.count(b"<h1") == 1, url


def test_only_the_security_administrator_sees_the_security_links(client, secadmin, sysadmin):
    url = reverse("accounts:security_users")
    client.force_login(secadmin)
    assert url in [link for link, _label in client.get(reverse("home")).context["nav_links"]]
    client.force_login(sysadmin)
    assert url not in [link for link, _label in client.get(reverse("home")).context["nav_links"]]
