"""Every generated module imports; the generator has produced NameErrors at import time before."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import bria_tailored
import bria_tailored.api
import pytest
from bria_build.layout import Layout
from bria_build.pipeline import dump_json, generate_package
from provenance import ROOT, documented_operations

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


CYCLIC_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "cycle", "version": "1.0.0"},
    "paths": {
        "/nodes/{node_id}": {
            "get": {
                "operationId": "get_node",
                "parameters": [
                    {
                        "name": "node_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "a node",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            # Node → Edge → Node, and Node → Node: models that refer to each other and to
            # themselves, which the generated modules import after their own class.
            "Node": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "edge": {"$ref": "#/components/schemas/Edge"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                },
            },
            "Edge": {
                "type": "object",
                "properties": {"target": {"$ref": "#/components/schemas/Node"}},
            },
        }
    },
}


@pytest.mark.parametrize("first", ["edge", "node"])
def test_models_that_refer_to_each_other_import_in_any_order(tmp_path: Path, first: str) -> None:
    files = generate_package(Layout(ROOT), dump_json(CYCLIC_SPEC))
    for name, content in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    script = f"""
import sys
sys.path.insert(0, {str(tmp_path / "generated")!r})
import importlib
importlib.import_module("bria_tailored.models.{first}")
from bria_tailored.models import Node
node = Node.from_dict({{"id": "1", "edge": {{"target": {{"id": 2}}}}, "children": [{{"id": 3}}]}})
assert node.edge.target.id == 2 and node.children[0].id == 3 and node.id == 1, node
assert Node.from_dict(node.to_dict()) == node
print("ok")
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert proc.stdout.strip() == "ok", proc.stderr
