from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """Kinds of Party organization; a kind decides which rubric applies to it."""

    PARTY_COMMITTEE = "party_committee", _("Party committee")
    WORKING_COMMITTEE = "working_committee", _("Party working committee")
    GENERAL_BRANCH = "general_branch", _("General Party branch")
    BRANCH = "branch", _("Party branch")
    ORGAN_COMMITTEE = "organ_committee", _("Organ Party committee")
    VILLAGE = "village", _("Village Party organization")
    COMMUNITY = "community", _("Community Party organization")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise Party organization")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organization Party organization")
