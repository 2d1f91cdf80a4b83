import datetime

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.duties.enums import Outcome


class CycleForm(forms.Form):
    scope = forms.ModelChoiceField(queryset=None, label=_("Scope"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=_("Filing deadline"), required=False,
        help_text=_("Leave empty for 31 March of the year."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        year, deadline = data.get("year"), data.get("deadline")
        if year and deadline and deadline.year != year:
            self.add_error("deadline", _("The deadline must fall in the list's year."))
        if year and not deadline:
            data["deadline"] = datetime.date(year, 3, 31)
        return data


class CustomDutyForm(forms.Form):
    text = forms.CharField(label=_("Individual duty"), widget=forms.Textarea(attrs={"rows": 2}))
    standard = forms.CharField(label=_("Standard"), widget=forms.Textarea(attrs={"rows": 2}))


CustomDutyFormSet = formset_factory(CustomDutyForm, extra=1)


class SignForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 2})
    )
    name = forms.CharField(label=_("Your name"), max_length=100)


class NoteForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence (photo or PDF)"), required=False)


class VerifyForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


def form_errors(form) -> str:
    """A form's errors as one message naming each field."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}: {e}" if label else str(e) for e in errors]
    return " ".join(parts)
