from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaoping.campaigns.enums import AggregationMethod, StageKind


class Stage(models.Model):
    """A step of a campaign with its window, how its raters are aggregated, and how it counts in
    the final result (a weight, or overriding the stages before it)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StageKind.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("order"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    method = models.CharField(
        _("aggregation"),
        max_length=10,
        choices=AggregationMethod.choices,
        default=AggregationMethod.MEAN,
    )
    trim = models.PositiveSmallIntegerField(
        _("dropped at each end"), default=1, help_text=_("For the trimmed mean.")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=4,
        default=0,
        help_text=_("Share of the final result, e.g. 0.3; 0 to leave the stage out."),
    )
    overrides = models.BooleanField(
        _("overrides earlier stages"),
        default=False,
        help_text=_("Where this stage has a result, it replaces the combined earlier stages."),
    )

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.name

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class Panel(models.Model):
    """Raters who score together in a stage (联络组, 督导组, 观摩组, 互评组), with a leader."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("name"), max_length=200)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_panels",
        verbose_name=_("leader"),
    )

    class Meta:
        ordering = ["stage", "name"]
        verbose_name = _("panel")
        verbose_name_plural = _("panels")

    def __str__(self):
        return self.name


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="unique_panel_member")
        ]

    def __str__(self):
        return f"{self.panel} · {self.user}"


class Assignment(models.Model):
    """One rater to score one participant in one stage (through a panel or alone).

    `source` says how it was made, so later allocation kinds (cross review, random sampling)
    sit beside manual ones.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("Assigned by hand")
        SELF = "self", _("Self-assessment")
        CROSS = "cross", _("Cross-review allocation")
        SAMPLE = "sample", _("Random sample")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    participant = models.ForeignKey(
        "campaigns.Participant", on_delete=models.CASCADE, related_name="assignments"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    panel = models.ForeignKey(
        Panel, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "participant", "rater"], name="unique_assignment"
            )
        ]

    def __str__(self):
        return f"{self.stage} · {self.participant} · {self.rater}"
