"""The user's own account page ("my account") and changing one's phone number.

The phone change sits behind re-authentication: with someone else's open session, changing the
number would redirect whatever the site later sends to it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.core.crypto import normalize_phone
from kaoping.core.masking import mask_phone
from kaoping.security.twofactor import domain
from kaoping.security.twofactor.reauth import require_recent_auth

MIN_PHONE_DIGITS = 6
MAX_PHONE_DIGITS = 15  # E.164


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "autofocus": True}),
        help_text=gettext_lazy("Leave empty to remove your number."),
    )

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if value and not (MIN_PHONE_DIGITS <= len(normalize_phone(value)) <= MAX_PHONE_DIGITS):
            raise forms.ValidationError(
                _("Phone: enter a phone number of 6 to 15 digits, e.g. 138 1234 5678."),
                code="invalid_phone",
            )
        return value


@login_required
@require_http_methods(["GET"])
def index(request):
    user = request.user
    return render(
        request,
        "security/twofactor/account.html",
        {
            "masked_phone": mask_phone(user.phone),
            "two_factor_on": domain.has_second_factor(user),
        },
    )


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def change_phone(request):
    user = request.user
    form = PhoneForm(request.POST or None, initial={"phone": user.phone})
    if request.method == "POST" and form.is_valid():
        user.phone = form.cleaned_data["phone"]
        # The blind index column follows the phone (kaoping.core.crypto); save both.
        user.save(update_fields=["phone", "phone_index"])
        # The number itself stays out of the log (personal data).
        record(actions.USER_CHANGED, request=request, target=user, detail={"fields": ["phone"]})
        messages.success(request, _("Your phone number has been saved."))
        return redirect("profile:index")
    return render(request, "security/twofactor/phone.html", {"form": form})
