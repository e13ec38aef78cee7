"""The client address behind a trusted reverse proxy: read from the proxy's header only when the
request came from a configured proxy; a header sent by anyone else is ignored. One helper feeds the
login lock (axes), the rate limits and the check-in throttle."""

import subprocess
import sys

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from lumbung.core.clientaddr import client_address, client_ip, parse_trusted_proxies
from lumbung.core.roles import Role
from lumbung.core.throttle import client_address as throttle_client_address

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.LUMBUNG_TRUSTED_PROXIES = [PROXY, "fd00::/8"]
    settings.LUMBUNG_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    return settings


def _request(remote: str, forwarded: str | None = None, header: str = "HTTP_X_FORWARDED_FOR"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra[header] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.LUMBUNG_TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_address(_request("")) == "unknown"


def test_a_trusted_proxy_passes_the_client_address(behind_proxy):
    assert client_address(_request(PROXY, "198.51.100.7")) == "198.51.100.7"
    assert client_address(_request(PROXY, " 198.51.100.7 ")) == "198.51.100.7"
    # IPv6 proxy in a trusted network, a client with a port, an IPv4-mapped address.
    assert client_address(_request("fd00::1", "[2001:db8::5]:4711")) == "2001:db8::5"
    assert client_address(_request(PROXY, "198.51.100.7:5555")) == "198.51.100.7"
    assert client_address(_request(PROXY, "::ffff:198.51.100.8")) == "198.51.100.8"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    assert client_address(_request("203.0.113.9", "10.0.0.5")) == "203.0.113.9"
    assert client_address(_request("203.0.113.9", "198.51.100.1, 10.0.0.5")) == "203.0.113.9"


def test_what_the_client_wrote_before_the_proxy_is_not_believed(behind_proxy):
    """The client sends "X-Forwarded-For: 1.1.1.1"; the proxy appends the real peer. Read from the
    right, the first address that is not a trusted proxy is the client."""
    assert client_address(_request(PROXY, "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    # Two proxies of ours in a row are skipped.
    assert client_address(_request(PROXY, "1.1.1.1, 198.51.100.7, fd00::9")) == "198.51.100.7"
    # Garbage stops the walk at the last address that could be believed.
    assert client_address(_request(PROXY, "198.51.100.7, bukan-alamat")) == PROXY
    assert client_address(_request(PROXY, "198.51.100.7, unknown")) == PROXY
    # No header: the proxy itself.
    assert client_address(_request(PROXY)) == PROXY


def test_the_header_name_is_configurable(behind_proxy):
    behind_proxy.LUMBUNG_CLIENT_ADDRESS_HEADER = "X-Real-IP"
    request = _request(PROXY, "198.51.100.3", header="HTTP_X_REAL_IP")
    assert client_address(request) == "198.51.100.3"
    # The other header is then ignored.
    assert client_address(_request(PROXY, "198.51.100.4")) == PROXY


def test_a_proxy_on_a_unix_socket(settings):
    settings.LUMBUNG_TRUSTED_PROXIES = ["unix"]
    assert client_address(_request("", "198.51.100.3")) == "198.51.100.3"
    assert client_address(_request("203.0.113.9", "198.51.100.3")) == "203.0.113.9"


def test_bad_entries_are_refused_with_their_name():
    with pytest.raises(ValueError, match="bukan-ip"):
        parse_trusted_proxies(["10.0.0.0/8", "bukan-ip"])
    assert parse_trusted_proxies(["10.0.0.0/8", "unix", " "])[1] is True


def test_a_typo_in_the_setting_stops_the_start(tmp_path):
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"], cwd=django_settings.BASE_DIR, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "LUMBUNG_VAR_DIR": str(tmp_path), "LUMBUNG_TRUSTED_PROXIES": "10.0.0.300"},
        timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "10.0.0.300" in result.stderr


def test_one_helper_everywhere(behind_proxy):
    request = _request(PROXY, "198.51.100.7")
    assert throttle_client_address is client_address
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "lumbung.core.clientaddr.client_ip"
    assert get_client_ip_address(request) == "198.51.100.7"
    # Axes stores an IP field: no address is None, never a word.
    assert get_client_ip_address(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert client_ip(None) is None


def _login(client, email, password="bukan-sandinya"):  # noqa: S107 - a wrong password on purpose
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


@pytest.mark.django_db
def test_the_login_lock_counts_the_client_behind_the_proxy_not_the_proxy(world, behind_proxy):
    admin = world.user(Role.ADMIN)
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _attempt in range(5):
        _login(attacker, admin.email)
    assert _login(attacker, admin.email).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    # The real owner, through the same proxy from another address, still signs in.
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert _login(owner, admin.email, "kata-sandi-uji-123").status_code == 302


@pytest.mark.django_db
def test_a_spoofed_header_does_not_escape_the_login_lock(world, behind_proxy):
    admin = world.user(Role.ADMIN)
    for attempt in range(5):
        _login(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}"), admin.email)
    locked = _login(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.99"), admin.email)
    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


@pytest.mark.django_db
def test_the_password_reset_limit_counts_each_client_behind_the_proxy(world, behind_proxy):
    limit = behind_proxy.PASSWORD_RESET_LIMIT_PER_ADDRESS

    def reset(forwarded, n):
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return client.post(reverse("accounts:password-reset"), {"email": f"orang{n}@contoh.id"}).status_code

    statuses = [reset("198.51.100.20", n) for n in range(limit + 1)]
    assert statuses[-1] == 429
    # Another client behind the same proxy is not affected.
    assert reset("198.51.100.21", 0) == 302


@pytest.mark.django_db
def test_check_in_guesses_count_per_client_and_a_spoofed_header_does_not_reset_them(world, behind_proxy):
    from lumbung.events.views import CHECK_IN_ATTEMPTS

    def guess(remote, forwarded):
        client = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
        return client.post(reverse("events:check-in"), {"code": "ZZZZ99"}).status_code

    for n in range(CHECK_IN_ATTEMPTS):
        guess("203.0.113.9", f"198.51.100.{n}")  # an untrusted peer rotating its header
    assert guess("203.0.113.9", "198.51.100.200") == 429
    for _n in range(CHECK_IN_ATTEMPTS):
        guess(PROXY, "198.51.100.30")
    assert guess(PROXY, "198.51.100.30") == 429
    assert guess(PROXY, "198.51.100.31") == 200
