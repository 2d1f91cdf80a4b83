from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.accounts.enums import AdminRole, PasswordProfile, RoleKind
from kaoping.core.crypto import EncryptedTextField, blind_index_field


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their roles, not from flags."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    # Encrypted at rest; find a person by phone through phone_index (kaoping.core.crypto).
    phone = EncryptedTextField(_("phone"), max_length=40, blank=True, index_field="phone_index")
    phone_index = blind_index_field()
    home_organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("own organization"),
        help_text=_("The organization the person belongs to; they never score its line."),
    )
    # One field, so the three administrator roles are mutually exclusive by construction.
    admin_role = models.CharField(
        _("administrator role"),
        max_length=20,
        choices=AdminRole.choices,
        blank=True,
        default="",
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for an initial or reset password; the next sign-in asks for a new one."),
    )
    # A break-glass superuser ends by itself at this moment (see kaoping.accounts.breakglass).
    break_glass_until = models.DateTimeField(_("break-glass access until"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="unique_username_case_insensitive"),
            models.CheckConstraint(
                condition=models.Q(admin_role__in=["", *AdminRole.values]),
                name="admin_role_known",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        # An expired break-glass grant confers nothing, even before anything writes its end.
        until = user.__dict__.get("break_glass_until")
        if until is not None and until <= timezone.now():
            user.is_superuser = False
            user.is_staff = False
        return user

    def clean(self):
        super().clean()
        if self.username:
            clashes = User.objects.filter(username__iexact=self.username).exclude(pk=self.pk)
            if clashes.exists():
                raise ValidationError(
                    {
                        "username": ValidationError(
                            _("A user with that username already exists."), code="unique"
                        )
                    }
                )
        if self.admin_role and self.pk and self.roles.exists():
            raise ValidationError(
                {
                    "admin_role": ValidationError(
                        _("An administrator holds no business role; remove their roles first."),
                        code="admin_with_roles",
                    )
                }
            )

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Role(models.Model):
    """A user's role on an organization; it covers that organization's whole subtree.

    A branch user acts for the one organization only (see `kaoping.accounts.scopes`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "kind"], name="unique_role_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.organization}"

    def save(self, *args, **kwargs):
        # 三员分立 holds for every write path (admin, shell, imports), not only the forms.
        if self.user_id and User.objects.filter(pk=self.user_id).exclude(admin_role="").exists():
            raise ValidationError(
                _("An administrator cannot hold a business role."), code="admin_with_roles"
            )
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.user_id and self.user.admin_role:
            raise ValidationError(
                {
                    "user": ValidationError(
                        _("An administrator cannot hold a business role."),
                        code="admin_with_roles",
                    )
                }
            )


class PasswordHistory(models.Model):
    """Earlier password hashes, so the dengbao profile can refuse the last few."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class SecurityPolicy(models.Model):
    """The one row of security settings the security administrator edits.

    Until it is first saved, `kaoping.accounts.policy.current_policy()` answers from settings.
    """

    password_profile = models.CharField(
        _("password policy"), max_length=20, choices=PasswordProfile.choices
    )
    idle_minutes = models.PositiveIntegerField(
        _("idle logout (minutes)"),
        help_text=_("A session with no activity for this long ends."),
    )
    absolute_hours = models.PositiveIntegerField(
        _("session lifetime (hours)"),
        help_text=_("A session ends this long after sign-in, active or not."),
    )
    two_factor_for_everyone = models.BooleanField(
        _("two-factor for everyone"),
        default=False,
        help_text=_("Administrators and organizers always need a second factor."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="security_policy_singleton"),
            models.CheckConstraint(
                condition=models.Q(idle_minutes__gte=1), name="security_policy_idle_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(absolute_hours__gte=1),
                name="security_policy_lifetime_positive",
            ),
        ]

    def __str__(self):
        return str(_("security policy"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
