"""Hostile inputs for the mock: the classes of input that once made it answer 5xx, hang or grow.

Used by the hostile-input harness (``test_mock_hostile.py``), the targeted tests and the memory
benchmark (``benchmarks/bench_mock_hostile.py``). Everything is built from a seed and the
normalized spec, so the same seed sends the same requests and a new operation is covered without
editing this file.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

MIB = 1024 * 1024

LONE_SURROGATE = "p\ud800"
HUGE_NUMBER = "9" * 5000  # beyond Python's 4,300-digit int conversion limit
BAD_URLS = (
    "http://127.0.0.1:99999/x.png",
    "http://[::1/x.png",
    "http://[zz]/x.png",
    "http://127.0.0.1:5123@127.0.0.1:51234/x.png",
    "http:///x.png",
    "http://127.0.0.1:-1/x.png",
)
PATH_IDS = ("\uff11", "\u00b2", "\u0661", "1" * 400, "-1", "0x10", "1e3", "%00", "..%2F1")


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def dumps(value: Any) -> bytes:
    """JSON with escapes (``ensure_ascii``), so lone surrogates travel as ``\\ud800``."""
    return json.dumps(value).encode()


# --- archives -----------------------------------------------------------------------------------


def _semi_compressible(size: int, seed: int) -> bytes:
    """Data that deflates about 30-60x: under the per-member ratio limit, still a multiplier."""
    rng = random.Random(seed)
    out = bytearray(size)
    for index in range(0, size, 48):
        out[index] = rng.randrange(1, 256)
    return bytes(out)


def shared_member_zip(copies: int = 40, member_bytes: int = 48 * MIB, seed: int = 0) -> bytes:
    """One stored member and ``copies`` central-directory entries that all point at it."""
    data = _semi_compressible(member_bytes, seed)
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    compressed = packer.compress(data) + packer.flush()
    crc = zlib.crc32(data)
    name = b"a.png"
    local = (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(compressed),
            len(data),
            len(name),
            0,
        )
        + name
        + compressed
    )
    entry = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(compressed),
            len(data),
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name
    )
    directory = entry * copies
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, copies, copies, len(directory), len(local), 0)
    return local + directory + end


def zeros_zip(members: int = 200, member_bytes: int = MIB) -> bytes:
    """Members of exactly the per-member ratio floor: each passes alone, together a bomb."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        zeros = bytes(member_bytes)
        for index in range(members):
            archive.writestr(f"z{index:04d}.png", zeros)
    return out.getvalue()


def safetensors(header: str | bytes) -> bytes:
    raw = header.encode() if isinstance(header, str) else header
    return struct.pack("<Q", len(raw)) + raw


HOSTILE_SAFETENSORS = {
    "deep header": safetensors('{"__metadata__":' + deep_json(5000) + "}"),
    "huge integers": safetensors(
        '{"t":{"dtype":"F32","shape":[' + HUGE_NUMBER + '],"data_offsets":[0,' + HUGE_NUMBER + "]}}"
    ),
    "nested 300": safetensors('{"__metadata__":' + deep_json(300) + "}"),
    "surrogate name": safetensors('{"\\ud800":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'),
}


# --- requests derived from the spec -------------------------------------------------------------


@dataclass
class HostileRequest:
    label: str
    method: str
    path: str
    json_body: Any = None
    content: bytes | None = None
    content_type: str | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    data: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _body_schema(op: dict[str, Any], doc: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    body = op.get("requestBody") or {}
    if "$ref" in body:
        body = _resolve(doc, body["$ref"])
    content = body.get("content") or {}
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            return media, _resolve_schema(doc, content[media].get("schema") or {})
    return (next(iter(content), None), {})


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _resolve_schema(doc: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    if not isinstance(schema, dict) or depth > 8:
        return {}
    if "$ref" in schema:
        return _resolve_schema(doc, _resolve(doc, schema["$ref"]), depth + 1)
    props: dict[str, Any] = {}
    for part in schema.get("allOf") or ():
        props.update(_resolve_schema(doc, part, depth + 1).get("properties") or {})
    props.update(schema.get("properties") or {})
    return {"properties": props} if props else dict(schema)


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(operationId, METHOD, path template, operation) for every operation of the spec."""
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch") and isinstance(op, dict):
                yield op.get("operationId", f"{method} {path}"), method.upper(), path, op


def fill_path(path: str, ids: dict[str, Any], override: dict[str, str] | None = None) -> str:
    out = path
    for name in _path_names(path):
        value = (override or {}).get(name, ids.get(name, 1))
        out = out.replace("{" + name + "}", str(value))
    return out


def _path_names(path: str) -> list[str]:
    names: list[str] = []
    rest = path
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        names.append(rest[start + 1 : end])
        rest = rest[end + 1 :]
    return names


def hostile_requests(
    doc: dict[str, Any], ids: dict[str, Any], seed: int
) -> Iterator[HostileRequest]:
    """Every input class for every operation; ``ids`` aims path and body ids at real records."""
    rng = random.Random(seed)
    methods = ("GET", "PUT", "POST", "DELETE", "PATCH")
    by_path: dict[str, set[str]] = {}
    for _, method, path, _ in operations(doc):
        by_path.setdefault(path, set()).add(method)
    for op_id, method, path, op in operations(doc):
        url = fill_path(path, ids)
        media, schema = _body_schema(op, doc)
        props: dict[str, Any] = schema.get("properties") or {}
        base: dict[str, Any] = {k: v for k, v in ids.items() if k in props}

        def req(
            label: str, op_id: str = op_id, method: str = method, url: str = url, **kw: Any
        ) -> HostileRequest:
            return HostileRequest(f"{op_id}: {label}", method, url, **kw)

        # path parameters that are not plain ASCII integers
        for name in _path_names(path):
            for bad in rng.sample(PATH_IDS, 4):
                yield HostileRequest(
                    f"{op_id}: path {name}={bad!r}", method, fill_path(path, ids, {name: bad})
                )
        # methods the path does not serve
        for other in sorted(set(methods) - by_path[path]):
            yield HostileRequest(f"{op_id}: method {other}", other, url)
        if media is None:
            continue
        if media == "multipart/form-data":
            for name, prop in props.items():
                if (prop or {}).get("format") == "binary":
                    yield req(
                        f"file {name} shared-member zip",
                        files={name: ("a.zip", shared_member_zip(8, 2 * MIB), "application/zip")},
                    )
                    yield req(
                        f"file {name} zeros zip",
                        files={name: ("z.zip", zeros_zip(40, MIB), "application/zip")},
                    )
                else:
                    yield req(
                        f"form {name} long text",
                        data={name: "x" * 200_000},
                        files={"file": ("a.png", b"\x89PNG", "image/png")},
                    )
            continue
        # whole-body classes
        yield req("body nested 300", content=deep_json(300).encode(), content_type=media)
        yield req("body nested 5000", content=deep_json(5000).encode(), content_type=media)
        yield req("body huge number", content=HUGE_NUMBER.encode(), content_type=media)
        yield req("body NaN", content=b'{"x": NaN}', content_type=media)
        yield req("body not UTF-8", content=b'{"x": "\xff\xfe"}', content_type=media)
        yield req("body wrong type", content=b"<xml/>", content_type="application/xml")
        # field classes
        for name, prop in props.items():
            kind = (prop or {}).get("type")
            variants: list[tuple[str, Any]] = [
                ("lone surrogate", LONE_SURROGATE),
                ("long text", "y" * 200_000),
                ("JSON nested 300 in a string", deep_json(300)),
                ("JSON with a huge number in a string", "[" + HUGE_NUMBER + "]"),
                ("bad URL", rng.choice(BAD_URLS)),
                ("nested 300", json.loads(deep_json(300))),
                ("object", {"a": {"b": [1, 2, {"c": LONE_SURROGATE}]}}),
            ]
            if kind in ("integer", "number", None):
                variants.append(("huge number", None))
            for label, value in variants:
                if value is None:
                    text = dumps(base)[:-1].decode()
                    sep = ", " if base else ""
                    raw = f'{text}{sep}"{name}": {HUGE_NUMBER}}}'.encode()
                    yield req(f"{name} {label}", content=raw, content_type=media)
                    continue
                yield req(
                    f"{name} {label}", content=dumps({**base, name: value}), content_type=media
                )
