"""Report models: the editable bulletin draft (通报) and the record of paper imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BulletinDraft(models.Model):
    """The organizer's editable text of a campaign's bulletin, prefilled from the published
    figures the first time it is opened; the Word document is always rendered from it."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="bulletin_draft"
    )
    red_header = models.BooleanField(_("red header"), default=True)
    issuer = models.CharField(_("issuing authority mark"), max_length=100)
    doc_number = models.CharField(_("document number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    recipients = models.CharField(_("main recipients"), max_length=300)
    body = models.TextField(_("body"))
    signature = models.CharField(_("issuing organ"), max_length=100)
    dated = models.DateField(_("date written"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.title


class ImportRecord(models.Model):
    """One accepted upload of filled paper sheets: who imported what, into which sheets."""

    stage = models.ForeignKey("campaigns.Stage", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    sheets = models.ManyToManyField("campaigns.ScoreSheet", related_name="+")
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.by})"
