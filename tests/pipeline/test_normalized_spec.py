"""The normalized spec repairs the defects of the upstream bundle."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from provenance import documented_operations, prose_components, prose_operations

METHODS = ("get", "put", "post", "delete", "patch")
ROOT = Path(__file__).resolve().parents[2]


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def test_every_upstream_operation_once_with_unique_ids(normalized_spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(normalized_spec)]
    assert len(ids) == documented_operations()
    assert len(set(ids)) == len(ids)
    assert "upload-model" in ids and "get_status" in ids


def test_prose_operations_are_marked_and_secured(normalized_spec: dict[str, Any]) -> None:
    prose = prose_operations()
    assert len(prose) == 8
    for method, path in prose:
        op = normalized_spec["paths"][path][method]
        assert op["x-bria-source"] == "prose" and op["x-bria-evidence"], path
        assert op["security"] == [{"api_token": []}], path
        assert {"200", "400", "401", "403", "422", "429", "500"} <= set(op["responses"]), path
    marked = {
        (method, path)
        for path, method, op in operations(normalized_spec)
        if op.get("x-bria-source") == "prose"
    }
    assert marked == prose


def test_one_server_and_versioned_paths(normalized_spec: dict[str, Any]) -> None:
    assert normalized_spec["servers"][0]["url"] == "https://engine.prod.bria-api.com"
    assert len(normalized_spec["servers"]) == 1
    for path, _, op in operations(normalized_spec):
        assert "servers" not in op, f"{path}: operation-level server left behind"
        tag = op["tags"][0]
        expected = "/v2/" if tag in ("Image Generation", "Video Generation", "Status") else "/v1/"
        if op.get("x-bria-source") == "prose":
            expected = "/v1/"  # bria-guide-v1.md documents them on the v1 server
        assert path.startswith(expected), f"{path} ({tag}) should start with {expected}"
    assert "/v1/datasets/{dataset_id}/download" in normalized_spec["paths"]


def test_auth_is_a_security_scheme_on_every_operation(normalized_spec: dict[str, Any]) -> None:
    scheme = normalized_spec["components"]["securitySchemes"]["api_token"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "api_token"}
    for path, method, op in operations(normalized_spec):
        assert op.get("security") == [{"api_token": []}], f"{method} {path} lacks security"
        names = [p["name"] for p in op.get("parameters", [])]
        assert "api_token" not in names, f"{method} {path} still takes api_token as a parameter"


def _named_enum(node: Any) -> bool:
    # `enum: [null]` is the null branch of a nullable reference, not a set of values to name.
    return isinstance(node, dict) and "enum" in node and node["enum"] != [None]


def test_every_enum_is_a_named_component(normalized_spec: dict[str, Any]) -> None:
    inline = [p for p, node in walk(normalized_spec["paths"], "/paths") if _named_enum(node)]
    inline += [
        p
        for p, node in walk(normalized_spec["components"]["schemas"], "/components")
        if _named_enum(node) and p.count("/") > 2
    ]
    assert inline == [], f"enums declared inline instead of as components: {inline}"


def test_ids_are_integers(normalized_spec: dict[str, Any]) -> None:
    for path, method, op in operations(normalized_spec):
        for param in op.get("parameters", []):
            if param["name"].endswith("_id") and param["name"] != "request_id":
                assert param["schema"]["type"] == "integer", f"{method} {path} {param['name']}"
            if param["name"] == "checkpoint_step":
                assert param["schema"]["type"] == "integer"
    model = normalized_spec["components"]["schemas"]["Model"]
    assert model["properties"]["checkpoint_steps"]["items"]["type"] == "integer"
    generation = normalized_spec["components"]["schemas"]["ImageGenerationRequest"]
    assert generation["properties"]["tailored_model_id"]["type"] == "integer"


def test_no_request_side_defaults(normalized_spec: dict[str, Any]) -> None:
    schemas = normalized_spec["components"]["schemas"]
    request_schemas = {
        ref.rsplit("/", 1)[-1]
        for _, _, op in operations(normalized_spec)
        for media in op.get("requestBody", {}).get("content", {}).values()
        for ref in [media["schema"].get("$ref", "")]
    }
    offenders = [
        f"{name}{p}"
        for name in request_schemas
        for p, node in walk(schemas[name])
        if isinstance(node, dict) and "default" in node
    ]
    for path, method, op in operations(normalized_spec):
        offenders += [
            f"{method} {path} ?{p['name']}"
            for p in op.get("parameters", [])
            if "default" in p.get("schema", {})
        ]
    assert offenders == []
    lr = schemas["TrainingRequest"]["properties"]["lr_warmup_steps"]
    assert lr["x-server-default"] == 100 and "100" in lr["description"]


def test_required_fields_from_prose(normalized_spec: dict[str, Any]) -> None:
    schemas = normalized_spec["components"]["schemas"]
    assert set(schemas["ProjectCreate"]["required"]) == {"project_name", "ip_medium", "ip_type"}
    assert set(schemas["DatasetCreate"]["required"]) == {"project_id", "name"}
    assert set(schemas["ModelCreate"]["required"]) == {"name", "dataset_id"}


def test_upload_image_is_multipart_or_url(normalized_spec: dict[str, Any]) -> None:
    content = normalized_spec["paths"]["/v1/tailored-gen/datasets/{dataset_id}/images"]["post"][
        "requestBody"
    ]["content"]
    schemas = normalized_spec["components"]["schemas"]
    assert content["multipart/form-data"]["schema"]["$ref"].endswith("/ImageFileUpload")
    assert schemas["ImageFileUpload"]["properties"]["file"]["format"] == "binary"
    assert "file" not in schemas["ImageUrlUpload"]["properties"]
    assert schemas["ImageUrlUpload"]["required"] == ["image_url"]


def test_every_error_status_declares_a_body(normalized_spec: dict[str, Any]) -> None:
    missing = [
        f"{method} {path} {code}"
        for path, method, op in operations(normalized_spec)
        for code, response in op["responses"].items()
        if code[0] in "45" and "content" not in response
    ]
    assert missing == []


def test_generated_models_have_domain_names() -> None:
    names = sorted(
        p.stem
        for p in (ROOT / "generated/bria_tailored/models").glob("*.py")
        if p.stem != "__init__"
    )
    enums = [
        n
        for n in names
        if "class" in (ROOT / f"generated/bria_tailored/models/{n}.py").read_text()
        and "StrEnum" in (ROOT / f"generated/bria_tailored/models/{n}.py").read_text()
    ]
    # the hand-declared schemas of the prose-only operations are named already; the bound is
    # for the classes derived from Bria's inline schemas
    prose = {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in prose_components()}
    classes = [n for n in names if n not in enums and n not in prose]
    assert len(classes) <= 45, f"{len(classes)} model classes"
    bad = [n for n in names if re.search(r"response_\d|_body|_\d{3}|^get_|^post_|^put_", n)]
    assert bad == [], f"classes named after status codes or paths: {bad}"
    for concept in (
        "model_status",
        "dataset_status",
        "caption_source",
        "ip_type",
        "ip_medium",
        "training_mode",
        "training_version",
        "lr_scheduler",
        "upload_type",
    ):
        assert concept in enums, f"no single enum for {concept}"
