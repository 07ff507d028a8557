"""spec/clients/bria-clients.yaml reaches the normalized spec, and a form that no longer fits the
spec stops the build (scripts/bria_build/client_forms.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bria_build.client_forms import EXTENSION, read_forms, request_forms
from bria_build.errors import BuildError
from bria_tailored.models import ReimagineRequest, RestylePortraitRequest, TailoredImageRequest

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "spec" / "clients" / "bria-clients.yaml"
SPEC = json.loads((ROOT / "spec" / "bria-tailored.openapi.json").read_text(encoding="utf-8"))


def test_every_recorded_form_is_in_the_spec() -> None:
    carried = SPEC[EXTENSION]
    recorded = read_forms(FACTS)
    assert set(carried) == set(recorded)
    for form_id, form in recorded.items():
        assert carried[form_id] == {k: form[k] for k in ("operations", "field", "sent_as")}
        assert form["evidence"], form_id


def _write(tmp_path: Path, form: dict[str, Any]) -> Path:
    path = tmp_path / "bria-clients.yaml"
    form = {"evidence": [{"client": "comfyui", "file": "x.py", "lines": [1]}], **form}
    path.write_text(json.dumps({"forms": {"f": form}}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"operations": ["no-such-op"], "field": "fast", "sent_as": "integer-boolean"}, "no-such"),
        (
            {"operations": ["text-to-image-tailored"], "field": "nope", "sent_as": "digit-string"},
            "declares no body field",
        ),
        (
            {
                "operations": ["text-to-image-tailored"],
                "field": "seed",
                "sent_as": "integer-boolean",
            },
            "stands in for a boolean",
        ),
        (
            {"operations": ["text-to-image-tailored"], "field": "fast", "sent_as": "float"},
            "sent_as must be",
        ),
    ],
)
def test_a_form_that_does_not_fit_stops_the_build(
    tmp_path: Path, form: dict[str, Any], message: str
) -> None:
    with pytest.raises(BuildError, match=message):
        request_forms(_write(tmp_path, form), SPEC)


def test_a_form_without_evidence_stops_the_build(tmp_path: Path) -> None:
    path = tmp_path / "bria-clients.yaml"
    form = {"operations": ["reimagine"], "field": "fast", "sent_as": "integer-boolean"}
    path.write_text(json.dumps({"forms": {"f": form}}), encoding="utf-8")
    with pytest.raises(BuildError, match="evidence"):
        request_forms(path, SPEC)


def test_the_client_sends_the_canonical_form() -> None:
    body = TailoredImageRequest(fast=True, content_moderation=False).to_dict()
    assert body == {"fast": True, "content_moderation": False}
    assert ReimagineRequest(tailored_model_id=9, content_moderation=True).to_dict() == {
        "tailored_model_id": 9,
        "content_moderation": True,
    }
    assert RestylePortraitRequest(tailored_model_id=9).to_dict() == {"tailored_model_id": 9}
