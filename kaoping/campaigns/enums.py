from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign state", "Draft")
    OPEN = "open", pgettext_lazy("campaign state", "Open")
    CLOSED = "closed", pgettext_lazy("campaign state", "Closed")
    PUBLISHED = "published", pgettext_lazy("campaign state", "Published")
    ARCHIVED = "archived", pgettext_lazy("campaign state", "Archived")


# The only moves a campaign makes; anything else is refused by the domain.
CAMPAIGN_TRANSITIONS = {
    CampaignState.DRAFT: {CampaignState.OPEN},
    CampaignState.OPEN: {CampaignState.CLOSED},
    CampaignState.CLOSED: {CampaignState.OPEN, CampaignState.PUBLISHED},
    CampaignState.PUBLISHED: {CampaignState.ARCHIVED},
    CampaignState.ARCHIVED: set(),
}


class StageKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    FULL_REVIEW = "full_review", _("Full review")
    CROSS_REVIEW = "cross_review", _("Cross review")
    SPOT_CHECK = "spot_check", _("Spot check")
    OBSERVATION = "observation", _("Observation")
    CONSOLIDATION = "consolidation", _("Consolidation")


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Mean")
    TRIMMED = "trimmed", _("Trimmed mean")
    MEDIAN = "median", _("Median")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("sheet status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("sheet status", "Submitted")
    RETURNED = "returned", pgettext_lazy("sheet status", "Returned")
