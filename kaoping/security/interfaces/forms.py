"""Forms of the system administrator's account pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaoping.orgs.models import Organization

User = get_user_model()


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("disabled", _("Disabled"))],
    )

    def filter(self, users):
        if not self.is_valid():
            return users
        text = self.cleaned_data["q"].strip()
        if text:
            users = users.filter(username__icontains=text) | users.filter(full_name__icontains=text)
        status = self.cleaned_data["status"]
        if status:
            users = users.filter(is_active=status == "active")
        return users


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UserDetailsForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    home_organization = OrganizationChoiceField(
        label=_("Own organization"),
        queryset=Organization.objects.active().order_by("path"),
        required=False,
        help_text=_("The organization the person belongs to; they never score its line."),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not phone.replace("-", "").replace(" ", "").lstrip("+").isdigit():
            raise ValidationError(
                _("Enter a phone number of digits (spaces, - and a leading + allowed)."),
                code="invalid_phone",
            )
        return phone


class PasswordPairMixin:
    """Two password fields that must match and pass the password policy for `user`."""

    def _clean_password_pair(self, user):
        raw = self.cleaned_data.get("password1")
        again = self.cleaned_data.get("password2")
        if raw and again and raw != again:
            self.add_error("password2", _("The two passwords differ."))
            return
        if raw:
            try:
                validate_password(raw, user)
            except ValidationError as exc:
                self.add_error("password1", exc)


def _password_fields(label, again_label):
    return (
        forms.CharField(
            label=label,
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("The user must choose a new password at the next sign-in."),
        ),
        forms.CharField(
            label=again_label,
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class UserCreateForm(PasswordPairMixin, UserDetailsForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; case does not make a new name."),
    )
    password1, password2 = _password_fields(_("Initial password"), _("Initial password again"))

    field_order = ["username", "full_name", "phone", "home_organization", "password1", "password2"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A user with that username already exists."), code="unique")
        return username

    def clean(self):
        cleaned = super().clean()
        candidate = User(
            username=cleaned.get("username", ""), full_name=cleaned.get("full_name", "")
        )
        self._clean_password_pair(candidate)
        return cleaned


class PasswordResetForm(PasswordPairMixin, forms.Form):
    password1, password2 = _password_fields(_("New password"), _("New password again"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        self._clean_password_pair(self.user)
        return cleaned
