"""The results list's filters and the publication form."""

from django import forms
from django.db import connection
from django.db.models import F, Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaoping.campaigns.models.campaign import Participant
from kaoping.campaigns.models.results import RankOrder
from kaoping.orgs.enums import OrgKind

NAME = "participant__organization__name_pinyin"
# Organizations without a result yet go last whatever the database's NULL order.
# The rank order is the index's (models/results.py result_rank_order): rank, then id, so a
# page at any depth is read off the index; ties in rank keep the order results were written in.
SORTS = {
    "rank": (RankOrder("rank_in_kind").asc(),),
    "total": (F("total").desc(nulls_last=True), NAME),
    "name": (NAME,),
}


class ManyOptionsSelect(forms.Select):
    """A select written in one pass, with the markup of Django's Select (no option groups).
    The scopes of a province are thousands of options, and rendering each through its own
    template took most of the results page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        wanted = {str(v) for v in self.format_value(value)}
        options, chosen = [], False
        for key, label in self.choices:
            key = "" if key is None else str(key)
            mark = not chosen and key in wanted  # a single select marks its first match only
            chosen = chosen or mark
            options.append(format_html('\n  <option value="{}"{}>{}</option>\n', key,
                                       " selected" if mark else "", label))  # fmt: skip
        return format_html('<select name="{}"{}>{}\n</select>', name,
                           flatatt(self.build_attrs(self.attrs, attrs)),
                           mark_safe("".join(options)))  # fmt: skip


class ResultFilterForm(forms.Form):
    # A scope: every organization under the chosen one (its stored path is a prefix).
    within = forms.TypedChoiceField(
        label=_("Within"), required=False, coerce=int, empty_value=None, widget=ManyOptionsSelect
    )
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
            rows = rows.filter(under(path))
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


def under(path: str) -> Q:
    """Results of the organizations whose stored path starts with `path`, as "participant in
    (the participants of those organizations)": the subquery reads the path index, and each
    result is then checked from the rank index (models/results.py) without a join. SQLite cannot
    use the path index for LIKE with ESCAPE (what startswith writes), so there the prefix is also
    given as a range; elsewhere (PostgreSQL's collation may not order bytes) startswith alone."""
    condition = Q(organization__path__startswith=path)
    if connection.vendor == "sqlite" and path:
        # Every string starting with `path` sorts between it and `path` with its last
        # character bumped (SQLite compares text by code point).
        upper = path[:-1] + chr(ord(path[-1]) + 1)
        condition &= Q(organization__path__gte=path, organization__path__lt=upper)
    return Q(participant__in=Participant.objects.filter(condition))
