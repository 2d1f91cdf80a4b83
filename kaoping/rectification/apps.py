from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "kaoping.rectification"
    label = "rectification"
    verbose_name = _("Rectification")

    def ready(self):
        from kaoping.rectification.domain.signals import publication_saved

        post_save.connect(
            publication_saved,
            sender="campaigns.Publication",
            dispatch_uid="rectification.publication_saved",
        )
