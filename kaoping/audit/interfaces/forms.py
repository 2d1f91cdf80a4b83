from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.audit import actions
from kaoping.audit.models import AuditEvent, Result


class AuditSearchForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    result = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any")), *Result.choices]
    )
    q = forms.CharField(label=_("Text"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Known actions with their labels, plus any other name that appears in the log.
        seen = set(AuditEvent.objects.order_by().values_list("action", flat=True).distinct())
        names = sorted(set(actions.LABELS) | seen)
        self.fields["action"].choices = [("", _("Any"))] + [
            (name, actions.label(name)) for name in names
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "user": data.get("user", "").strip(),
            "action": data.get("action", ""),
            "result": data.get("result", ""),
            "text": data.get("q", "").strip(),
        }
