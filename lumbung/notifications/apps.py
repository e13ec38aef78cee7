from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lumbung.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Notification

        # A notification saved or deleted one at a time changes its recipient's bell on every page
        # (services.notify and mark_read write in bulk and say so themselves).
        post_save.connect(_recipient_changed, sender=Notification, dispatch_uid="notifications-reader-version")
        post_delete.connect(_recipient_changed, sender=Notification, dispatch_uid="notifications-reader-version")


def _recipient_changed(sender, instance, raw=False, **kwargs):
    from lumbung.core.caching import reader_changed

    if not raw:
        reader_changed(instance.recipient_id)
