"""The three-year evaluation's form: a scope, three published campaigns, and their weights."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from kaoping.accounts import scopes
from kaoping.campaigns.domain.publication import PUBLISHED_STATES
from kaoping.campaigns.models import Campaign, Participant
from kaoping.orgs.models import Organization

DEFAULT_WEIGHTS = (Decimal("0.3"), Decimal("0.3"), Decimal("0.4"))


def published_campaigns(user):
    """Published campaigns with a participant the user's roles cover (one query)."""
    seen = Participant.objects.filter(
        campaign=OuterRef("pk"), organization__in=scopes.visible_organizations(user)
    )
    return Campaign.objects.filter(Exists(seen), state__in=PUBLISHED_STATES).order_by("year", "pk")


class CampaignChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year} · {obj.name}"


class ThreeYearForm(forms.Form):
    scope = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Scope"))
    campaign_1 = CampaignChoice(queryset=Campaign.objects.none(), label=_("First year"))
    campaign_2 = CampaignChoice(queryset=Campaign.objects.none(), label=_("Second year"))
    campaign_3 = CampaignChoice(queryset=Campaign.objects.none(), label=_("Third year"))
    weight_1 = forms.DecimalField(label=_("Weight of the first year"), min_value=0, max_value=1,
                                  decimal_places=4, initial=DEFAULT_WEIGHTS[0])  # fmt: skip
    weight_2 = forms.DecimalField(label=_("Weight of the second year"), min_value=0, max_value=1,
                                  decimal_places=4, initial=DEFAULT_WEIGHTS[1])  # fmt: skip
    weight_3 = forms.DecimalField(label=_("Weight of the third year"), min_value=0, max_value=1,
                                  decimal_places=4, initial=DEFAULT_WEIGHTS[2])  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Scopes: organizations the user sees that have organizations below them.
        parents = Organization.objects.filter(parent__isnull=False).values("parent_id")
        self.fields["scope"].queryset = (
            scopes.visible_organizations(user).filter(pk__in=parents).order_by("path")
        )
        for n in (1, 2, 3):
            self.fields[f"campaign_{n}"].queryset = published_campaigns(user)

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"campaign_{n}") for n in (1, 2, 3)]
        if all(chosen) and len({c.pk for c in chosen}) < 3:
            self.add_error("campaign_3", _("Choose three different campaigns."))
        weights = [data.get(f"weight_{n}") for n in (1, 2, 3)]
        if all(w is not None for w in weights) and sum(weights) != 1:
            self.add_error(
                "weight_3",
                _("The three weights add up to %(sum)s; they must add up to 1.")
                % {"sum": sum(weights).normalize()},
            )
        return data

    @property
    def campaigns(self):
        return [self.cleaned_data[f"campaign_{n}"] for n in (1, 2, 3)]

    @property
    def weights(self):
        return [self.cleaned_data[f"weight_{n}"] for n in (1, 2, 3)]
