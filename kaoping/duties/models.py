"""Responsibility lists (责任清单): a year's cycle for a scope, one list per holder organization,
its individual duties, signed versions, progress notes with evidence and the parent's verdicts.

Thin: the verbs live in `kaoping.duties.domain`; the content hash in `domain/content.py`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.duties.enums import DutyLevel, ListState, Outcome


class DutyCycle(models.Model):
    """One year's lists for one scope, opened by an organizer with a filing deadline."""

    scope = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="duty_cycles",
        verbose_name=_("scope"),
    )  # fmt: skip
    year = models.PositiveIntegerField(_("year"))
    deadline = models.DateField(_("filing deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "scope__name"]
        verbose_name = _("responsibility list cycle")
        verbose_name_plural = _("responsibility list cycles")
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="one_duty_cycle_per_scope_year")
        ]

    def __str__(self):
        return f"{self.year} · {self.scope}"


class DutyList(models.Model):
    """One secretary's list for one year (建单); `common` is the template's common duties,
    copied when the list is created so a later change of the bundled file never rewrites it."""

    cycle = models.ForeignKey(DutyCycle, on_delete=models.CASCADE, related_name="lists")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="duty_lists"
    )
    template_id = models.CharField(max_length=100)
    level = models.CharField(_("level"), max_length=32, choices=DutyLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    common = models.JSONField(default=list)
    state = models.CharField(
        _("state"), max_length=16, choices=ListState.choices, default=ListState.DRAFT
    )
    signed_name = models.CharField(_("signed name"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__path"]
        verbose_name = _("responsibility list")
        verbose_name_plural = _("responsibility lists")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="one_duty_list_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.cycle.year} · {self.organization} · {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.state == ListState.DRAFT


class CustomDuty(models.Model):
    """An individual duty (个性项目) the secretary writes: its wording and its standard."""

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="custom")
    position = models.PositiveIntegerField()
    text = models.TextField(_("duty"))
    standard = models.TextField(_("standard"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class ListVersion(models.Model):
    """A signed state of a list: version 1 at signing, one more per amendment. Never changed;
    the list's current content must hash to the latest version's hash."""

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    signed_name = models.CharField(max_length=100)
    signed_on = models.DateField()
    reason = models.TextField(_("reason for the amendment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["duty_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["duty_list", "number"], name="one_list_version_number")
        ]

    def __str__(self):
        return f"{self.duty_list_id} v{self.number}"


class ProgressNote(models.Model):
    """查单: what was done on one duty during the year, with optional evidence."""

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="notes")
    item_key = models.CharField(max_length=32)
    text = models.TextField(_("progress"))
    noted_on = models.DateField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["noted_on", "pk"]

    def __str__(self):
        return self.text


def note_evidence_path(instance, filename):
    return f"duties/{instance.note.duty_list_id}/{instance.sha256[:2]}/{filename}"


class NoteEvidence(models.Model):
    """A file or photo behind a progress note, stored with its SHA-256 (checks and thumbnail
    shared with campaign evidence)."""

    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=note_evidence_path)
    thumbnail = models.FileField(upload_to="duties/thumbs/", blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Verification(models.Model):
    """验单: the parent's verdict on one duty at year end."""

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="verifications")
    item_key = models.CharField(max_length=32)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["duty_list", "item_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty_list", "item_key"], name="one_verification_per_item"
            )
        ]

    def __str__(self):
        return f"{self.item_key}: {self.outcome}"
