"""Forms of the rectification pages; each names its fields so errors land beside them."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IssueListsForm(forms.Form):
    deadline_limit = forms.DateField(label=_("Deadline limit"), widget=DATE)
    satisfaction_threshold = forms.DecimalField(
        label=_("Satisfaction threshold (%)"), required=False, min_value=1, max_value=100,
        help_text=_("Leave empty for no satisfaction gate; e.g. 90."),
    )  # fmt: skip


class TextForm(forms.Form):
    text = forms.CharField(label=_("Issue"), widget=forms.Textarea(attrs={"rows": 3}))


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Reason for dropping"), max_length=2000)


class PlanForm(forms.Form):
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Owner"), max_length=100)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); contents are checked by the
    domain, which reads them itself."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(
        label=_("Evidence (photos or PDF)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closing date"), widget=DATE)


class SatisfactionForm(forms.Form):
    share = forms.DecimalField(label=_("Satisfaction (%)"), min_value=0, max_value=100)


class RecheckForm(forms.Form):
    on = forms.DateField(label=_("Re-check on"), required=False, widget=DATE)
    every_months = forms.IntegerField(
        label=_("or every N months"), required=False, min_value=1, max_value=24
    )


class FailRecheckForm(forms.Form):
    reason = forms.CharField(label=_("What the re-check found"),
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    deadline = forms.DateField(label=_("New deadline"), widget=DATE)


class EmptyForm(forms.Form):
    """For actions that take no input (the CSRF token only)."""
