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


class ExportJob(models.Model):
    """A large Excel export written in the background (kaoping.reports.domain.jobs): its
    progress, and the finished file under VAR_DIR/exports (outside the web root), served only
    through a permission-checked view."""

    class Kind(models.TextChoices):
        RANKING = "ranking", _("Ranking")
        MATRIX = "matrix", _("Score matrix (organization × item)")
        SHEETS = "sheets", _("Submitted score sheets")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="export_jobs"
    )
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=255, blank=True)  # name inside the exports folder
    filename = models.CharField(max_length=255, blank=True)  # the name the user downloads
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0
