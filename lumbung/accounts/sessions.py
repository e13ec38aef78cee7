"""Sessions in the database, kept between requests in each web process's memory (SESSION_ENGINE).

A signed-in page served from the cache cost a session read from Redis on every request, as much as
the rest of serving it. Here each web process keeps the sessions of signed-in people it served, and
checks on every request that its copy is still the latest, with the version of the session read in
the query that reads the user's other versions anyway (accounts.backends): no round trip of its own.

How a copy is known to be the latest:
- every save of a session bumps its version (`session_scope`, a core.caching version) and writes
  the new number and the expiry into the session's own data, in one transaction with the row;
- a process keeps a copy read from the database only when the version read after it (in the same
  request) equals the number written in it, so the copy was the latest at some moment after it was
  read (a process that saves a session drops its copy and keeps the saved one on the next request);
- a copy served from memory is checked against the version read in the same request; when the
  version moved (the session was changed or ended in another process, or the database restored),
  the request reads the session again from the database before anything else is done with it.
Ending a session (signing out, a new session key on signing in) removes its version: every kept copy
of it then no longer matches. Only sessions of signed-in people are kept; a visitor's session is read
from the database, as with Django's own database sessions.
"""

from __future__ import annotations

import hashlib
import pickle
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, router, transaction
from django.utils import timezone

from lumbung.core.caching import version_bumped, versions_forgotten
from lumbung.core.localcache import LocalStore

# Written into the session's own data at every save: [its version, its expiry as a Unix time].
STAMP_KEY = "_lumbung_stamp"

_kept = LocalStore("sessions", max_entries=settings.LUMBUNG_LOCAL_SIGNED_IN)


def session_scope(session_key: str) -> str:
    """The version scope of a session: a digest of its key, so the key itself is not written twice."""
    return "session:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


class StaleSessionError(Exception):
    """The copy of the session served from this process's memory is no longer the latest."""


class SessionStore(db.SessionStore):
    """Django's database sessions, with a copy per process checked against the session's version."""

    # The version of the copy served from memory, until the request has checked it (None: read from
    # the database, or checked).
    served_version: int | None = None

    # Set once a stale copy was dropped: this request reads the database, even if another request of
    # this process has kept a newer copy meanwhile (which could be stale again by the time it is
    # checked: a second retry is not made).
    from_database_only = False

    def load(self):
        self.served_version = None
        kept = _kept.get(self.session_key) if self.session_key and not self.from_database_only else None
        if kept is not None:
            version, expires_at, pickled = kept
            if expires_at > time.time():
                self.served_version = version
                return pickle.loads(pickled)  # noqa: S301 - pickled by this process, below
            _kept.discard(self.session_key)
        return super().load()

    # Checking -------------------------------------------------------------------------------------

    def version_scopes(self) -> list[str]:
        """The versions to read (with the request's others) before the session may be used."""
        return [session_scope(self.session_key)] if self.session_key else []

    def check(self, versions: dict[str, int]) -> None:
        """Compare the session with the versions read in this request (after the session was read).

        A copy served from memory that is no longer the latest is dropped and StaleSessionError raised:
        the caller reads the session again. A session read from the database is kept in this
        process when its own stamp equals the version read after it.
        """
        if not self.session_key:
            return
        version = versions.get(session_scope(self.session_key), 0)
        if self.served_version is not None:
            if self.served_version == version:
                self.served_version = None
                return
            self.forget_copy()
            raise StaleSessionError
        data = getattr(self, "_session_cache", None)
        stamp = data.get(STAMP_KEY) if data else None
        if stamp and stamp[0] == version and USER_SESSION_KEY in data and not self.modified:
            _keep(self.session_key, version, stamp[1], data)

    def forget_copy(self) -> None:
        """Drop this process's copy and what was loaded from it: the next access reads the database."""
        if self.session_key:
            _kept.discard(self.session_key)
        self.served_version = None
        self.from_database_only = True
        self.__dict__.pop("_session_cache", None)

    # Writing --------------------------------------------------------------------------------------

    def save(self, must_create=False):
        """Django's save, bumping the session's version in the same transaction and writing the new
        number into the data saved."""
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        using = router.db_for_write(self.model)
        key = self.session_key
        try:
            with transaction.atomic(using=using):
                expires_at = self.get_expiry_date().timestamp()
                data[STAMP_KEY] = [version_bumped(session_scope(key), using=using), expires_at]
                obj = self.create_model_instance(data)
                obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError as error:
            if must_create:
                raise CreateError from error
            raise
        except DatabaseError as error:
            if not must_create:
                raise UpdateError from error
            raise
        # The copy kept before is not the latest any more; the next request keeps the new one.
        _kept.discard(key)
        self.served_version = None

    def delete(self, session_key=None):
        key = session_key or self.session_key
        if key is None:
            return
        using = router.db_for_write(self.model)
        with transaction.atomic(using=using):
            super().delete(key)
            versions_forgotten([session_scope(key)], using=using)
        _kept.discard(key)

    @classmethod
    def clear_expired(cls):
        """Remove expired sessions and their versions (manage.py clearsessions), a batch at a time."""
        model = cls.get_model_class()
        while True:
            with transaction.atomic(using=router.db_for_write(model)):
                keys = list(
                    model.objects.filter(expire_date__lt=timezone.now()).values_list("session_key", flat=True)[:1000]
                )
                if not keys:
                    return
                versions_forgotten(session_scope(key) for key in keys)
                model.objects.filter(session_key__in=keys).delete()

    # The web processes are synchronous; an async caller gets the same behaviour, not Django's
    # async database methods, which would skip the version.
    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key=None):
        return await sync_to_async(self.delete)(session_key)

    async def aload(self):
        return await sync_to_async(self.load)()


def _keep(session_key, version, expires_at, data) -> None:
    _kept.set(session_key, (version, expires_at, pickle.dumps(data, pickle.HIGHEST_PROTOCOL)))
