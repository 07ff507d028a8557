"""The mock's state: records, scheduled work and blobs, changed only inside a transaction.

One lock guards every state transition, so check-then-act rules (the 200-image cap, "only one
bulk upload per dataset", "never backwards" status changes) hold under concurrent requests.
Every transaction first runs the scheduled work that is due on the clock, so a GET after
``/_mock/clock/advance`` sees the training finished. Records are plain JSON-able dicts so the
SQLite persistence can store them as they are.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .clock import Clock
from .config import MockConfig
from .persistence import SqlitePersistence

Record = dict[str, Any]
Key = int | str
EventHandler = Callable[["Transaction", Record, float], None]

# Kinds whose keys are strings (request ids, meta names); all others are integer ids.
_STR_KEYS = {"request", "meta", "upload"}


class Store:
    def __init__(
        self, config: MockConfig, clock: Clock, persistence: SqlitePersistence | None = None
    ) -> None:
        self.config = config
        self.clock = clock
        self.persistence = persistence
        self.lock = threading.RLock()
        self.tables: dict[str, dict[Key, Record]] = {}
        self.blobs: dict[str, tuple[str, bytes]] = {}
        self.handlers: dict[str, EventHandler] = {}
        self._heap: list[tuple[float, int]] = []
        self.persisted_now = 0.0
        self.meta: Record = {"next_id": 1, "next_event": 1}
        if persistence is not None:
            self._load(persistence)

    def _load(self, persistence: SqlitePersistence) -> None:
        for kind, key, record in persistence.load():
            if kind == "meta" and key == "counters":
                self.meta.update(record)
                continue
            if kind == "meta" and key == "clock":
                self.clock.restore(float(record["now"]))
                continue
            native: Key = key if kind in _STR_KEYS else int(key)
            self.tables.setdefault(kind, {})[native] = record
        for seq, event in self.tables.get("event", {}).items():
            heapq.heappush(self._heap, (float(event["due"]), int(seq)))

    def on(self, kind: str, handler: EventHandler) -> None:
        self.handlers[kind] = handler

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self.lock:
            tx = Transaction(self)
            try:
                tx.settle(self.clock.now())
                yield tx
            finally:
                # Also when the request is refused: the work settled on entry must be kept.
                # Rules check before they change anything, so nothing half-done is written.
                tx.commit()

    def reset(self) -> None:
        with self.lock:
            self.tables.clear()
            self.blobs.clear()
            self._heap.clear()
            self.meta = {"next_id": 1, "next_event": 1}
            if self.persistence is not None:
                self.persistence.clear()

    # Blobs are immutable once written, so reads need no transaction.
    def put_blob(self, key: str, content_type: str, data: bytes) -> None:
        if self.persistence is not None:
            self.persistence.put_blob(key, content_type, data)
        else:
            self.blobs[key] = (content_type, data)

    def get_blob(self, key: str) -> tuple[str, bytes] | None:
        if self.persistence is not None:
            return self.persistence.get_blob(key)
        return self.blobs.get(key)

    def delete_blob(self, key: str) -> None:
        if self.persistence is not None:
            self.persistence.delete_blob(key)
        else:
            self.blobs.pop(key, None)


class Transaction:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._dirty: dict[tuple[str, Key], Record | None] = {}
        self.now = store.clock.now()

    # --- records --------------------------------------------------------------------------
    def get(self, kind: str, key: Key) -> Record | None:
        return self.store.tables.get(kind, {}).get(key)

    def all(self, kind: str) -> list[Record]:
        return list(self.store.tables.get(kind, {}).values())

    def put(self, kind: str, key: Key, record: Record) -> Record:
        self.store.tables.setdefault(kind, {})[key] = record
        self._dirty[(kind, key)] = record
        return record

    def delete(self, kind: str, key: Key) -> Record | None:
        record = self.store.tables.get(kind, {}).pop(key, None)
        if record is not None:
            self._dirty[(kind, key)] = None
        return record

    def new_id(self) -> int:
        value = int(self.store.meta["next_id"])
        self.store.meta["next_id"] = value + 1
        self._dirty[("meta", "counters")] = self.store.meta
        return value

    # --- scheduled work -------------------------------------------------------------------
    def schedule(self, due: float, kind: str, data: Record) -> int:
        seq = int(self.store.meta["next_event"])
        self.store.meta["next_event"] = seq + 1
        self._dirty[("meta", "counters")] = self.store.meta
        self.put("event", seq, {"due": due, "kind": kind, "data": data})
        heapq.heappush(self.store._heap, (due, seq))
        return seq

    def settle(self, now: float) -> None:
        heap = self.store._heap
        while heap and heap[0][0] <= now:
            due, seq = heapq.heappop(heap)
            event = self.delete("event", seq)
            if event is None:
                continue
            handler = self.store.handlers.get(str(event["kind"]))
            if handler is not None:
                handler(self, event["data"], due)

    def commit(self) -> None:
        persistence = self.store.persistence
        if persistence is None:
            return
        now = self.store.clock.now()
        if not self._dirty and abs(now - self.store.persisted_now) < 1.0:
            return
        changes: list[tuple[str, str, Any | None]] = [
            (kind, str(key), record) for (kind, key), record in self._dirty.items()
        ]
        changes.append(("meta", "clock", {"now": now}))
        persistence.write(changes)
        self.store.persisted_now = now
        self._dirty.clear()
