"""The whole state of a mock (records, counters, schedule, blob keys) as one comparable text, read
from memory or from its state file: a refused request must leave both unchanged."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bria_mock.core import Mock
from bria_mock.records import to_json


def snapshot(mock: Mock) -> str:
    store = mock.store
    tables = {
        kind: {str(k): to_json(v) for k, v in rows.items()}
        for kind, rows in store.tables.items()
        if rows
    }
    blobs = sorted(store.blobs) if mock.persistence is None else _disk_blob_keys(mock)
    heap = sorted([due, seq] for due, seq in store._heap)
    state = {"tables": tables, "meta": store.meta, "heap": heap, "blobs": blobs}
    return json.dumps(state, sort_keys=True, default=str)


def disk_snapshot(mock: Mock) -> str:
    """The same view as ``snapshot``, read from the state file."""
    assert mock.persistence is not None
    tables: dict[str, dict[str, Any]] = {}
    meta: dict[str, Any] = {}
    for kind, key, record in mock.persistence.load():
        if kind == "meta" and key in ("counters", "clock"):
            if key == "counters":
                meta = record
            continue
        tables.setdefault(kind, {})[key] = record
    heap = sorted([float(e["due"]), int(k)] for k, e in tables.get("event", {}).items())
    state = {"tables": tables, "meta": meta, "heap": heap, "blobs": _disk_blob_keys(mock)}
    return json.dumps(state, sort_keys=True, default=str)


def _disk_blob_keys(mock: Mock) -> list[str]:
    assert mock.persistence is not None
    conn = sqlite3.connect(mock.persistence.path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT key FROM blobs"))
    finally:
        conn.close()
