import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from tests.factories import OrganizationFactory, RoleFactory, UserFactory

# Property tests check behaviour, not speed: a loaded CI machine must not fail them on time.
hypothesis_settings.register_profile("kaoping", deadline=None)
hypothesis_settings.load_profile("kaoping")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus: on PostgreSQL, end sessions that live-server threads
    left behind before the database is dropped (DROP DATABASE refuses while any is connected)."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def tree(db):
    """A small tree: province ─┬─ city_a ── county_a ── village_a
    └─ city_b ── village_b"""
    province = OrganizationFactory(name="河南省委组织部", kind="party_committee", parent=None)
    city_a = OrganizationFactory(name="郑州市委", kind="party_committee", parent=province)
    county_a = OrganizationFactory(name="中牟县委", kind="party_committee", parent=city_a)
    village_a = OrganizationFactory(name="白沙村党支部", kind="village", parent=county_a)
    city_b = OrganizationFactory(name="开封市委", kind="party_committee", parent=province)
    village_b = OrganizationFactory(name="朱仙镇村党支部", kind="village", parent=city_b)
    return {
        "province": province,
        "city_a": city_a,
        "county_a": county_a,
        "village_a": village_a,
        "city_b": city_b,
        "village_b": village_b,
    }


@pytest.fixture
def alice(tree):
    """Organizer of city_a's subtree (the owner persona)."""
    user = UserFactory(username="alice", full_name="Alice")
    RoleFactory(user=user, organization=tree["city_a"], kind="organizer")
    return user


@pytest.fixture
def bob(tree):
    """Organizer of city_b's subtree (a member of another scope)."""
    user = UserFactory(username="bob", full_name="Bob")
    RoleFactory(user=user, organization=tree["city_b"], kind="organizer")
    return user


@pytest.fixture
def charlie(db):
    """A signed-in user with no role."""
    return UserFactory(username="charlie", full_name="Charlie")


# 三员分立 personas: administrators hold no business role (kaoping.accounts.domain.roles).
@pytest.fixture
def sysadmin(db):
    """The system administrator: accounts, organization tree, configuration."""
    return UserFactory(username="sysadmin", full_name="Sysadmin", admin_role="system")


@pytest.fixture
def secadmin(db):
    """The security administrator: grants roles, sets the security policy."""
    return UserFactory(username="secadmin", full_name="Secadmin", admin_role="security")


@pytest.fixture
def auditor(db):
    """The audit administrator: reads and exports the audit log."""
    return UserFactory(username="auditor", full_name="Auditor", admin_role="audit")
