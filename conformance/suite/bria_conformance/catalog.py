"""The catalog of documented constraints (`conformance/catalog.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

KINDS = ("shape", "auth", "state", "limit", "async")


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    statement: str
    source: tuple[dict[str, str], ...]
    tests: tuple[str, ...]

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(t.split(":", 1)[1] for t in self.tests if t.startswith("check:"))

    @property
    def test_functions(self) -> tuple[str, ...]:
        return tuple(t for t in self.tests if not t.startswith("check:"))


def _parse(raw: dict[str, Any]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for item in raw["entries"]:
        entry = Entry(
            id=item["id"],
            kind=item["kind"],
            statement=item["statement"],
            source=tuple(item.get("source") or ()),
            tests=tuple(item.get("tests") or ()),
        )
        if entry.kind not in KINDS:
            raise ValueError(
                f"catalog entry {entry.id}: unknown kind {entry.kind!r}, expected one of {KINDS}"
            )
        if entry.id in entries:
            raise ValueError(f"catalog entry {entry.id} appears twice")
        entries[entry.id] = entry
    return entries


@cache
def load() -> dict[str, Entry]:
    text = resources.files("bria_conformance").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text))


def raw_document() -> dict[str, Any]:
    text = resources.files("bria_conformance").joinpath("catalog.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data
