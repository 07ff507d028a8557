"""SQLite persistence for ``--state PATH``: records and blobs survive a restart.

The working set stays in memory; every committed transaction writes the records it touched in
one SQLite transaction, so a crash loses at most the request in flight and never half of one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
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
        try:
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise OSError(f"cannot open state database {path!r}: {exc}") from exc

    def load(self) -> list[tuple[str, str, Any]]:
        with self._lock:
            rows = self._conn.execute("SELECT kind, key, data FROM records").fetchall()
        return [(kind, key, json.loads(data)) for kind, key, data in rows]

    def write(self, changes: Iterable[tuple[str, str, Any | None]]) -> None:
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
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def put_blob(self, key: str, content_type: str, data: bytes) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO blobs(key, content_type, data) VALUES (?, ?, ?)",
                (key, content_type, data),
            )

    def get_blob(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT content_type, data FROM blobs WHERE key=?", (key,)
            ).fetchone()
        return None if row is None else (str(row[0]), bytes(row[1]))

    def delete_blob(self, key: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM blobs WHERE key=?", (key,))

    def clear(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM records")
            self._conn.execute("DELETE FROM blobs")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
