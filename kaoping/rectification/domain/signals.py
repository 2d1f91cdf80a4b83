"""Draft lists follow publication: a receiver of Publication's post_save, connected in
`RectificationConfig.ready()`, so the campaigns app does not need to know about rectification."""

from django.db import transaction


def publication_saved(sender, instance, created, raw=False, **kwargs):
    """Build draft lists once the publication's frozen rows are written (they are created after
    the Publication row, in the same transaction: hence on commit)."""
    if not created or raw:
        return
    from kaoping.rectification.domain.lists import build_draft_lists

    pk = instance.pk

    def build():
        from kaoping.campaigns.models import Publication

        publication = Publication.objects.select_related("campaign").filter(pk=pk).first()
        if publication is not None:
            build_draft_lists(publication=publication)

    transaction.on_commit(build)
