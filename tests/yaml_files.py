"""YAML for the tests, parsed by libyaml (PyYAML's wheels in the lock include it): the pure-Python
loader takes about half a second on catalog.yaml alone, and the tests read it many times."""

from __future__ import annotations

from typing import Any

import yaml


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)
