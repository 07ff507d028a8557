"""Reading the upstream OpenAPI files, with errors that name the file and what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildError


def read_bundle(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: cannot read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise BuildError(f"{path}: not valid JSON ({exc}); pass Bria's OpenAPI bundle") from None
    if not isinstance(loaded, dict) or "openapi" not in loaded or "paths" not in loaded:
        raise BuildError(f"{path}: not an OpenAPI document (no `openapi`/`paths` at the top level)")
    return loaded


def read_status(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BuildError(f"{path}: cannot read as YAML ({exc})") from None
    if not isinstance(loaded, dict) or "paths" not in loaded:
        raise BuildError(f"{path}: not an OpenAPI document (no `paths`)")
    return loaded
