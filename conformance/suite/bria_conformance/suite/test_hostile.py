"""Hostile input: whatever a client sends, the answer is never a server error.

Schemathesis generates values a schema allows or almost allows; real clients (and attackers) also
send JSON that parses but breaks naive servers: lone UTF-16 surrogates in strings, integers longer
than Python's 4,300-digit conversion limit, arrays nested hundreds of levels deep, URLs with
malformed ports or brackets, and objects where a string is expected. Each is merged into an
otherwise valid request aimed at real resources, so the value reaches the server's own handling
instead of stopping at a missing field. Any 5xx is a violation; every 4xx is a fine refusal (and a
2xx is allowed: tolerating odd text is not a documented fault).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bria_conformance import spec
from bria_conformance.scenario import P, Scenario, rule

ENTRY = "shape.no-server-error"
LONE_SURROGATE = '"\\ud800"'
HUGE_INTEGER = "9" * 5000
DEEP = 975
BAD_URLS = ("http://[::1/a.png", "http://example.com:99999/a.png", "http://exa mple.com]/a.png")
NOT_STRINGS = ('{"short_description": 1}', "42", '["a"]')
#: Path ids that are not ids: a 5000-digit number and a percent-encoded lone surrogate.
HOSTILE_IDS = (HUGE_INTEGER, "%ED%A0%80")
WRITE_METHODS = ("POST", "PUT")


def _resolve(schema: Any, doc: dict[str, Any]) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def _json_body_schema(method: str, path: str) -> dict[str, Any] | None:
    doc = spec.document()
    op = doc["paths"][path][method.lower()]
    content = (op.get("requestBody") or {}).get("content") or {}
    if "application/json" not in content:
        return None
    schema = _resolve(content["application/json"].get("schema"), doc)
    if not isinstance(schema, dict):
        return None
    props = {k: _resolve(v, doc) for k, v in (schema.get("properties") or {}).items()}
    return {"properties": props, "required": list(schema.get("required") or [])}


def _types(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    found: set[str] = set()
    kind = schema.get("type")
    if isinstance(kind, str):
        found.add(kind)
    elif isinstance(kind, list):
        found.update(str(k) for k in kind)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            found |= _types(sub)
    return found


def _is_url(name: str, schema: Any) -> bool:
    return name.endswith("url") or (isinstance(schema, dict) and schema.get("format") == "uri")


def _hostile_values(name: str, schema: Any) -> Iterator[tuple[str, str]]:
    """(label, raw JSON value) pairs for one body property."""
    types = _types(schema)
    if "string" in types or not types:
        yield "lone surrogate", LONE_SURROGATE
    if types & {"integer", "number"}:
        yield "5000-digit integer", HUGE_INTEGER
    if _is_url(name, schema):
        for url in BAD_URLS:
            yield f"url {url!r}", json.dumps(url)
    if name == "structured_prompt":
        for value in NOT_STRINGS:
            yield f"non-string {value}", value
    yield "array nested 300 deep", "[" * 300 + "]" * 300


def _concrete(path: str, ids: dict[str, Any]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def _world(scenario: Scenario) -> dict[str, Any]:
    ds = scenario.dataset()
    image = scenario.upload(ds["id"], 256, 256, "jpg").json()
    done = scenario.completed_dataset()
    model = scenario.model(done["id"], training_mode="expert")
    return {
        "project_id": ds["project_id"],
        "dataset_id": ds["id"],
        "image_id": image["id"],
        "model_id": model["id"],
        "tailored_model_id": model["id"],
        "checkpoint_step": 100,
        "request_id": "hostile-probe",
    }


def _base(body: dict[str, Any], ids: dict[str, Any]) -> dict[str, str]:
    """A raw JSON value for each required property, with real ids where it names one."""
    out: dict[str, str] = {}
    for name in body["required"]:
        schema = body["properties"].get(name)
        types = _types(schema)
        if name in ids:
            out[name] = json.dumps(ids[name])
        elif isinstance(schema, dict) and schema.get("enum"):
            out[name] = json.dumps(schema["enum"][0])
        elif types & {"integer", "number"}:
            out[name] = "1"
        elif "boolean" in types:
            out[name] = "false"
        elif "array" in types:
            out[name] = "[]"
        else:
            out[name] = json.dumps("conformance")
    return out


def _raw(fields: dict[str, str], lead: str | None = None) -> str:
    """A JSON object from raw values; `lead` is a raw `key:value` pair put first."""
    pairs = [f"{json.dumps(k)}:{v}" for k, v in fields.items()]
    return "{" + ",".join(([lead] if lead else []) + pairs) + "}"


class Probe:
    """Sends hostile requests and collects every server error, so one run names them all."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.errors: list[str] = []

    def send(self, what: str, method: str, path: str, **kw: Any) -> None:
        try:
            response = self.scenario.api.request(method, path, **kw)
        except Exception as exc:
            self.errors.append(f"{what}: the server crashed ({type(exc).__name__}: {exc})")
            return
        if response.status_code >= 500:
            self.errors.append(f"{what}: {response.status_code} {response.text[:300]!r}")

    def verdict(self) -> None:
        with rule(ENTRY):
            assert not self.errors, (
                "a client's request, however hostile, is never a server error; "
                f"{len(self.errors)} were:\n" + "\n".join(self.errors)
            )


OPERATIONS = [(m, p) for m, p, _ in spec.operations() if "{" in p or m in WRITE_METHODS]


@pytest.mark.catalog(ENTRY)
@pytest.mark.parametrize("method,path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_hostile_input_is_never_a_server_error(scenario: Scenario, method: str, path: str) -> None:
    if scenario.target.is_live and method != "GET":
        pytest.skip("hostile writes are not sent to a live API")
    ids = _world(scenario)
    probe = Probe(scenario)
    if "{" in path:
        for name in [n for n in ids if "{" + n + "}" in path]:
            for bad in HOSTILE_IDS:
                target = _concrete(path, {**ids, name: bad})
                probe.send(f"{method} {path} with {name}={bad[:12]}...", method, target, json={})
    body = _json_body_schema(method, path) if method in WRITE_METHODS else None
    if body is not None:
        url = _concrete(path, ids)
        base = _base(body, ids)
        for depth in (256, DEEP):
            probe.send(
                f"{method} {path} with a body of arrays nested {depth} deep",
                method,
                url,
                raw_json="[" * depth + "]" * depth,
            )
        probe.send(
            f"{method} {path} with a lone surrogate as a key",
            method,
            url,
            raw_json=_raw(base, lead=LONE_SURROGATE + ":1"),
        )
        for name, schema in body["properties"].items():
            for label, value in _hostile_values(name, schema):
                probe.send(
                    f"{method} {path} with {name} = {label}",
                    method,
                    url,
                    raw_json=_raw({**base, name: value}),
                )
    probe.verdict()


@pytest.mark.catalog(ENTRY)
@pytest.mark.parametrize(
    "query",
    [f"max_images={HUGE_INTEGER}", "include_models=%ED%A0%80"],
    ids=["query-huge-integer", "query-surrogate"],
)
def test_hostile_query_values(scenario: Scenario, query: str) -> None:
    probe = Probe(scenario)
    probe.send(f"GET {P}/datasets?{query[:30]}...", "GET", f"{P}/datasets?{query}")
    probe.verdict()
