"""Reading the upstream OpenAPI files, with errors that name the file and what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildError

# libyaml when PyYAML has it: the pure-Python loader takes about half a second on the suite's
# catalog, and the overlays and the status spec are read on every build.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=YAML_LOADER)


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
        loaded = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BuildError(f"{path}: cannot read as YAML ({exc})") from None
    if not isinstance(loaded, dict) or "paths" not in loaded:
        raise BuildError(f"{path}: not an OpenAPI document (no `paths`)")
    return loaded
