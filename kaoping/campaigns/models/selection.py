"""Selection: cross-review allocations (交叉互评), random draws (双随机), award quotas, benchmarks (标杆).

Allocations and draws store their seed and inputs (participant and user pks in the order the
scoring core saw them), so "verify" re-runs the pure functions and compares.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

USER = settings.AUTH_USER_MODEL


class Balance(models.TextChoices):
    NONE = "none", _("Mixed at random")
    KIND = "kind", _("Balance organization kinds")
    SIZE = "size", _("Balance sizes (members)")


class CrossAllocation(models.Model):
    """A proposed (then applied) cross-review allocation of one stage's participants."""

    stage = models.ForeignKey(
        "campaigns.Stage", on_delete=models.CASCADE, related_name="cross_allocations"
    )
    seed = models.BigIntegerField(_("seed"))
    group_count = models.PositiveSmallIntegerField(_("groups"))
    balance = models.CharField(_("balance"), max_length=10, choices=Balance.choices)
    same_parent = models.BooleanField(_("not the same parent"), default=False)
    units = models.JSONField(default=list)  # participant pks in the order given to the core
    groups = models.JSONField(default=list)  # [[participant pk]]
    raters = models.JSONField(default=list)  # [[user pk]]
    reviewer = models.JSONField(default=dict)  # {participant pk: reviewing group index}
    unplaced = models.JSONField(default=list)
    moved = models.BooleanField(default=False)  # changed by hand after the draw
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.stage} · {self.seed}"


class Draw(models.Model):
    """A random draw of participants and inspectors from a recorded seed."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="draws"
    )
    title = models.CharField(_("title"), max_length=200)
    seed = models.BigIntegerField(_("seed"))
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4, null=True, blank=True)
    count = models.PositiveIntegerField(_("number"), null=True, blank=True)
    stratify = models.BooleanField(_("stratify by parent"), default=False)
    per_unit = models.PositiveSmallIntegerField(_("inspectors per organization"), default=2)
    same_parent = models.BooleanField(_("not the same parent"), default=False)
    units = models.JSONField(default=list)
    strata = models.JSONField(null=True, blank=True)
    pool = models.JSONField(default=list)
    drawn = models.JSONField(default=list)
    inspectors = models.JSONField(default=dict)
    short = models.JSONField(default=list)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    stage = models.ForeignKey(
        "campaigns.Stage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class Award(models.Model):
    """An award with a quota (seed 002: 20 advanced units, 100 advanced branches)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="awards"
    )
    name = models.CharField(_("name"), max_length=200)
    quota = models.PositiveIntegerField(_("quota"))
    org_kinds = models.JSONField(_("organization kinds"), default=list, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "pk"]

    def __str__(self):
        return self.name


class AwardChange(models.Model):
    """The organizer's adjustment of the proposed list, with a reason; the latest one counts."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="changes")
    participant = models.ForeignKey(
        "campaigns.Participant", on_delete=models.CASCADE, related_name="+"
    )
    included = models.BooleanField()
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.award} · {self.participant}"


class BenchmarkState(models.TextChoices):
    NOMINATING = "nominating", pgettext_lazy("benchmark state", "Nominating")
    NOTICE = "notice", pgettext_lazy("benchmark state", "Public notice")
    CONFIRMED = "confirmed", pgettext_lazy("benchmark state", "Confirmed")


class BenchmarkRound(models.Model):
    """Benchmark selection of a campaign: nominations per panel, review, 公示, confirmation."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="benchmark_round"
    )
    per_panel = models.PositiveSmallIntegerField(_("nominations per panel"), default=1)
    final_min = models.PositiveSmallIntegerField(_("at least"), default=2)
    final_max = models.PositiveSmallIntegerField(_("at most"), default=3)
    state = models.CharField(
        max_length=12, choices=BenchmarkState.choices, default=BenchmarkState.NOMINATING
    )
    notice_starts_on = models.DateField(_("notice starts on"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    notice_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    notice_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.campaign)


class Nomination(models.Model):
    """A panel's nominated benchmark with its reason, and the organizer's review (复核)."""

    round = models.ForeignKey(BenchmarkRound, on_delete=models.CASCADE, related_name="nominations")
    panel = models.ForeignKey("campaigns.Panel", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "campaigns.Participant", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    nominated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)
    selected = models.BooleanField(default=False)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["panel__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "panel", "participant"], name="unique_nomination"
            )
        ]

    def __str__(self):
        return str(self.participant)


class Objection(models.Model):
    """An objection raised during the 公示 period, and its answer."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("objection"))
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return self.text[:40]
