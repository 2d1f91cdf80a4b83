"""Publishing results: freeze them, and correct them only by an explicit, recorded republication.

After publication everybody — organizers included, unless they ask for the working results —
reads the latest Publication's PublishedResult rows, never the live Result rows: a sheet
returned and resubmitted later changes the working results only, until someone republishes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.enums import CampaignState
from kaoping.campaigns.models import Campaign, Publication, PublishedResult, Result

FROZEN_FIELDS = (
    "participant_id", "total", "section_scores", "grade", "stars", "vetoes", "rater_count",
    "note", "rank_in_parent", "rank_in_kind", "lost_points", "stages", "comparison",
)  # fmt: skip
PUBLISHED_STATES = (CampaignState.PUBLISHED, CampaignState.ARCHIVED)


def latest_publication(campaign) -> Publication | None:
    """The publication people read (the highest number), or None before the first."""
    return campaign.publications.order_by("-number").first()


def _lock(campaign) -> Campaign:
    """Lock the campaign row so two publications (or a publication and a recompute) run one
    after the other: the next number and the frozen rows are then never computed twice."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _freeze(campaign, *, by, note: str) -> Publication:
    number = (campaign.publications.aggregate(n=Max("number"))["n"] or 0) + 1
    publication = Publication.objects.create(campaign=campaign, number=number, by=by, note=note)
    rows = Result.objects.filter(campaign=campaign).values(*FROZEN_FIELDS)
    frozen = PublishedResult.objects.bulk_create(
        [PublishedResult(publication=publication, **row) for row in rows], batch_size=500
    )
    record(actions.PUBLICATION, user=by, target=campaign,
           detail={"number": number, "note": note, "results": len(frozen)})  # fmt: skip
    return publication


@transaction.atomic
def publish(*, campaign: Campaign, by, note: str = "") -> Publication:
    """Publish a closed campaign's results.

    Side effects: the campaign row is locked first; it moves closed → published (setup's `transition`, recorded with who
    and when), its results are recomputed, and Publication number 1 (or the next number) with a
    frozen PublishedResult copy of every Result is written. Refused (ValidationError) from any
    other state; nothing is written then."""
    from kaoping.campaigns.domain.setup import transition

    campaign.state = _lock(campaign).state
    if campaign.state != CampaignState.CLOSED:
        raise ValidationError(_("Only a closed campaign can be published."))
    note = (note or "").strip()
    transition(campaign=campaign, to_state=CampaignState.PUBLISHED, by=by, note=note)
    recompute_results(campaign=campaign)
    return _freeze(campaign, by=by, note=note)


@transaction.atomic
def republish(*, campaign: Campaign, by, note: str) -> Publication:
    """Publish a correction of a published campaign: recompute, then freeze a new Publication.

    The note (what was corrected and why) is mandatory. Side effects: the campaign row locked; its results
    recomputed; a Publication with the next number and its PublishedResult rows. Earlier
    publications stay as they were. Refused (ValidationError) before the first publication."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say what the republication corrects.")]})
    campaign.state = _lock(campaign).state
    if campaign.state != CampaignState.PUBLISHED:
        raise ValidationError(_("Only a published campaign can be republished."))
    recompute_results(campaign=campaign)
    return _freeze(campaign, by=by, note=note)
