import pytest
from django.core.exceptions import ValidationError

from kaoping.orgs.domain.tree import (
    create_organization,
    deactivate_organization,
    move_organization,
    update_organization,
)
from kaoping.orgs.models import Organization


def test_create_child_sets_path_and_keys(tree):
    org = create_organization(parent=tree["county_a"], name="白沙村第二党支部", kind="branch")
    assert org.path == f"{tree['county_a'].path}{org.pk}/"
    assert org.name_initials == "bscdedzb"
    assert org.name_pinyin.startswith("baishacun")


def test_create_rejects_unknown_kind(tree):
    with pytest.raises(ValidationError):
        create_organization(parent=tree["county_a"], name="某支部", kind="nonsense")
    assert not Organization.objects.filter(name="某支部").exists()


def test_update_renames_and_refreshes_keys(tree):
    org = update_organization(org=tree["village_a"], name="黄河村党支部")
    org.refresh_from_db()
    assert (org.name, org.name_initials) == ("黄河村党支部", "hhcdzb")


def test_update_with_stale_instance_keeps_moved_path(tree):
    stale = Organization.objects.get(pk=tree["village_a"].pk)
    move_organization(org=tree["county_a"], new_parent=tree["city_b"])
    update_organization(org=stale, secretary="王书记")
    village = Organization.objects.get(pk=tree["village_a"].pk)
    assert village.path.startswith(Organization.objects.get(pk=tree["city_b"].pk).path)
    assert village.secretary == "王书记"


def test_update_refuses_tree_fields(tree):
    with pytest.raises(TypeError):
        update_organization(org=tree["village_a"], path="/1/")


def test_deactivate_covers_subtree_only(tree):
    count = deactivate_organization(org=tree["county_a"])
    assert count == 2
    active = set(Organization.objects.active().values_list("name", flat=True))
    assert active == {"河南省委组织部", "郑州市委", "开封市委", "朱仙镇村党支部"}
