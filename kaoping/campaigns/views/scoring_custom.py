"""The organizer writes the wording of common slots (共性指标, `written_by: organizer`) for every
participant of a campaign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.custom_items import (
    ORGANIZER,
    CustomItemError,
    slot_items,
    slot_order,
    write_common_items,
)
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.models import Campaign, CustomItem, StoredRubric


def _campaign_or_404(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), pk=pk)
    if not request.user.has_perm("campaigns.write_common_items", campaign):
        raise Http404
    return campaign


def _items(campaign):
    """(item, written texts) for every organizer-written slot item of the campaign's rubrics.

    The wording is the same for every participant: it is read from one participant per rubric,
    all in two queries whatever the number of items."""
    first_of = dict(
        campaign.participants.values("rubric_id")
        .annotate(first=Min("pk"))
        .values_list("rubric_id", "first")
    )
    written: dict[tuple[int, str], list[str]] = {}
    rows_of = CustomItem.objects.filter(participant_id__in=first_of.values())
    for row in sorted(rows_of, key=lambda r: (r.item_code, slot_order(r.slot_code))):
        written.setdefault((row.participant_id, row.item_code), []).append(row.text)
    rows, seen = [], set()
    for stored in StoredRubric.objects.filter(pk__in=first_of).order_by("pk"):
        for item in slot_items(rubric_of(stored), ORGANIZER):
            if item.code in seen:
                continue
            seen.add(item.code)
            texts = list(written.get((first_of[stored.pk], item.code), []))
            texts += [""] * (item.rule.max_slots - len(texts))
            rows.append({"item": item, "texts": texts})
    return rows


@login_required
def common_items(request, pk):
    campaign = _campaign_or_404(request, pk)
    if request.method == "POST":
        try:
            count = write_common_items(campaign=campaign, item_code=request.POST.get("item", ""),
                                       texts=request.POST.getlist("text"), by=request.user)  # fmt: skip
        except CustomItemError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Saved for %(count)d organizations.") % {"count": count})
        return redirect("campaigns:common_items", pk=pk)
    return render(request, "campaigns/scoring/common_items.html",
                  {"campaign": campaign, "rows": _items(campaign)})  # fmt: skip
