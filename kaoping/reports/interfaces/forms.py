from django import forms
from django.utils.translation import gettext_lazy as _

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
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":  # xlsx is a zip; anything else cannot be a filled sheet
            raise forms.ValidationError(_("This is not an .xlsx workbook."))
        return upload
