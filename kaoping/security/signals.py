"""Keep the session registry in step with sign-in, sign-out and disabled accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from kaoping.security import sessions
from kaoping.security.models import EndReason


@receiver(user_logged_in, dispatch_uid="security_register_session")
def register_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.register(request, user)


@receiver(user_logged_out, dispatch_uid="security_end_session_on_logout")
def end_session_on_logout(sender, request, user, **kwargs):
    # Django flushes this session right after the signal; the row records why it ended.
    if request is not None and hasattr(request, "session"):
        sessions.mark_current_ended(request, EndReason.LOGOUT)


@receiver(post_save, sender=get_user_model(), dispatch_uid="security_end_sessions_of_disabled")
def end_sessions_of_disabled_user(sender, instance, **kwargs):
    # Whatever path disables an account (our pages, the Django admin, a command), its sessions end.
    if not instance.is_active:
        sessions.end_sessions(instance, reason=EndReason.DISABLED)
