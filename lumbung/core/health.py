"""What a load balancer and an operator ask: is the service healthy, and if not, what is wrong.

/health        JSON: database, cache, file storage and task workers, each ok or not (no private data:
               only the kind of error, never its message, which may name hosts)
/health/ready  200 when this web process can serve pages (database, cache, storage), else 503

`server_error` is the project's handler500: when the database cannot be reached it answers a
static "layanan sementara tidak tersedia" page (503) that itself needs no database.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

from .access import access

DATABASE_DOWN = (OperationalError, InterfaceError)


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        detail = check() or {}
    except Exception as error:  # noqa: BLE001 - a health check reports any failure
        return {"ok": False, "error": type(error).__name__, "ms": round((time.monotonic() - started) * 1000)}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000), **detail}


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    cache.delete(key)


def check_storage() -> None:
    default_storage.exists(".lumbung-health")  # a bucket answers this over the network
    storage = getattr(default_storage, "_wrapped", default_storage)
    if isinstance(storage, FileSystemStorage):
        # The folder is made by the first upload: until then its nearest existing parent counts.
        location = Path(storage.location)
        while not location.exists() and location != location.parent:
            location = location.parent
        if not (location.is_dir() and os.access(location, os.W_OK)):
            raise PermissionError("media folder not writable")


def _workers() -> dict:
    # Reported with its figures even when it is not ok, so an operator sees how long jobs wait.
    from .workers import workers_status

    started = time.monotonic()
    try:
        status = workers_status()
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    return {**status, "ms": round((time.monotonic() - started) * 1000)}


@never_cache
@access.public
def health(request):
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "storage": _timed(check_storage),
    }
    checks["workers"] = _workers() if checks["database"]["ok"] else {"ok": False, "error": "database"}
    if not checks["database"]["ok"]:
        status = "error"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "error" else 200)


@never_cache
@access.public
def health_ready(request):
    checks = {name: _timed(check)["ok"] for name, check in READY_CHECKS.items()}
    ready = all(checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)


READY_CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage}


def server_error(request):
    """handler500: a database that cannot be reached gets the 503 page, anything else the 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        page = loader.get_template("503.html").render()
        return HttpResponse(page, status=503, headers={"Retry-After": "30"})
    return HttpResponse(loader.get_template("500.html").render(), status=500)
