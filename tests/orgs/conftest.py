"""Fixtures for the organization tests."""

import pytest

from tests.factories import RoleFactory, UserFactory


@pytest.fixture
def dave(tree):
    """A viewer of city_a's subtree: may see it, may not change it."""
    user = UserFactory(username="dave", full_name="Dave")
    RoleFactory(user=user, organization=tree["city_a"], kind="viewer")
    return user
