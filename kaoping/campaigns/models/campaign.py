from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.campaigns.enums import CampaignState
from kaoping.orgs.enums import OrgKind


class StoredRubric(models.Model):
    """A rubric's YAML text as it was when a campaign took it: results stay reproducible even
    after the bundled file changes. Parsed by `kaoping.campaigns.domain.rubrics`."""

    rubric_id = models.CharField(_("rubric id"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    source = models.TextField(_("YAML source"))
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored rubric")
        verbose_name_plural = _("stored rubrics")
        constraints = [
            models.UniqueConstraint(fields=["sha256"], name="unique_stored_rubric_content")
        ]

    def __str__(self):
        return f"{self.title}（{self.rubric_id} v{self.version}）"


class CampaignQuerySet(models.QuerySet):
    def within(self, roots):
        """Campaigns whose scope lies in the subtrees of `roots`."""
        condition = models.Q()
        for root in roots:
            condition |= models.Q(scope__path__startswith=root.path)
        return self.filter(condition) if roots else self.none()


class Campaign(models.Model):
    """One assessment: a period, a set of organizations, the rubric per kind, and its stages."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    description = models.TextField(_("description"), blank=True)
    scope = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("scope"),
        help_text=_("The organization whose subtree takes part."),
    )
    participant_kinds = models.JSONField(
        _("participating kinds"), default=list, help_text=_("Organization kinds that take part.")
    )
    excluded = models.ManyToManyField(
        "orgs.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("excluded organizations"),
        help_text=_("Organizations (with their subtrees) left out of the campaign."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name


class CampaignRubric(models.Model):
    """Which rubric scores which kind of organization in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rubrics")
    org_kind = models.CharField(_("organization kind"), max_length=32, choices=OrgKind.choices)
    rubric = models.ForeignKey(StoredRubric, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("campaign rubric")
        verbose_name_plural = _("campaign rubrics")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "org_kind"], name="one_rubric_per_kind_per_campaign"
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.get_org_kind_display()}"


class CampaignTransition(models.Model):
    """Who moved a campaign from one state to another, and when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=CampaignState.choices)
    to_state = models.CharField(max_length=20, choices=CampaignState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.campaign}: {self.from_state} → {self.to_state}"


class Participant(models.Model):
    """An organization taking part in a campaign, with the rubric that scores it.

    Rows follow the campaign's scope, kinds and exclusions while it is a draft and are fixed
    when it opens.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="participations"
    )
    rubric = models.ForeignKey(StoredRubric, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="unique_participant")
        ]

    def __str__(self):
        return str(self.organization)
