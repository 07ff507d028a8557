"""The mock's short request path keeps the answers of the plain one.

The router finds a template with one joined regular expression, parameters that only ask for
their type skip the schema validator, and answers are sent as ASGI messages without Starlette's
``Response``. Each is held here to what it replaced: a template-by-template router, the
validator, and Starlette's headers.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from bria_mock import MockConfig, create_app
from bria_mock.app import send_json
from bria_mock.routing import Router
from bria_mock.spec import Operation, Param, compile_spec
from bria_mock.validation import _coerce
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mock_helpers import TOKEN_A
from starlette.responses import Response

_PARAM = re.compile(r"\{([^}/]+)\}")


def _reference_match(
    operations: list[Operation], method: str, path: str
) -> tuple[str | None, dict[str, str], tuple[str, ...]]:
    """Routing as the module docstring states it, one template at a time."""
    templates: dict[str, dict[str, Operation]] = {}
    for op in operations:
        templates.setdefault(op.path, {})[op.method] = op

    def literal(template: str) -> int:
        return sum(1 for seg in template.split("/") if seg and "{" not in seg)

    decided: int | None = None
    allowed: tuple[str, ...] = ()
    for template in sorted(templates, key=lambda t: -literal(t)):
        if template.count("/") != path.count("/"):
            continue
        if decided is not None and literal(template) < decided:
            break
        names = _PARAM.findall(template)
        parts = _PARAM.split(template)
        pattern = "".join(re.escape(p) if i % 2 == 0 else "([^/]+)" for i, p in enumerate(parts))
        found = re.fullmatch(pattern, path)
        if found is None:
            continue
        decided = literal(template)
        by_method = templates[template]
        if method in by_method:
            return (
                by_method[method].operation_id,
                dict(zip(names, found.groups(), strict=True)),
                tuple(sorted(by_method)),
            )
        allowed = allowed or tuple(sorted(by_method))
    return None, {}, allowed


@pytest.fixture(scope="module")
def operations(spec_doc: dict[str, Any]) -> list[Operation]:
    return list(compile_spec(spec_doc).operations.values())


_METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
_SEGMENT = st.one_of(
    st.sampled_from(["1", "42", "abc", "images", "bulk-upload", "upload_model", "", "1\n", "%20"]),
    st.text(alphabet="ab1-_/.", max_size=6),
)


@st.composite
def _paths(draw: st.DrawFn, templates: list[str]) -> str:
    """A spec template with its parameters filled, and sometimes a segment changed."""
    template = draw(st.sampled_from(templates))
    segments = [draw(_SEGMENT) if "{" in seg else seg for seg in template.split("/")]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(segments) - 1))
        segments[at] = draw(_SEGMENT)
    return "/".join(segments)


# Templates of one rank that match the same paths with different methods, which the bundle does
# not have (yet): the first that matches lacks the method and the next one has it.
_SAME_RANK = [
    Operation("read-thing", "GET", "/v1/things/{thing_id}"),
    Operation("touch-thing", "POST", "/v1/things/{name}"),
    Operation("special", "PUT", "/v1/things/special"),
    Operation("read-part", "GET", "/v1/things/{thing_id}/parts/{part_id}"),
    Operation("drop-part", "DELETE", "/v1/{kind}/{thing_id}/parts/{part_id}"),
]


@pytest.mark.parametrize("which", ["bundle", "same-rank"])
def test_router_decides_as_one_template_at_a_time(operations: list[Operation], which: str) -> None:
    if which == "same-rank":
        operations = _SAME_RANK
    router = Router(operations)
    templates = sorted({op.path for op in operations})

    @settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
    @given(method=_METHODS, path=_paths(templates))
    def check(method: str, path: str) -> None:
        op, params, allowed = router.match(method, path)
        got = (op.operation_id if op else None, params, tuple(allowed) if op is None else ())
        want_id, want_params, want_allowed = _reference_match(operations, method, path)
        want = (want_id, want_params, want_allowed if want_id is None else ())
        assert got == want, f"{method} {path!r}: routed to {got}, the reference says {want}"

    check()


def test_every_operation_is_routed_with_its_parameters(operations: list[Operation]) -> None:
    router = Router(operations)
    for op in operations:
        names = _PARAM.findall(op.path)
        path = op.path
        for index, name in enumerate(names):
            path = path.replace("{" + name + "}", str(100 + index))
        found, params, allowed = router.match(op.method, path)
        assert found is not None and found.operation_id == op.operation_id, (op.method, path)
        assert params == {name: str(100 + i) for i, name in enumerate(names)}
        assert op.method in allowed


_CASES = [
    (200, {"id": 1, "name": "é"}, None),
    (201, [1, 2], {"Location": "/x"}),
    (200, None, None),
    (202, "text", None),
    (204, None, None),
    (204, None, {"X-Thing": "1"}),
    (400, {"error": {"code": 400}}, None),
    (405, {"error": {}}, {"Allow": "GET, POST"}),
    (429, {"error": {}}, {"Retry-After": "3"}),
]


@pytest.mark.parametrize(("status", "body", "headers"), _CASES)
def test_answers_carry_the_headers_starlette_would_send(
    status: int, body: Any, headers: dict[str, str] | None
) -> None:
    import asyncio
    import json

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(send_json(send, status, body, headers))
    if status == 204 or body is None:
        expected = Response(status_code=status, headers=headers)
    else:
        content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        expected = Response(content, status, headers, media_type="application/json")
    assert sent[0] == {
        "type": "http.response.start",
        "status": status,
        "headers": expected.raw_headers,
    }
    assert sent[1] == {"type": "http.response.body", "body": expected.body}


def test_a_parameter_that_skips_its_validator_accepts_every_coerced_value(
    operations: list[Operation],
) -> None:
    """``only_typed`` may be true only where the validator has nothing to refuse."""
    samples = ["0", "1", "7", "200", "201", "9223372036854775807", "true", "false", "1.5", "x"]
    skipping = [p for op in operations for p in op.params.values() if p.only_typed]
    checking = [p for op in operations for p in op.params.values() if not p.only_typed]
    assert skipping and checking, "the bundle has both kinds of parameter"
    for param in skipping:
        for text in samples:
            try:
                value = _coerce(text, param.type, param.name)
            except ValueError:
                continue
            assert param.validator.is_valid(value), (param.name, param.schema, value)
    for param in checking:
        refused = []
        for text in samples:
            try:
                refused.append(not param.validator.is_valid(_coerce(text, param.type, "")))
            except ValueError:
                continue
        assert any(refused) or param.type is None, (param.name, param.schema)


def test_only_typed_is_false_for_a_constrained_schema() -> None:
    import jsonschema_rs

    for schema, expected in [
        ({"type": "integer"}, True),
        ({"type": "integer", "description": "id", "x-server-default": 1}, True),
        ({"type": "integer", "minimum": 1}, False),
        ({"type": "string", "format": "uuid"}, False),
        ({"type": "string", "enum": ["a"]}, False),
        ({"type": ["integer", "null"]}, False),
        ({"anyOf": [{"type": "integer"}]}, False),
    ]:
        param = Param("p", "query", False, schema, jsonschema_rs.validator_for(schema))
        assert param.only_typed is expected, schema


@pytest.mark.anyio
async def test_control_paths_and_root_paths_still_go_through_starlette() -> None:
    app = create_app(MockConfig())
    headers = {"api_token": TOKEN_A}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock", headers=headers) as c:
        assert (await c.get("/v1/tailored-gen/projects")).status_code == 200
        # /_mock/... is the control namespace (here: its clock), not an API path
        assert (await c.get("/_mock/clock")).status_code == 200
        # without a segment after it, it is no control endpoint: the API's own 404
        missing = await c.get("/_mock")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == 404
    # behind a proxy that strips a prefix, Starlette's routing takes the request
    transport = httpx.ASGITransport(app=app, root_path="/prefix")
    async with httpx.AsyncClient(transport=transport, base_url="http://mock", headers=headers) as c:
        answer = await c.get("/prefix/_mock/clock")
        assert answer.status_code == 200, answer.text
