"""Forms of the scoring pages: returning a sheet, uploading evidence. Entries are read by
`kaoping.campaigns.interfaces.entry_forms` (their fields follow the rule kinds)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason for returning the sheet.")},
    )


class EvidenceForm(forms.Form):
    item = forms.CharField(max_length=64, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Evidence file"),
        error_messages={"required": _("Choose a photo or a PDF file."),
                        "empty": _("The file is empty.")},
    )  # fmt: skip
