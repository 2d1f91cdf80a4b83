from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.campaigns.enums import SheetStatus


class ScoreSheet(models.Model):
    """One rater's sheet for one organization in one stage (得分表).

    While a draft it holds entries only; submitting runs the scoring core and stores what it
    computed, so results aggregate stored totals instead of re-scoring a campaign. `version`
    grows with every change: a save that names an older version is refused, never merged.
    """

    assignment = models.OneToOneField(
        "campaigns.Assignment", on_delete=models.CASCADE, related_name="sheet"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    commentary = models.TextField(_("commentary"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(_("reason for return"), blank=True)
    # Stored when submitted, by the scoring core (kaoping.scoring.score_sheet).
    total = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    scaled_total = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    grade = models.CharField(max_length=40, blank=True)
    section_scores = models.JSONField(default=dict, blank=True)
    stars = models.JSONField(default=list, blank=True)
    vetoes = models.JSONField(default=list, blank=True)
    lost_points = models.JSONField(default=list, blank=True)
    # Per section what results aggregate (score, applicable points, major deductions, star),
    # stored at submission from the scoring core so results never re-derive a rule.
    sections = models.JSONField(default=list, blank=True)
    # The same numbers packed flat for the province-scale recompute (domain/packed.py), also
    # stored at submission. Nullable, so adding them never copies the sheet table on SQLite; NULL
    # means "not packed" and the recompute then takes the Decimal path. Kept out of history: they
    # only repeat `sections` and `lost_points`.
    figures = models.BinaryField(null=True, blank=True, editable=False)
    losses = models.BinaryField(null=True, blank=True, editable=False)
    loss_reasons = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["figures", "losses", "loss_reasons"])

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.assignment.participant} · {self.assignment.rater}"

    @property
    def locked(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class Entry(models.Model):
    """A rater's answer to one item, in the scoring core's entry format, with its item score."""

    # No index of its own: the unique (sheet, item_code) constraint leads with sheet and serves
    # every lookup by sheet; a second index only slows bulk loads (docs/performance.md).
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    item_code = models.CharField(max_length=64)
    value = models.JSONField(default=dict)
    score = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item_code"], name="one_entry_per_item")
        ]

    def __str__(self):
        return f"{self.sheet_id}:{self.item_code}"


class SheetEvent(models.Model):
    """Submissions and returns of a sheet, with their reasons: the sheet's story at a glance."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    total = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = _("sheet event")
        verbose_name_plural = _("sheet events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.sheet_id} {self.kind}"


def evidence_path(instance, filename):
    # Named by content hash, so a stored file cannot be guessed or collide; each upload is its own row.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class Evidence(models.Model):
    """A file or photo supporting one item of a sheet (佐证材料), stored with its SHA-256."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="evidence")
    item_code = models.CharField(max_length=64)
    file = models.FileField(upload_to=evidence_path)
    thumbnail = models.FileField(upload_to="evidence/thumbs/", blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class CustomItem(models.Model):
    """The wording of one custom slot (个性指标), written by the organization in its
    self-assessment (or by the organizer for common slots) and then scored by every rater."""

    participant = models.ForeignKey(
        "campaigns.Participant", on_delete=models.CASCADE, related_name="custom_items"
    )
    item_code = models.CharField(max_length=64, help_text="the rubric's custom_slots item")
    slot_code = models.CharField(max_length=64)
    text = models.TextField(_("text"))
    standard = models.TextField(_("scoring standard"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("custom item")
        verbose_name_plural = _("custom items")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "item_code", "slot_code"], name="unique_custom_slot"
            )
        ]

    def __str__(self):
        return f"{self.slot_code} {self.text[:30]}"
