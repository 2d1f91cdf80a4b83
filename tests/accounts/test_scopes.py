from kaoping.accounts import scopes
from kaoping.orgs.models import Organization
from tests.factories import RoleFactory, UserFactory


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_organizer_sees_own_subtree(alice, tree):
    assert names(scopes.visible_organizations(alice)) == {"郑州市委", "中牟县委", "白沙村党支部"}


def test_organizer_covers_descendant_not_sibling_or_ancestor(alice, tree):
    assert scopes.covers(alice, tree["village_a"])
    assert not scopes.covers(alice, tree["village_b"])
    assert not scopes.covers(alice, tree["province"])


def test_user_without_role_sees_nothing(charlie, tree):
    assert scopes.visible_organizations(charlie).count() == 0
    assert not scopes.covers(charlie, tree["village_a"])


def test_branch_user_covers_only_own_organization(tree):
    user = UserFactory(username="secretary")
    RoleFactory(user=user, organization=tree["county_a"], kind="branch_user")
    assert names(scopes.visible_organizations(user)) == {"中牟县委"}
    assert scopes.covers(user, tree["county_a"])
    assert not scopes.covers(user, tree["village_a"])


def test_roles_combine_scopes(tree):
    user = UserFactory(username="dual")
    RoleFactory(user=user, organization=tree["county_a"], kind="rater")
    RoleFactory(user=user, organization=tree["city_b"], kind="viewer")
    assert names(scopes.visible_organizations(user)) == {
        "中牟县委",
        "白沙村党支部",
        "开封市委",
        "朱仙镇村党支部",
    }
    assert names(scopes.managed_organizations(user)) == set()


def test_role_on_inactive_organization_grants_nothing(tree):
    user = UserFactory(username="former")
    RoleFactory(user=user, organization=tree["city_b"], kind="organizer")
    Organization.objects.filter(pk=tree["city_b"].pk).update(is_active=False)
    assert scopes.visible_organizations(user).count() == 0


def test_organizer_permission_follows_scope(alice, tree):
    assert alice.has_perm("orgs.change_organization", tree["village_a"])
    assert not alice.has_perm("orgs.change_organization", tree["village_b"])
    assert alice.has_perm("orgs.manage_any")


def test_rater_cannot_change_organizations(tree):
    user = UserFactory(username="rater")
    RoleFactory(user=user, organization=tree["city_a"], kind="rater")
    assert user.has_perm("orgs.view_organization", tree["village_a"])
    assert not user.has_perm("orgs.change_organization", tree["village_a"])
