"""`kaoping rescore --campaign ID [--rubric FILE.yaml] --by USERNAME`.

Scores every submitted sheet of a campaign again from its stored entries and recomputes the
results (`kaoping.campaigns.domain.rescore`), after switching the participants of the file's
rubric id to the corrected rubric when `--rubric` is given. All or nothing; exit code 1 with the
reason when refused.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.accounts.models import User
from kaoping.campaigns.domain.rescore import RescoreError, rescore_campaign
from kaoping.campaigns.domain.rubrics import store_rubric_text
from kaoping.campaigns.enums import CampaignState
from kaoping.campaigns.models import Campaign
from kaoping.scoring import RubricError


class Command(BaseCommand):
    help = "Score a campaign's submitted sheets again from their entries (after a rubric fix)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help="the campaign's id")
        parser.add_argument("--rubric", help="the corrected rubric (YAML, same rubric id)")
        parser.add_argument("--by", required=True, help="username recorded as doing it")

    def handle(self, *args, campaign, rubric, by, **options):
        target = Campaign.objects.filter(pk=campaign).first()
        if target is None:
            raise CommandError(_("There is no campaign with id %(id)s.") % {"id": campaign})
        user = User.objects.filter(username__iexact=by, is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user named %(name)s.") % {"name": by})
        try:
            # The corrected rubric is stored in the rescore's transaction: kept only if used.
            with transaction.atomic():
                stored = _stored_rubric(Path(rubric)) if rubric else None
                done = rescore_campaign(campaign=target, by=user, rubric=stored)
        except RescoreError as refusal:
            raise CommandError(refusal.message) from None
        counts = {
            "sheets": done.sheets, "entries": done.entries, "campaign": target.name,
            "seconds": f"{done.seconds:.2f}", "totals": done.totals_changed,
            "scores": done.entry_scores_changed, "created": done.entries_created,
            "switched": done.participants_switched, "results": done.recomputed.results,
        }  # fmt: skip
        self.stdout.write(
            _(
                "Rescored %(sheets)s sheets (%(entries)s entries) of %(campaign)s in %(seconds)s s: "
                "%(totals)s totals changed, %(scores)s item scores changed, %(created)s entries "
                "added, %(switched)s participants moved to the corrected rubric, %(results)s "
                "results recomputed."
            )
            % counts
        )
        if target.state == CampaignState.PUBLISHED:
            self.stdout.write(
                _(
                    "The published results are unchanged: republish the campaign, saying what "
                    "was corrected, to publish the rescored ones."
                )
            )


def _stored_rubric(path: Path):
    """The corrected rubric stored (validated first), or CommandError with every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("Cannot read the rubric file %(path)s: %(error)s") % {"path": path, "error": error}
        ) from None
    try:
        return store_rubric_text(text, source=path.name)
    except RubricError as error:
        raise CommandError(
            _("The rubric file %(path)s is not valid: %(problems)s")
            % {"path": path, "problems": "；".join(str(p) for p in error.problems)}
        ) from None
