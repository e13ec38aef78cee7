"""Sessions kept in each web process between requests, checked against their version on every
request (accounts.sessions): a session changed or ended in another process is seen at once."""

import time
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lumbung.accounts import sessions
from lumbung.accounts.middleware import SESSION_KEY as REGION_SESSION_KEY
from lumbung.accounts.sessions import STAMP_KEY, SessionStore, StaleSessionError, session_scope
from lumbung.core.caching import versions_after_restore, versions_of
from lumbung.core.localcache import clear_local_stores
from lumbung.core.models import DataVersion
from lumbung.core.roles import Role
from tests.caches import another_process
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _same_browser(client) -> Client:
    """Another client holding the same session cookie: the same person in another tab."""
    twin = Client()
    twin.cookies = SimpleCookie(client.cookies.output(header="", sep="\n"))
    return twin


def _get(client, url=None):
    """(response, SQL of the queries it made) of a page of the signed-in area."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url or reverse("innovations:list"))
    return response, [query["sql"] for query in queries.captured_queries]


def _reads_the_session(sqls) -> bool:
    return any("django_session" in sql for sql in sqls)


def _session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_signed_in_session_is_read_once_then_kept_in_the_process(world):
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    first, first_sqls = _get(client)
    assert first.status_code == 200 and _reads_the_session(first_sqls)
    second, second_sqls = _get(client)
    assert second.status_code == 200 and second.wsgi_request.user.is_authenticated
    # No session read; its version comes with the others in the one query of versions.
    assert not _reads_the_session(second_sqls)
    assert sum("core_dataversion" in sql for sql in second_sqls) == 1
    versions_sql = next(sql for sql in second_sqls if "core_dataversion" in sql)
    assert session_scope(_session_key(client)) in versions_sql


def test_signing_out_in_another_process_ends_the_session_in_this_one(world):
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    _get(client), _get(client)  # kept here
    with another_process():
        _same_browser(client).post(reverse("accounts:logout"))
    response, _sqls = _get(client)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not response.wsgi_request.user.is_authenticated


def test_a_session_ended_in_the_database_is_not_served_from_memory(world):
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    _get(client), _get(client)
    with another_process():
        SessionStore(_session_key(client)).delete()
    assert not Session.objects.filter(session_key=_session_key(client)).exists()
    response, _sqls = _get(client)
    assert response.status_code == 302


def test_a_region_chosen_in_another_process_shows_on_the_next_request_here(world):
    admin = user_with_role(Role.ADMIN, world.region)
    admin.role_assignments.create(role=Role.ADMIN, region=world.other_region)
    client = _signed_in(admin)
    _get(client)
    before = _get(client)[0].wsgi_request.region
    chosen = world.other_region if before == world.region else world.region
    with another_process():
        switched = _same_browser(client).post(reverse("accounts:switch-region"), {"region": chosen.pk})
        assert switched.status_code == 302
    response, sqls = _get(client)
    assert response.wsgi_request.region == chosen
    assert response.wsgi_request.session[REGION_SESSION_KEY] == chosen.pk
    assert _reads_the_session(sqls)  # read again once ...
    assert not _reads_the_session(_get(client)[1])  # ... then kept again


def test_a_change_made_in_this_process_is_kept_from_the_next_request(world):
    admin = user_with_role(Role.ADMIN, world.region)
    admin.role_assignments.create(role=Role.ADMIN, region=world.other_region)
    client = _signed_in(admin)
    _get(client)
    chosen = world.other_region if _get(client)[0].wsgi_request.region == world.region else world.region
    client.post(reverse("accounts:switch-region"), {"region": chosen.pk})
    assert _get(client)[0].wsgi_request.region == chosen
    response, sqls = _get(client)
    assert response.wsgi_request.region == chosen and not _reads_the_session(sqls)


def test_an_expired_copy_is_not_served(world, monkeypatch):
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    _get(client), _get(client)
    later = time.time() + settings.SESSION_COOKIE_AGE + 60
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    Session.objects.filter(session_key=_session_key(client)).update(expire_date=timezone.now())
    response, sqls = _get(client)
    assert _reads_the_session(sqls) and response.status_code == 302


def test_after_a_restore_sessions_are_read_from_the_database_until_saved_again(world):
    admin = user_with_role(Role.ADMIN, world.region)
    admin.role_assignments.create(role=Role.ADMIN, region=world.other_region)
    client = _signed_in(admin)
    _get(client), _get(client)
    versions_after_restore()  # as manage.py restore does
    # The copy kept here, and the number restored in the session itself, are both out of reach.
    for _ in range(2):
        response, sqls = _get(client)
        assert response.status_code == 200 and _reads_the_session(sqls)
    chosen = world.other_region if response.wsgi_request.region == world.region else world.region
    client.post(reverse("accounts:switch-region"), {"region": chosen.pk})
    _get(client)
    assert not _reads_the_session(_get(client)[1])


def test_a_session_of_another_backend_is_never_kept(world, settings):
    """Only the sign-in check of our backend keeps a session (after reading its version): one whose
    user another backend finds is read from the database on every request."""
    other_backend = "django.contrib.auth.backends.ModelBackend"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, other_backend]
    client = Client()
    client.force_login(user_with_role(Role.ADMIN, world.region), backend=other_backend)
    for _ in range(2):
        assert _reads_the_session(_get(client)[1])
    assert sessions._kept.get(_session_key(client)) is None
    with another_process():
        SessionStore(_session_key(client)).delete()
    response, _sqls = _get(client)
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated


def test_a_visitors_session_is_not_kept(world):
    visitor = Client()
    store = SessionStore()
    store["seen"] = True
    store.save()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    for _ in range(2):
        _response, sqls = _get(visitor, reverse("core:home"))
        assert _reads_the_session(sqls)


# The store on its own --------------------------------------------------------------------------


def test_every_save_bumps_the_version_and_writes_it_into_the_session(db):
    store = SessionStore()
    store["a"] = 1
    store.save()
    scope = session_scope(store.session_key)
    first = versions_of([scope])[scope]
    store["a"] = 2
    store.save()
    assert versions_of([scope])[scope] == first + 1
    saved = SessionStore(store.session_key).load()
    assert saved["a"] == 2 and saved[STAMP_KEY][0] == first + 1
    assert saved[STAMP_KEY][1] == pytest.approx(store.get_expiry_date().timestamp(), abs=5)


def test_a_copy_read_before_a_change_commits_is_not_kept(world):
    """The version read after the session must equal the number written in it: a save committing in
    between leaves no old copy under the new version."""
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    clear_local_stores()
    key = _session_key(client)
    reader = SessionStore(key)
    reader._session_cache = reader.load()
    writer = SessionStore(key)
    writer[REGION_SESSION_KEY] = world.other_region.pk
    writer.save()
    reader.check(versions_of(reader.version_scopes()))
    assert sessions._kept.get(key) is None
    # Read afresh, it is kept.
    fresh = SessionStore(key)
    fresh._session_cache = fresh.load()
    fresh.check(versions_of(fresh.version_scopes()))
    assert sessions._kept.get(key) is not None


def test_a_stale_copy_is_dropped_and_reported(world):
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    _get(client), _get(client)
    key = _session_key(client)
    served = SessionStore(key)
    served._session_cache = served.load()
    assert served.served_version is not None
    with another_process():
        other = SessionStore(key)
        other["x"] = 1
        other.save()
    with pytest.raises(StaleSessionError):
        served.check(versions_of(served.version_scopes()))
    assert sessions._kept.get(key) is None and served.served_version is None
    # Another request of this process keeps the new copy meanwhile; the retry reads the database all
    # the same, so it cannot meet a stale copy twice.
    _get(client), _get(client)
    assert sessions._kept.get(key) is not None
    served._session_cache = served.load()
    assert served.served_version is None and served["x"] == 1


def test_ending_a_session_forgets_its_version_and_clearing_expired_ones_too(db):
    ended, expired, alive = SessionStore(), SessionStore(), SessionStore()
    for store in (ended, expired, alive):
        store["a"] = 1
        store.save()
    ended.delete()
    assert not DataVersion.objects.filter(scope=session_scope(ended.session_key)).exists()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now())
    call_command("clearsessions")  # as lumbung-clearsessions.timer runs it daily
    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert not DataVersion.objects.filter(scope=session_scope(expired.session_key)).exists()
    assert DataVersion.objects.filter(scope=session_scope(alive.session_key)).exists()
    assert Session.objects.filter(session_key=alive.session_key).exists()
