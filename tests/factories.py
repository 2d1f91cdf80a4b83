import factory

from kaoping.accounts.models import Role, User
from kaoping.orgs.domain.tree import create_organization
from kaoping.orgs.models import Organization

PASSWORD = "Kaoping-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.Factory):
    """Creates through the domain function, so path and pinyin keys are right."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = "branch"
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return create_organization(**kwargs)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = "organizer"
