"""The copies of the security policy and of role kinds a process keeps for the two-factor prompt.

kaoping.accounts.policy.cached_policy and kaoping.accounts.scopes.prompt_role_kinds spare the
two-factor middleware two queries per request. A change made in this process is seen at once;
one made elsewhere (simulated here by writes that send no model signals, as another process's
do not reach this one) is seen after at most the TTL; nothing read inside a transaction is kept.

These tests run outside the test transaction (transactional_db): inside one the copies are
bypassed on purpose.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from kaoping.accounts import policy, scopes
from kaoping.accounts.domain.roles import grant_role, remove_role
from kaoping.accounts.models import Role, SecurityPolicy
from kaoping.security.twofactor import domain
from tests.factories import OrganizationFactory, UserFactory

HOME = reverse("home")
ENROLL = reverse("twofactor:enroll")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_caches():
    policy.forget_cached_policy()
    scopes.forget_prompt_role_kinds()
    yield
    policy.forget_cached_policy()
    scopes.forget_prompt_role_kinds()


def after(clock, seconds):
    clock.shift(dt.timedelta(seconds=seconds))


def elsewhere_sets_everyone(value: bool):
    """The row as another process writes it: no signal reaches this process."""
    updated = SecurityPolicy.objects.filter(pk=1).update(two_factor_for_everyone=value)
    assert updated == 1


# --- the policy ---------------------------------------------------------------------------------


def test_policy_change_is_seen_at_once_in_the_process_that_saves_it(secadmin, clock):
    assert policy.cached_policy().two_factor_for_everyone is False  # from the settings
    policy.update_policy(actor=secadmin, two_factor_for_everyone=True)
    assert policy.cached_policy().two_factor_for_everyone is True
    policy.update_policy(actor=secadmin, two_factor_for_everyone=False)
    assert policy.cached_policy().two_factor_for_everyone is False


def test_policy_change_elsewhere_is_seen_after_the_ttl(secadmin, clock, django_assert_num_queries):
    policy.update_policy(actor=secadmin, two_factor_for_everyone=False)
    assert policy.cached_policy().two_factor_for_everyone is False
    elsewhere_sets_everyone(True)
    with django_assert_num_queries(0):
        assert policy.cached_policy().two_factor_for_everyone is False
        after(clock, policy.POLICY_CACHE_SECONDS - 1)
        assert policy.cached_policy().two_factor_for_everyone is False
    after(clock, 1)
    assert policy.cached_policy().two_factor_for_everyone is True
    assert policy.current_policy().two_factor_for_everyone is True  # never cached


def test_a_direct_save_of_the_row_drops_the_copy(secadmin, clock):
    policy.update_policy(actor=secadmin, two_factor_for_everyone=False)
    policy.cached_policy()
    row = SecurityPolicy.objects.get(pk=1)
    row.two_factor_for_everyone = True
    row.save()  # the admin, a shell: post_save
    assert policy.cached_policy().two_factor_for_everyone is True
    row.delete()
    assert policy.cached_policy()._state.adding  # back to the settings


def test_a_clock_moved_back_counts_as_expired(secadmin, clock):
    policy.update_policy(actor=secadmin, two_factor_for_everyone=False)
    policy.cached_policy()
    elsewhere_sets_everyone(True)
    after(clock, -5)
    assert policy.cached_policy().two_factor_for_everyone is True


def test_without_a_saved_row_the_settings_apply_at_once(clock):
    assert policy.cached_policy()._state.adding
    with override_settings(KAOPING_TWO_FACTOR_FOR_EVERYONE=True):
        assert policy.cached_policy().two_factor_for_everyone is True
    assert policy.cached_policy().two_factor_for_everyone is False


def test_the_copy_handed_out_cannot_change_the_cache(secadmin, clock):
    policy.update_policy(actor=secadmin, two_factor_for_everyone=False)
    policy.cached_policy().two_factor_for_everyone = True
    assert policy.cached_policy().two_factor_for_everyone is False


def test_a_write_rolled_back_never_reaches_the_cache(secadmin, clock):
    policy.update_policy(actor=secadmin, two_factor_for_everyone=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        elsewhere_sets_everyone(True)
        # Inside the transaction: its own write, read fresh and not kept.
        assert policy.cached_policy().two_factor_for_everyone is True
        raise RuntimeError
    assert policy.cached_policy().two_factor_for_everyone is False


# --- role kinds ---------------------------------------------------------------------------------


@pytest.fixture
def city():
    return OrganizationFactory(name="郑州市委", kind="party_committee", parent=None)


@pytest.fixture
def rater(city):
    user = UserFactory(username="rater")
    Role.objects.create(user=user, organization=city, kind="rater")
    return user


def fresh(user):
    """The user as a new request loads it (no per-request role cache)."""
    return type(user).objects.get(pk=user.pk)


def test_grant_and_removal_are_seen_at_once_in_the_granting_process(secadmin, rater, city, clock):
    assert scopes.prompt_role_kinds(fresh(rater)) == {"rater"}
    role = grant_role(actor=secadmin, user=rater, organization=city, kind="organizer")
    assert scopes.prompt_role_kinds(fresh(rater)) == {"rater", "organizer"}
    remove_role(actor=secadmin, role=role)
    assert scopes.prompt_role_kinds(fresh(rater)) == {"rater"}


def test_grant_elsewhere_is_seen_after_the_ttl(rater, city, clock, django_assert_num_queries):
    assert scopes.prompt_role_kinds(fresh(rater)) == {"rater"}
    # bulk_create sends no signal: as a grant made by another process.
    Role.objects.bulk_create([Role(user=rater, organization=city, kind="organizer")])
    user = fresh(rater)
    with django_assert_num_queries(0):
        assert scopes.prompt_role_kinds(user) == {"rater"}
        after(clock, scopes.ROLE_CACHE_SECONDS - 1)
        assert scopes.prompt_role_kinds(user) == {"rater"}
    after(clock, 1)
    assert scopes.prompt_role_kinds(fresh(rater)) == {"rater", "organizer"}


def test_permissions_never_use_the_copy(rater, city, clock):
    scopes.prompt_role_kinds(fresh(rater))
    Role.objects.bulk_create([Role(user=rater, organization=city, kind="organizer")])
    Role.objects.filter(user=rater, kind="rater").delete()  # a queryset delete: signals fire
    Role.objects.bulk_create([Role(user=rater, organization=city, kind="viewer")])
    user = fresh(rater)
    # role_kinds and the scopes read in the request, whatever the process keeps.
    assert scopes.role_kinds(user) == {"organizer", "viewer"}
    assert scopes.covers(user, city, "organizer")
    assert not scopes.covers(user, city, "rater")


def test_a_request_that_read_roles_answers_from_them(rater, city, clock):
    scopes.prompt_role_kinds(fresh(rater))
    Role.objects.bulk_create([Role(user=rater, organization=city, kind="organizer")])
    user = fresh(rater)
    scopes.role_kinds(user)  # read fresh by this request (a permission check, the menu)
    assert "organizer" in scopes.prompt_role_kinds(user)


def test_a_new_user_with_a_reused_id_gets_no_copy_of_another(rater, city, clock):
    scopes.prompt_role_kinds(fresh(rater))
    pk = rater.pk
    rater.delete()
    reborn = UserFactory(username="reborn", pk=pk)
    Role.objects.bulk_create([Role(user=reborn, organization=city, kind="organizer")])
    assert scopes.prompt_role_kinds(fresh(reborn)) == {"organizer"}


def test_roles_read_inside_a_transaction_are_not_kept(rater, city, clock):
    with pytest.raises(RuntimeError), transaction.atomic():
        Role.objects.bulk_create([Role(user=rater, organization=city, kind="organizer")])
        assert "organizer" in scopes.prompt_role_kinds(fresh(rater))
        raise RuntimeError
    assert scopes.prompt_role_kinds(fresh(rater)) == {"rater"}


def test_the_copies_are_bounded(city, clock, monkeypatch):
    monkeypatch.setattr(scopes, "ROLE_CACHE_SIZE", 3)
    users = [UserFactory(username=f"u{i}") for i in range(5)]
    for user in users:
        scopes.prompt_role_kinds(fresh(user))
    assert len(scopes._kinds_by_user) <= 3


# --- the two-factor prompt, end to end ----------------------------------------------------------


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_is_required_asks_no_query_once_known(rater, clock, django_assert_num_queries):
    assert domain.is_required(fresh(rater)) is False
    user = fresh(rater)
    with django_assert_num_queries(0):
        assert domain.is_required(user) is False


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_new_organizer_is_sent_to_enroll_at_once_by_this_process(
    client, secadmin, rater, city, clock
):
    client.force_login(rater)
    assert client.get(HOME).status_code == 200
    grant_role(actor=secadmin, user=rater, organization=city, kind="organizer")
    assert client.get(HOME).url.startswith(ENROLL)


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_new_organizer_granted_elsewhere_is_sent_to_enroll_within_the_ttl(
    client, rater, city, clock
):
    client.force_login(rater)
    assert client.get(HOME).status_code == 200
    Role.objects.bulk_create([Role(user=rater, organization=city, kind="organizer")])
    after(clock, scopes.ROLE_CACHE_SECONDS - 1)
    assert client.get(HOME).status_code == 200  # the documented delay
    after(clock, 1)
    assert client.get(HOME).url.startswith(ENROLL)


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_policy_for_everyone_reaches_the_middleware(client, secadmin, rater, clock):
    client.force_login(rater)
    assert client.get(HOME).status_code == 200
    policy.update_policy(actor=secadmin, two_factor_for_everyone=True)
    assert client.get(HOME).url.startswith(ENROLL)
    policy.update_policy(actor=secadmin, two_factor_for_everyone=False)
    assert client.get(HOME).status_code == 200
    elsewhere_sets_everyone(True)
    after(clock, policy.POLICY_CACHE_SECONDS - 1)
    assert client.get(HOME).status_code == 200  # the documented delay
    after(clock, 1)
    assert client.get(HOME).url.startswith(ENROLL)
