"""WhatsApp through the provider interface, against a local fake of the Cloud API's HTTP
endpoint: what is sent, retries on a provider that is down, a final refusal, the e-mail fallback,
and delivery statuses from the signed webhook."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.urls import reverse

from lumbung.notifications.models import Delivery, Kind, WhatsAppMessage
from lumbung.notifications.services import notify, preferences_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FakeCloudApi(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's hook name
        server = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server.calls.append((self.path, self.headers["Authorization"], json.loads(body)))
        status, answer = server.answers.pop(0) if server.answers else (200, None)
        answer = answer or {"messages": [{"id": f"wamid.{len(server.calls)}"}]}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCloudApi)
    server.calls, server.answers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LUMBUNG_WHATSAPP_API_URL = f"http://127.0.0.1:{server.server_address[1]}/v21.0"
    settings.LUMBUNG_WHATSAPP_TOKEN = "token-uji"
    settings.LUMBUNG_WHATSAPP_PHONE_NUMBER_ID = "1098765"
    yield server
    server.shutdown()


@pytest.fixture
def rina():
    user = UserFactory(phone="0812-3456-7890")
    preferences_save(user=user, choices={Kind.ACTION_DUE: Delivery.WHATSAPP})
    return user


def send(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(recipients=[user], title="Tindakan jatuh tempo", body="SK tim", url="/t/1/", kind=Kind.ACTION_DUE)


def test_a_message_goes_to_the_provider_and_is_recorded_as_sent(provider, rina, django_capture_on_commit_callbacks):
    send(rina, django_capture_on_commit_callbacks)
    [(path, authorization, payload)] = provider.calls
    assert path == "/v21.0/1098765/messages"
    assert authorization == "Bearer token-uji"
    assert payload["messaging_product"] == "whatsapp"
    assert payload["to"] == "6281234567890"
    assert payload["text"]["body"].startswith("Tindakan jatuh tempo\nSK tim\nhttp")
    message = WhatsAppMessage.objects.get()
    assert (message.status, message.attempts, message.provider_message_id) == ("sent", 1, "wamid.1")
    assert mail.outbox == []  # WhatsApp instead of e-mail


def test_a_provider_that_is_down_is_tried_again_until_it_answers(provider, rina, django_capture_on_commit_callbacks):
    provider.answers = [
        (503, {"error": {"message": "Service unavailable"}}),
        (429, {"error": {"message": "Slow down"}}),
    ]
    send(rina, django_capture_on_commit_callbacks)
    message = WhatsAppMessage.objects.get()
    assert len(provider.calls) == 3
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")


def test_a_refusal_is_final_and_says_why(provider, rina, django_capture_on_commit_callbacks):
    provider.answers = [(400, {"error": {"message": "Recipient phone number not in allowed list"}})]
    send(rina, django_capture_on_commit_callbacks)
    message = WhatsAppMessage.objects.get()
    assert len(provider.calls) == 1
    assert message.status == "failed"
    assert message.last_error == "HTTP 400: Recipient phone number not in allowed list"


def test_tries_stop_after_the_limit(provider, rina, django_capture_on_commit_callbacks):
    provider.answers = [(500, None)] * 10
    send(rina, django_capture_on_commit_callbacks)
    message = WhatsAppMessage.objects.get()
    assert (message.status, message.attempts, len(provider.calls)) == ("failed", 5, 5)


def test_an_unreachable_provider_is_retried_then_fails(settings, rina, django_capture_on_commit_callbacks):
    settings.LUMBUNG_WHATSAPP_API_URL = "http://127.0.0.1:9/v21.0"  # discard port: nothing listens
    settings.LUMBUNG_WHATSAPP_TOKEN, settings.LUMBUNG_WHATSAPP_PHONE_NUMBER_ID = "t", "1"
    send(rina, django_capture_on_commit_callbacks)
    message = WhatsAppMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 5)
    assert message.last_error


def test_without_a_provider_or_a_mobile_number_the_email_goes_instead(
    settings, provider, django_capture_on_commit_callbacks
):
    landline = UserFactory(phone="(0721) 123456")
    preferences_save(user=landline, choices={Kind.ACTION_DUE: Delivery.WHATSAPP})
    send(landline, django_capture_on_commit_callbacks)
    assert provider.calls == []
    assert [message.to for message in mail.outbox] == [[landline.email]]
    settings.LUMBUNG_WHATSAPP_TOKEN = ""
    mobile = UserFactory(phone="081234567890")
    preferences_save(user=mobile, choices={Kind.ACTION_DUE: Delivery.WHATSAPP})
    send(mobile, django_capture_on_commit_callbacks)
    assert provider.calls == []
    assert WhatsAppMessage.objects.count() == 0
    assert len(mail.outbox) == 2


def signed(body: bytes, secret="rahasia-aplikasi") -> str:  # noqa: S107 - the test app secret
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_the_webhook_records_delivery_statuses_only_when_signed(
    client, settings, provider, rina, django_capture_on_commit_callbacks
):
    settings.LUMBUNG_WHATSAPP_APP_SECRET = "rahasia-aplikasi"
    send(rina, django_capture_on_commit_callbacks)
    body = json.dumps(
        {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.1", "status": "delivered"}, {"id": "x"}]}}]}]}
    ).encode()
    url = reverse("notifications:whatsapp-status")
    forged = client.post(url, body, content_type="application/json", headers={"X-Hub-Signature-256": signed(body, "x")})
    assert forged.status_code == 403
    assert WhatsAppMessage.objects.get().status == "sent"
    response = client.post(url, body, content_type="application/json", headers={"X-Hub-Signature-256": signed(body)})
    assert response.json() == {"recorded": 1}
    assert WhatsAppMessage.objects.get().status == "delivered"
    junk = b"not json"
    assert client.post(
        url, junk, content_type="application/json", headers={"X-Hub-Signature-256": signed(junk)}
    ).json() == {"recorded": 0}


def test_the_webhook_subscription_check(client, settings):
    url = reverse("notifications:whatsapp-status")
    query = {"hub.mode": "subscribe", "hub.verify_token": "token-verifikasi", "hub.challenge": "12345"}
    assert client.get(url, query).status_code == 403  # no token configured: nobody subscribes
    settings.LUMBUNG_WHATSAPP_VERIFY_TOKEN = "token-verifikasi"
    response = client.get(url, query)
    assert (response.status_code, response.content) == (200, b"12345")
    assert client.get(url, {**query, "hub.verify_token": "salah"}).status_code == 403
