"""The mock's state: records, scheduled work and blobs, changed only inside a transaction.

One lock guards every state transition, so check-then-act rules (the 200-image cap, "only one
bulk upload per dataset", "never backwards" status changes) hold under concurrent requests.
Every transaction first runs the scheduled work that is due on the clock, so a GET after
``/_mock/clock/advance`` sees the training finished. Records are the typed classes of
``records.py``; the SQLite persistence stores each as the JSON object of its fields.

A refused request changes nothing: a transaction remembers the before-image of every record it
reads, the counters, the schedule and the blobs it stages, and puts them all back when the
request raises (a refusal or a fault) or when writing the state file fails. Memory and the state
file therefore agree after every request. Handlers may mutate records they got from ``get``; the
records of ``all`` are for reading (fetch one with ``get`` before changing it).
"""

from __future__ import annotations

import heapq
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any

from .clock import Clock
from .config import MockConfig
from .persistence import SqlitePersistence
from .records import (
    KINDS,
    Event,
    R,
    StateFormatError,
    Stored,
    clone,
    from_json,
    to_json,
)

Key = int | str
# A handler takes the data shape of its kind (stored as JSON, so typed by the kind).
EventHandler = Callable[["Transaction", Any, float], None]


log = logging.getLogger("bria_mock")


class StateWriteError(Exception):
    """The state file could not be written; memory was left as it was before the request."""


class ReadOnly(RuntimeError):
    """A reading transaction was asked to change something (a bug in the mock)."""


class Store:
    def __init__(
        self,
        config: MockConfig,
        clock: Clock,
        persistence: SqlitePersistence | None = None,
        *,
        events: Mapping[str, EventHandler],
    ) -> None:
        self.config = config
        self.clock = clock
        self.persistence = persistence
        self.lock = threading.RLock()
        self.tables: dict[str, dict[Key, Stored]] = {}
        self.blobs: dict[str, tuple[str, bytes]] = {}
        # every kind of scheduled work and its handler (domain/events.py)
        self.handlers: Mapping[str, EventHandler] = events
        self._heap: list[tuple[float, int]] = []
        self.meta: dict[str, Any] = {"next_id": 1, "next_event": 1}
        self.recovered: list[int] = []
        if persistence is not None:
            self._load(persistence)

    def _load(self, persistence: SqlitePersistence) -> None:
        unknown: set[str] = set()
        try:
            rows = persistence.load()
        except ValueError as exc:  # a row that is not JSON
            raise StateFormatError(
                f"the state file {persistence.path} holds a record that is not JSON ({exc}); "
                "start with a new --state file"
            ) from None
        for kind, key, data in rows:
            if kind == "meta" and key == "counters":
                self.meta.update(data)
                continue
            if kind == "meta" and key == "clock":
                self.clock.restore(float(data["now"]))
                continue
            cls = KINDS.get(kind)
            if cls is None:
                unknown.add(kind)
                continue
            try:
                record = from_json(cls, key, data)
            except (StateFormatError, ValueError) as exc:
                raise StateFormatError(
                    f"the state file {persistence.path} holds a record this version of bria-mock "
                    f"cannot read ({exc}); start with a new --state file"
                ) from None
            native: Key = int(key) if cls.INT_KEY else key
            self.tables.setdefault(kind, {})[native] = record
        if unknown:
            log.warning(
                "the state file holds records of kinds this version does not use (%s); "
                "they are left as they are",
                ", ".join(sorted(unknown)),
            )
        unhandled = sorted({e.kind for e in self.all_of(Event) if e.kind not in self.handlers})
        if unhandled:
            raise StateFormatError(
                f"the state file {persistence.path} holds scheduled work of kinds this version "
                f"of bria-mock does not handle ({', '.join(unhandled)}); start with a new "
                "--state file"
            )
        for event in self.all_of(Event):
            heapq.heappush(self._heap, (event.due, event.seq))
        self._release_interrupted_reservations(persistence)

    def all_of(self, cls: type[R]) -> list[R]:
        return [r for r in self.tables.get(cls.KIND, {}).values() if isinstance(r, cls)]

    def _release_interrupted_reservations(self, persistence: SqlitePersistence) -> None:
        """A record a crash left half made (``Stored.interrupted``: a bulk reservation whose
        process died while reading the archive) is given back, so the attempt can be made again
        after the restart."""
        stale = [
            (kind, key, record)
            for kind, table in self.tables.items()
            for key, record in table.items()
            if record.interrupted()
        ]
        if not stale:
            return
        for kind, key, _ in stale:
            del self.tables[kind][key]
        persistence.write([(kind, str(key), None) for kind, key, _ in stale], {}, ())
        self.recovered = [int(key) for _, key, _ in stale if isinstance(key, int)]
        for kind in sorted({kind for kind, _, _ in stale}):
            cls = KINDS[kind]
            keys = [str(key) for k, key, _ in stale if k == kind]
            log.warning(
                "released %d %s(s) interrupted by a crash (%s %s)",
                len(keys),
                cls.INTERRUPTED_LABEL,
                cls.KEY_FIELD,
                ", ".join(keys),
            )

    def _settle_due(self, clock_changed: bool) -> None:
        # The work that became due is settled and kept even if the request is then refused.
        heap = self._heap
        if clock_changed or (heap and heap[0][0] <= self.clock.now()):
            due = Transaction(self)
            due.clock_changed = clock_changed
            due.run(lambda: due.settle(due.now))

    def reading(self) -> _Scope:
        """A transaction that only reads (the GET operations): it keeps no before-images, and
        anything it tries to change raises ``ReadOnly``. Its records are the stored ones: read
        them, never change them in place."""
        return _Scope(self, read_only=True)

    def transaction(self, *, clock_changed: bool = False) -> _Scope:
        """Everything a request changes, committed when the block ends; put back when it raises."""
        return _Scope(self, clock_changed=clock_changed)

    def reset(self) -> None:
        with self.lock:
            if self.persistence is not None:
                self.persistence.clear()
            self.tables.clear()
            self.blobs.clear()
            self._heap.clear()
            self.meta = {"next_id": 1, "next_event": 1}

    # Blobs are immutable once written, so reads need no transaction.
    def put_blob(self, key: str, content_type: str, data: bytes) -> None:
        if self.persistence is not None:
            self.persistence.write((), {key: (content_type, data)}, ())
        else:
            self.blobs[key] = (content_type, data)

    def get_blob(self, key: str) -> tuple[str, bytes] | None:
        if self.persistence is not None:
            return self.persistence.get_blob(key)
        return self.blobs.get(key)

    def delete_blobs(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if self.persistence is not None:
            self.persistence.write((), {}, keys)
        else:
            for key in keys:
                self.blobs.pop(key, None)


class _Scope:
    """``with store.transaction() as tx``: the lock held, due work settled first, and ``tx``
    committed or rolled back at the end (a class rather than a generator: every request
    enters one)."""

    __slots__ = ("_clock_changed", "_read_only", "_store", "_tx")

    def __init__(self, store: Store, *, read_only: bool = False, clock_changed: bool = False):
        self._store = store
        self._read_only = read_only
        self._clock_changed = clock_changed

    def __enter__(self) -> Transaction:
        store = self._store
        store.lock.acquire()
        try:
            store._settle_due(self._clock_changed)
            self._tx = Reading(store) if self._read_only else Transaction(store)
        except BaseException:
            store.lock.release()
            raise
        return self._tx

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._read_only:
                if exc_type is not None:
                    self._tx.rollback()
                else:
                    self._tx.run(lambda: None)
        finally:
            self._store.lock.release()


class Transaction:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.now = store.clock.now()
        self.clock_changed = False
        self._dirty: dict[tuple[str, Key], Stored | dict[str, Any] | None] = {}
        # before-images: the record as it was when first touched (None: it did not exist)
        self._undo: dict[tuple[str, Key], Stored | None] = {}
        self._meta = dict(store.meta)
        # the schedule as it was, copied before this transaction first changes it
        self._heap: list[tuple[float, int]] | None = None
        self._blob_puts: dict[str, tuple[str, bytes]] = {}
        self._blob_deletes: set[str] = set()

    # --- records --------------------------------------------------------------------------
    def _remember(self, kind: str, key: Key) -> Stored | None:
        record = self.store.tables.get(kind, {}).get(key)
        if (kind, key) not in self._undo:
            self._undo[(kind, key)] = None if record is None else clone(record)
        return record

    def get(self, cls: type[R], key: Key) -> R | None:
        record = self._remember(cls.KIND, key)
        return record if isinstance(record, cls) else None

    def all(self, cls: type[R]) -> list[R]:
        return self.store.all_of(cls)

    def put(self, record: R) -> R:
        kind, key = record.KIND, record.key
        self._remember(kind, key)
        self.store.tables.setdefault(kind, {})[key] = record
        self._dirty[(kind, key)] = record
        return record

    def delete(self, cls: type[R], key: Key) -> R | None:
        record = self._remember(cls.KIND, key)
        if record is None:
            return None
        self.store.tables[cls.KIND].pop(key, None)
        self._dirty[(cls.KIND, key)] = None
        return record if isinstance(record, cls) else None

    def new_id(self) -> int:
        value = int(self.store.meta["next_id"])
        self.store.meta["next_id"] = value + 1
        self._dirty[("meta", "counters")] = self.store.meta
        return value

    # --- blobs: written with the records, or not at all -------------------------------------
    def put_blob(self, key: str, content_type: str, data: bytes) -> None:
        self._blob_deletes.discard(key)
        self._blob_puts[key] = (content_type, data)

    def delete_blob(self, key: str) -> None:
        self._blob_puts.pop(key, None)
        self._blob_deletes.add(key)

    # --- scheduled work -------------------------------------------------------------------
    def _keep_heap(self) -> None:
        if self._heap is None:
            self._heap = list(self.store._heap)

    def schedule(self, due: float, kind: str, data: Mapping[str, Any]) -> int:
        if kind not in self.store.handlers:
            raise ValueError(f"no handler is registered for scheduled work of kind {kind!r}")
        seq = int(self.store.meta["next_event"])
        self.store.meta["next_event"] = seq + 1
        self._dirty[("meta", "counters")] = self.store.meta
        self.put(Event(seq=seq, due=due, kind=kind, data=dict(data)))
        self._keep_heap()
        heapq.heappush(self.store._heap, (due, seq))
        return seq

    def settle(self, now: float) -> None:
        heap = self.store._heap
        while heap and heap[0][0] <= now:
            self._keep_heap()
            due, seq = heapq.heappop(heap)
            event = self.delete(Event, seq)
            if event is None:
                continue
            # an unknown kind was refused when it was scheduled or loaded
            self.store.handlers[event.kind](self, event.data, due)

    # --- end of a transaction -----------------------------------------------------------------
    def run(self, work: Callable[[], None]) -> None:
        """Do ``work`` and commit it; on any failure put everything back and re-raise."""
        try:
            work()
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        tables = self.store.tables
        for (kind, key), before in self._undo.items():
            if before is None:
                tables.get(kind, {}).pop(key, None)
            else:
                tables.setdefault(kind, {})[key] = before
        self.store.meta = self._meta
        if self._heap is not None:
            self.store._heap = self._heap
            self._heap = None
        self._undo.clear()
        self._dirty.clear()
        self._blob_puts.clear()
        self._blob_deletes.clear()

    def commit(self) -> None:
        store = self.store
        # A record changed in place but never put is still written: memory and disk agree.
        tables = store.tables
        for (kind, key), before in self._undo.items():
            if (kind, key) not in self._dirty:
                current = tables.get(kind, {}).get(key)
                if _changed(current, before):
                    self._dirty[(kind, key)] = current
        changed = bool(self._dirty or self._blob_puts or self._blob_deletes)
        if store.persistence is not None and (changed or self.clock_changed):
            changes: list[tuple[str, str, Any | None]] = [
                (kind, str(key), _stored_form(record))
                for (kind, key), record in self._dirty.items()
            ]
            # The clock is saved with every change (reads write nothing), so a restart
            # never runs time backwards past anything that was stored.
            changes.append(("meta", "clock", {"now": store.clock.now()}))
            try:
                store.persistence.write(changes, self._blob_puts, self._blob_deletes)
            except (OSError, sqlite3.Error) as exc:
                raise StateWriteError(
                    f"the state file {store.persistence.path} could not be written ({exc}); "
                    "nothing was changed"
                ) from exc
        elif store.persistence is None:
            store.blobs.update(self._blob_puts)
            for key in self._blob_deletes:
                store.blobs.pop(key, None)
        self._dirty.clear()
        self._undo.clear()
        self._blob_puts.clear()
        self._blob_deletes.clear()
        self._heap = None


class Reading(Transaction):
    """See ``Store.reading``."""

    def __init__(self, store: Store) -> None:
        # Nothing is written, undone or rescheduled: no before-images, counters or schedule copy
        # (every GET enters one of these).
        self.store = store
        self.now = store.clock.now()
        self.clock_changed = False

    def get(self, cls: type[R], key: Key) -> R | None:
        record = self.store.tables.get(cls.KIND, {}).get(key)
        return record if isinstance(record, cls) else None

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise ReadOnly("a reading transaction changes nothing; use Store.transaction()")

    put = delete = new_id = put_blob = delete_blob = schedule = settle = _refuse


def _changed(current: Stored | None, before: Stored | None) -> bool:
    """Field by field (the instance dictionaries compare in C, which every write pays for)."""
    if current is None or before is None:
        return current is not before
    return type(current) is not type(before) or current.__dict__ != before.__dict__


def _stored_form(record: Stored | dict[str, Any] | None) -> dict[str, Any] | None:
    if record is None or isinstance(record, dict):
        return record  # the counters are a plain mapping
    return to_json(record)
