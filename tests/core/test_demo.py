"""The demo data: counts, determinism, idempotence, tree consistency, accounts and scopes."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from tree_queries.query import TreeQuerySet

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.models import Role, User
from kaoping.core.demo import loader
from kaoping.core.demo.data import (
    ACCOUNTS,
    ADMIN_ACCOUNTS,
    PASSWORD,
    PROVINCIAL_UNITS,
    TOWNSHIPS,
    build_trees,
)
from kaoping.core.management.commands.demo import scope_size
from kaoping.orgs.enums import OrgKind
from kaoping.orgs.models import Organization
from kaoping.orgs.pinyin import pinyin_keys
from tests.factories import OrganizationFactory, UserFactory

PROVINCE_ROOT = "中共河南省委直属机关工作委员会"
COUNTY_ROOT = "中共X县委员会"
STEEL_ROOT = "中共西宁特钢集团公司委员会"


@pytest.fixture
def demo(db):
    return loader.load_demo()


def org(name):
    return Organization.objects.get(name=name)


def snapshot():
    """Everything the demo decides, without primary keys."""
    parents = dict(Organization.objects.values_list("pk", "name"))
    return sorted(
        (
            o.name,
            o.short_name,
            o.kind,
            parents.get(o.parent_id),
            o.position,
            o.secretary,
            o.contact,
            o.member_count,
            o.founded_on,
            o.is_weak,
            o.name_initials,
        )
        for o in Organization.objects.all()
    )


def run_demo(*args):
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The data itself (no database).


def test_provincial_units_are_the_85_of_seed_002():
    assert len(PROVINCIAL_UNITS) == 85
    assert len(set(PROVINCIAL_UNITS)) == 85
    assert PROVINCIAL_UNITS[0] == "省委办公厅"
    assert PROVINCIAL_UNITS[-1] == "省红十字会"
    # Split across a page break in the copy: "省\n\n扶贫办".
    assert "省扶贫办" in PROVINCIAL_UNITS


def test_trees_are_the_same_every_time():
    assert build_trees() == build_trees()


def test_names_are_unique_across_the_demo():
    names = [spec.name for tree in build_trees().values() for spec in tree.walk()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("profile", ["dengbao", "asvs"])
def test_demo_password_passes_the_validators(db, settings, profile):
    # The validators read the password profile from the security policy (in the database).
    settings.KAOPING_PASSWORD_PROFILE = profile
    validate_password(PASSWORD)


# Loading.


def test_counts_per_kind(demo):
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert kinds[OrgKind.WORKING_COMMITTEE] == 1
    assert kinds[OrgKind.ORGAN_COMMITTEE] == 85
    assert kinds[OrgKind.PARTY_COMMITTEE] == 1 + 3 + 1  # county, townships, steel group
    assert kinds[OrgKind.VILLAGE] == 19
    assert kinds[OrgKind.COMMUNITY] == 6
    assert kinds[OrgKind.PRIVATE_ENTERPRISE] == 6
    assert kinds[OrgKind.SOCIAL_ORGANIZATION] == 4
    assert kinds[OrgKind.GENERAL_BRANCH] == 5
    assert kinds[OrgKind.BRANCH] == 308  # 286 provincial + 22 in the steel group
    assert sum(kinds.values()) == 439
    assert demo.organizations == 439
    assert demo.users == len(ACCOUNTS) + len(ADMIN_ACCOUNTS) == User.objects.count()
    assert Role.objects.count() == len(ACCOUNTS)


def test_province_has_85_organ_committees_with_2_to_5_branches(demo):
    root = org(PROVINCE_ROOT)
    assert root.kind == OrgKind.WORKING_COMMITTEE
    committees = Organization.objects.filter(parent=root)
    assert committees.count() == 85
    assert set(committees.values_list("kind", flat=True)) == {OrgKind.ORGAN_COMMITTEE}
    assert set(committees.values_list("short_name", flat=True)) == set(PROVINCIAL_UNITS)
    water = org("省水利厅机关党委")
    assert water.short_name == "省水利厅"
    for committee in committees:
        branches = Organization.objects.filter(parent=committee)
        assert 2 <= branches.count() <= 5, committee.name
        assert set(branches.values_list("kind", flat=True)) == {OrgKind.BRANCH}
        assert all(b.name.startswith(committee.short_name) for b in branches)
        assert all(b.secretary and b.member_count and b.founded_on for b in branches)


def test_county_has_3_townships_with_villages_communities_and_two_new(demo):
    county = org(COUNTY_ROOT)
    assert county.kind == OrgKind.PARTY_COMMITTEE
    townships = Organization.objects.filter(parent=county)
    assert [t.name for t in townships] == ["城关镇党委", "柳河镇党委", "石桥乡党委"]
    for township in townships:
        kinds = set(Organization.objects.filter(parent=township).values_list("kind", flat=True))
        assert kinds == {
            OrgKind.VILLAGE,
            OrgKind.COMMUNITY,
            OrgKind.PRIVATE_ENTERPRISE,
            OrgKind.SOCIAL_ORGANIZATION,
        }
    assert len(TOWNSHIPS) == 3
    weak = set(Organization.objects.filter(is_weak=True).values_list("name", flat=True))
    assert weak == {"建设路社区党支部", "王楼村党支部", "马寨村党支部"}
    assert Organization.objects.within([county]).filter(is_weak=True).count() == 3


def test_steel_group_has_general_branches_and_branches(demo):
    group = org(STEEL_ROOT)
    assert group.short_name == "西宁特钢集团党委"
    general = Organization.objects.filter(parent=group, kind=OrgKind.GENERAL_BRANCH)
    assert general.count() == 5
    for gb in general:
        children = Organization.objects.filter(parent=gb)
        assert children.count() >= 3
        assert set(children.values_list("kind", flat=True)) == {OrgKind.BRANCH}
    assert Organization.objects.filter(parent=group, kind=OrgKind.BRANCH).count() == 4


def test_member_counts_of_committees_add_up(demo):
    for committee in Organization.objects.exclude(kind__in=[OrgKind.BRANCH, OrgKind.VILLAGE]):
        children = Organization.objects.filter(parent=committee)
        if children:
            assert committee.member_count == sum(c.member_count for c in children)


def test_two_loads_into_fresh_databases_give_the_same_data(db):
    with transaction.atomic():
        loader.load_demo()
        first = snapshot()
        transaction.set_rollback(True)
    assert Organization.objects.count() == 0
    loader.load_demo()
    assert snapshot() == first
    assert len(first) == 439


def test_second_load_adds_nothing(demo):
    before = (Organization.objects.count(), User.objects.count(), Role.objects.count())
    again = loader.load_demo()
    assert not again.created_anything
    assert (again.organizations, again.users, again.roles) == (0, 0, 0)
    assert (Organization.objects.count(), User.objects.count(), Role.objects.count()) == before


def test_load_completes_a_partly_present_demo(demo):
    User.objects.get(username="demo-viewer").delete()
    again = loader.load_demo()
    assert (again.organizations, again.users, again.roles) == (0, 1, 1)
    assert loader.demo_is_loaded()


def test_load_is_a_few_bulk_queries_not_one_per_row(db):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        loader.load_demo()
    # SQLite inserts at most 999 parameters per statement, so ~58 rows per insert; the count
    # grows with batches, never with single rows.
    assert len(queries) < 120


def test_every_organization_is_valid_for_the_model(demo):
    for o in Organization.objects.all():
        o.clean_fields(exclude=["path", "parent"])


def test_history_records_the_creation(demo):
    assert Organization.history.filter(history_type="+").count() == 439


# Tree consistency.


def test_paths_are_consistent(demo):
    by_pk = {o.pk: o for o in Organization.objects.all()}
    for o in by_pk.values():
        if o.parent_id is None:
            assert o.path == f"/{o.pk}/"
        else:
            parent = by_pk[o.parent_id]
            assert o.path == f"{parent.path}{o.pk}/"
            assert o.path.startswith(parent.path)


@pytest.mark.parametrize("root_name", [PROVINCE_ROOT, COUNTY_ROOT, STEEL_ROOT])
def test_within_root_is_the_whole_subtree(demo, root_name):
    root = org(root_name)
    spec = next(t for t in build_trees().values() if t.name == root_name)
    within = set(Organization.objects.within([root]).values_list("pk", flat=True))
    assert len(within) == spec.size()
    # The adjacency list (parent) agrees with the stored paths.
    descendants = TreeQuerySet(model=Organization).descendants(root, include_self=True)
    assert set(descendants.values_list("pk", flat=True)) == within


def test_pinyin_keys_are_filled(demo):
    for o in Organization.objects.all():
        assert o.name_pinyin and o.name_initials
        assert (o.name_pinyin, o.name_initials) == pinyin_keys(o.name)
    assert org(PROVINCE_ROOT).name_initials == "zghnswzsjggzwyh"
    assert Organization.objects.filter(name_initials="dgcdzb").get().name == "东关村党支部"


# Accounts.


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.username)
def test_every_demo_user_can_log_in_with_the_printed_password(client, demo, account):
    response = client.post(
        reverse("login"), {"username": account.username, "password": PASSWORD}, follow=True
    )
    assert response.context["user"].username == account.username
    assert response.context["user"].is_authenticated


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.username)
def test_each_role_scope_is_as_printed(demo, account):
    user = User.objects.get(username=account.username)
    role = Role.objects.get(user=user)
    assert role.kind == account.role
    assert role.organization.name == account.scope
    visible = scopes.visible_organizations(user)
    assert visible.count() == scope_size(account, build_trees())
    if account.role == RoleKind.BRANCH_USER:
        assert list(visible.values_list("name", flat=True)) == [account.scope]
    else:
        assert visible.count() == Organization.objects.within([role.organization]).count()


def test_roles_cover_organizer_rater_branch_user_and_viewer():
    kinds = Counter(a.role for a in ACCOUNTS)
    assert kinds[RoleKind.ORGANIZER] == 3
    assert kinds[RoleKind.RATER] >= 1
    assert kinds[RoleKind.BRANCH_USER] == 2
    assert kinds[RoleKind.VIEWER] >= 1
    scopes_by_user = {a.username: a.scope for a in ACCOUNTS}
    assert scopes_by_user["demo-village"] == "东关村党支部"
    assert scopes_by_user["demo-branch"] == "省水利厅办公室党支部"


def test_county_organizer_sees_exactly_the_county(demo):
    user = User.objects.get(username="demo-county")
    county = org(COUNTY_ROOT)
    visible = scopes.visible_organizations(user)
    assert visible.count() == Organization.objects.within([county]).count() == 39
    assert not visible.filter(name=PROVINCE_ROOT).exists()
    assert not visible.filter(name="省水利厅办公室党支部").exists()


# Reset.


def test_reset_removes_only_demo_data(demo):
    other_root = OrganizationFactory(name="郑州市委", kind="party_committee")
    OrganizationFactory(name="白沙村党支部", kind="village", parent=other_root)
    UserFactory(username="alice")
    removed = loader.reset_demo()
    assert (removed.organizations, removed.users) == (439, len(ACCOUNTS) + len(ADMIN_ACCOUNTS))
    assert set(Organization.objects.values_list("name", flat=True)) == {"郑州市委", "白沙村党支部"}
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert loader.load_demo().organizations == 439
    assert Organization.objects.count() == 441


# The command.


def test_command_loads_and_prints_the_accounts(db):
    out, err = run_demo()
    assert "Loaded the demo: 439 organizations and 10 users in" in out
    assert "http://127.0.0.1:8000/login/" in out
    for account in ACCOUNTS:
        assert account.username in out
    assert out.count(PASSWORD) == len(ACCOUNTS) + len(ADMIN_ACCOUNTS)
    assert "中共X县委员会 (39 organizations)" in out
    assert "东关村党支部 (1 organization)" in out
    assert err == ""


def test_command_second_run_says_already_loaded_and_prints_accounts(db):
    run_demo()
    out, _ = run_demo()
    assert "The demo is already loaded; nothing was added." in out
    assert "demo-province" in out
    assert Organization.objects.count() == 439


def test_command_accounts_only_loads_nothing(db):
    out, err = run_demo("--accounts")
    assert "demo-county" in out and "http://127.0.0.1:8000/login/" in out
    assert "Loaded" not in out
    assert "not loaded yet" in err
    assert Organization.objects.count() == 0
    assert User.objects.count() == 0


def test_command_reset_reloads(db):
    run_demo()
    User.objects.filter(username="demo-rater").update(full_name="改过的名字")
    out, _ = run_demo("--reset")
    assert "Removed the demo: 439 organizations and 10 users." in out
    assert "Loaded the demo: 439 organizations and 10 users" in out
    assert User.objects.get(username="demo-rater").full_name == "王海燕"
    assert Organization.objects.count() == 439
