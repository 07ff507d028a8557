"""Every generated module imports; the generator has produced NameErrors at import time before."""

from __future__ import annotations

import importlib
import pkgutil

import bria_tailored
import bria_tailored.api
import pytest
from provenance import documented_operations

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(bria_tailored.__path__, prefix="bria_tailored.")
)
OPERATION_MODULES = [name for name in MODULES if name.count(".") == 3 and ".api." in name]


def test_one_module_per_documented_operation() -> None:
    assert len(OPERATION_MODULES) == documented_operations()


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name: str) -> None:
    importlib.import_module(name)


@pytest.mark.parametrize("name", OPERATION_MODULES)
def test_operation_has_sync_and_async_twins(name: str) -> None:
    module = importlib.import_module(name)
    for function in ("sync_detailed", "asyncio_detailed"):
        assert callable(getattr(module, function, None)), f"{name} lacks {function}"
