from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "kaoping.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self):
        from kaoping.security import signals  # noqa: F401  (connects the receivers)
        from kaoping.security.twofactor import (  # noqa: F401  (receivers)
            middleware,  # remembers at sign-in whether the user has a second factor
            reauth,  # sign-in counts as re-auth
        )
