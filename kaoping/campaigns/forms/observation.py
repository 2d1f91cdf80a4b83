"""Forms of observation (观摩): plan a batch, record a visit's steps and commentary."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.campaigns.forms.setup import DATE
from kaoping.campaigns.models import ObservationMode, ObservationStep


class BatchForm(forms.Form):
    """A batch's settings and, per participant, its place in the visiting order (`visit_<pk>`:
    1, 2, …; blank = not visited). `ordered_participants` gives the chosen ones in order."""

    name = forms.CharField(label=_("Name"), max_length=200)
    mode = forms.ChoiceField(label=_("Mode"), choices=ObservationMode.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    panel = forms.ModelChoiceField(label=_("Panel"), queryset=None, empty_label=None)

    def __init__(self, *args, stage, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = stage.panels.select_related("leader").order_by("name")
        self.participants = list(participants)
        self.visit_fields = []
        for participant in self.participants:
            name = f"visit_{participant.pk}"
            self.fields[name] = forms.IntegerField(
                label=participant.organization.name, required=False, min_value=1, max_value=999,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "visit-order"}),
            )  # fmt: skip
            self.visit_fields.append(self[name])

    def clean(self):
        data = super().clean()
        chosen = [
            (data[f"visit_{p.pk}"], p)
            for p in self.participants
            if data.get(f"visit_{p.pk}") is not None
        ]
        numbers = [n for n, _p in chosen]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            self.add_error(
                None,
                _("Each place in the visiting order is used once; repeated: %(numbers)s")
                % {"numbers": ", ".join(str(n) for n in repeated)},
            )
        if not chosen and not self.errors:
            self.add_error(None, _("Give at least one organization its place in the order."))
        self.ordered_participants = [p for _n, p in sorted(chosen, key=lambda c: c[0])]
        return data


class StepsForm(forms.Form):
    """The five steps of a visit: `<code>_done` and `<code>_notes` for each."""

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for code, label, row in steps:
            self.fields[f"{code}_done"] = forms.BooleanField(
                label=label, required=False, initial=bool(row and row.done)
            )
            self.fields[f"{code}_notes"] = forms.CharField(
                label=_("Notes"), required=False, max_length=5000,
                initial=row.notes if row else "", widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.rows.append((code, label, self[f"{code}_done"], self[f"{code}_notes"]))

    def steps(self) -> dict[str, tuple[bool, str]]:
        data = self.cleaned_data
        return {code: (data[f"{code}_done"], data[f"{code}_notes"])
                for code in ObservationStep.values}  # fmt: skip


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label=_("Commentary"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
