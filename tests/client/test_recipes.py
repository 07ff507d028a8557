"""docs/recipes.md: the end-to-end block runs, as written, against the mock."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from bria_mock.testing import InProcessMock
from bria_tailored import AuthenticatedClient
from PIL import Image

RECIPES = Path(__file__).resolve().parents[2] / "docs" / "recipes.md"


def recipe_block(marker: str) -> str:
    text = RECIPES.read_text(encoding="utf-8")
    found = re.search(rf"<!-- recipe: {re.escape(marker)} -->\s*```python\n(.*?)```", text, re.S)
    assert found, f"docs/recipes.md has no python block marked {marker!r}"
    return found.group(1)


def png(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1024, 1024), (shade, 120, 200)).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def test_end_to_end_recipe_runs_against_the_mock(
    bria_client: AuthenticatedClient, bria_mock: InProcessMock
) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(recipe_block("end-to-end"), str(RECIPES), "exec"), namespace)
    start = bria_mock.clock.now()
    output = namespace["train_and_generate"](
        bria_client,
        [png(30 * n) for n in range(6)],
        "the mascot waving",
        sleep=bria_mock.sleep,
        clock=bria_mock.clock.now,
    )
    assert output.status == "COMPLETED"
    assert output.image_url
    assert bria_mock.clock.now() - start >= 600  # it waited, on virtual time
