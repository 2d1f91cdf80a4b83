from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kaoping.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from kaoping.audit import signals  # noqa: F401  (connects the receivers)
        from kaoping.audit.domain import guard

        guard.check_retention_setting()
        guard.connect()
