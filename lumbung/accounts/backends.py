"""Signing in and finding the signed-in user on every request.

Every signed-in page needs the user and their roles (the access rules, the menu, the region). They
are read in one query (`RolesModelBackend.get_user`), and between two requests the web process keeps
them in its own memory (core.localcache) with the versions that any change to them bumps, in the
transaction of the change (core.caching): their account's (a new password, a deactivation, a role
granted or withdrawn; accounts.versions) and the organisation version of every region where they
hold a role (its record and units: a unit renamed, moved or closed, a region deactivated or
reactivated; accounts.apps). A request reads those versions in one query, which the cached pages it
serves reuse, and reads the user and roles again only when one of them changed.

Django's own check of the session still runs on the user found (`django.contrib.auth.get_user`):
a session made before a password change is refused, as it is without the kept copy.
"""

from __future__ import annotations

import contextvars
import pickle

from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.db import connections, router

from lumbung.core.caching import EVERY_REGION, VersionsRead, reader_scopes, versions_of
from lumbung.core.localcache import LocalStore

from .middleware import SESSION_KEY as REGION_SESSION_KEY
from .models import RoleAssignment
from .sessions import StaleSessionError
from .versions import account_scope, organisation_scope

# The request whose user Django's get_user is finding (set only around that call, see
# SignedInMiddleware): the backend then reads and keeps its copy for that request.
_request: contextvars.ContextVar = contextvars.ContextVar("lumbung_signed_in_request", default=None)
# Each web process keeps the users it served lately, pickled (every request unpickles its own
# copy, which it may change freely), with the versions they were read under.
_kept = LocalStore("signed-in", max_entries=settings.LUMBUNG_LOCAL_SIGNED_IN)


class RolesModelBackend(ModelBackend):
    """Django's model backend that finds the user of a session together with their roles."""

    def get_user(self, user_id):
        request = _request.get()
        if request is None:
            return self._read(user_id)[0]
        return self._kept_or_read(request, user_id)

    def _kept_or_read(self, request, user_id):
        kept = _kept.get(user_id)
        chosen = request.session.get(REGION_SESSION_KEY)
        # The versions the kept copy was stored under, the reader's and the national ones, and the
        # chosen region's (for the page the request serves): one query.
        scopes = {account_scope(user_id), *reader_scopes(user_id, [chosen] if isinstance(chosen, int) else [])}
        # And the session's own (accounts.sessions), checked before the user it names is trusted.
        session_scopes = getattr(request.session, "version_scopes", list)()
        scopes.update(session_scopes)
        if kept is not None:
            # With the data versions of their regions, which the page served is likely to need.
            kept_versions, held_regions, pickled = kept
            scopes.update(kept_versions, reader_scopes(user_id, held_regions))
            versions = versions_of(scopes)
        else:
            versions, scopes = _versions_with_held_regions(user_id, scopes)
        if session_scopes:
            request.session.check(versions)  # StaleSessionError: the request reads the session again
        request.versions_read = VersionsRead(versions, scopes)
        unchanged = kept is not None and all(
            versions.get(scope, 0) == version for scope, version in kept_versions.items()
        )
        if unchanged:
            return pickle.loads(pickled)  # noqa: S301 - pickled by this process, below
        return self._read_and_keep(user_id, versions, scopes)

    def _read_and_keep(self, user_id, versions: dict[str, int], scopes: set[str]):
        """Read the user afresh, after `versions` (of `scopes`) were read, and keep them under those:
        a change committing in between leaves a new copy under old versions (read again next time),
        never an old copy under new ones."""
        user, held_regions = self._read(user_id)
        if user is not None:
            # A region met in this read whose version was not read before it (a role granted
            # meanwhile) is kept as unknown, so the next request renews the copy once more.
            kept_versions = {
                scope: versions.get(scope, 0) if scope in scopes else None
                for scope in _kept_scopes(user_id, held_regions)
            }
            user.get_session_auth_hash()  # made once per copy, checked on every request
            _kept.set(user_id, (kept_versions, held_regions, pickle.dumps(user, pickle.HIGHEST_PROTOCOL)))
        return user

    def keep(self, user_id) -> None:
        """Read and keep a user who has just signed in, as their first request would: the requests
        that follow in this process find them kept."""
        versions, scopes = _versions_with_held_regions(user_id, {account_scope(user_id), *reader_scopes(user_id)})
        self._read_and_keep(user_id, versions, scopes)

    def _read(self, user_id):
        """(user with their active roles, ids of every region where they hold an active role) in
        one query; (None, []) for nobody or an inactive user."""
        assignments = list(
            RoleAssignment.objects.filter(user_id=user_id, is_active=True).select_related("user", "unit", "region")
        )
        if assignments:
            user = assignments[0].user
            for assignment in assignments:
                assignment.user = user
        else:
            try:
                user = get_user_model()._default_manager.get(pk=user_id)
            except get_user_model().DoesNotExist:
                return None, []
        # What User.active_roles reads (the same filter): roles in a deactivated region rest
        # until it is reactivated; its version is kept too, so a reactivation is seen.
        user.__dict__["active_roles"] = [
            assignment
            for assignment in assignments
            if assignment.region_id is None or assignment.region.deactivated_at is None
        ]
        held_regions = sorted({assignment.region_id for assignment in assignments if assignment.region_id})
        return (user, held_regions) if self.user_can_authenticate(user) else (None, [])


def _kept_scopes(user_id, region_ids) -> list[str]:
    """What a kept user is checked against: the national version (moved by a restore), their
    account's, and the organisation (record and units) of every region where they hold a role."""
    return [EVERY_REGION, account_scope(user_id), *(organisation_scope(region_id) for region_id in region_ids)]


def _versions_with_held_regions(user_id, scopes: set[str]) -> tuple[dict[str, int], set[str]]:
    """versions_of(scopes) and, in the same statement, the organisation versions of every region where
    the user holds an active role: read before the user (see _kept_or_read), so the first read of a
    user leaves no region unknown. Returns the versions and every scope they cover."""
    roles = RoleAssignment._meta.db_table
    prefix = "'" + organisation_scope("") + "'"  # a constant of ours, quoted for SQL
    versions_table = apps.get_model("core", "DataVersion")._meta.db_table
    held = (
        f"SELECT {prefix} || r.region_id, v.version FROM {roles} r "  # noqa: S608 - our own names
        f"LEFT JOIN {versions_table} v ON v.scope = {prefix} || r.region_id "
        "WHERE r.user_id = %s AND r.is_active AND r.region_id IS NOT NULL"
    )
    ordered = sorted(scopes)
    marks = ", ".join(["%s"] * len(ordered))
    named = f"SELECT scope, version FROM {versions_table} WHERE scope IN ({marks})"  # noqa: S608 - our own names
    with connections[router.db_for_read(RoleAssignment)].cursor() as cursor:
        cursor.execute(f"{held} UNION ALL {named}", [user_id, *ordered])
        rows = cursor.fetchall()
    versions = {scope: version for scope, version in rows if version is not None}
    return versions, scopes | {scope for scope, _version in rows}


def _signed_in_user(request):
    if not hasattr(request, "_cached_user"):
        token = _request.set(request)
        try:
            try:
                request._cached_user = _checked_user(request)
            except StaleSessionError:
                # The session changed or ended in another process: once more, from the database.
                request._cached_user = _checked_user(request)
        finally:
            _request.reset(token)
    return request._cached_user


def _checked_user(request):
    # A session is kept only by the check in RolesModelBackend._kept_or_read, so every session served
    # from memory names a user of that backend and is checked there: a session of another backend is
    # read from the database on every request (accounts.sessions).
    return auth.get_user(request)


class SignedInMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, finding the user through the kept copy (see above)."""

    def process_request(self, request):
        super().process_request(request)
        # Found at once rather than lazily: every request asks for it (accounts.middleware finds the
        # region with it), and a lazy proxy costs a little on every one of the page's many reads.
        request.user = _signed_in_user(request)
