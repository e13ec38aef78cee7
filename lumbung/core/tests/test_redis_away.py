"""Redis away (stopped, or nothing listening at its address): the cache answers as if empty, and the
rate limits go on counting in each process instead of failing with a server error or counting
nothing (core.rediscache). Run against real sockets: a Redis started and stopped here, and a port
where nothing listens; no client is mocked."""

import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lumbung.accounts.views import CODE_ATTEMPTS
from lumbung.api.tests.conftest import ApiClient, make_token
from lumbung.core.rediscache import RedisCache
from lumbung.core.roles import Role
from lumbung.core.throttle import throttle_blocked, throttle_hit, throttle_key
from lumbung.events.views import CHECK_IN_ATTEMPTS

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 - the factories' test password


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _away_cache(port=None, prefix=None):
    url = f"redis://127.0.0.1:{port or _free_port()}/0"
    return RedisCache(url, {"KEY_PREFIX": prefix or f"uji-{uuid.uuid4().hex}"})


def test_values_miss_and_writes_are_skipped_while_redis_is_away(caplog):
    away = _away_cache()
    assert away.get("halaman") is None and away.get("halaman", "kosong") == "kosong"
    away.set("halaman", "isi")
    assert away.get("halaman") is None  # never kept in the process instead
    assert away.set_many({"a": 1}) == ["a"] and away.get_many(["a"]) == {} and away.delete("a") is False
    assert "halaman" not in away and away.touch("halaman") is False
    away.delete_many(["a", "b"])
    assert "Redis cannot be reached" in caplog.text


def test_counters_go_on_in_the_process_while_redis_is_away():
    away = _away_cache()
    assert away.add("hitung", 1, 60) is True and away.add("hitung", 1, 60) is False
    assert away.incr("hitung") == 2 and away.incr("hitung", 3) == 5 and away.decr("hitung") == 4
    assert away.get("hitung") == 4 and "hitung" in away and away.get_many(["hitung", "x"]) == {"hitung": 4}
    with pytest.raises(ValueError, match="not found"):  # the same contract as Django's caches
        away.incr("tidak-ada")
    assert away.delete("hitung") is True and away.get("hitung") is None


def test_the_threads_of_a_process_share_the_counts():
    """Django makes one cache object per thread: the fallback count is still one per process."""
    port, prefix = _free_port(), f"uji-{uuid.uuid4().hex}"
    first, second = _away_cache(port, prefix), _away_cache(port, prefix)
    first.add("hitung", 1, 60)
    assert second.incr("hitung") == 2 and first.get("hitung") == 2
    # Another Redis (another prefix or address) keeps its own.
    assert _away_cache(port).get("hitung") is None


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_a_limit_counted_in_redis_holds_on_after_redis_stops():
    """Counts made in a real Redis; Redis stops mid-way; the same limit still refuses in this process
    (from zero: the counts in Redis are out of reach) and nothing raises."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    cache = _away_cache(port)
    try:
        for _attempt in range(100):  # until it answers (a start-up, not a timing assertion)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        cache.add("coba", 1, 60)
        assert cache.incr("coba") == 2 and cache._local.get("coba") is None  # counted in Redis
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert cache.get("coba") is None  # Redis's count is gone with it
    assert [cache.add("coba", 1, 60) or cache.incr("coba") for _ in range(4)] == [True, 2, 3, 4]
    assert cache._local.get("coba") == 4


# Every rate-limited page, with the site's caches on a Redis where nothing listens.


@pytest.fixture
def redis_away(settings):
    location = f"redis://127.0.0.1:{_free_port()}/0"
    backend = {"BACKEND": "lumbung.core.rediscache.RedisCache", "LOCATION": location}
    prefix = f"uji-{uuid.uuid4().hex}"
    # As configured in production (config/settings/base.py): pages through Redis too; sessions are
    # in the database (accounts.sessions) with Redis or without.
    settings.CACHES = {"default": {**backend, "KEY_PREFIX": prefix}, "pages": {**backend, "KEY_PREFIX": prefix}}
    return location


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_sign_in_works_and_still_locks_out_while_redis_is_away(redis_away, world):
    admin = world.user(Role.ADMIN)
    client = Client()
    assert _login(client, admin.email, PASSWORD).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200  # the session, read from the database
    assert client.post(reverse("accounts:logout")).status_code == 302
    attacker = Client(REMOTE_ADDR="10.7.7.7")
    statuses = [_login(attacker, admin.email, "bukan-sandinya").status_code for _ in range(6)]
    assert statuses[-1] == 429  # axes counts in the database, not in Redis
    assert _login(attacker, admin.email, PASSWORD).status_code == 429


def test_password_reset_is_still_limited_while_redis_is_away(redis_away, world, settings):
    admin = world.user(Role.ADMIN)
    limit = settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    statuses = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(reverse("accounts:password-reset"), {"email": admin.email}).status_code
        for n in range(limit + 2)
    ]
    assert statuses == [302] * limit + [429, 429]
    assert len(mail.outbox) == limit


def test_invitation_codes_are_still_limited_while_redis_is_away(redis_away, world):
    client = Client(REMOTE_ADDR="10.8.8.8")
    for _attempt in range(CODE_ATTEMPTS):
        response = client.post(reverse("accounts:invitation-code"), {"code": "AAAAAAAAAA"})
        assert "Kode tidak dikenal" in response.content.decode()
    response = client.post(reverse("accounts:invitation-code"), {"code": "K7M2Q9RTXW"})
    assert response.status_code == 200 and "Terlalu banyak percobaan" in response.content.decode()


def test_check_in_guesses_are_still_limited_while_redis_is_away(redis_away, world):
    client = Client(REMOTE_ADDR="10.6.6.6")
    statuses = [
        client.post(reverse("events:check-in"), {"code": "AAAAAA"}).status_code for _ in range(CHECK_IN_ATTEMPTS)
    ]
    assert statuses[: CHECK_IN_ATTEMPTS - 1] == [200] * (CHECK_IN_ATTEMPTS - 1) and statuses[-1] == 429
    assert client.get(reverse("events:check-in-code", args=["ZZZZ99"])).status_code == 429


def test_api_requests_are_still_throttled_while_redis_is_away(redis_away, world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}
    admin = world.user(Role.ADMIN)
    _token, raw = make_token(admin, world.region)
    url = reverse("api:innovation-list", args=[world.region.code])
    assert [ApiClient(raw).get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = ApiClient(raw).get(url)
    assert refused.json()["error"]["code"] == "throttled" and int(refused["Retry-After"]) == 60


def test_the_throttle_helpers_count_through_the_site_cache_while_redis_is_away(redis_away, db):
    key = throttle_key("uji", "10.5.5.5")
    assert [throttle_hit(key, window=60) for _ in range(3)] == [1, 2, 3]
    assert throttle_blocked(key, 3) and not throttle_blocked(key, 4)


def test_a_redis_that_never_answers_is_treated_as_away_after_the_timeout():
    """A host that takes the connection and then says nothing (a dropped network, a hung server):
    the configured socket timeout ends the wait, and the cache answers as if Redis were away."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the kernel's queue; nothing ever reads or answers
    try:
        cache = RedisCache(
            f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
            {"KEY_PREFIX": f"uji-{uuid.uuid4().hex}", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
        )
        assert cache.get("halaman") is None
        assert cache.add("hitung", 1, 60) is True  # counted in the process instead
    finally:
        silent.close()


def test_the_deployed_settings_give_redis_timeouts():
    import os
    import sys

    script = "from config.settings import base; print(sorted(base.CACHES['default']['OPTIONS'].items()))"
    environment = {**os.environ, "LUMBUNG_REDIS_URL": "redis://127.0.0.1:6379/0", "LUMBUNG_REDIS_TIMEOUT": "3"}
    run = subprocess.run(  # noqa: S603 - our interpreter and a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True, timeout=60
    )
    assert run.stdout.strip() == "[('socket_connect_timeout', 2), ('socket_timeout', 3)]"
