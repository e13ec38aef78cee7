"""Cached figures and fragments that are never stale: every key carries the data version of its
region, and every write to that region's data bumps the version in the same transaction.

The version lives in the database (`DataVersion`), not in the cache: a bump then commits or rolls
back with the change that caused it, and every web process, whatever its cache (local memory per
process on the embedded default, one Redis for a deployment), reads the same version. A reader that
reads the old version while a change commits at worst stores new figures under the old key, which
nobody reads again; it can never store old figures under the new key.

What bumps:
- saves, deletes and many-to-many changes of the models in the apps of `LUMBUNG_CACHED_APPS`
  (signals, connected by `connect_signals` from CoreConfig.ready); the region is found through the
  record's `region_id` (a field or a property) or its foreign keys; a record that belongs to no
  region (reference data, the methodology) bumps every region;
- `core.workflow.StateMachine.apply` (its conditional UPDATE sends no signal);
- `region_data_changed()` called by code that writes with `QuerySet.update()` / `bulk_create()`;
- `region_writes()` around bulk work (imports, worker tasks): one bump at the end instead of one per
  saved record, still inside the caller's transaction.

    body = cached(
        "showcase", region_id=region.pk, parts=(get_language(), request.GET.urlencode()), build=lambda: ...
    )
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, models, router, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_save, pre_delete

logger = logging.getLogger(__name__)

EVERY_REGION = "all"
# How long an entry lives; a bump makes it unreachable long before (old keys just age out).
TIMEOUT = 60 * 60

# Regions whose bump is deferred to the end of a `region_writes` block (None: not deferring).
_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar("lumbung_deferred_bumps", default=None)


def _scope(region_id) -> str:
    return EVERY_REGION if region_id is None else f"region:{region_id}"


def _version_model():
    return apps.get_model("core", "DataVersion")


def region_data_changed(*region_ids) -> None:
    """Bump the data version of these regions (no argument, or None: every region).

    Call it inside the transaction of the change (as the signals do), so the new version becomes
    visible together with the data.
    """
    versions_changed(*(_scope(region_id) for region_id in (region_ids or (None,))))


def reader_changed(*user_ids) -> None:
    """Bump the version of what these people see of their own on every page (the unread count of
    their notifications), in the transaction of the change, as region_data_changed does."""
    versions_changed(*(_reader_scope(user_id) for user_id in user_ids if user_id is not None))


def versions_changed(*scopes: str) -> None:
    """Bump these scopes' versions in the transaction of the change (deferred inside region_writes,
    as every bump). For scopes of other apps' own, such as accounts' `organisation:<region id>`."""
    scopes = sorted(set(scopes))
    pending = _deferred.get()
    if pending is not None:
        pending.update(scopes)
        return
    _bump(scopes)


def _reader_scope(user_id) -> str:
    return f"user:{user_id}"


def _bump(scopes: list[str]) -> None:
    if not scopes:
        return
    model = _version_model()
    # No savepoint of its own: inside a transaction the bump is one more statement of it.
    with transaction.atomic(savepoint=False):
        updated = model.objects.filter(scope__in=scopes).update(version=F("version") + 1)
        if updated < len(scopes):
            # First change of a region: make its row (a concurrent first change may make it too),
            # then count this change as well.
            model.objects.bulk_create([model(scope=scope, version=0) for scope in scopes], ignore_conflicts=True)
            model.objects.filter(scope__in=scopes).update(version=F("version") + 1)


def version_bumped(scope: str, *, using: str | None = None) -> int:
    """Bump one scope's version now (never deferred) and return the new number, in one statement.

    For a record that carries the version it was written under (a session, accounts.sessions): the
    caller writes the number into the record in the same transaction, so whoever reads the record
    and then the version knows whether the record is the latest.
    """
    model = _version_model()
    table = model._meta.db_table
    using = using or router.db_for_write(model)
    # PostgreSQL and SQLite (3.35 and later) both speak this upsert.
    sql = (
        f"INSERT INTO {table} (scope, version) VALUES (%s, 1) "  # noqa: S608 - our own names
        f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1 RETURNING version"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [scope])
        return cursor.fetchone()[0]


def versions_forgotten(scopes: Iterable[str], *, using: str | None = None) -> None:
    """Remove these scopes' versions: their records are gone for good (a session ended), and a copy
    kept under any number they had no longer matches (an absent scope reads as version 0)."""
    model = _version_model()
    model.objects.using(using or router.db_for_write(model)).filter(scope__in=list(scopes)).delete()


def versions_after_restore() -> None:
    """Move every version past any reached before, after the database was restored.

    A restored database holds the versions of the day of its backup, while the caches (Redis, each
    process's memory) may hold pages, figures and sessions of later data under those same numbers.
    Every version (and the national one, which every cache key carries, created if missing) jumps to
    the time in microseconds, greater than any count of changes reached since: every entry cached
    before the restore is out of reach, and a session restored with its old number written in it is
    read from the database until it is saved again (accounts.sessions).
    """
    jump = time.time_ns() // 1000
    model = _version_model()
    with transaction.atomic():
        model.objects.bulk_create([model(scope=EVERY_REGION, version=0)], ignore_conflicts=True)
        model.objects.update(version=Greatest(F("version") + 1, Value(jump)))


@contextmanager
def region_writes(*region_ids):
    """Many writes to these regions' data, one bump at the end of the block.

    Records saved inside the block bump nothing on their own; on leaving the block (without an
    error) the regions named here and those of every record saved inside are bumped once. Use it
    inside the transaction of the writes, or around writes that each commit on their own (the bump
    then follows the last of them).
    """
    outer = _deferred.get()
    pending = {_scope(region_id) for region_id in region_ids} if region_ids else set()
    token = _deferred.set(pending if outer is None else outer)
    try:
        yield
    except BaseException:
        _deferred.reset(token)
        # Writes that committed before the error must still be seen; a transaction that is
        # broken rolls back anyway (and refuses the bump).
        if outer is None and not transaction.get_connection().needs_rollback:
            _bump(sorted(pending))
        raise
    _deferred.reset(token)
    if outer is None:
        _bump(sorted(pending))
    else:
        outer.update(pending)


def _scopes(region_id, reader_id) -> list[str]:
    scopes = [EVERY_REGION, _scope(region_id)]
    if reader_id is not None:
        scopes.append(_reader_scope(reader_id))
    return scopes


def _version_of(scopes: list[str], versions: dict) -> str:
    return ".".join(str(versions.get(scope, 0)) for scope in scopes)


def versions_of(scopes: Iterable[str]) -> dict[str, int]:
    """The current version of each scope (a scope never changed is absent: version 0), one query.

    Read on every cached page, so in plain SQL: building the ORM query took longer than running it.
    """
    scopes = sorted(set(scopes))
    model = _version_model()
    marks = ", ".join(["%s"] * len(scopes))
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(f"SELECT scope, version FROM {model._meta.db_table} WHERE scope IN ({marks})", scopes)  # noqa: S608 - our own names
        return dict(cursor.fetchall())


class VersionsRead:
    """Versions read once in a request (by the sign-in check), reused by the pages it serves: the
    versions are read before the page is built either way."""

    def __init__(self, versions: dict[str, int], scopes: Iterable[str]):
        self.versions, self.scopes = versions, frozenset(scopes)

    def covers(self, scopes: Iterable[str]) -> bool:
        return self.scopes.issuperset(scopes)


def reader_scopes(reader_id, region_ids: Iterable = ()) -> list[str]:
    """The scopes a signed-in reader's own things and their regions' data are versioned under."""
    return [EVERY_REGION, _reader_scope(reader_id), *(_scope(region_id) for region_id in region_ids)]


def data_version(region_id, reader_id=None, *, known: VersionsRead | None = None) -> str:
    """The version of a region's data and of the national data (and of a reader's own things, for
    pages that show them), in one query, or none when `known` already holds them."""
    scopes = _scopes(region_id, reader_id)
    if known is not None and known.covers(scopes):
        return _version_of(scopes, known.versions)
    return _version_of(scopes, versions_of(scopes))


def region_and_version(field: str, value, reader_id=None) -> tuple[int | None, str]:
    """(id, data version) of the region whose `field` is `value`, as data_version gives it, in one
    query; (None, "") when there is none. For pages that name their region in the address."""
    region_model = apps.get_model(settings.LUMBUNG_REGION_MODEL)
    version_table = _version_model()._meta.db_table
    column = region_model._meta.get_field(field).column
    reader_scope = _reader_scope(reader_id) if reader_id is not None else EVERY_REGION
    sql = (
        f"SELECT r.id, v.scope, v.version FROM {region_model._meta.db_table} r "  # noqa: S608 - our own names
        f"LEFT JOIN {version_table} v ON v.scope = %s OR v.scope = %s OR v.scope = ('region:' || r.id) "
        f"WHERE r.{column} = %s"
    )
    with connections[router.db_for_read(region_model)].cursor() as cursor:
        cursor.execute(sql, [EVERY_REGION, reader_scope, value])
        rows = cursor.fetchall()
    if not rows:
        return None, ""
    region_id = rows[0][0]
    versions = {scope: version for _id, scope, version in rows if scope}
    return region_id, _version_of(_scopes(region_id, reader_id), versions)


def cache_key(name: str, *, region_id, version: str, parts: Iterable = ()) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:24]
    return f"lumbung:{name}:{region_id}:{version}:{digest}"


def cached(name: str, *, region_id, build: Callable, parts: Iterable = (), version: str | None = None):
    """`build()`'s value for this region's current data, from the cache when it is there.

    `parts` names everything else the value depends on (language, query string, year ...); never
    put a user's private data in a value cached per region.
    """
    if version is None:
        version = data_version(region_id)
    key = cache_key(name, region_id=region_id, version=version, parts=parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


# Signals --------------------------------------------------------------------------------------

_MISSING = object()


def _region_id_of(instance, depth: int = 0):
    """The region a record belongs to; _MISSING when it belongs to none (national data)."""
    model = type(instance)
    if model._meta.label == settings.LUMBUNG_REGION_MODEL:
        return instance.pk
    try:
        value = getattr(instance, "region_id", _MISSING)
    except ObjectDoesNotExist:
        value = _MISSING
    if value is not _MISSING:
        return value if value is not None else _MISSING
    if depth >= 3:
        return _MISSING
    for field in model._meta.concrete_fields:
        if not field.is_relation or getattr(instance, field.attname) is None:
            continue
        if field.related_model._meta.app_label not in settings.LUMBUNG_CACHED_APPS:
            continue
        try:
            related = getattr(instance, field.name)
        except ObjectDoesNotExist:
            continue
        found = _region_id_of(related, depth + 1)
        if found is not _MISSING:
            return found
    return _MISSING


def _changed(instance) -> None:
    region_id = _region_id_of(instance)
    region_data_changed(None if region_id is _MISSING else region_id)


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _changed(instance)


def _on_delete(sender, instance, **kwargs) -> None:
    # Before the delete, while the record's region can still be read; the bump commits with it.
    _changed(instance)


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _changed(instance)


def _tracked(model) -> bool:
    from .models import WorkflowEvent

    meta = model._meta
    if meta.abstract or meta.proxy or not meta.managed:
        return False
    # History rows follow a save that already bumped; workflow events are written by
    # StateMachine.apply, which bumps itself.
    if any(field.name == "history_id" for field in meta.concrete_fields) or issubclass(model, WorkflowEvent):
        return False
    return meta.app_label in settings.LUMBUNG_CACHED_APPS or meta.label in settings.LUMBUNG_CACHED_MODELS


def _on_user_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    # A person's name shows on cached public records (team members) and in their own menu: a
    # profile change invalidates every region (it is rare) and the reader's pages. A sign-in or a
    # new password changes nothing shown.
    if raw or created or (update_fields is not None and set(update_fields) <= {"last_login", "password"}):
        return
    region_data_changed()
    reader_changed(instance.pk)


def connect_signals() -> None:
    post_save.connect(_on_user_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="lumbung-data-version-user")
    for model in apps.get_models():
        if not _tracked(model):
            continue
        uid = f"lumbung-data-version-{model._meta.label}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if isinstance(through, type) and issubclass(through, models.Model):
                m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"{uid}-{field.name}")


def region_of(obj):
    """The region id a record belongs to, or None (for StateMachine.apply and other callers)."""
    region_id = _region_id_of(obj)
    return None if region_id is _MISSING else region_id
