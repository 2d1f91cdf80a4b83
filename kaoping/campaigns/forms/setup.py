"""Forms for setting a campaign up. They validate input; the views write through the domain."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.accounts import scopes
from kaoping.campaigns.domain.assignments import rater_candidates
from kaoping.campaigns.domain.rubrics import bundled_choices
from kaoping.campaigns.domain.setup import STAGE_FIELDS
from kaoping.campaigns.models import Campaign, Stage
from kaoping.orgs.domain.browse import tree_order
from kaoping.orgs.enums import OrgKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _indented(orgs) -> list[tuple[int, str]]:
    ordered = tree_order(orgs)
    top = min((o.depth for o in ordered), default=0)
    return [(o.pk, "\u3000" * (o.depth - top) + o.name) for o in ordered]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        org = user.home_organization
        return f"{user.display_name}（{org.name}）" if org else user.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoiceField.label_from_instance


class CampaignForm(forms.Form):
    """A campaign's settings, with one rubric choice per organization kind (`rubric_<kind>`)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope = forms.TypedChoiceField(
        label=_("Scope"), coerce=int, help_text=_("The organization whose subtree takes part.")
    )
    participant_kinds = forms.MultipleChoiceField(
        label=_("Participating kinds"),
        choices=OrgKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    excluded = forms.TypedMultipleChoiceField(
        label=_("Excluded organizations"),
        coerce=int,
        required=False,
        help_text=_("Left out with their whole subtree."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, user, campaign: Campaign | None = None, **kwargs):
        if campaign is not None:
            kwargs.setdefault("initial", self.initial_for(campaign))
        super().__init__(*args, **kwargs)
        managed = scopes.managed_organizations(user).active()
        self.organizations = {o.pk: o for o in managed}
        choices = _indented(self.organizations.values())
        self.fields["scope"].choices = choices
        self.fields["excluded"].choices = choices
        rubric_choices = [("", _("— none —")), *bundled_choices()]
        for kind, label in OrgKind.choices:
            self.fields[f"rubric_{kind}"] = forms.ChoiceField(
                label=label, choices=rubric_choices, required=False
            )

    @staticmethod
    def initial_for(campaign: Campaign) -> dict:
        initial = {
            "name": campaign.name,
            "year": campaign.year,
            "period_start": campaign.period_start,
            "period_end": campaign.period_end,
            "description": campaign.description,
            "scope": campaign.scope_id,
            "participant_kinds": campaign.participant_kinds,
            "excluded": [o.pk for o in campaign.excluded.all()],
        }
        for cr in campaign.rubrics.select_related("rubric"):
            initial[f"rubric_{cr.org_kind}"] = cr.rubric.rubric_id
        return initial

    @property
    def rubric_fields(self):
        return [self[f"rubric_{kind}"] for kind in OrgKind.values]

    @property
    def settings_fields(self):
        return [f for f in self if not f.name.startswith("rubric_")]

    def domain_arguments(self) -> dict:
        """Keyword arguments for create_campaign / update_campaign."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "year": data["year"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "description": data["description"],
            "scope": self.organizations[data["scope"]],
            "participant_kinds": data["participant_kinds"],
            "excluded": [self.organizations[pk] for pk in data["excluded"]],
            "rubrics": {kind: data[f"rubric_{kind}"] for kind in OrgKind.values},
        }


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = list(STAGE_FIELDS)
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty means "after the last stage" (the domain numbers it).
        self.fields["position"].required = False


class PanelForm(forms.Form):
    name = forms.CharField(label=_("Panel name"), max_length=200)
    leader = PersonChoiceField(label=_("Leader"), queryset=None)
    members = PeopleChoiceField(
        label=_("Members"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        people = rater_candidates(campaign=campaign).select_related("home_organization")
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people


class AssignForm(forms.Form):
    """Organizations (checkboxes) to one panel or one rater, with a due date."""

    participants = forms.ModelMultipleChoiceField(
        label=_("Organizations"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    target = forms.ChoiceField(label=_("Assign to"))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args, stage: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = stage.campaign.participants.select_related(
            "organization"
        )
        self.panels = {p.pk: p for p in stage.panels.select_related("leader")}
        self.people = {
            u.pk: u
            for u in rater_candidates(campaign=stage.campaign).select_related("home_organization")
        }
        self.fields["target"].choices = [
            (_("Panels"), [(f"panel:{pk}", p.name) for pk, p in self.panels.items()]),
            (
                _("Single raters"),
                [
                    (f"rater:{pk}", PersonChoiceField.label_from_instance(None, u))
                    for pk, u in self.people.items()
                ],
            ),
        ]

    def clean_target(self):
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        pool = self.panels if kind == "panel" else self.people
        return kind, pool[int(pk)]
