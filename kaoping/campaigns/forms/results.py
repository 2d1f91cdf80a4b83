"""The results list's filters and the publication form."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaoping.orgs.enums import OrgKind

NAME = "participant__organization__name_pinyin"
# Organizations without a result yet go last whatever the database's NULL order.
SORTS = {
    "rank": (F("rank_in_kind").asc(nulls_last=True), "participant__organization__kind", NAME),
    "total": (F("total").desc(nulls_last=True), NAME),
    "name": (NAME,),
}


class ResultFilterForm(forms.Form):
    # A scope: every organization under the chosen one (its stored path is a prefix).
    within = forms.TypedChoiceField(label=_("Within"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    grade = forms.ChoiceField(label=pgettext_lazy("result", "Grade"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("rank", _("Rank")),
            ("total", pgettext_lazy("result", "Total")),
            ("name", _("Name")),
        ],
    )

    def __init__(self, data, *, scopes, kinds, grades):
        super().__init__(data)
        everything = [("", _("All"))]
        self.paths = {s.pk: s.path for s in scopes}
        self.fields["within"].choices = everything + [(s.pk, s.name) for s in scopes]
        labels = dict(OrgKind.choices)
        self.fields["kind"].choices = everything + [(k, labels.get(k, k)) for k in kinds]
        self.fields["grade"].choices = everything + [(g, g) for g in grades]

    def filter(self, rows):
        """The rows filtered and sorted as asked; an invalid value is ignored."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # the valid fields only
        if data.get("within"):
            path = self.paths[data["within"]]
            rows = rows.filter(participant__organization__path__startswith=path)
        if data.get("kind"):
            rows = rows.filter(participant__organization__kind=data["kind"])
        if data.get("grade"):
            rows = rows.filter(grade=data["grade"])
        return rows.order_by(*SORTS[data.get("sort") or "rank"], "pk")


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a republication: say what it corrects."),
    )
