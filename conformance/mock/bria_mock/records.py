"""The stored records' common ground: what every record class is, how it is stored and copied.

Each record class (in ``domain/<resource>.py``, next to its statuses and rules) names its table
(``KIND``) and its key; defining the class registers the table in ``KINDS``, which is how the
state file is read back. Field names are the keys of the JSON the state file holds, so
``to_json``/``from_json`` are the only translation and a state file written by an earlier
version (records as plain JSON objects with these keys) still loads. Fields a record did not
always have carry defaults. How a record is rendered for a client is in ``domain/views.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar


class StateFormatError(Exception):
    """A stored record this version cannot read (a newer or foreign state file)."""


#: Every table by its ``KIND``: filled as the record classes are defined.
KINDS: dict[str, type[Stored]] = {}


@dataclass
class Stored:
    """Base of every record: the table it lives in and the field that is its key."""

    KIND: ClassVar[str] = ""
    KEY_FIELD: ClassVar[str] = "id"
    # ids and sequence numbers are integers; request and output ids are strings
    INT_KEY: ClassVar[bool] = True
    # fields holding nested records, read back into their classes
    NESTED: ClassVar[dict[str, type[Stored]]] = {}
    # what a record ``interrupted`` by a crash is called in the log
    INTERRUPTED_LABEL: ClassVar[str] = "record"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = cls.__dict__.get("KIND")
        if kind:
            if kind in KINDS and KINDS[kind].__qualname__ != cls.__qualname__:
                raise RuntimeError(f"two record classes for the table {kind!r}")
            KINDS[kind] = cls

    @property
    def key(self) -> int | str:
        value = getattr(self, self.KEY_FIELD)
        assert isinstance(value, (int, str))
        return value

    def interrupted(self) -> bool:
        """True for a record a crash left half made; the state drops it when it loads."""
        return False


@dataclass
class Event(Stored):
    """Scheduled work: ``kind``'s handler runs with ``data`` once the clock reaches ``due``
    (the kinds and their handlers: ``domain/events.py``)."""

    KIND: ClassVar[str] = "event"
    KEY_FIELD: ClassVar[str] = "seq"
    seq: int
    due: float
    kind: str
    # the data shape its kind declares, as stored
    data: Mapping[str, Any]


@dataclass
class Secret(Stored):
    """The URL-signing secret, kept so signed URLs survive a restart."""

    KIND: ClassVar[str] = "meta"
    KEY_FIELD: ClassVar[str] = "name"
    INT_KEY: ClassVar[bool] = False
    name: str
    value: str


R = TypeVar("R", bound=Stored)


def to_json(record: Stored) -> dict[str, Any]:
    out = dataclasses.asdict(record)
    if isinstance(record, Event | Secret):
        # the key is the row's key, not part of the stored object (the earlier format)
        del out[record.KEY_FIELD]
    return out


def from_json(cls: type[R], key: str, data: Any) -> R:
    """Read a stored object back; a missing key field is taken from the row's key."""
    if not isinstance(data, dict):
        raise StateFormatError(f"a stored {cls.KIND or cls.__name__} is not a JSON object")
    names = {f.name for f in dataclasses.fields(cls)}
    values = {k: v for k, v in data.items() if k in names}
    if cls.KEY_FIELD not in values and cls.KIND:
        values[cls.KEY_FIELD] = int(key) if cls.INT_KEY else key
    for name, nested in cls.NESTED.items():
        raw = values.get(name)
        if isinstance(raw, list):
            values[name] = [from_json(nested, "", item) for item in raw]
        elif isinstance(raw, dict):
            values[name] = from_json(nested, "", raw) if raw else None
    try:
        return cls(**values)
    except TypeError as exc:
        raise StateFormatError(
            f"a stored {cls.KIND or cls.__name__} {key!r} cannot be read ({exc})"
        ) from None


def clone(record: R) -> R:
    """A deep copy (records hold JSON-like values and nested records only).

    Runs on every record a transaction first touches, so it copies the instance dictionary
    directly and descends only into lists, dicts and nested records (the scalars are shared).
    """
    return _clone(record)  # type: ignore[no-any-return]


def _clone(value: Any) -> Any:
    if isinstance(value, Stored):
        copy = object.__new__(type(value))
        fields = copy.__dict__
        for name, item in value.__dict__.items():
            fields[name] = _clone(item) if isinstance(item, _CONTAINERS) else item
        return copy
    if isinstance(value, dict):
        return {k: _clone(v) if isinstance(v, _CONTAINERS) else v for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) if isinstance(v, _CONTAINERS) else v for v in value]
    return value


_CONTAINERS = (Stored, dict, list)
