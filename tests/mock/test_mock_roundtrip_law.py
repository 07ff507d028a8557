"""The round-trip law (catalog entry limit.round-trip): every document the mock produces is a valid
input wherever Bria's flow sends it back.

A Hypothesis property over the inputs that shape the outputs — visual schemas and captions at
their depth and length limits, prompts and instructions up to the text limit, seeds — drives
every producer/consumer pair in ``PAIRS``. A consumer must accept what its producer made (2xx); a
producer may refuse only with the output limit stated where the output is made ("would be N
characters long"), which is counted, never an input refusal of its own output. Bounded in
``bash tasks.sh test`` (``BRIA_ROUNDTRIP_EXAMPLES``, default 15), larger in ``test-all`` (300).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import io
import os
import zipfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import document_strategies as ds
import httpx
import pytest
from bria_mock import MockConfig, create_app
from bria_mock import documents as d
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from mock_helpers import BASE, TOKEN_A, image_bytes
from PIL import Image

SEED = int(os.environ.get("BRIA_HOSTILE_SEED", "20261202"))
EXAMPLES = int(os.environ.get("BRIA_ROUNDTRIP_EXAMPLES", "15"))
P = "/v1/tailored-gen"
REFINE = f"{P}/refine_structured_prompt"
V2_IMAGE = "/v2/image/generate/tailored"
V2_STRUCTURED = "/v2/structured_prompt/generate/tailored"
T = TypeVar("T")

# producer → consumer, as Bria's flow sends each output back
PAIRS = (
    "generate_visual_schema.visual_schema -> refine_structured_prompt",
    "generate_visual_schema.visual_schema -> update-dataset.visual_schema",
    "get-dataset.visual_schema -> refine_structured_prompt",
    "refine_structured_prompt (of a visual schema) -> update-dataset.visual_schema",
    "refine_structured_prompt -> refine_structured_prompt",
    "image caption (automatic) -> refine_structured_prompt",
    "image caption (automatic) -> update-image-caption",
    "image caption (manual, read back) -> update-image-caption",
    "refine_structured_prompt (of a caption) -> update-image-caption",
    "v2 structured_prompt generate -> v2 image generate (structured_prompt + seed)",
    "v2 structured_prompt generate -> v2 structured_prompt generate (+ prompt)",
    "v2 structured_prompt generate -> refine_structured_prompt",
    "v2 image generate result.structured_prompt -> v2 image generate",
    "/v2/status result.structured_prompt -> v2 image generate",
    "model download (.safetensors) -> upload_model",
    "dataset download (images + caption files) -> bulk-upload (automatic_captioning=false)",
)


def png(color: tuple[int, int, int]) -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


class Flow:
    def __init__(self, state: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = create_app(MockConfig(state_path=str(state)))
        self.c = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url=BASE,
            headers={"api_token": TOKEN_A},
            timeout=60,
        )
        self.checked: collections.Counter[str] = collections.Counter()
        self.output_limit: collections.Counter[str] = collections.Counter()
        self.base = self.run(self._base())

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.c.aclose())
        self.app.state.mock.close()
        self.loop.close()

    async def ok(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        r = await self.c.request(method, path, **kwargs)
        assert r.status_code in (200, 201, 202), f"{method} {path}: {r.status_code} {r.text[:400]}"
        return dict(r.json())

    async def _base(self) -> dict[str, int]:
        project = await self.ok(
            "POST",
            f"{P}/projects",
            json={"project_name": "p", "ip_medium": "illustration", "ip_type": "icons"},
        )
        body = {"project_id": project["id"], "name": "base"}
        base = await self.ok("POST", f"{P}/datasets", json=body)
        await self.ok("PUT", f"{P}/datasets/{base['id']}", json={"visual_schema": "{}"})
        for i in range(5):
            files = {"file": ("a.png", image_bytes(color=(i, 40, 80)), "image/png")}
            await self.ok("POST", f"{P}/datasets/{base['id']}/images", files=files)
        return {"project": project["id"], "dataset": base["id"]}

    async def produced(self, pair: str, method: str, path: str, **kwargs: Any) -> Any:
        """A producer's answer, or None when it refused for the output limit."""
        r = await self.c.request(method, path, **kwargs)
        if r.status_code == 400 and "would be" in r.text and "characters long" in r.text:
            self.output_limit[pair] += 1
            return None
        assert r.status_code in (200, 201, 202), f"{pair}: producer {r.status_code} {r.text[:400]}"
        return r.json()

    async def consumed(self, pair: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        r = await self.c.request(method, path, **kwargs)
        assert r.status_code in (200, 201, 202), (
            f"{pair}: the consumer refused the producer's output: {r.status_code} {r.text[:400]}"
        )
        self.checked[pair] += 1
        return dict(r.json())

    # -- one example ------------------------------------------------------------------------------

    async def example(
        self, schema: str, caption: str, prompt: str, instruction: str, colors: list[int]
    ) -> None:
        draft = await self.ok("POST", f"{P}/datasets/{self.base['dataset']}/clone", json={})
        ds_path = f"{P}/datasets/{draft['id']}"
        await self.visual_schemas(ds_path, draft["id"], schema, instruction, colors)
        await self.captions(ds_path, draft["id"], caption, instruction)
        await self.ok("PUT", ds_path, json={"visual_schema": schema})
        model = await self.trained(ds_path)
        await self.structured_prompts(model, prompt, instruction)

    async def refine(self, pair: str, dataset: int, text: str, instruction: str) -> str | None:
        body = {"dataset_id": dataset, "structured_prompt": text, "instruction": instruction}
        if pair.endswith("-> refine_structured_prompt"):
            out = await self.c.post(REFINE, json=body)
            if out.status_code == 400 and "would be" in out.text:
                self.output_limit[pair] += 1
                return None
            assert out.status_code == 200, f"{pair}: {out.status_code} {out.text[:400]}"
            self.checked[pair] += 1
            return str(out.json()["structured_prompt"])
        answer = await self.produced(pair, "POST", REFINE, json=body)
        return None if answer is None else str(answer["structured_prompt"])

    async def visual_schemas(
        self, ds_path: str, dataset: int, schema: str, instruction: str, colors: list[int]
    ) -> None:
        images = [png((c, 255 - c, (c * 7) % 256)) for c in colors]
        made = await self.ok("POST", f"{P}/generate_visual_schema", json={"images": images})
        generated = made["visual_schema"]
        pair = "generate_visual_schema.visual_schema -> update-dataset.visual_schema"
        await self.consumed(pair, "PUT", ds_path, json={"visual_schema": generated})
        pair = "generate_visual_schema.visual_schema -> refine_structured_prompt"
        await self.refine(pair, dataset, generated, instruction)
        await self.ok("PUT", ds_path, json={"visual_schema": schema})
        stored = (await self.ok("GET", ds_path))["visual_schema"]
        assert stored == schema
        refined = await self.refine(
            "get-dataset.visual_schema -> refine_structured_prompt", dataset, stored, instruction
        )
        if refined is None:
            return
        pair = "refine_structured_prompt (of a visual schema) -> update-dataset.visual_schema"
        await self.consumed(pair, "PUT", ds_path, json={"visual_schema": refined})
        await self.refine(
            "refine_structured_prompt -> refine_structured_prompt", dataset, refined, instruction
        )

    async def captions(self, ds_path: str, dataset: int, caption: str, instruction: str) -> None:
        first = (await self.c.get(f"{ds_path}/images")).json()[0]
        img_path = f"{ds_path}/images/{first['id']}"
        auto = (await self.ok("PUT", img_path, json={"regenerate_caption": True}))["caption"]
        await self.refine(
            "image caption (automatic) -> refine_structured_prompt", dataset, auto, instruction
        )
        pair = "image caption (automatic) -> update-image-caption"
        await self.consumed(pair, "PUT", img_path, json={"caption": auto})
        await self.ok("PUT", img_path, json={"caption": caption})
        stored = (await self.ok("GET", img_path))["caption"]
        pair = "image caption (manual, read back) -> update-image-caption"
        await self.consumed(pair, "PUT", img_path, json={"caption": stored})
        refined = await self.refine(
            "refine_structured_prompt (of a caption) -> update-image-caption",
            dataset,
            stored,
            instruction,
        )
        if refined is not None:
            pair = "refine_structured_prompt (of a caption) -> update-image-caption"
            await self.consumed(pair, "PUT", img_path, json={"caption": refined})

    async def trained(self, ds_path: str) -> int:
        await self.ok("PUT", ds_path, json={"status": "completed"})
        dataset = int(ds_path.rsplit("/", 1)[1])
        body = {"name": "m", "dataset_id": dataset, "training_mode": "expert"}
        model = await self.ok("POST", f"{P}/models", json=body)
        await self.ok("POST", f"{P}/models/{model['id']}/start_training", json={})
        await self.ok("POST", "/_mock/clock/advance", json={"seconds": 10 * 24 * 3600})
        return int(model["id"])

    async def structured_prompts(self, model: int, prompt: str, instruction: str) -> None:
        pair = "v2 structured_prompt generate -> v2 image generate (structured_prompt + seed)"
        body = {"tailored_model_id": model, "prompt": prompt, "sync": True, "seed": 9}
        made = await self.produced(pair, "POST", V2_STRUCTURED, json=body)
        if made is not None:
            sp = made["result"]["structured_prompt"]
            again = {"tailored_model_id": model, "structured_prompt": sp, "seed": 9, "sync": True}
            image = await self.consumed(pair, "POST", V2_IMAGE, json=again)
            pair = "v2 image generate result.structured_prompt -> v2 image generate"
            again = {**again, "structured_prompt": image["result"]["structured_prompt"]}
            await self.consumed(pair, "POST", V2_IMAGE, json=again)
            pair = "v2 structured_prompt generate -> v2 structured_prompt generate (+ prompt)"
            body = {"tailored_model_id": model, "structured_prompt": sp, "prompt": instruction}
            r = await self.c.post(V2_STRUCTURED, json={**body, "sync": True})
            if r.status_code == 400 and "would be" in r.text:
                self.output_limit[pair] += 1
            else:
                assert r.status_code == 200, f"{pair}: {r.status_code} {r.text[:400]}"
                self.checked[pair] += 1
            pair = "v2 structured_prompt generate -> refine_structured_prompt"
            await self.refine(pair, self.base["dataset"], sp, instruction)
        pair = "/v2/status result.structured_prompt -> v2 image generate"
        body = {"tailored_model_id": model, "prompt": prompt, "seed": 4}
        accepted = await self.produced(pair, "POST", V2_IMAGE, json=body)
        if accepted is not None:
            await self.ok("POST", "/_mock/clock/advance", json={"seconds": 60})
            status = await self.ok("GET", f"/v2/status/{accepted['request_id']}")
            sp = status["result"]["structured_prompt"]
            again = {"tailored_model_id": model, "structured_prompt": sp, "seed": 4}
            await self.consumed(pair, "POST", V2_IMAGE, json=again)

    async def model_file(self) -> None:
        pair = "model download (.safetensors) -> upload_model"
        body = {"name": "m", "dataset_id": self.base["dataset"], "training_mode": "expert"}
        await self.ok("PUT", f"{P}/datasets/{self.base['dataset']}", json={"status": "completed"})
        model = await self.ok("POST", f"{P}/models", json=body)
        await self.ok("POST", f"{P}/models/{model['id']}/start_training", json={"rank": 8})
        await self.ok("POST", "/_mock/clock/advance", json={"seconds": 10 * 24 * 3600})
        link = await self.ok("GET", f"{P}/models/{model['id']}/download")
        body = {"model_url": link["download_url"], "project_id": self.base["project"]}
        uploaded = await self.consumed(pair, "POST", f"{P}/models/upload_model", json=body)
        assert uploaded["status"] == "syncing"

    async def dataset_archive(self) -> None:
        """A dataset's archive, its captions at the caption limits, uploaded again as is."""
        pair = PAIRS[-1]
        project = self.base["project"]
        body = {"project_id": project, "name": "a", "upload_type": "advanced"}
        source = await self.ok("POST", f"{P}/datasets", json=body)
        await self.ok("PUT", f"{P}/datasets/{source['id']}", json={"visual_schema": '{"s": 1}'})
        members = {f"p{i}.png": image_bytes(color=(i, 90, 9)) for i in range(3)}
        await self.bulk(source["id"], members, {})
        images = (await self.c.get(f"{P}/datasets/{source['id']}/images")).json()
        edge = {
            images[0]["id"]: "[" * d.MAX_DEPTH + "]" * d.MAX_DEPTH,
            images[1]["id"]: ds.dumps(ds.pad_to({"a": "é"}, d.MAX_CHARS)),
        }
        for image_id, caption in edge.items():
            path = f"{P}/datasets/{source['id']}/images/{image_id}"
            await self.ok("PUT", path, json={"caption": caption})
        captions = {
            i["image_name"]: i["caption"]
            for i in (await self.c.get(f"{P}/datasets/{source['id']}/images")).json()
        }
        link = await self.ok("GET", f"/v1/datasets/{source['id']}/download")
        archive = (await self.c.get(link["download_url"])).content
        body = {"project_id": project, "name": "b", "upload_type": "advanced"}
        copy = await self.ok("POST", f"{P}/datasets", json=body)
        form = {"automatic_captioning": "false"}
        await self.bulk(copy["id"], None, form, archive)
        status = await self.ok("GET", f"{P}/datasets/{copy['id']}/images/bulk-upload/status")
        assert not status.get("failed_images"), f"{pair}: {status['failed_images']}"
        copied = (await self.c.get(f"{P}/datasets/{copy['id']}/images")).json()
        assert sorted(i["caption"] for i in copied) == sorted(captions.values()), pair
        self.checked[pair] += len(copied)

    async def bulk(
        self,
        dataset: int,
        members: dict[str, bytes] | None,
        form: dict[str, str],
        archive: bytes | None = None,
    ) -> None:
        if archive is None:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as z:
                for name, data in (members or {}).items():
                    z.writestr(name, data)
            archive = out.getvalue()
        files = {"file": ("set.zip", archive, "application/zip")}
        path = f"{P}/datasets/{dataset}/images/bulk-upload"
        await self.ok("POST", path, files=files, data=form)
        await self.ok("POST", "/_mock/clock/advance", json={"seconds": 600})


LONG_TEXT = st.sampled_from([d.MAX_CHARS - 400, d.MAX_CHARS]).map(lambda n: "w" * n)
PROMPTS = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30).filter(
    lambda text: bool(text.strip()) and ds.unflagged(text)
)


def run_law(tmp_path: Path, examples: int) -> Flow:
    flow = Flow(tmp_path / "state.db")

    @seed(SEED)
    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(
        schema=ds.visual_schema(),
        caption=ds.caption(),
        prompt=st.one_of(PROMPTS, PROMPTS, LONG_TEXT),
        instruction=st.one_of(PROMPTS, PROMPTS, LONG_TEXT),
        colors=st.lists(st.integers(0, 255), min_size=5, max_size=10),
    )
    def each(schema: str, caption: str, prompt: str, instruction: str, colors: list[int]) -> None:
        flow.run(flow.example(schema, caption, prompt, instruction, colors))

    try:
        each()
        flow.run(flow.model_file())
        flow.run(flow.dataset_archive())
    finally:
        flow.close()
    return flow


def _verdict(flow: Flow, title: str) -> None:
    print(f"\n{title}: {sum(flow.checked.values())} round trips checked over {len(PAIRS)} pairs")
    for pair in PAIRS:
        print(
            f"  {flow.checked[pair]:4d} checked, {flow.output_limit[pair]:3d} output-limit  {pair}"
        )
    unchecked = [pair for pair in PAIRS if not flow.checked[pair]]
    assert not unchecked, f"pairs never checked: {unchecked}"


def test_every_output_is_accepted_where_it_is_sent_back(tmp_path: Path) -> None:
    _verdict(run_law(tmp_path, EXAMPLES), "round-trip law")


@pytest.mark.slow
def test_every_output_is_accepted_where_it_is_sent_back_large(tmp_path: Path) -> None:
    _verdict(run_law(tmp_path, 300), "round-trip law (large)")
