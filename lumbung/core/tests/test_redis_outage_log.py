"""Redis away is logged once per outage, not at each cache call (core.rediscache._Outage): one
warning with the reason when it goes away, one line when it is back, again at the next outage; per
process and per Redis, and exactly once however many threads fail together. Real sockets: a Redis
started and stopped here, a port where nothing listens and one that never answers."""

import logging
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest

from lumbung.core.rediscache import RedisCache, _Outage

LOGGER = "lumbung.core.rediscache"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cache(port, **options):
    params = {"KEY_PREFIX": f"uji-{uuid.uuid4().hex}"}
    if options:
        params["OPTIONS"] = options
    return RedisCache(f"redis://127.0.0.1:{port}/0", params)


def _lines(caplog) -> list[tuple[str, str]]:
    return [(record.levelname, record.getMessage()) for record in caplog.records if record.name == LOGGER]


def _busy(cache, rounds: int = 10) -> None:
    """The calls a few requests make: values, sessions, counters."""
    for n in range(rounds):
        cache.get(f"halaman-{n}")
        cache.set(f"halaman-{n}", "isi")
        cache.get_many(["a", "b"])
        "sesi" in cache  # noqa: B015 - has_key, as sessions ask it
        cache.add(f"hitung-{n}", 1, 60)
        cache.incr(f"hitung-{n}")
        cache.delete(f"halaman-{n}")


@pytest.fixture(autouse=True)
def _no_outage_known():
    """Each test starts with no Redis known to be away: a free port picked here may be one that an
    earlier test of the same process left marked away (the outages are per process and address)."""
    with _Outage._all_lock:
        _Outage._all.clear()


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


def test_many_calls_while_away_log_one_warning_with_the_reason(logs):
    port = _free_port()
    first, second = _cache(port), _cache(port)  # two threads' cache objects for one Redis
    _busy(first)
    _busy(second)
    [(level, message)] = _lines(logs)
    assert level == "WARNING" and "Redis cannot be reached" in message
    assert f"127.0.0.1:{port}" in message and "refused" in message.lower()  # the reason, with where
    # Another Redis is another outage, with a line of its own.
    _busy(_cache(_free_port()), rounds=2)
    assert [level for level, _message in _lines(logs)] == ["WARNING", "WARNING"]


def test_threads_failing_together_log_once(logs):
    port = _free_port()
    start = threading.Barrier(16)
    failures = []

    def work():
        cache = _cache(port)  # Django makes one cache object per thread
        start.wait()
        try:
            _busy(cache, rounds=5)
        except Exception as error:  # noqa: BLE001 - reported below, a thread's exception is lost otherwise
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == [] and [level for level, _message in _lines(logs)] == ["WARNING"]


def test_a_redis_that_never_answers_is_logged_once_with_the_timeout(logs):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the kernel's queue; nothing ever answers
    try:
        cache = _cache(silent.getsockname()[1], socket_connect_timeout=0.3, socket_timeout=0.3)
        assert [cache.get("halaman"), cache.add("hitung", 1, 60), cache.incr("hitung")] == [None, True, 2]
    finally:
        silent.close()
    [(level, message)] = _lines(logs)
    assert level == "WARNING" and "timeout" in message.lower()


class _NotOnTheNormalPath:
    """A lock that fails the test if it is taken."""

    def __enter__(self):
        raise AssertionError("the outage lock was taken while Redis answered")

    def __exit__(self, *exc):
        return False


def _redis_server(port):
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _attempt in range(200):  # until it answers (a start-up, not a timing assertion)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise AssertionError("redis-server did not start")


def _stop(server):
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_an_outage_logs_once_its_end_once_and_the_next_outage_again(logs):
    port = _free_port()
    server = _redis_server(port)
    cache, other_thread = _cache(port), _cache(port)
    try:
        lock, cache._outage._lock = cache._outage._lock, _NotOnTheNormalPath()
        _busy(cache)
        assert cache.get("halaman-0") is None and cache.set("ada", 1) is None and cache.get("ada") == 1
        cache._outage._lock = lock
        assert _lines(logs) == []  # Redis up: nothing logged, and the lock never taken
    finally:
        _stop(server)

    _busy(cache)
    _busy(other_thread)
    assert [level for level, _message in _lines(logs)] == ["WARNING"]

    server = _redis_server(port)
    try:
        _busy(other_thread)
        _busy(cache)
        assert cache.get("ada") is None  # a restarted Redis (no persistence here) is empty, and read again
        assert cache.add("kembali", 1, 60) and cache._local.get("kembali") is None  # counted in Redis again
        lines = _lines(logs)
        assert [level for level, _message in lines] == ["WARNING", "INFO"]
        assert lines[1][1].startswith("Redis can be reached again after ")
    finally:
        _stop(server)

    _busy(cache)
    assert [level for level, _message in _lines(logs)] == ["WARNING", "INFO", "WARNING"]


def test_a_forked_child_finds_out_for_itself():
    """A web server that forks its workers: a child neither inherits the parent's outage (it would log
    an end it never logged the start of) nor a lock that another thread of the parent held."""
    port = _free_port()
    cache = _cache(port)
    cache.get("halaman")
    assert cache._outage.away
    cache._outage._lock.acquire()  # as if another thread held it at the fork
    try:
        child = os.fork()
        if child == 0:  # pragma: no cover - the child reports through its exit code
            ok = not cache._outage.away
            cache.get("halaman")
            os._exit(0 if ok and cache._outage.away else 1)
    finally:
        cache._outage._lock.release()
    deadline = time.monotonic() + 30
    while (finished := os.waitpid(child, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if finished[0] == 0:
        os.kill(child, 9)
        os.waitpid(child, 0)
        raise AssertionError("the child waited for a lock its parent's thread held at the fork")
    assert os.waitstatus_to_exitcode(finished[1]) == 0
