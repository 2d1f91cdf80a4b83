from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ListState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("rectification list", "Draft")
    ISSUED = "issued", pgettext_lazy("rectification list", "Issued")


class IssueState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("rectification issue", "Draft")
    DROPPED = "dropped", pgettext_lazy("rectification issue", "Dropped")
    MERGED = "merged", pgettext_lazy("rectification issue", "Merged")
    OPEN = "open", pgettext_lazy("rectification issue", "Open")
    REQUESTED = "requested", _("Closure requested")
    CLOSED = "closed", pgettext_lazy("rectification issue", "Closed")


# Issues the organization still has to work on (overdue counts only these).
ACTIVE_STATES = (IssueState.OPEN, IssueState.REQUESTED)
# Issues that belong to a list (not dropped, not merged away).
KEPT_STATES = (IssueState.DRAFT, IssueState.OPEN, IssueState.REQUESTED, IssueState.CLOSED)


class Source(models.TextChoices):
    POINTS = "points", _("Points lost")
    FALSIFIED = "falsified", _("Falsified")
    MAJOR = "major", _("Major deduction")
    VETO = "veto", _("Veto")
    ADDED = "added", _("Added by the organizer")


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("rectification event", "Created")
    EDITED = "edited", pgettext_lazy("rectification event", "Edited")
    MERGED = "merged", pgettext_lazy("rectification event", "Merged")
    DROPPED = "dropped", pgettext_lazy("rectification event", "Dropped")
    ISSUED = "issued", pgettext_lazy("rectification event", "Issued")
    PLANNED = "planned", _("Measures, owner and deadline saved")
    PROGRESS = "progress", _("Progress posted")
    REQUESTED = "requested", _("Closure requested")
    REJECTED = "rejected", _("Closure rejected")
    SATISFACTION = "satisfaction", _("Satisfaction recorded")
    CLOSED = "closed", pgettext_lazy("rectification event", "Closed")
    RECHECK_SCHEDULED = "recheck_scheduled", _("Re-check scheduled")
    RECHECK_PASSED = "recheck_passed", _("Re-check passed")
    RECHECK_FAILED = "recheck_failed", _("Re-check failed: reopened")
