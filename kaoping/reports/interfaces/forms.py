from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.core import uploads
from kaoping.reports.domain.bulletin import EDITABLE
from kaoping.reports.models import BulletinDraft

MAX_UPLOAD = 10 * 1024 * 1024


class BulletinForm(forms.ModelForm):
    class Meta:
        model = BulletinDraft
        fields = EDITABLE
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "dated": forms.DateInput(attrs={"type": "date"}),
        }


class PaperUploadForm(forms.Form):
    workbook = forms.FileField(label=_("Filled workbook (.xlsx)"))

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The workbook is larger than 10 MB."))
        # Content, name and size by the site's one upload check (kaoping.core.uploads).
        try:
            uploads.check_upload(upload, field=self.fields["workbook"].label,
                                 kinds=uploads.WORKBOOK, limit=MAX_UPLOAD)  # fmt: skip
        except uploads.UploadError as err:
            raise forms.ValidationError(err.message) from None
        return upload
