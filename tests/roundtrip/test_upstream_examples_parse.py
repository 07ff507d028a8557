"""Every response example in Bria's own files parses with the generated client.

Bria's examples are the documented literal forms (string checkpoint steps, timestamps without an
offset, string seeds, JSON-string error bodies, ``{"status": "NOT_FOUND"}``): the client must turn
each into a typed value, or, for an error status, into the runtime's typed error.
"""

from __future__ import annotations

from typing import Any

import pytest
from client_parse import Tally, concrete_status, normalized_path
from upstream_files import upstream_items


def upstream_response_examples() -> list[tuple[str, str, str, int, Any]]:
    """(where, method, normalized path, status, body) of every documented JSON response example."""
    found = []
    for source, _doc, path, op in upstream_items():
        method = op["method"]
        target = normalized_path(method, path)
        for status, response in op.get("responses", {}).items():
            if status == "default":
                continue
            for ctype, media in (response.get("content") or {}).items():
                if "json" not in ctype:
                    continue
                values = []
                if "example" in media:
                    values.append(("example", media["example"]))
                for name, example in (media.get("examples") or {}).items():
                    if "value" in example:
                        values.append((f"examples/{name}", example["value"]))
                for label, value in values:
                    where = f"{source} {method.upper()} {path} {status} {label}"
                    found.append((where, method, target, concrete_status(status), value))
    return found


EXAMPLES = upstream_response_examples()


def test_the_upstream_files_document_many_response_examples() -> None:
    assert len(EXAMPLES) >= 60


def test_every_documented_response_example_parses() -> None:
    tally = Tally()
    for where, method, path, status, body in EXAMPLES:
        tally.check(where, method, path, status, body)
    print(
        f"upstream examples parsed: {tally.parsed}/{len(EXAMPLES)},"
        f" typed errors: {tally.typed_errors}"
    )
    assert tally.failures == []
    assert tally.typed_errors == 0
    assert tally.parsed == len(EXAMPLES)


@pytest.mark.parametrize(
    "body",
    [{"id": 790, "checkpoint_steps": ["1500", "1000", "500"]}],
)
def test_string_checkpoint_steps_parse_as_integers(body: dict[str, Any]) -> None:
    from client_parse import parse

    model = parse("get", "/v1/tailored-gen/models/{model_id}", 200, body).parsed
    assert model.checkpoint_steps == [1500, 1000, 500]
