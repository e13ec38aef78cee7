"""WhatsApp messages through a provider: the WhatsApp Business Cloud API when the deployment
configures its token and phone number id, otherwise nothing is sent by the server and the
person gets the wa.me link of `core.whatsapp` to send by hand (the fallback that always works).

Sending is a background task; a provider that is down or overloaded (network error, HTTP 429 or
5xx) is tried again with a growing pause, a refusal (other 4xx: a bad number, an expired token)
is final. Each try and its outcome is recorded on the message."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lumbung.core.tasks import task
from lumbung.core.whatsapp import whatsapp_number

from .models import WhatsAppMessage

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 10


class ProviderError(Exception):
    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class CloudApiProvider:
    """POST {api_url}/{phone_number_id}/messages with a bearer token, as the Cloud API documents."""

    api_url: str
    token: str
    phone_number_id: str

    def send_text(self, *, to: str, body: str) -> str:
        payload = {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": body[:4096]}}
        request = urllib.request.Request(  # noqa: S310 - the URL is the deployment's configured provider
            f"{self.api_url.rstrip('/')}/{self.phone_number_id}/messages",
            data=json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = _error_text(error)
            raise ProviderError(
                f"HTTP {error.code}: {detail}", retryable=error.code == 429 or error.code >= 500
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ProviderError(str(getattr(error, "reason", error)), retryable=True) from None
        except ValueError:
            raise ProviderError("jawaban penyedia bukan JSON", retryable=True) from None
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise ProviderError("jawaban penyedia tanpa id pesan", retryable=False) from None


def _error_text(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read())["error"]["message"])[:300]
    except Exception:  # noqa: BLE001 - any unreadable error body is reported by its status alone
        return error.reason or ""


def configured_provider() -> CloudApiProvider | None:
    if settings.LUMBUNG_WHATSAPP_TOKEN and settings.LUMBUNG_WHATSAPP_PHONE_NUMBER_ID:
        return CloudApiProvider(
            api_url=settings.LUMBUNG_WHATSAPP_API_URL,
            token=settings.LUMBUNG_WHATSAPP_TOKEN,
            phone_number_id=settings.LUMBUNG_WHATSAPP_PHONE_NUMBER_ID,
        )
    return None


def whatsapp_queue(*, notification) -> WhatsAppMessage | None:
    """Queue the notification for WhatsApp to its recipient's mobile number; None when no
    provider is configured or the person has no mobile number (the e-mail and the app remain)."""
    number = whatsapp_number(notification.recipient.phone)
    if configured_provider() is None or not number:
        return None
    link = f"\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    message = WhatsAppMessage.objects.create(
        notification=notification, to_number=number, body=f"{notification.title}\n{notification.body}".strip() + link
    )
    transaction.on_commit(lambda: send_whatsapp_message.enqueue(message_id=message.pk))
    return message


@task()
def send_whatsapp_message(message_id: int) -> str:
    """One try at sending; schedules the next try itself when the failure may pass."""
    message = WhatsAppMessage.objects.filter(pk=message_id, status=WhatsAppMessage.Status.QUEUED).first()
    provider = configured_provider()
    if message is None or provider is None:
        return "skipped"
    message.attempts += 1
    try:
        message.provider_message_id = provider.send_text(to=message.to_number, body=message.body)
    except ProviderError as error:
        message.last_error = str(error)[:500]
        final = not error.retryable or message.attempts >= MAX_ATTEMPTS
        message.status = WhatsAppMessage.Status.FAILED if final else WhatsAppMessage.Status.QUEUED
        message.save(update_fields=["attempts", "last_error", "status", "updated_at"])
        if not final:
            _try_again(message)
        return message.status
    message.status = WhatsAppMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "provider_message_id", "status", "sent_at", "last_error", "updated_at"])
    return message.status


def _try_again(message: WhatsAppMessage) -> None:
    backend = send_whatsapp_message.get_backend()
    if backend.supports_defer:
        pause = dt.timedelta(minutes=2 ** (message.attempts - 1))  # 1, 2, 4, 8 minutes
        send_whatsapp_message.using(run_after=timezone.now() + pause).enqueue(message_id=message.pk)
    else:  # the immediate backend of the tests and of a worker-less setup: at once
        send_whatsapp_message.enqueue(message_id=message.pk)


def delivery_status_record(*, provider_message_id: str, status: str) -> bool:
    """Record a status the provider reported later (delivered, read, failed); False when the
    message is unknown or the status is not one we track."""
    known = {
        "delivered": WhatsAppMessage.Status.DELIVERED,
        "read": WhatsAppMessage.Status.READ,
        "failed": WhatsAppMessage.Status.FAILED,
    }
    if status not in known or not provider_message_id:
        return False
    return bool(
        WhatsAppMessage.objects.filter(provider_message_id=provider_message_id).update(
            status=known[status], updated_at=timezone.now()
        )
    )


def whatsapp_signature_valid(body: bytes, header: str) -> bool:
    """The provider signs each webhook call with the app secret (HMAC-SHA256 of the body)."""
    secret = settings.LUMBUNG_WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def whatsapp_statuses(body: bytes) -> list[dict]:
    """The status items of a webhook call (entry[].changes[].value.statuses[]); [] for anything
    else, malformed bodies included."""
    try:
        payload = json.loads(body)
        return [
            status
            for entry in payload.get("entry", [])
            for change in entry.get("changes", [])
            for status in change.get("value", {}).get("statuses", [])
            if isinstance(status, dict)
        ]
    except (ValueError, AttributeError, TypeError):
        return []
