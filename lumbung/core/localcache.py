"""Small stores in each web process's own memory, in front of the shared cache or the database.

Only for values that can never be stale where they are kept: values under keys that carry every
data version they depend on (a stored page), or values kept with the versions they were read under
and checked against the current versions before use (the signed-in user). A change bumps a version
in the database, which every process reads, so a process's own copy needs no invalidation of its
own: it is just no longer asked for, and the least recently used entries make room.

Reading from the process's memory spares a round trip to Redis and the unpickling of the value,
which for a page served from the cache was a third of its time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

_stores: list[LocalStore] = []


class LocalStore:
    """A least-recently-used mapping of at most `max_entries` entries, safe across threads."""

    def __init__(self, name: str, max_entries: int):
        self.name, self.max_entries = name, max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _stores.append(self)

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def discard(self, key) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def clear_local_stores() -> None:
    """Empty every store of this process: for tests, whose databases start again from the same
    versions, and after a database is restored from a backup (docs/deployment.md)."""
    for store in _stores:
        store.clear()
