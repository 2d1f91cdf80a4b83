"""The session registry: one row per signed-in session, so people and administrators can see
where an account is signed in and end those sessions.

The Django session (django.contrib.sessions, database backend) stays the source of truth for
whether a browser is signed in; a row here describes it and is marked ended when it is ended.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.security.devices import describe

USER_AGENT_LENGTH = 300


class EndReason(models.TextChoices):
    LOGOUT = "logout", _("Logged out")
    IDLE = "idle", _("Idle too long")
    ABSOLUTE = "absolute", _("Maximum session length reached")
    BY_USER = "by_user", _("Ended by the user")
    BY_ADMIN = "by_admin", _("Ended by an administrator")
    DISABLED = "disabled", _("Account disabled")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")


class UserSessionQuerySet(models.QuerySet):
    def active(self, *, at=None, idle=None, absolute=None):
        """Sessions still usable at `at`: not ended, their Django session present and unexpired,
        and (when given) neither idle longer than `idle` nor older than `absolute`.

        `last_seen_at` is written at most once a minute, so the idle cut-off allows that minute.
        """
        at = at or timezone.now()
        live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=at)
        rows = self.filter(ended_at__isnull=True).filter(Exists(live))
        if idle is not None:
            rows = rows.filter(last_seen_at__gte=at - idle - timedelta(minutes=1))
        if absolute is not None:
            rows = rows.filter(created_at__gte=at - absolute)
        return rows


class UserSession(models.Model):
    session_key = models.CharField(_("session key"), max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registered_sessions",
        verbose_name=_("user"),
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("device"), max_length=USER_AGENT_LENGTH, blank=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self):
        return f"{self.user} · {self.address or '-'} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def device(self) -> str:
        return describe(self.user_agent)
