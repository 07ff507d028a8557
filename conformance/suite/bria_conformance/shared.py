"""One trained model per run, shared by every check that only needs *a* trained model.

On a server that keeps its data between checks (the live API, a mock without controls) the
first check that asks for a trained model starts one training, in a project of the run's own,
and every later check uses the same model. ``--model-id`` names an existing Completed model
instead: then no training is started for it. With ``--state-file`` the model outlives the run:
a training started in one run (a nightly CI job) is read back, verified and used by the next.
On a mock with controls every check starts from a reset server, so nothing can be shared there
and each check trains its own model on the virtual clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest

from .api import body
from .journal import Journal
from .scenario import P, Scenario, Violation
from .target import Target

#: Model statuses that end a training (the documented forms, either case).
ENDED = {"completed", "failed", "stopped"}
STATE_VERSION = 1


def _status(model: Any) -> str:
    return str(model.get("status")) if isinstance(model, dict) else ""


class StateFile:
    """The JSON file a user names with ``--state-file``: the shared model between runs."""

    def __init__(self, path: str, target: Target) -> None:
        self.path = Path(path)
        self.target = target

    def read(self) -> dict[str, Any] | None:
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise pytest.UsageError(
                f"--state-file {self.path}: not a state file this suite wrote ({exc}); "
                "delete it to start afresh"
            ) from exc
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise pytest.UsageError(
                f"--state-file {self.path}: not a state file of this suite version; delete it"
            )
        if data.get("base_url") != self.target.base_url:
            raise pytest.UsageError(
                f"--state-file {self.path} belongs to {data.get('base_url')}, not "
                f"{self.target.base_url}: name another file for this target"
            )
        model = data.get("model")
        return model if isinstance(model, dict) else None

    def write(self, model: dict[str, Any] | None) -> None:
        data = {"version": STATE_VERSION, "base_url": self.target.base_url, "model": model}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


class SharedModel:
    def __init__(self, run: Any) -> None:
        self.run = run
        self.target: Target = run.target
        self._sc: Scenario | None = None
        self._http: Any = None
        self.state = StateFile(run.state_file, self.target) if run.state_file else None
        #: The model record once known: {"id", "project_id", "started_at", "seen": [...]}.
        self.record: dict[str, Any] | None = None
        self.problem: str | None = None
        self.used_by: list[str] = []
        self.loaded = False

    @property
    def sc(self) -> Scenario:
        """The shared model's own scenario: its project outlives every check that uses it."""
        if self._sc is None:
            self._http = self.target.http_client()
            self._sc = Scenario(self.target, self._http, Journal(), "shared")
            self._sc.api.reserved = True
        return self._sc

    @property
    def active(self) -> bool:
        """Whether checks share a model on this target (never on a mock with controls)."""
        return self.run.model_id is not None or not self.target.controls

    def needs_training(self) -> bool:
        """Whether the run itself has to start the shared training (for the plan)."""
        if self.run.model_id is not None:
            return False
        self._load()
        return self.record is None

    # -- the model --------------------------------------------------------------------------
    def get(self, sc: Scenario) -> dict[str, Any]:
        """The shared trained model, Completed; a check that cannot have it is skipped."""
        self.used_by.append(self.run.current_nodeid)
        if self.run.model_id is not None:
            return dict(sc.get_model(self.run.model_id))
        if self.problem:
            pytest.skip(self.problem)
        self._load()
        if self.record is None:
            self._start()
        assert self.record is not None
        return self._wait(sc)

    def _load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        if self.state is None:
            return
        record = self.state.read()
        if record is None:
            return
        response = self.sc.api.get(f"{P}/models/{record['id']}")
        if response.status_code != 200 or _status(body(response)).lower() in ("failed", "stopped"):
            # Gone (cleaned up, deleted by hand) or ended badly: the run trains a new one.
            self.run.progress.say(
                f"state file: model {record['id']} is {response.status_code} "
                f"{_status(body(response)) or ''}; a new training starts"
            )
            self.state.write(None)
            return
        self.record = record
        self.run.progress.say(
            f"state file: model {record['id']} (training started {record.get('started_at')}) "
            f"reads {_status(body(response))}"
        )

    def _start(self) -> None:
        sc = self.sc
        try:
            project = sc.project(ip_type="stylized_scene")
            ds = sc.completed_dataset(project_id=project["id"])
            model = sc.model(ds["id"], training_mode="fully_automated")
            started = sc.start(model["id"])
        except (Violation, KeyError, TypeError) as exc:
            self.problem = f"the run's shared trained model could not be made: {exc}"
            raise
        if started.status_code != 200:
            self.problem = (
                f"the run's shared trained model did not start: {started.status_code} "
                f"{started.text[:300]}"
            )
            raise Violation(f"[training.starts-in-progress] {self.problem}")
        # Every status seen, from creation on: a read right after the start included, so the
        # training's own transitions are checked on this one training (test_training_completes).
        read_at_once = _status(body(sc.api.get(f"{P}/models/{model['id']}")))
        self.record = {
            "id": model["id"],
            "project_id": project["id"],
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seen": [_status(model), _status(body(started)), read_at_once],
        }
        if self.state is not None:
            self.state.write(self.record)
        self.run.progress.say(f"    started the shared training of model {model['id']}")

    def _wait(self, sc: Scenario) -> dict[str, Any]:
        record = self.record
        assert record is not None
        what = f"training of model {record['id']}"
        started = dt.datetime.fromisoformat(record["started_at"])
        model = sc.get_model(record["id"])
        while _status(model).lower() not in ENDED:
            ran = (dt.datetime.now(dt.UTC) - started).total_seconds()
            if ran > self.target.live_wait_seconds:
                later = (
                    f"the next run with --state-file {self.state.path} verifies it"
                    if self.state is not None
                    else "pass --state-file to verify it in a later run, or raise --live-wait"
                )
                pytest.skip(
                    f"not finished: the shared {what} is {_status(model)} after {ran:.0f} s "
                    f"(--live-wait {self.target.live_wait_seconds:.0f}); {later}"
                )
            self.run.progress.waiting(what, time.monotonic() - ran, _status(model))
            self._saw(_status(model))
            time.sleep(2.0)
            model = sc.get_model(record["id"])
        self.run.progress.done_waiting(what, _status(model))
        self._saw(_status(model))
        return dict(model)

    def _saw(self, status: str) -> None:
        """Keep each new status the shared training reads (repeats once: they are kept short)."""
        assert self.record is not None
        seen = self.record.setdefault("seen", [])
        if not seen or seen[-1] != status:
            seen.append(status)
            if self.state is not None:
                self.state.write(self.record)

    # -- the end of the run -----------------------------------------------------------------
    def close(self) -> None:
        """Delete the shared model's project, unless the state file keeps it for later runs."""
        try:
            if self.state is None and self.record is not None:
                self._delete()
        finally:
            if self._http is not None:
                self._http.close()

    def _delete(self) -> None:
        assert self.record is not None
        self.sc.api.cleaning = True
        with contextlib.suppress(Exception):
            self.sc.api.post(f"{P}/models/{self.record['id']}/stop_training")
        with contextlib.suppress(Exception):
            self.sc.api.delete(f"{P}/projects/{self.record['project_id']}")
