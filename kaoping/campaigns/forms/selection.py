"""Forms of selection: propose an allocation, move a unit, make and apply a draw, grades by
share, awards and their adjustments, and the benchmark steps."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.campaigns.domain.assignments import rater_candidates
from kaoping.campaigns.domain.sampling import SAMPLE_STAGE_KINDS
from kaoping.campaigns.domain.selection_common import new_seed
from kaoping.campaigns.forms.setup import DATE, PeopleChoiceField
from kaoping.campaigns.models.selection import Balance

NUMERIC = {"inputmode": "numeric"}
PERCENT = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})


def _seed_field():
    return forms.IntegerField(
        label=_("Seed"), min_value=0, max_value=10**15, initial=new_seed,
        help_text=_("Recorded with the result; anyone can re-run it from this number."),
        widget=forms.NumberInput(attrs=NUMERIC),
    )  # fmt: skip


class AllocationForm(forms.Form):
    group_count = forms.IntegerField(
        label=_("Number of groups"), min_value=2, max_value=100, initial=2,
        widget=forms.NumberInput(attrs=NUMERIC),
    )  # fmt: skip
    balance = forms.ChoiceField(label=_("Balance"), choices=Balance.choices, initial="none")
    same_parent = forms.BooleanField(
        label=_("Raters may not review organizations with the same parent as theirs"),
        required=False,
    )
    raters = PeopleChoiceField(
        label=_("Raters"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seed"] = _seed_field()
        self.fields["raters"].queryset = rater_candidates(campaign=campaign).select_related(
            "home_organization"
        )


class MoveForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.IntegerField(label=_("Reviewed by group"), min_value=1, max_value=100)


class DrawForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    share = forms.DecimalField(
        label=_("Share (%)"), required=False, min_value=Decimal("0.01"), max_value=100,
        decimal_places=2, widget=PERCENT,
        help_text=_("At least this share, rounded up. Or give a number below."),
    )  # fmt: skip
    count = forms.IntegerField(
        label=_("Number of organizations"), required=False, min_value=1,
        widget=forms.NumberInput(attrs=NUMERIC),
    )  # fmt: skip
    stratify = forms.BooleanField(label=_("Stratify by parent"), required=False)
    per_unit = forms.IntegerField(
        label=_("Inspectors per organization"), min_value=2, max_value=20, initial=2,
        widget=forms.NumberInput(attrs=NUMERIC),
    )  # fmt: skip
    same_parent = forms.BooleanField(
        label=_("Inspectors may not check organizations with the same parent as theirs"),
        required=False,
    )
    pool = PeopleChoiceField(
        label=_("Inspector pool"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seed"] = _seed_field()
        self.fields["pool"].queryset = rater_candidates(campaign=campaign).select_related(
            "home_organization"
        )

    def clean(self):
        data = super().clean()
        if (data.get("share") is None) == (data.get("count") is None) and not self.errors:
            raise forms.ValidationError(_("Give either a share or a number of organizations."))
        if data.get("share") is not None:
            data["share"] = (data["share"] / 100).normalize()
        return data


class ApplyDrawForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=None, empty_label=None)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = campaign.stages.filter(
            kind__in=SAMPLE_STAGE_KINDS
        ).order_by("position")


class GradesForm(forms.Form):
    """先进/一般/后进 by shares of the ranking, and an optional cap on one grade's share."""

    top = forms.DecimalField(
        label=_("Advanced (%)"), min_value=0, max_value=100, initial=20, widget=PERCENT
    )
    bottom = forms.DecimalField(
        label=_("Lagging (%)"), min_value=0, max_value=100, initial=10, widget=PERCENT
    )
    cap_grade = forms.CharField(label=_("Cap the grade"), required=False, max_length=50)
    cap = forms.DecimalField(
        label=_("at most (%)"), required=False, min_value=0, max_value=100, widget=PERCENT
    )
    published = forms.BooleanField(label=_("Use the published ranking"), required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["top"] + data["bottom"] > 100:
            raise forms.ValidationError(_("Advanced and lagging shares add up to more than 100 %."))
        if bool(data.get("cap_grade")) != (data.get("cap") is not None):
            raise forms.ValidationError(_("Give both the grade to cap and its largest share."))
        return data

    def shares(self) -> dict:
        data = self.cleaned_data
        return {
            "top": data["top"] / 100,
            "bottom": data["bottom"] / 100,
            "cap_grade": data.get("cap_grade") or "",
            "cap": None if data.get("cap") is None else data["cap"] / 100,
            "published": data["published"],
        }


class AwardForm(forms.Form):
    name = forms.CharField(label=_("Award"), max_length=200)
    quota = forms.IntegerField(
        label=_("Quota"), min_value=1, max_value=100000, widget=forms.NumberInput(attrs=NUMERIC)
    )


class AdjustForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    included = forms.TypedChoiceField(
        choices=[("1", _("Put on the list")), ("0", _("Take off the list"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class NominateForm(forms.Form):
    panel = forms.ModelChoiceField(label=_("Panel"), queryset=None, empty_label=None)
    participant = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, panels, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: p.organization.name


class ReviewForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    selected = forms.BooleanField(label=_("Selected as a benchmark"), required=False)
    note = forms.CharField(label=_("Review note"), required=False, max_length=5000)


class NoticeForm(forms.Form):
    starts_on = forms.DateField(label=_("Notice starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Notice ends on"), widget=DATE)


class ObjectionForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Objection"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)


class AnswerForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
