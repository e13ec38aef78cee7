"""The notification e-mail through Django's SMTP backend to a real SMTP server (aiosmtpd) on a
local port: what leaves the application is a well-formed message to the right address."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from lumbung.notifications.services import notify, send_notification_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Lumbung Inovasi <noreply@lumbung.test>"
    yield inbox
    controller.stop()


def test_a_notification_reaches_a_real_smtp_server(smtp_server, settings):
    settings.SITE_URL = "https://inovasi.example.go.id"
    anna = UserFactory(email="anna@lambar.test")
    [notification] = notify(
        recipients=[anna], title="Eviden dikembalikan: indikator 12", body="Tanggal dokumen di luar T-1.",
        url="/penilaian/baris/inovasi/5/", email=False,
    )  # fmt: skip
    assert send_notification_emails.call(notification_ids=[notification.pk]) == 1
    [(sender, recipients, raw)] = smtp_server.messages
    assert sender == "noreply@lumbung.test"
    assert recipients == ["anna@lambar.test"]
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "[Lumbung Inovasi] Eviden dikembalikan: indikator 12"
    body = message.get_content()
    assert "Tanggal dokumen di luar T-1." in body
    assert "https://inovasi.example.go.id/penilaian/baris/inovasi/5/" in body
    # Sent once: the second run finds it marked as e-mailed.
    assert send_notification_emails.call(notification_ids=[notification.pk]) == 0
    assert len(smtp_server.messages) == 1
