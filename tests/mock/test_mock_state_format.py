"""The state file's format: records written as plain JSON objects load as typed records.

The rows below are what the mock wrote before its records were typed (a model with training
parameters and a checkpoint, a dataset without the fields only clones carry, a scheduled
checkpoint, an interrupted bulk reservation): such a file still loads and carries on. A record
this version cannot read stops the start with a message naming the file, never a traceback.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from bria_mock import MockConfig, create_app
from bria_mock.persistence import SqlitePersistence
from bria_mock.records import StateFormatError
from bria_mock.tenancy import org_of
from mock_helpers import BASE

pytestmark = pytest.mark.anyio

ORG_TOKEN = "token-org-a"
NOW = 1_797_056_292.0


def _earlier_rows(org: str) -> list[tuple[str, str, dict[str, Any]]]:
    project = {
        "id": 1,
        "org": org,
        "project_name": "Brand",
        "project_description": "",
        "ip_name": "",
        "ip_description": "",
        "ip_medium": "illustration",
        "ip_type": "stylized_scene",
        "training_version": "fibo",
        "status": "active",
        "created_at": NOW,
        "updated_at": NOW,
    }
    dataset = {
        "id": 2,
        "org": org,
        "project_id": 1,
        "name": "set",
        "visual_schema": '{"style_medium": "flat illustration"}',
        "status": "completed",
        "captions_update_status": "empty",
        "upload_type": "basic",
        "image_ids": [],
        "caption_job": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    advanced = {**dataset, "id": 3, "status": "draft", "upload_type": "advanced"}
    model = {
        "id": 4,
        "org": org,
        "origin": "trained",
        "name": "m",
        "description": "",
        "status": "InProgress",
        "training_mode": "expert",
        "training_version": "fibo",
        "generation_prefix": None,
        "project_id": 1,
        "dataset_id": 2,
        "custom_metadata": "",
        "active_model_version": "default",
        "training_parameters": {
            "rank": 64,
            "learning_rate": 0.0001,
            "lr_scheduler": "cosine",
            "total_training_steps": 600,
            "checkpoint_interval": 300,
            "lr_warmup_steps": None,
        },
        "checkpoints": [{"step": 300, "created_at": NOW + 3000}],
        "job": 5,
        "created_at": NOW,
        "updated_at": NOW + 3000,
        "started_at": NOW,
        "visual_schema": '{"style_medium": "flat illustration"}',
    }
    event = {
        "due": NOW + 6000,
        "kind": "training.checkpoint",
        "data": {"model_id": 4, "job": 5, "step": 600, "final": True},
    }
    return [
        ("project", "1", project),
        ("dataset", "2", dataset),
        ("dataset", "3", advanced),
        ("model", "4", model),
        ("event", "1", event),
        # a bulk upload reservation whose process died while reading the archive
        ("bulk", "3", {"status": "pending", "reserved": True, "org": org}),
        ("meta", "secret", {"value": "ab" * 32}),
        ("meta", "counters", {"next_id": 6, "next_event": 2}),
        ("meta", "clock", {"now": NOW + 3500}),
    ]


def _write(path: Path, rows: list[tuple[str, str, Any]]) -> None:
    persistence = SqlitePersistence(str(path))
    try:
        persistence.write(rows, {}, ())
    finally:
        persistence.close()


async def test_a_state_file_of_the_earlier_format_loads_and_carries_on(tmp_path: Path) -> None:
    state = tmp_path / "earlier.db"
    _write(state, _earlier_rows(org_of(ORG_TOKEN)))
    app = create_app(MockConfig(state_path=str(state)))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=BASE,
            headers={"api_token": ORG_TOKEN},
        ) as c:
            assert app.state.mock.store.recovered == [3]
            project = (await c.get("/v1/tailored-gen/projects/1")).json()
            assert (project["project_name"], project["training_version"]) == ("Brand", "fibo")
            model = (await c.get("/v1/tailored-gen/models/4")).json()
            assert model["status"] == "InProgress"
            assert model["checkpoint_steps"] == [300]
            assert model["training_parameters"]["rank"] == 64
            assert model["training_parameters"]["lr_warmup_steps"] is None
            # the scheduled final checkpoint still runs
            await c.post("/_mock/clock/advance", json={"seconds": 3000})
            done = (await c.get("/v1/tailored-gen/models/4")).json()
            assert done["status"] == "Completed" and done["checkpoint_steps"] == [600, 300]
            # the interrupted reservation was given back: no attempt is recorded
            status = await c.get("/v1/tailored-gen/datasets/3/images/bulk-upload/status")
            assert status.status_code == 404
            # new ids continue after the stored counter
            created = await c.post(
                "/v1/tailored-gen/projects",
                json={"project_name": "n", "ip_medium": "photography", "ip_type": "other"},
            )
            assert created.json()["id"] == 6
    finally:
        app.state.mock.close()
    # what was written back reads as the same JSON objects (plus the newer optional fields)
    conn = sqlite3.connect(state)
    try:
        (data,) = conn.execute("SELECT data FROM records WHERE kind='model' AND key='4'").fetchone()
    finally:
        conn.close()
    stored = json.loads(data)
    assert stored["checkpoints"][-1]["step"] == 600
    assert stored["training_parameters"]["lr_scheduler"] == "cosine"


@pytest.mark.parametrize(
    "row",
    [
        ("model", "4", {"id": 4, "name": "fields missing"}),
        ("project", "1", ["not", "an", "object"]),
    ],
)
def test_an_unreadable_record_is_a_clear_error(tmp_path: Path, row: tuple[str, str, Any]) -> None:
    state = tmp_path / "foreign.db"
    _write(state, [row])
    with pytest.raises(StateFormatError, match="start with a new --state file") as caught:
        create_app(MockConfig(state_path=str(state)))
    assert str(state) in str(caught.value)
    # the file is not left locked: the next process can open it
    SqlitePersistence(str(state)).close()


def test_the_command_line_reports_an_unreadable_state_file(tmp_path: Path) -> None:
    state = tmp_path / "foreign.db"
    _write(state, [("model", "4", {"id": 4})])
    proc = subprocess.run(
        [sys.executable, "-m", "bria_mock.cli", "--port", "0", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "start with a new --state file" in proc.stderr
    assert "Traceback" not in proc.stderr
