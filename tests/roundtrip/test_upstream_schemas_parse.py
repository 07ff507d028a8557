"""Instances of every response schema in Bria's upstream files parse with the generated client.

Hypothesis draws bodies from the upstream bundle's and the status
service's own response schemas, not the repaired ones: whatever Bria's documents allow must come
back as a value or, where it cannot be the declared type (``"abc"`` for an integer id), as the
runtime's typed ``UnexpectedResponseError`` — never any other exception. Draws are seeded
(``derandomize``) and bounded so the run is fast and repeatable.

The strategies come from Schemathesis' JSON Schema engine (the suite's pinned dependency);
hypothesis-jsonschema 0.23.1, the last release, fails on every object schema with the locked
Hypothesis 6.170 (``'many' object has no attribute 'more'``).
"""

from __future__ import annotations

from typing import Any

from client_parse import Tally, concrete_status, normalized_path
from hypothesis import HealthCheck, given, settings
from openapi_schemas import JsonSchemas
from schemathesis.generation.jsonschema.builder import build
from upstream_files import upstream_items

EXAMPLES_PER_SCHEMA = 12


def upstream_response_schemas() -> list[tuple[str, str, str, int, dict[str, Any]]]:
    """(where, method, normalized path, status, JSON Schema) of every JSON response schema."""
    found = []
    for source, doc, path, op in upstream_items():
        schemas = JsonSchemas(doc)
        method = op["method"]
        for status, response in op.get("responses", {}).items():
            if status == "default":
                continue
            for ctype, media in (response.get("content") or {}).items():
                if "json" in ctype and isinstance(media.get("schema"), dict):
                    where = f"{source} {method.upper()} {path} {status}"
                    target = normalized_path(method, path)
                    schema = schemas.convert(media["schema"])
                    found.append((where, method, target, concrete_status(status), schema))
    return found


SCHEMAS = upstream_response_schemas()


def _draw_and_parse(case: tuple[str, str, str, int, dict[str, Any]], tally: Tally) -> int:
    """Parse ``EXAMPLES_PER_SCHEMA`` seeded instances of one schema; returns how many were drawn."""
    where, method, path, status, schema = case
    drawn = 0

    @settings(
        max_examples=EXAMPLES_PER_SCHEMA,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=build(schema, draft=4, formats={}))
    def parse_one(body: Any) -> None:
        nonlocal drawn
        drawn += 1
        tally.check(f"{where} body={body!r:.200}", method, path, status, body)

    parse_one()
    return drawn


def test_every_upstream_response_schema_instance_parses() -> None:
    tally = Tally(typed=False)
    drawn = sum(_draw_and_parse(case, tally) for case in SCHEMAS)
    print(
        f"upstream schemas: {len(SCHEMAS)}, instances drawn: {drawn}, parsed: {tally.parsed},"
        f" UnexpectedResponseError: {tally.typed_errors}, other exceptions: {len(tally.failures)}"
    )
    assert len(SCHEMAS) >= 60
    assert tally.failures == [], "\n".join(tally.failures[:20])
    assert tally.parsed > tally.typed_errors
