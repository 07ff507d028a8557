"""SQLite persistence for ``--state PATH``: records and blobs survive a restart.

The working set stays in memory; every committed transaction writes the records it touched in
one SQLite transaction, blobs included, so a crash loses at most the request in flight and
never half of one. One process owns a state file: an OS lock on ``PATH.lock`` is taken when the
file is opened (and released by the OS when the process ends, also on ``kill -9``), so a second
``bria-mock`` on the same file stops with a clear error instead of handing out the same ids.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE TABLE IF NOT EXISTS blobs (
    key TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL
);
"""


class SqlitePersistence:
    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._owner = _take_ownership(path)
        try:
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            self._owner.close()
            raise OSError(f"cannot open state database {path!r}: {exc}") from exc

    def load(self) -> list[tuple[str, str, Any]]:
        with self._lock:
            rows = self._conn.execute("SELECT kind, key, data FROM records").fetchall()
        return [(kind, key, json.loads(data)) for kind, key, data in rows]

    def write(
        self,
        changes: Iterable[tuple[str, str, Any | None]],
        blob_puts: Mapping[str, tuple[str, bytes]],
        blob_deletes: Iterable[str],
    ) -> None:
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN")
            try:
                for kind, key, record in changes:
                    if record is None:
                        cur.execute("DELETE FROM records WHERE kind=? AND key=?", (kind, key))
                    else:
                        cur.execute(
                            "INSERT OR REPLACE INTO records(kind, key, data) VALUES (?, ?, ?)",
                            (kind, key, json.dumps(record, separators=(",", ":"))),
                        )
                for key, (content_type, data) in blob_puts.items():
                    cur.execute(
                        "INSERT OR REPLACE INTO blobs(key, content_type, data) VALUES (?, ?, ?)",
                        (key, content_type, data),
                    )
                for key in blob_deletes:
                    cur.execute("DELETE FROM blobs WHERE key=?", (key,))
                cur.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    cur.execute("ROLLBACK")
                raise

    def get_blob(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT content_type, data FROM blobs WHERE key=?", (key,)
            ).fetchone()
        return None if row is None else (str(row[0]), bytes(row[1]))

    def clear(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM records")
            self._conn.execute("DELETE FROM blobs")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            self._owner.close()


def _take_ownership(path: str) -> Any:
    lock_path = path + ".lock"
    try:
        handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the process' lifetime
    except OSError as exc:
        raise OSError(f"cannot open the lock file {lock_path!r} of the state file: {exc}") from exc
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise OSError(
            f"the state file {path!r} is in use by another bria-mock process (pid {holder}); "
            "run one process per state file, or give this one its own --state PATH"
        ) from None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
