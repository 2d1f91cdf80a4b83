from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from kaoping.accounts.enums import AdminRole, RoleKind
from kaoping.accounts.models import SecurityPolicy
from kaoping.accounts.passwords import change_password
from kaoping.accounts.policy import EDITABLE_FIELDS


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (old password, new twice, the policy's validators), saved through
    `kaoping.accounts.passwords` so the history and the change date are kept."""

    def save(self, commit=True):
        change_password(self.user, self.cleaned_data["new_password1"], validate=False)
        return self.user


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search users"), required=False, max_length=100)


class OrganizationSearchForm(forms.Form):
    org_q = forms.CharField(label=_("Find an organization"), required=False, max_length=100)


class GrantRoleForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)


class AdminRoleForm(forms.Form):
    admin_role = forms.ChoiceField(
        label=_("Administrator role"),
        choices=[("", _("None")), *AdminRole.choices],
        required=False,
    )


class SecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "password_profile": forms.RadioSelect,
            "idle_minutes": forms.NumberInput(attrs={"min": 1, "max": 1440}),
            "absolute_hours": forms.NumberInput(attrs={"min": 1, "max": 168}),
        }

    def clean_idle_minutes(self):
        value = self.cleaned_data["idle_minutes"]
        if not 1 <= value <= 1440:
            raise forms.ValidationError(
                _("Idle logout must be between 1 and 1440 minutes."), code="range"
            )
        return value

    def clean_absolute_hours(self):
        value = self.cleaned_data["absolute_hours"]
        if not 1 <= value <= 168:
            raise forms.ValidationError(
                _("Session lifetime must be between 1 and 168 hours."), code="range"
            )
        return value
