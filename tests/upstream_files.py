"""Bria's two vendored OpenAPI files and the operations they declare (stray path blocks too)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bria_build.inputs import load_yaml
from client_parse import HTTP_METHODS

UPSTREAM = Path(__file__).resolve().parents[1] / "spec" / "upstream"


def upstream_documents() -> list[tuple[str, dict[str, Any]]]:
    bundle = json.loads((UPSTREAM / "tailored-generation.openapi.json").read_text())
    status = load_yaml((UPSTREAM / "status.openapi.yaml").read_text())
    return [("tailored-generation.openapi.json", bundle), ("status.openapi.yaml", status)]


def upstream_items() -> Iterator[tuple[str, dict[str, Any], str, dict[str, Any]]]:
    """(file, its document, upstream path, operation with its method) of both upstream files."""
    for source, doc in upstream_documents():
        blocks = [*doc["paths"].items(), *((k, v) for k, v in doc.items() if k.startswith("/"))]
        for path, item in blocks:
            for method, op in item.items():
                if method in HTTP_METHODS:
                    yield source, doc, path, {"method": method, **op}
