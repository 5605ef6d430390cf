"""One respondent write at a time per SQLite database file, waiting in line instead of polling.

SQLite allows one writer; a waiting writer polls with growing sleeps (up to 100 ms each), so
under a burst of answer saves some requests wait far longer than the work takes. Saves pass
through this gate instead: a thread lock within the process and an ``flock`` on a lock file
next to the database across processes, so a waiting save wakes as soon as the previous one
commits. PostgreSQL and in-memory SQLite need no gate. The gate only orders respondent saves;
other writers still rely on SQLite's busy timeout, and correctness never depends on the gate.
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from app.extensions import db

_LOCKS: dict[str, tuple[threading.Lock, int]] = {}
_GUARD = threading.Lock()


def _lock_for(path: str) -> tuple[threading.Lock, int]:
    with _GUARD:
        if path not in _LOCKS:
            descriptor = os.open(f"{path}-respond.lock", os.O_RDWR | os.O_CREAT, 0o600)
            _LOCKS[path] = (threading.Lock(), descriptor)
        return _LOCKS[path]


@contextmanager
def write_gate() -> Iterator[None]:
    """Hold the gate of the app's SQLite database file (no-op for other databases)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    with gated(os.path.abspath(url.database)):
        yield


@contextmanager
def gated(database_path: str) -> Iterator[None]:
    """Hold the gate of one database file (waits for the current holder, thread or process)."""
    thread_lock, descriptor = _lock_for(database_path)
    with thread_lock:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
