"""Resolve the ``source`` of a catalog entry or mock rule in the vendored document it cites.

JSON and YAML documents are cited by JSON pointer; Bria's markdown documents by section (``§ …``)
and a ``quote``, which must occur in the file word for word (whitespace aside; ``...`` marks
an omission).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from bria_build.inputs import load_yaml

ROOT = Path(__file__).resolve().parents[1]


@cache
def load_document(relative: str) -> Any:
    path = ROOT / relative
    assert path.is_file(), f"cited document {relative} is not in the repository"
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    if path.suffix in (".yaml", ".yml"):
        return load_yaml(text)
    return text


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _quoted(quote: str, document: str) -> bool:
    """Every fragment of ``quote`` (``...`` marks an omission) occurs, in order, in ``document``."""
    text, position = _words(document), 0
    for fragment in (_words(part) for part in quote.split("...")):
        found = text.find(fragment, position)
        if found < 0:
            return False
        position = found + len(fragment)
    return True


def resolve_pointer(document: Any, pointer: str) -> Any:
    assert pointer.startswith("#/"), f"{pointer!r} is not a JSON pointer"
    node = document
    for raw in pointer[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def quoted_at(document: Any, pointer: str, quote: str) -> bool:
    """``quote`` stands in the text at ``pointer`` of a JSON or YAML ``document``."""
    try:
        node = resolve_pointer(document, pointer)
    except (KeyError, IndexError, ValueError):
        return False
    return isinstance(node, str) and _quoted(quote, node)


def check_source(owner: str, source: dict[str, Any], documents: dict[str, str]) -> None:
    """Fail with a message naming ``owner`` unless ``source`` is found where it says."""
    key = source["doc"]
    assert key in documents, f"{owner}: unknown document {key!r} (known: {sorted(documents)})"
    relative = documents[key]
    document = load_document(relative)
    if isinstance(document, str):
        at, quote = source.get("at", ""), source.get("quote", "")
        assert at.startswith("§ ") and quote, f"{owner}: {relative} needs `at: § …` and a quote"
        assert _quoted(quote, document), f"{owner}: {quote!r} does not occur in {relative}"
        return
    try:
        resolve_pointer(document, source["at"])
    except (KeyError, IndexError, ValueError) as exc:
        where = f"{relative} {source['at']}"
        raise AssertionError(f"{owner}: {where} does not resolve ({exc!r})") from exc


HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
BUNDLE = "spec/upstream/tailored-generation.openapi.json"
STATUS = "spec/upstream/status.openapi.yaml"


def upstream_operations() -> set[tuple[str, str]]:
    """(method, upstream path) of every operation Bria's two specs declare.

    The bundle's stray top-level path blocks count too: their operations are merged into the
    normalized spec, so the expected count is derived here from the upstream files themselves.
    """
    bundle, status = load_document(BUNDLE), load_document(STATUS)
    items = [*bundle["paths"].items(), *((k, v) for k, v in bundle.items() if k.startswith("/"))]
    items += list(status["paths"].items())
    return {(method, path) for path, item in items for method in item if method in HTTP_METHODS}


def _prose_overlays() -> list[dict[str, Any]]:
    """The overlay documents that add operations marked ``x-bria-source: prose``."""
    found = []
    for path in sorted((ROOT / "overlays").glob("*.yaml")):
        overlay = load_yaml(path.read_text(encoding="utf-8"))
        if any(
            action["target"] == "$.paths"
            and isinstance(action.get("update"), dict)
            and any(
                isinstance(op, dict) and op.get("x-bria-source") == "prose"
                for item in action["update"].values()
                for op in item.values()
            )
            for action in overlay["actions"]
        ):
            found.append(overlay)
    return found


def prose_components() -> set[str]:
    """Names of the schemas the prose-operation overlays add to ``components``."""
    return {
        name
        for overlay in _prose_overlays()
        for action in overlay["actions"]
        if action["target"] == "$.components.schemas"
        for name in action["update"]
    }


def prose_operations() -> set[tuple[str, str]]:
    """(method, path) of every operation an overlay adds with ``x-bria-source: prose``.

    These are the operations Bria documents only in prose (bria-guide-v1.md); the normalized
    spec holds them beside the upstream ones, so expected counts are upstream + prose.
    """
    found: set[tuple[str, str]] = set()
    for overlay in _prose_overlays():
        for action in overlay["actions"]:
            if action["target"] != "$.paths" or not isinstance(action.get("update"), dict):
                continue
            for route, item in action["update"].items():
                for method, operation in item.items():
                    if method in HTTP_METHODS and operation.get("x-bria-source") == "prose":
                        found.add((method, route))
    return found


def documented_operations() -> int:
    """How many operations the normalized spec must hold: Bria's specs' plus the prose ones."""
    return len(upstream_operations()) + len(prose_operations())
