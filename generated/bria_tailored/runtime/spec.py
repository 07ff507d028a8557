"""The normalized OpenAPI document this client was generated from, shipped as package data."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def openapi_document() -> dict[str, Any]:
    """A fresh parse of ``bria_tailored/openapi.json``; the caller may change it freely.

    It is the one source of request and response shapes: the mock validates against it and the
    conformance suite generates cases from it.
    """
    document: dict[str, Any] = json.loads(openapi_text())
    return document


def openapi_text() -> str:
    """The text of ``bria_tailored/openapi.json`` as shipped."""
    return resources.files("bria_tailored").joinpath("openapi.json").read_text(encoding="utf-8")
