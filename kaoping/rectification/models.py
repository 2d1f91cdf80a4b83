"""Rectification (整改): one list per organization and campaign (一支部一清单), its issues
(整改事项), their events, progress posts and evidence. Writes go through `domain/`."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.rectification.enums import (
    ACTIVE_STATES,
    KEPT_STATES,
    EventKind,
    IssueState,
    ListState,
    Source,
)


def empty_list():
    # A function, not `list`: inside Issue the name `list` is its foreign key.
    return []


class RectificationList(models.Model):
    """An organization's list for one campaign: a draft built from its published result, then
    issued by the organizer with a deadline limit (the latest 整改时限 the branch may set)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="rectification_lists"
    )
    publication = models.ForeignKey(
        "campaigns.Publication", on_delete=models.PROTECT, related_name="+", null=True
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="rectification_lists"
    )
    state = models.CharField(max_length=10, choices=ListState.choices, default=ListState.DRAFT)
    deadline_limit = models.DateField(_("deadline limit"), null=True, blank=True)
    # Optional satisfaction gate: with a threshold, an issue closes only at or above it.
    satisfaction_threshold = models.DecimalField(
        _("satisfaction threshold (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="unique_rectification_list"
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.organization}"


class IssueQuerySet(models.QuerySet):
    def kept(self):
        return self.filter(state__in=KEPT_STATES)

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def with_due(self):
        """Annotate `due_on`: the branch's deadline, or the organizer's limit before one is set."""
        return self.annotate(due_on=Coalesce("deadline", "deadline_limit"))

    def overdue(self, day):
        """Active issues whose deadline has passed: overdue from the day after it, not on it."""
        return self.active().with_due().filter(due_on__lt=day)

    def due_within(self, day, days=7):
        return (
            self.active()
            .with_due()
            .filter(due_on__gte=day, due_on__lte=day + datetime.timedelta(days=days))
        )

    def recheck_due(self, day):
        """Closed issues whose re-check (回头看) date has come."""
        return self.filter(state=IssueState.CLOSED, recheck_on__lte=day)


class Issue(models.Model):
    """One 整改事项. `text` is what has to be put right; lost points keep their item, points and
    reasons so the notice and the ledger can say where an issue came from."""

    list = models.ForeignKey(RectificationList, on_delete=models.CASCADE, related_name="issues")
    # Denormalized from the list so dashboards group issues in one query.
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ADDED)
    item_code = models.CharField(max_length=40, blank=True)
    points = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    text = models.TextField(_("issue"))
    reasons = models.JSONField(default=empty_list, blank=True)
    state = models.CharField(max_length=10, choices=IssueState.choices, default=IssueState.DRAFT)
    drop_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, related_name="+")
    measures = models.TextField(_("measures"), blank=True)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_limit = models.DateField(null=True, blank=True)
    returned = models.BooleanField(default=False)
    returned_reason = models.TextField(blank=True)
    satisfaction = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField(_("closing date"), null=True, blank=True)
    recheck_on = models.DateField(_("re-check date"), null=True, blank=True)
    recheck_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["list_id", "position", "pk"]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self):
        return self.text[:60]

    @property
    def due(self):
        return self.deadline or self.deadline_limit

    def is_overdue(self, day) -> bool:
        return self.state in ACTIVE_STATES and self.due is not None and day > self.due


class IssueEvent(models.Model):
    """Every change of an issue, who made it and why (the list's history in plain words)."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.issue_id} {self.kind}"


class Progress(models.Model):
    """A progress post by the organization, with its evidence files."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="progress")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("progress"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.issue_id} {self.kind}"


class ProgressFile(models.Model):
    """Evidence of a progress post, checked and hashed like campaign evidence."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="rectification/%Y/%m/")
    thumbnail = models.FileField(upload_to="rectification/thumbs/", blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name
