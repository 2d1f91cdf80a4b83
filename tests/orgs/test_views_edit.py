import pytest
from django.urls import reverse

from kaoping.orgs.models import Organization


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


FORM = {"name": "白沙村第二党支部", "kind": "branch", "position": "2", "founded_on": "2026-03-31"}


def test_create_child_writes_under_parent(alice_client, tree):
    response = alice_client.post(reverse("orgs:create_child", args=[tree["village_a"].pk]), FORM)
    child = Organization.objects.get(name="白沙村第二党支部")
    assert response.url == reverse("orgs:detail", args=[child.pk])
    assert child.path == f"{tree['village_a'].path}{child.pk}/"
    assert child.name_initials == "bscdedzb"


def test_create_child_invalid_shows_errors(alice_client, tree):
    url = reverse("orgs:create_child", args=[tree["village_a"].pk])
    response = alice_client.post(url, {**FORM, "kind": "nonsense"})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Organization.objects.filter(name=FORM["name"]).exists()


def test_edit_saves_fields(alice_client, tree):
    url = reverse("orgs:edit", args=[tree["village_a"].pk])
    response = alice_client.post(url, {**FORM, "name": "白沙村党总支", "secretary": "李四"})
    assert response.status_code == 302
    village = Organization.objects.get(pk=tree["village_a"].pk)
    assert (village.name, village.secretary, village.name_initials) == (
        "白沙村党总支",
        "李四",
        "bscdzz",
    )


def test_edit_accepts_chinese_date(alice_client, tree):
    url = reverse("orgs:edit", args=[tree["village_a"].pk])
    alice_client.post(url, {**FORM, "founded_on": "2026年3月31日"})
    assert str(Organization.objects.get(pk=tree["village_a"].pk).founded_on) == "2026-03-31"


def test_move_form_offers_managed_scope_only(alice_client, tree):
    html = alice_client.get(reverse("orgs:move", args=[tree["village_a"].pk])).content.decode()
    assert "郑州市委" in html and "开封市委" not in html


def test_move_under_other_branch(alice_client, tree):
    url = reverse("orgs:move", args=[tree["village_a"].pk])
    response = alice_client.post(url, {"parent": tree["city_a"].pk})
    assert response.status_code == 302
    assert Organization.objects.get(pk=tree["village_a"].pk).parent_id == tree["city_a"].pk


def test_move_under_own_descendant_is_refused_on_the_form(alice_client, tree):
    url = reverse("orgs:move", args=[tree["county_a"].pk])
    response = alice_client.post(url, {"parent": tree["village_a"].pk})
    assert response.status_code == 200
    # The page speaks Chinese by default: the domain's message, translated, on the form.
    assert "“中牟县委”不能移至其自身或其下级组织之下。" in response.content.decode()
    assert Organization.objects.get(pk=tree["county_a"].pk).parent_id == tree["city_a"].pk


def test_move_outside_scope_is_refused(alice_client, tree):
    url = reverse("orgs:move", args=[tree["village_a"].pk])
    response = alice_client.post(url, {"parent": tree["city_b"].pk})
    assert response.status_code == 200
    assert Organization.objects.get(pk=tree["village_a"].pk).parent_id == tree["county_a"].pk


def test_deactivate_confirms_then_deactivates_subtree(alice_client, tree):
    url = reverse("orgs:deactivate", args=[tree["county_a"].pk])
    assert "2" in alice_client.get(url).content.decode()
    response = alice_client.post(url)
    assert response.url == reverse("orgs:detail", args=[tree["city_a"].pk])
    assert not Organization.objects.filter(pk=tree["village_a"].pk, is_active=True).exists()


def test_inactive_organization_cannot_be_edited(alice_client, tree):
    alice_client.post(reverse("orgs:deactivate", args=[tree["village_a"].pk]))
    assert alice_client.get(reverse("orgs:edit", args=[tree["village_a"].pk])).status_code == 404
