from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from kaoping.accounts.models import User
from kaoping.accounts.passwords import remember_password, start_clock_if_unknown

PASSWORD_SET = "_kaoping_password_set"


@receiver(user_logged_in, dispatch_uid="kaoping.accounts.start_password_clock")
def start_password_clock(sender, user, **kwargs):
    start_clock_if_unknown(user)


@receiver(pre_save, sender=User, dispatch_uid="kaoping.accounts.note_password_set")
def note_password_set(sender, instance, raw=False, update_fields=None, **kwargs):
    # Every path that sets a password calls set_password(), which keeps the raw value in
    # `_password` until the save: kaoping.accounts.passwords, the Django admin's password form,
    # `manage.py changepassword`, a shell. New accounts are left out: their first password is
    # the current one, which the history rule checks anyway.
    if raw or instance._state.adding or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    setattr(instance, PASSWORD_SET, True)
    if update_fields is None:
        # A full save (the admin, changepassword) also restarts the 90-day clock.
        instance.password_changed_at = timezone.now()


@receiver(post_save, sender=User, dispatch_uid="kaoping.accounts.record_password_history")
def record_password_history(sender, instance, created=False, **kwargs):
    if created or not getattr(instance, PASSWORD_SET, False):
        return
    setattr(instance, PASSWORD_SET, False)
    remember_password(instance)
