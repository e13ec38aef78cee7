"""Notify people in the app and by e-mail (sent by the task worker, never inside a request), at
once or in a daily digest as each person chose per kind; scheduled reminders sent once each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from lumbung.core.caching import reader_changed
from lumbung.core.tasks import task

from .models import Delivery, Kind, Notification, Preference, SentReminder
from .whatsapp import whatsapp_queue


def deliveries_for(users, kind: str) -> dict[int, str]:
    """Each user's chosen delivery for `kind` (e-mail at once unless they said otherwise)."""
    chosen = dict(
        Preference.objects.filter(user__in=[user.pk for user in users], kind=kind).values_list("user_id", "delivery")
    )
    return {user.pk: chosen.get(user.pk, Delivery.IMMEDIATE) for user in users}


def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    region=None,
    email: bool = True,
    kind: str = Kind.GENERAL,
) -> list[Notification]:
    """Create one notification per distinct active recipient and queue the immediate e-mails;
    digest ones wait for `digests_send`, app-only ones are never e-mailed."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    deliveries = deliveries_for(unique.values(), kind) if email else {}
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, region=region, kind=kind, title=title[:200], body=body, url=url,
                delivery=deliveries.get(user.pk, Delivery.APP_ONLY),
            )
            for user in unique.values()
        ]
    )  # fmt: skip
    # The bell on every page of theirs counts them (core.pagecache keeps pages per reader's version).
    reader_changed(*unique)
    # WhatsApp where the person chose it and it can go; e-mail at once where it cannot.
    by_whatsapp = {n.pk for n in notifications if n.delivery == Delivery.WHATSAPP and whatsapp_queue(notification=n)}
    ids = [  # ids come back from bulk_create on SQLite and PostgreSQL
        n.pk for n in notifications if n.delivery in (Delivery.IMMEDIATE, Delivery.WHATSAPP) and n.pk not in by_whatsapp
    ]
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids=ids))
    return notifications


def _claim_for_email(notification_ids) -> int:
    """Mark notifications e-mailed before sending, so two runs never send one twice."""
    return Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient"
    ):
        if not _claim_for_email([notification.pk]):
            continue
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=f"[Lumbung Inovasi] {notification.title}",
            message=f"{notification.body}{link}",
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        sent += 1
    return sent


def digests_send() -> int:
    """One e-mail per person gathering every digest notification not yet e-mailed; returns the
    number of e-mails sent. Safe to run twice: what went out is marked before it is sent."""
    pending = defaultdict(list)
    for notification in (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("created_at")
    ):
        pending[notification.recipient].append(notification)
    sent = 0
    for user, notifications in pending.items():
        claimed = _claim_for_email([n.pk for n in notifications])
        if not claimed or not user.is_active:
            continue
        lines = []
        for notification in notifications:
            link = f" — {settings.SITE_URL}{notification.url}" if notification.url else ""
            lines.append(f"• {notification.title}{link}")
            if notification.body:
                lines.append(f"  {notification.body}")
        subject = ngettext(
            "[Lumbung Inovasi] Ringkasan harian: %(n)d pemberitahuan",
            "[Lumbung Inovasi] Ringkasan harian: %(n)d pemberitahuan",
            len(notifications),
        ) % {"n": len(notifications)}
        send_mail(subject=subject, message="\n".join(lines), from_email=None, recipient_list=[user.email])
        sent += 1
    return sent


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient=user).unread()
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    with transaction.atomic():
        marked = queryset.update(read_at=timezone.now())
        if marked:
            reader_changed(user.pk)
    return marked


def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store the user's delivery per kind (only kinds and deliveries that exist)."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            if kind in Kind.values and delivery in Delivery.values:
                Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def reminder_send(
    *, kind: str, key: str, recipients: Iterable, title: str, body: str = "", url: str = "", region=None
) -> int:
    """Send a scheduled reminder to each recipient who has not had this one (kind, key) yet;
    returns how many got it. The unique record is written in the same transaction as the
    notification, so a second run, even a simultaneous one, sends nothing again."""
    sent = 0
    for user in {user.pk: user for user in recipients if user is not None and user.is_active}.values():
        try:
            with transaction.atomic():
                record = SentReminder.objects.create(kind=kind, key=key[:120], recipient=user)
                [notification] = notify(recipients=[user], title=title, body=body, url=url, region=region, kind=kind)
                SentReminder.objects.filter(pk=record.pk).update(notification=notification)
        except IntegrityError:
            continue  # already reminded (by an earlier or a concurrent run)
        sent += 1
    return sent
