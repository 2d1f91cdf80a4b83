from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    RATER = "rater", _("Rater")
    BRANCH_USER = "branch_user", _("Branch user")
    VIEWER = "viewer", _("Viewer")


class AdminRole(models.TextChoices):
    """三员分立: one person holds at most one of these, and then no business role."""

    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class PasswordProfile(models.TextChoices):
    # 等保2.0 level 3: complexity, history, rotation; OWASP ASVS 5.0: length and breached list.
    DENGBAO = "dengbao", _("Dengbao (complexity, history, 90-day rotation)")
    ASVS = "asvs", _("ASVS (length and breached-password list, no rotation)")
