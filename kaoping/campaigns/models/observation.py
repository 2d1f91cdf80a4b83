"""On-site observation (观摩): batches of visits, the five steps of each visit, the commentary.

A batch (批次) is one outing of one panel of an observation stage over an ordered list of
participants; its raters score on the ordinary sheets (one Assignment per panel person and
visited participant), so the batch ranking aggregates stored sheet totals like any result.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ObservationMode(models.TextChoices):
    """The three ways of seed 001 (基层党建观摩、检查、测评工作实施方案)."""

    TOWNSHIP = "township", _("One by one inside a township")
    CROSS = "cross", _("Cross observation between townships")
    DEMONSTRATION = "demonstration", _("County demonstration round")


class ObservationStep(models.TextChoices):
    """一听二看三查四谈五评, in this order."""

    LISTEN = "listen", pgettext_lazy("observation step", "Listen")
    LOOK = "look", pgettext_lazy("observation step", "Look")
    CHECK = "check", pgettext_lazy("observation step", "Check")
    TALK = "talk", pgettext_lazy("observation step", "Talk")
    COMMENT = "comment", pgettext_lazy("observation step", "Comment")


class ObservationBatch(models.Model):
    """One batch of visits by one panel of an observation stage, on given days."""

    stage = models.ForeignKey(
        "campaigns.Stage", on_delete=models.CASCADE, related_name="observation_batches"
    )
    panel = models.ForeignKey(
        "campaigns.Panel",
        on_delete=models.PROTECT,
        related_name="observation_batches",
        verbose_name=_("panel"),
    )
    name = models.CharField(_("name"), max_length=200)
    mode = models.CharField(
        _("mode"), max_length=20, choices=ObservationMode.choices, default=ObservationMode.TOWNSHIP
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "starts_on", "pk"]
        verbose_name = _("observation batch")
        verbose_name_plural = _("observation batches")

    def __str__(self):
        return self.name


class Visit(models.Model):
    """One stop of a batch: a participant visited, in order, with the leader's commentary (点评).

    `nominated_by` is the township that put the organization forward as a demonstration
    point (示范点) in a county demonstration round; the round then also ranks townships.
    """

    batch = models.ForeignKey(ObservationBatch, on_delete=models.CASCADE, related_name="visits")
    participant = models.ForeignKey(
        "campaigns.Participant", on_delete=models.CASCADE, related_name="visits"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    nominated_by = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    commentary = models.TextField(_("commentary"), blank=True)
    commentary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commentary_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["batch", "position", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(fields=["batch", "participant"], name="unique_batch_visit")
        ]

    def __str__(self):
        return f"{self.batch} · {self.participant}"


class VisitStep(models.Model):
    """One of the five steps of a visit, ticked off with notes by the panel leader."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=10, choices=ObservationStep.choices)
    done = models.BooleanField(_("done"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "step"], name="unique_visit_step")]

    def __str__(self):
        return f"{self.visit_id}:{self.step}"
