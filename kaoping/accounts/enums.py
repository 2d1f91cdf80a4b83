from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    RATER = "rater", _("Rater")
    BRANCH_USER = "branch_user", _("Branch user")
    VIEWER = "viewer", _("Viewer")
