from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Larger than any rank: the results list's rank order puts organizations without one last.
RANK_LAST = 2_147_483_647


class RankOrder(models.Func):
    """A rank with "none yet" sorting last, as one indexable expression. The constant is written
    into the SQL (not a bound parameter) so the query's ORDER BY matches the index's expression
    on SQLite and PostgreSQL alike (NULLS LAST cannot use an ascending SQLite index)."""

    template = f"COALESCE(%(expressions)s, {RANK_LAST})"
    output_field = models.PositiveIntegerField()


class ResultFields(models.Model):
    """What a result holds, for a stage or for the campaign (stages combined)."""

    participant = models.ForeignKey(
        "campaigns.Participant", on_delete=models.CASCADE, related_name="+"
    )
    total = models.DecimalField(max_digits=9, decimal_places=3, null=True)
    section_scores = models.JSONField(default=dict)
    grade = models.CharField(max_length=40, blank=True)
    stars = models.JSONField(default=list)
    vetoes = models.JSONField(default=list)
    rater_count = models.PositiveIntegerField(default=0)
    # Joined notes of several stages: no length a stage name could overflow.
    note = models.TextField(blank=True)

    class Meta:
        abstract = True


class StageResult(ResultFields):
    """Raters aggregated per organization in one stage (the stage's method)."""

    # No index of its own: the unique (stage, participant) constraint leads with it.
    stage = models.ForeignKey(
        "campaigns.Stage", on_delete=models.CASCADE, related_name="results", db_index=False
    )

    class Meta:
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")
        constraints = [
            models.UniqueConstraint(fields=["stage", "participant"], name="unique_stage_result")
        ]

    def __str__(self):
        return f"{self.stage} · {self.participant}"


class Result(ResultFields):
    """The campaign's working result per organization: stages combined, ranked and graded.

    Recomputed from stored sheet totals whenever asked; what people see after publication is
    the frozen copy in PublishedResult.
    """

    # No index of its own: the unique (campaign, participant) constraint leads with it.
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="results", db_index=False
    )
    rank_in_parent = models.PositiveIntegerField(null=True)
    rank_in_kind = models.PositiveIntegerField(null=True)
    lost_points = models.JSONField(default=list)
    # Each counted stage's aggregate (stage, method used, total, raters, note), so the frozen
    # copy shows the per-stage figures as published, not as they are now.
    stages = models.JSONField(default=list)
    # The self-assessment beside the counted review stages, item by item (frozen with the rest).
    comparison = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "participant"], name="unique_result")
        ]
        # The results list's default order (forms/results.py SORTS["rank"]) read off an index,
        # so a page at any depth skips index entries instead of sorting the whole campaign; with
        # the participant in it, a scope filter (participant in …) is checked from the index.
        indexes = [
            models.Index(
                models.F("campaign"), RankOrder("rank_in_kind"), models.F("id"),
                models.F("participant"), name="result_rank_order",
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.campaign} · {self.participant}"


class Publication(models.Model):
    """One publication of a campaign's results; a correction is a later publication."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="publications"
    )
    number = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="unique_publication")
        ]

    def __str__(self):
        return f"{self.campaign} #{self.number}"


class PublishedResult(ResultFields):
    """A result as published: never changed after it is written."""

    # No index of its own: the unique (publication, participant) constraint leads with it.
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="results", db_index=False
    )
    rank_in_parent = models.PositiveIntegerField(null=True)
    rank_in_kind = models.PositiveIntegerField(null=True)
    lost_points = models.JSONField(default=list)
    stages = models.JSONField(default=list)
    comparison = models.JSONField(default=list)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "participant"], name="unique_published_result"
            )
        ]
        indexes = [
            models.Index(
                models.F("publication"), RankOrder("rank_in_kind"), models.F("id"),
                models.F("participant"), name="published_result_rank_order",
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.publication} · {self.participant}"
