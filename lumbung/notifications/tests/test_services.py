"""notify(): one in-app notification per distinct active recipient, e-mails queued after commit
and sent once; mark_read() touches only the reader's own notifications."""

import pytest
from django.core import mail

from lumbung.notifications.models import Notification
from lumbung.notifications.services import mark_read, notify, send_notification_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_notification_per_distinct_active_recipient(django_capture_on_commit_callbacks):
    anna, budi = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(recipients=[anna, budi, anna, None, gone], title="Baris perlu diperbaiki", url="/beranda/")
    assert sorted(n.recipient_id for n in created) == sorted([anna.pk, budi.pk])
    assert sorted(message.to[0] for message in mail.outbox) == sorted([anna.email, budi.email])
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_the_email_waits_for_the_commit_and_is_dropped_with_a_rollback(django_capture_on_commit_callbacks):
    anna = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[anna], title="Tahap dibuka")
    assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1


def test_no_email_when_asked_for_none(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[UserFactory()], title="Hanya di aplikasi", email=False)
    assert callbacks == []
    assert mail.outbox == []


def test_a_long_title_is_cut_to_the_column_and_the_email_carries_the_link(settings):
    settings.SITE_URL = "https://inovasi.example.go.id"
    anna = UserFactory()
    [notification] = notify(recipients=[anna], title="x" * 250, body="Isi pesan", url="/inovasi/7/", email=False)
    assert len(notification.title) == 200
    assert send_notification_emails.call(notification_ids=[notification.pk]) == 1
    [message] = mail.outbox
    assert message.subject.startswith("[Lumbung Inovasi] xxx")
    assert message.body == "Isi pesan\n\nhttps://inovasi.example.go.id/inovasi/7/"


def test_an_email_goes_out_once_even_if_the_task_runs_twice():
    [notification] = notify(recipients=[UserFactory()], title="Sekali saja", email=False)
    assert send_notification_emails.call(notification_ids=[notification.pk]) == 1
    assert send_notification_emails.call(notification_ids=[notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_mark_read_touches_only_the_readers_own_unread_notifications():
    anna, budi = UserFactory(), UserFactory()
    first, second = notify(recipients=[anna], title="1", email=False) + notify(
        recipients=[anna], title="2", email=False
    )
    [theirs] = notify(recipients=[budi], title="3", email=False)
    assert mark_read(user=anna, notification_ids=[first.pk, theirs.pk]) == 1
    assert set(Notification.objects.unread().values_list("pk", flat=True)) == {second.pk, theirs.pk}
    assert mark_read(user=anna) == 1
    assert mark_read(user=anna) == 0  # already read: the first read time stays
    assert list(Notification.objects.unread().values_list("pk", flat=True)) == [theirs.pk]


def test_each_person_gets_the_delivery_they_chose(django_capture_on_commit_callbacks):
    from lumbung.notifications.models import Delivery, Kind
    from lumbung.notifications.services import digests_send, preferences_save

    now, later, never = UserFactory(), UserFactory(), UserFactory()
    preferences_save(user=later, choices={Kind.ACTION_DUE: Delivery.DIGEST})
    preferences_save(user=never, choices={Kind.ACTION_DUE: Delivery.APP_ONLY, "no-such-kind": Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[now, later, never], title="Tindakan A jatuh tempo", url="/a/", kind=Kind.ACTION_DUE)
        notify(recipients=[later], title="Tindakan B jatuh tempo", kind=Kind.ACTION_DUE)
        notify(recipients=[later], title="Pemberitahuan umum")  # other kinds keep the default
    assert sorted(message.to[0] for message in mail.outbox) == sorted([now.email, later.email])
    mail.outbox.clear()

    assert digests_send() == 1
    [digest] = mail.outbox
    assert digest.to == [later.email]
    assert digest.subject == "[Lumbung Inovasi] Ringkasan harian: 2 pemberitahuan"
    assert "• Tindakan A jatuh tempo" in digest.body
    assert "• Tindakan B jatuh tempo" in digest.body
    assert digests_send() == 0  # a second run sends nothing again
    # The app-only person was never e-mailed, and still sees it in the app.
    assert Notification.objects.get(recipient=never).emailed_at is None
    assert Notification.objects.filter(recipient=never).unread().count() == 1
