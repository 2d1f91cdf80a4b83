"""Phones shown masked except to the person themselves, system administrators and (for an
organization's contact phone) those who may change the organization."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from kaoping.core.masking import mask_phone, org_phone_for, phone_for
from tests.factories import RoleFactory, UserFactory

PHONE = "13812341234"
MASKED = "138****1234"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (PHONE, MASKED),
        ("0371-66661234", "037******1234"),
        ("1234567", "*****67"),
        ("12", "**"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, shown):
    assert mask_phone(value) == shown


def test_person_sees_own_phone_others_see_it_masked(db):
    owner = UserFactory(phone=PHONE)
    other = UserFactory()

    assert phone_for(owner, owner) == PHONE
    assert phone_for(owner, other) == MASKED


def test_system_administrator_sees_phone_other_administrators_do_not(db):
    owner = UserFactory(phone=PHONE)

    assert phone_for(owner, UserFactory(admin_role="system")) == PHONE
    assert phone_for(owner, UserFactory(admin_role="security")) == MASKED
    assert phone_for(owner, UserFactory(admin_role="audit")) == MASKED


def test_anonymous_sees_masked(db):
    from django.contrib.auth.models import AnonymousUser

    assert phone_for(UserFactory(phone=PHONE), AnonymousUser()) == MASKED


def test_org_phone_whole_for_its_organizer_masked_for_another_scope(tree, alice, bob):
    village = tree["village_a"]
    village.phone = PHONE

    assert org_phone_for(village, alice) == PHONE
    assert org_phone_for(village, bob) == MASKED


def test_template_filters(db):
    owner, viewer = UserFactory(phone=PHONE), UserFactory()
    template = Template(
        "{% load personal_data %}{{ n|mask_phone }} {{ owner|phone_for:viewer }} "
        "{{ owner|phone_for:owner }}"
    )

    shown = template.render(Context({"n": PHONE, "owner": owner, "viewer": viewer}))

    assert shown == f"{MASKED} {MASKED} {PHONE}"


def _detail(client, user, org):
    client.force_login(user)
    return client.get(reverse("orgs:detail", args=[org.pk])).content.decode()


def test_org_detail_page_masks_phone_for_a_viewer(client, tree):
    village = tree["village_a"]
    village.phone = PHONE
    village.save()
    viewer = UserFactory()
    RoleFactory(user=viewer, organization=tree["province"], kind="viewer")

    page = _detail(client, viewer, village)

    assert MASKED in page
    assert PHONE not in page


def test_org_detail_page_shows_phone_to_its_organizer(client, tree, alice):
    village = tree["village_a"]
    village.phone = PHONE
    village.save()

    page = _detail(client, alice, village)

    assert f'href="tel:{PHONE}"' in page
