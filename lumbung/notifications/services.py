"""Notify people in the app and by e-mail (sent by the task worker, never inside a request)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lumbung.core.tasks import task

from .models import Notification


def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", region=None, email: bool = True
) -> list[Notification]:
    """Create one notification per distinct active recipient and queue the e-mails."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, region=region, title=title[:200], body=body, url=url) for user in unique.values()]
    )
    if email and notifications:
        ids = [n.pk for n in notifications]  # bulk_create returns ids on SQLite and PostgreSQL
        transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids=ids))
    return notifications


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient"
    ):
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=f"[Lumbung Inovasi] {notification.title}",
            message=f"{notification.body}{link}",
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient=user).unread()
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
