"""Sign-in, sign-out, failures and lockouts, recorded from Django's and django-axes' signals."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.audit.models import Result


@receiver(user_logged_in, dispatch_uid="kaoping_audit_login")
def _logged_in(sender, request, user, **kwargs):
    record(actions.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="kaoping_audit_logout")
def _logged_out(sender, request, user, **kwargs):
    record(actions.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="kaoping_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django already replaces the password with asterisks; only the username is kept.
    username = str(credentials.get("username", ""))
    record(
        actions.LOGIN_FAILED,
        request=request,
        username=username,
        result=Result.FAILURE,
        detail={"username": username},
    )


@receiver(user_locked_out, dispatch_uid="kaoping_audit_lockout")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record(
        actions.LOCKOUT,
        request=request,
        username=username or "",
        result=Result.FAILURE,
        detail={"username": username or "", "address": ip_address or ""},
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="kaoping_audit_admin_site")
def _admin_site_change(sender, instance, created, **kwargs):
    # The Django admin is reachable only with break-glass powers; what is done there goes into
    # the chained log too (django_admin_log itself can be edited by anyone with the database).
    if not created:
        return
    flag = {ADDITION: "added", DELETION: "deleted"}.get(instance.action_flag, "changed")
    model = instance.content_type.model_class() if instance.content_type_id else None
    record(
        actions.ADMIN_SITE_CHANGE,
        user=instance.user,
        target=instance.object_repr[:300],
        detail={
            "operation": flag,
            "model": model._meta.label if model is not None else "",
            "object_id": str(instance.object_id or ""),
            # Field names only (Django's change message), never the values.
            "change": instance.get_change_message(),
        },
    )
