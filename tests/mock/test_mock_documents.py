"""The JSON documents inside string fields (bria_mock/documents.py): typed, refused with the path
inside the document, never coerced; the mock's own outputs are accepted back; path ids and text
in forms have one spelling each (catalog entries shape.inner-documents,
upload-model.safetensors-header, limit.round-trip, shape.path-ids, limit.form-text-utf8)."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
from bria_mock.documents import MAX_CHARS, MAX_DEPTH, VISUAL_SCHEMA_DEPTH
from mock_helpers import Api, image_bytes

pytestmark = pytest.mark.anyio
P = "/v1/tailored-gen"
REFINE = f"{P}/refine_structured_prompt"
V2_IMAGE = "/v2/image/generate/tailored"
V2_STRUCTURED = "/v2/structured_prompt/generate/tailored"


def nested(depth: int, leaf: Any = 1) -> Any:
    """An object nesting ``depth`` levels: {"k": {"k": ... leaf}}."""
    value = leaf
    for _ in range(depth):
        value = {"k": value}
    return value


def deep_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def safetensors(header: dict[str, Any], data: bytes = b"\0" * 4) -> bytes:
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + data


WRONG_REFINEMENTS = [5, True, False, 0, "", "abc", {}, {"k": 1}, None, [1], ["a", 2]]


@pytest.mark.parametrize("value", WRONG_REFINEMENTS, ids=json.dumps)
async def test_refinements_of_the_wrong_type_are_400_naming_the_path(api: Api, value: Any) -> None:
    ds = await api.dataset()
    text = json.dumps({"subject": "cat", "refinements": value})
    r = await api.c.post(
        REFINE, json={"dataset_id": ds["id"], "structured_prompt": text, "instruction": "blue"}
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == (
        f"structured_prompt.refinements: expected a list of strings, got {json.dumps(value)}"
    )


async def test_refinements_inside_an_array_are_typed_too(api: Api) -> None:
    ds = await api.dataset()
    text = json.dumps([{"a": 1}, {"refinements": 5}])
    r = await api.c.post(
        REFINE, json={"dataset_id": ds["id"], "structured_prompt": text, "instruction": "x"}
    )
    assert r.status_code == 400
    assert "structured_prompt[1].refinements: expected a list of strings, got 5" in r.text


async def test_wrong_refinements_in_v2_generation_store_nothing(api: Api) -> None:
    model = await api.trained()
    text = json.dumps({"a": 1, "refinements": "abc"})
    for path in (V2_IMAGE, V2_STRUCTURED):
        r = await api.c.post(
            path, json={"tailored_model_id": model["id"], "structured_prompt": text, "prompt": "x"}
        )
        assert r.status_code == 400, r.text
        assert "structured_prompt.refinements" in r.text


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("visual_schema", "5", "visual_schema: expected a string holding a JSON object or array"),
        ("visual_schema", "", "visual_schema: expected a string holding a JSON object or array"),
        ("visual_schema", json.dumps(nested(VISUAL_SCHEMA_DEPTH + 1)), "one level down"),
    ],
)
async def test_visual_schema_shape(api: Api, field: str, text: str, message: str) -> None:
    ds = await api.dataset()
    r = await api.c.put(f"{P}/datasets/{ds['id']}", json={field: text})
    assert r.status_code == 400 and message in r.json()["error"]["message"], r.text
    r = await api.c.get(f"{P}/datasets/{ds['id']}")
    assert r.json()["visual_schema"] is None


async def test_refining_never_deepens_a_document(api: Api) -> None:
    ds = await api.dataset()
    for text in (deep_array(MAX_DEPTH), json.dumps(nested(MAX_DEPTH - 1))):
        for step in range(3):
            r = await api.c.post(
                REFINE,
                json={"dataset_id": ds["id"], "structured_prompt": text, "instruction": f"s{step}"},
            )
            assert r.status_code == 200, r.text
            text = r.json()["structured_prompt"]
        refined = json.loads(text)
        recorded = refined[-1] if isinstance(refined, list) else refined
        assert recorded["refinements"] == ["s0", "s1", "s2"]


async def test_a_caption_refined_goes_back_as_a_caption(api: Api) -> None:
    ds = await api.dataset()
    img = (await api.upload(ds["id"])).json()
    path = f"{P}/datasets/{ds['id']}/images/{img['id']}"
    caption = deep_array(MAX_DEPTH)
    assert (await api.c.put(path, json={"caption": caption})).status_code == 200
    r = await api.c.post(
        REFINE, json={"dataset_id": ds["id"], "structured_prompt": caption, "instruction": "x"}
    )
    assert r.status_code == 200, r.text
    assert (
        await api.c.put(path, json={"caption": r.json()["structured_prompt"]})
    ).status_code == 200


async def test_the_deepest_visual_schema_still_gives_usable_structured_prompts(api: Api) -> None:
    ds = await api.dataset()
    schema = json.dumps(nested(VISUAL_SCHEMA_DEPTH))
    await api.set_schema(ds["id"], schema)
    for i in range(5):
        assert (await api.upload(ds["id"], image_bytes(color=(i, 2, 3)))).status_code == 201
    r = await api.c.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 200, r.text
    model = await api.model(ds["id"], mode="expert")
    assert (await api.start(model["id"])).status_code == 200
    await api.advance(10 * 24 * 3600)
    r = await api.c.post(
        V2_STRUCTURED, json={"tailored_model_id": model["id"], "prompt": "a cat", "sync": True}
    )
    assert r.status_code == 200, r.text
    structured = r.json()["result"]["structured_prompt"]
    r = await api.c.post(
        V2_IMAGE,
        json={"tailored_model_id": model["id"], "structured_prompt": structured, "seed": 3},
    )
    assert r.status_code == 202, r.text


async def test_an_output_longer_than_the_input_limit_is_refused_where_it_is_made(api: Api) -> None:
    model = await api.trained()
    r = await api.c.post(
        V2_STRUCTURED, json={"tailored_model_id": model["id"], "prompt": "p" * MAX_CHARS}
    )
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert "the structured prompt would be" in message and f"at most {MAX_CHARS}" in message
    ds = await api.dataset()
    text = json.dumps({"a": "x" * (MAX_CHARS - 100)})
    r = await api.c.post(
        REFINE, json={"dataset_id": ds["id"], "structured_prompt": text, "instruction": "y" * 200}
    )
    assert r.status_code == 400 and "the refined structured prompt would be" in r.text


BAD_HEADERS = {
    "dtype list": (
        {"t": {"dtype": ["F32"], "shape": [1], "data_offsets": [0, 4]}},
        "header.t.dtype: expected one of F64, F32, F16",
    ),
    "dtype object": (
        {"t": {"dtype": {"a": 1}, "shape": [1], "data_offsets": [0, 4]}},
        "header.t.dtype: expected one of",
    ),
    "shape of booleans": (
        {"t": {"dtype": "F32", "shape": [True, 1], "data_offsets": [0, 4]}},
        "header.t.shape: expected a list of non-negative integers, got [true, 1]",
    ),
    "metadata list": (
        {"__metadata__": [1], "t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}},
        "header.__metadata__: expected an object of strings, got [1]",
    ),
    "metadata number": (
        {"__metadata__": {"a": 1}, "t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}},
        "header.__metadata__: expected an object of strings",
    ),
    "offsets of booleans": (
        {"t": {"dtype": "F32", "shape": [1], "data_offsets": [False, 4]}},
        "header.t.data_offsets: expected [begin, end] (two integers), got [false, 4]",
    ),
    "dotted name": (
        {"a.b": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}},
        'header["a.b"].data_offsets: [0, 4] does not match its shape and dtype',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
async def test_safetensors_header_types_are_checked(api: Api, case: str) -> None:
    header, message = BAD_HEADERS[case]
    project = await api.project()
    hosted = await api.c.post("/_mock/files?filename=m.safetensors", content=safetensors(header))
    r = await api.c.post(
        f"{P}/models/upload_model",
        json={"model_url": hosted.json()["url"], "project_id": project["id"]},
    )
    assert r.status_code in (400, 415), r.text
    assert message in r.json()["error"]["message"]
    assert (await api.c.get(f"{P}/models")).json() == []


@pytest.mark.parametrize(
    "spelling", ["{id}%C2%A0", "{id}%0A", "%20{id}", "+{id}", "{id}%20", "0{id}", "{id}%09"]
)
async def test_a_path_id_has_one_spelling(api: Api, spelling: str) -> None:
    project = await api.project()
    assert (await api.c.get(f"{P}/projects/{project['id']}")).status_code == 200
    r = await api.c.get(f"{P}/projects/{spelling.format(id=project['id'])}")
    assert r.status_code == 400, r.text
    assert "ASCII digits" in r.json()["error"]["message"]


@pytest.mark.parametrize("where", ["filename", "field"])
async def test_multipart_text_that_is_not_utf8_is_refused(api: Api, where: str) -> None:
    ds = await api.dataset()
    name = "caf\xe9".encode("latin-1")
    filename = name + b".png" if where == "filename" else b"a.png"
    parts = [
        b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: image/png\r\n\r\n" + image_bytes(),
    ]
    if where == "field":
        parts.append(b'Content-Disposition: form-data; name="image_name"\r\n\r\n' + name)
    body = b"".join(b"--B\r\n" + part + b"\r\n" for part in parts) + b"--B--\r\n"
    r = await api.c.post(
        f"{P}/datasets/{ds['id']}/images",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=B"},
    )
    assert r.status_code == 400 and "is not UTF-8 text" in r.text, r.text
    listed = (await api.c.get(f"{P}/datasets/{ds['id']}/images")).json()
    assert not (listed.get("images") if isinstance(listed, dict) else listed)


@pytest.mark.parametrize("spelling", [" {id}", "{id} ", "{id}\n", "+{id}", "{id}\u00a0"])
async def test_a_model_id_in_a_body_has_no_padding_or_sign(api: Api, spelling: str) -> None:
    model = await api.trained()
    body = {"tailored_model_id": spelling.format(id=model["id"]), "prompt": "a cat", "sync": True}
    r = await api.c.post(V2_STRUCTURED, json=body)
    assert r.status_code in (400, 404), r.text
    message = r.json()["error"]["message"]
    assert "is not the id of a tailored model" in message or "is not of type" in message


async def test_a_path_with_a_trailing_line_break_names_no_operation(api: Api) -> None:
    ds = await api.dataset()
    assert (await api.c.get(f"{P}/datasets/{ds['id']}/images")).status_code == 200
    r = await api.c.get(f"{P}/datasets/{ds['id']}/images%0A")
    assert r.status_code == 404, r.text
