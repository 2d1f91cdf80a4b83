"""Forms for the organization pages. They validate; the views write through the domain."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.accounts import scopes
from kaoping.core import uploads
from kaoping.orgs.domain.browse import tree_order
from kaoping.orgs.models import Organization

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "position",
            "secretary",
            "contact",
            "phone",
            "member_count",
            "founded_on",
            "is_weak",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


class MoveForm(forms.Form):
    """Choose a new parent among the active organizations the user manages, as an indented list.

    The organization's own subtree stays in the list on purpose: choosing it gets the domain's
    explanation on the form instead of a silently missing option.
    """

    parent = forms.TypedChoiceField(label=_("New parent organization"), coerce=int)

    def __init__(self, *args, user, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        managed = tree_order(scopes.tree_managed_organizations(user).active())
        top = min((o.depth for o in managed), default=0)
        self.organizations = {o.pk: o for o in managed}
        self.fields["parent"].choices = [
            (o.pk, "\u3000" * (o.depth - top) + o.name) for o in managed
        ]
        self.fields["parent"].initial = org.parent_id

    def clean_parent(self) -> Organization:
        return self.organizations[self.cleaned_data["parent"]]


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Upload an Excel workbook (.xlsx); other formats cannot be read."), code="type"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB; split the roster into several files."),
                code="size",
            )
        # The content must be a workbook too, not just the name (kaoping.core.uploads).
        try:
            uploads.check_upload(upload, field=self.fields["file"].label, kinds=uploads.WORKBOOK,
                                 limit=MAX_UPLOAD_BYTES)  # fmt: skip
        except uploads.UploadError as err:
            raise forms.ValidationError(err.message, code="type") from None
        return upload
