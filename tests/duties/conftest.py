"""An organ tree like seed 004's: 市直机关工委 ─ 市财政局党组 ─ 市财政局机关党委 ─ two branches,
plus a village (holds no list). alice organizes the 工委 (owner), bob another 工委 (other scope),
charlie has no role; the secretary is the branch user of 第一党支部."""

import datetime

import pytest
from django.utils import translation

from kaoping.duties.domain.cycle import add_custom_duty, file_list, open_cycle, sign_list
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

YEAR = 2026
SIGN_DAY = datetime.date(YEAR, 3, 20)


@pytest.fixture(autouse=True)
def english(settings):
    """Duty tests assert the source (English) messages."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def organs(db):
    root = OrganizationFactory(name="市直机关工委", kind="working_committee")
    dept = OrganizationFactory(name="市财政局党组", kind="party_committee", parent=root)
    organ = OrganizationFactory(name="市财政局机关党委", kind="organ_committee", parent=dept)
    branch = OrganizationFactory(name="第一党支部", kind="branch", parent=organ)
    branch2 = OrganizationFactory(name="第二党支部", kind="branch", parent=organ)
    village = OrganizationFactory(name="白沙村党支部", kind="village", parent=root)
    other = OrganizationFactory(name="县直机关工委", kind="working_committee")
    other_branch = OrganizationFactory(name="县委办党支部", kind="branch", parent=other)
    return {"root": root, "dept": dept, "organ": organ, "branch": branch, "branch2": branch2,
            "village": village, "other": other, "other_branch": other_branch}  # fmt: skip


@pytest.fixture
def alice(organs):
    user = UserFactory(username="alice", full_name="Alice")
    RoleFactory(user=user, organization=organs["root"], kind="organizer")
    return user


@pytest.fixture
def bob(organs):
    user = UserFactory(username="bob", full_name="Bob")
    RoleFactory(user=user, organization=organs["other"], kind="organizer")
    return user


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie", full_name="Charlie")


@pytest.fixture
def secretary(organs):
    user = UserFactory(username="shuji", full_name="王书记")
    user.home_organization = organs["branch"]
    user.save(update_fields=["home_organization"])
    RoleFactory(user=user, organization=organs["branch"], kind="branch_user")
    return user


@pytest.fixture
def cycle(organs, alice):
    return open_cycle(scope=organs["root"], year=YEAR, by=alice)


@pytest.fixture
def branch_list(cycle, organs):
    return cycle.lists.get(organization=organs["branch"])


def write_two(duty_list):
    add_custom_duty(duty_list=duty_list, text="开展支部联建", standard="全年不少于4次")
    add_custom_duty(duty_list=duty_list, text="带头讲党课", standard="每半年1次")


@pytest.fixture
def filed_list(branch_list, secretary):
    write_two(branch_list)
    sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    file_list(duty_list=branch_list, by=secretary, day=SIGN_DAY)
    branch_list.refresh_from_db()
    return branch_list
