"""The audit log: append-only rows chained by an HMAC (see kaoping.audit.domain.chain).

Rows are never updated or deleted by the application: the model and its queryset refuse, and
database triggers (migration 0001) refuse too. The only deletion is the retention purge
(kaoping.audit.domain.purge), which leaves a checkpoint so the remaining chain still verifies.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit import actions


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row."""


class ReadableJSONEncoder(DjangoJSONEncoder):
    """Stores Chinese as itself, not \\u escapes, so the text search finds it on SQLite too."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Result(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")

    def _raw_delete(self, using):
        raise AppendOnlyError("audit events cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit events cannot be updated")

    def in_order(self):
        return self.order_by("sequence")


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True, editable=False)
    # No database constraint and no cascade: deleting a user must not touch the log; the name is
    # copied so the row still says who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    client_address = models.CharField(_("address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    # The object acted on, as text ("app_label.model", primary key, its name at that time).
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    result = models.CharField(_("outcome"), max_length=10, choices=Result.choices)
    detail = models.JSONField(_("detail"), null=True, blank=True, encoder=ReadableJSONEncoder)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")

    @property
    def time_with_offset(self) -> str:
        """Local time with its UTC offset, e.g. 2026-11-22 22:07:16+08:00."""
        return timezone.localtime(self.occurred_at).isoformat(sep=" ", timespec="seconds")

    @property
    def detail_text(self) -> str:
        return "" if self.detail is None else json.dumps(self.detail, ensure_ascii=False)

    @property
    def action_label(self):
        return actions.label(self.action)


class ChainHead(models.Model):
    """One row: the last sequence and hash. Locking it serializes appends on PostgreSQL."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.sequence}"


class Checkpoint(models.Model):
    """Left by a purge: the chain continues from the last purged row's hash.

    `seal` is an HMAC over the other fields, so a checkpoint cannot be forged to hide deleted rows
    without the key.
    """

    through_sequence = models.PositiveBigIntegerField(unique=True)
    last_hash = models.CharField(max_length=64)
    purged_before = models.DateTimeField()
    created_at = models.DateTimeField()
    row_count = models.PositiveIntegerField()
    seal = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit checkpoint")
        ordering = ["-through_sequence"]

    def __str__(self):
        return f"checkpoint through #{self.through_sequence}"
