"""An organization's records, looked up by id; anything else's is indistinguishable from missing."""

from __future__ import annotations

from ..errors import ApiError
from ..records import R
from ..state import Key, Transaction


def org_isolated_access(tx: Transaction, cls: type[R], key: Key, org: str, label: str) -> R:
    """The record of ``org`` (404 for a missing record and another organization's alike)."""
    record = tx.get(cls, key)
    if record is None or getattr(record, "org", None) != org:
        raise ApiError(404, f"{label} {key} not found")
    return record


def org_scoped_lists(tx: Transaction, cls: type[R], org: str) -> list[R]:
    """Every record of ``org`` in a table, oldest first."""
    return sorted(
        (r for r in tx.all(cls) if getattr(r, "org", None) == org),
        key=lambda r: r.key,
    )
