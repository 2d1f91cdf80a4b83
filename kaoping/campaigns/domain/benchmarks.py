"""Benchmarks (标杆, seed 000): panels nominate, the organizer reviews (复核) and selects, a 公示
period takes objections and answers, then the selection is confirmed. Each step keeps who/when."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.campaigns.models import BenchmarkRound, Nomination, Objection
from kaoping.campaigns.models.selection import BenchmarkState


def round_of(campaign) -> BenchmarkRound:
    """The campaign's benchmark round (created on first use)."""
    return BenchmarkRound.objects.get_or_create(campaign=campaign)[0]


def _in_state(round_, state):
    if round_.state != state:
        raise ValidationError(_("This step is not open now."))


@transaction.atomic
def nominate(*, round_: BenchmarkRound, panel, participant, reason: str, by) -> Nomination:
    """A panel's nomination with its reason (at most `per_panel` per panel).
    Side effects: one Nomination row."""
    _in_state(round_, BenchmarkState.NOMINATING)
    if (
        panel.stage.campaign_id != round_.campaign_id
        or participant.campaign_id != round_.campaign_id
    ):
        raise ValidationError({"participant": [_("Not taking part in this campaign.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the nomination.")]})
    if round_.nominations.filter(panel=panel).count() >= round_.per_panel:
        raise ValidationError(
            _("Panel %(panel)s has already nominated %(n)d.")
            % {"panel": panel.name, "n": round_.per_panel}
        )
    return Nomination.objects.create(
        round=round_, panel=panel, participant=participant, reason=reason.strip(), nominated_by=by
    )


@transaction.atomic
def review(*, nomination: Nomination, selected: bool, note: str, by) -> Nomination:
    """The organizer's review (复核) of one nomination: selected or not, with a note.
    Side effects: the nomination's selected/review_note/reviewed_by/reviewed_at."""
    _in_state(nomination.round, BenchmarkState.NOMINATING)
    nomination.selected, nomination.review_note = selected, note.strip()
    nomination.reviewed_by, nomination.reviewed_at = by, timezone.now()
    nomination.save(update_fields=["selected", "review_note", "reviewed_by", "reviewed_at"])
    return nomination


@transaction.atomic
def start_notice(
    *, round_: BenchmarkRound, starts_on: datetime.date, ends_on: datetime.date, by
) -> BenchmarkRound:
    """Open the 公示 period for the selected nominations (between final_min and final_max).
    Side effects: the round's state, dates, notice_by/notice_at."""
    _in_state(round_, BenchmarkState.NOMINATING)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The notice cannot end before it starts.")]})
    chosen = round_.nominations.filter(selected=True).count()
    if not round_.final_min <= chosen <= round_.final_max:
        raise ValidationError(
            _("Select between %(min)d and %(max)d benchmarks; %(n)d are selected.")
            % {"min": round_.final_min, "max": round_.final_max, "n": chosen}
        )
    round_.state, round_.notice_starts_on, round_.notice_ends_on = (
        BenchmarkState.NOTICE, starts_on, ends_on,
    )  # fmt: skip
    round_.notice_by, round_.notice_at = by, timezone.now()
    round_.save()
    return round_


@transaction.atomic
def record_objection(
    *, nomination: Nomination, text: str, received_on: datetime.date, by
) -> Objection:
    """An objection received during the notice period. Side effects: one Objection row."""
    round_ = nomination.round
    _in_state(round_, BenchmarkState.NOTICE)
    if not nomination.selected:
        raise ValidationError(_("Objections concern the selected benchmarks only."))
    if not round_.notice_starts_on <= received_on <= round_.notice_ends_on:
        raise ValidationError(
            {"received_on": [_("Objections are received during the notice period only.")]}
        )
    if not text.strip():
        raise ValidationError({"text": [_("Write the objection.")]})
    return Objection.objects.create(
        nomination=nomination, text=text.strip(), received_on=received_on, recorded_by=by
    )


@transaction.atomic
def answer_objection(*, objection: Objection, answer: str, by) -> Objection:
    """The answer to an objection. Side effects: answer, answered_by, answered_at."""
    if not answer.strip():
        raise ValidationError({"answer": [_("Write the answer.")]})
    objection.answer, objection.answered_by, objection.answered_at = (
        answer.strip(),
        by,
        timezone.now(),
    )
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    return objection


@transaction.atomic
def confirm(*, round_: BenchmarkRound, by, day: datetime.date | None = None) -> BenchmarkRound:
    """Confirm the selection once the notice period has ended and every objection is answered.
    Withdraw a benchmark by reviewing it again before the notice. Side effects: state, who/when."""
    _in_state(round_, BenchmarkState.NOTICE)
    day = day or timezone.localdate()
    if day <= round_.notice_ends_on:
        raise ValidationError(_("The notice period has not ended yet."))
    if Objection.objects.filter(nomination__round=round_, answer="").exists():
        raise ValidationError(_("Answer every objection before confirming."))
    round_.state, round_.confirmed_by, round_.confirmed_at = (
        BenchmarkState.CONFIRMED,
        by,
        timezone.now(),
    )
    round_.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    return round_
