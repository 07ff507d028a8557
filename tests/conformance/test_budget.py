"""What a run spends on a live target: caps, the plan, the shared trained model, --model-id,
phases with a state file, the cleanup command and the progress lines."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from bria_conformance.budget import Budget
from bria_conformance.cleanup import cleanup
from bria_conformance.embedded import mock_app
from bria_conformance.runner import run_suite
from bria_conformance.target import ASGI_BASE_URL, Permissions, Target, asgi_client, random_token
from test_live_safety import LiveLike

P = "/v1/tailored-gen"
FAST = ["--bria-max-examples", "2", "--bria-seed", "4", "-q", "--no-header", "-p", "no:randomly"]
#: Entries checked with the run's shared trained model (and a generation or two each).
GENERATION = "generate.sync-result,generate.async-default,generate.reproducible"


class Recorder(LiveLike):
    """LiveLike that also keeps each answer's status: (method, path, status)."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.answered: list[tuple[str, str, int]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def keep(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.answered.append((scope["method"], scope["path"], message["status"]))
            await send(message)

        await super().__call__(scope, receive, keep if scope["type"] == "http" else send)


def _live(**config: Any) -> tuple[Target, Recorder]:
    """A mock the suite sees as live; its clock is frozen unless ``realtime`` is given."""
    tokens = (random_token("live-a"), random_token("live-b"))
    server = Recorder(mock_app(tokens=tokens, **config))
    target = Target(
        label="live-like test server",
        base_url=ASGI_BASE_URL,
        token=tokens[0],
        other_token=tokens[1],
        app=server,
        controls=False,
        permissions=Permissions.everything(),
        live_wait_seconds=30.0,
    )
    return target, server


def _live_again(target: Target, server: Recorder) -> Target:
    """The same server for a second run."""
    return replace(target, app=server)


def _fast_clock() -> dict[str, Any]:
    # A training of a few virtual hours ends within a fraction of a second.
    return {"realtime": True, "speed": 5000.0}


def _trainings(server: Recorder) -> list[str]:
    """The trainings the target started (accepted start_training requests)."""
    return [p for m, p, s in server.answered if p.endswith("/start_training") and s < 300]


def _start_requests(server: Recorder) -> list[str]:
    return [p for m, p in server.requests if m == "POST" and p.endswith("/start_training")]


def _status(outcome: Any) -> dict[str, tuple[str, str]]:
    return {r.entry.id: (r.status, r.detail) for r in outcome.run.results.by_entry()}


def test_no_training_cap_means_no_training_sent() -> None:
    target, server = _live(**_fast_clock())
    only = f"training.defaults,training.checkpoints-at-interval,{GENERATION}"
    outcome = run_suite(["--bria-only", only, "--bria-max-trainings", "0", *FAST], target=target)
    assert _start_requests(server) == [], "a cap of 0 trainings sent start_training anyway"
    posts = [p for m, p in server.requests if m == "POST"]
    assert posts == [], f"checks over budget are not started at all, yet they sent {posts[:5]}"
    status = _status(outcome)
    for entry in ("training.defaults", "training.checkpoints-at-interval", "generate.sync-result"):
        assert status[entry][0] == "over budget", (entry, status[entry])
        assert "not checked: over budget" in status[entry][1]
    assert outcome.run.budget.spent["trainings"] == 0


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("POST", "/v1/tailored-gen/models/7/start_training", "trainings"),
        ("POST", "/v2/image/generate/tailored", "generations"),
        ("POST", "/v1/tailored-gen/generate_prefix", "generations"),
        ("GET", "/v2/status/abc", "requests"),
        ("POST", "/v1/tailored-gen/projects", "requests"),
    ],
)
def test_a_cap_stops_the_request_before_it_is_sent(method: str, path: str, kind: str) -> None:
    budget = Budget(caps={kind: 1})
    budget.after(budget.before(method, path), 200)
    assert budget.spent[kind] == 1
    with pytest.raises(pytest.skip.Exception, match="not checked: over budget"):
        budget.before(method, path)
    assert budget.spent[kind] == 1
    budget.before(method, path, enforce=False)  # cleanup is never refused


def test_a_refused_training_costs_nothing_and_one_is_kept_for_the_shared_model() -> None:
    budget = Budget(caps={"trainings": 2}, reserved_trainings=1)
    start = ("POST", "/v1/tailored-gen/models/1/start_training")
    budget.after(budget.before(*start), 400)
    budget.after(budget.before(*start), 200)
    with pytest.raises(pytest.skip.Exception, match="kept for the shared trained model"):
        budget.before(*start)
    budget.after(budget.before(*start, reserved=True), 200)
    assert budget.spent["trainings"] == 2


def test_entries_share_one_trained_model() -> None:
    target, server = _live(**_fast_clock())
    outcome = run_suite(["--bria-only", GENERATION, *FAST], target=target)
    status = _status(outcome)
    assert all(status[e][0] == "passed" for e in GENERATION.split(",")), status
    assert len(_trainings(server)) == 1, f"one shared training expected: {_trainings(server)}"
    plan = outcome.run.plan
    spent = outcome.run.budget.spent
    assert (plan.trainings, plan.generations) == (spent["trainings"], spent["generations"])
    assert spent["trainings"] == 1 and spent["generations"] >= 3


def test_default_live_cap_is_three_trainings_with_one_kept_for_the_shared_model() -> None:
    target, server = _live(**_fast_clock())
    only = f"training.defaults,training.bound.*,training.checkpoint*,{GENERATION}"
    outcome = run_suite(["--bria-only", only, *FAST], target=target)
    started = outcome.run.budget.spent["trainings"]
    assert started <= 3 and len(_trainings(server)) >= started
    status = _status(outcome)
    assert status["generate.sync-result"][0] == "passed", status["generate.sync-result"]
    over = [e for e, (s, _) in status.items() if s == "over budget"]
    assert over, "more trainings are wanted than three: some entries must be over budget"
    assert outcome.run.plan.trainings == started


def test_model_id_starts_no_training() -> None:
    target, server = _live(**_fast_clock())
    with asgi_client(server.app) as client:
        model_id = _trained_model(client, target.token)
    outcome = run_suite(
        ["--bria-only", GENERATION, "--bria-model-id", str(model_id), *FAST], target=target
    )
    assert _start_requests(server) == [], "with --model-id no training may start"
    status = _status(outcome)
    assert all(status[e][0] == "passed" for e in GENERATION.split(",")), status
    assert outcome.run.plan.trainings == 0


def test_model_id_trains_nothing_unless_trainings_are_allowed() -> None:
    target, server = _live(**_fast_clock())
    with asgi_client(server.app) as client:
        model_id = _trained_model(client, target.token)
    args = ["--bria-only", "training.defaults", "--bria-model-id", str(model_id), *FAST]
    outcome = run_suite(args, target=target)
    assert _start_requests(server) == []
    assert _status(outcome)["training.defaults"][0] == "over budget"
    run_suite([*args, "--bria-max-trainings", "1"], target=_live_again(target, server))
    assert len(_trainings(server)) == 1, "--max-trainings 1 lets the training check train"


def test_with_model_id_no_entry_claims_a_training_it_did_not_watch() -> None:
    target, server = _live(**_fast_clock())
    with asgi_client(server.app) as client:
        model_id = _trained_model(client, target.token)
    args = ["--bria-only", "training.completes", "--bria-model-id", str(model_id)]
    outcome = run_suite([*args, "--bria-stateful-examples", "1", *FAST], target=target)
    status, detail = _status(outcome)["training.completes"]
    assert status == "skipped" and "--model-id" in detail, (status, detail)


def test_model_id_must_name_a_completed_model() -> None:
    target, server = _live()  # frozen clock: the model never completes
    with asgi_client(server.app) as client:
        model_id = _trained_model(client, target.token, wait=False)
    outcome = run_suite(["--bria-model-id", str(model_id), *FAST], target=target)
    assert outcome.exit_code == pytest.ExitCode.USAGE_ERROR


def test_generation_cap() -> None:
    target, server = _live(**_fast_clock())
    outcome = run_suite(
        ["--bria-only", GENERATION, "--bria-max-generations", "1", *FAST], target=target
    )
    assert outcome.run.budget.spent["generations"] == 1
    generated = [p for m, p in server.requests if m == "POST" and p.startswith("/v2/")]
    assert len(generated) == 1, generated
    assert "over budget" in {s for s, _ in _status(outcome).values()}


def test_request_cap() -> None:
    target, server = _live()
    outcome = run_suite(
        ["--bria-only", "auth.token-required,shape.empty-lists", "--bria-max-requests", "4", *FAST],
        target=target,
    )
    # Cleanup (deletes, stopping trainings) is never refused: it is not capped.
    sent = [r for r in server.requests if r[0] != "DELETE" and "stop_training" not in r[1]]
    assert len(sent) <= 4, f"a cap of 4 requests sent {len(sent)}: {sent[:8]}"
    assert outcome.run.budget.spent["requests"] <= 4
    assert "over budget" in {s for s, _ in _status(outcome).values()}


def test_plan_prints_and_sends_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    target, server = _live(**_fast_clock())
    outcome = run_suite(
        ["--bria-plan", "--bria-max-trainings", "1", "--bria-only", "training.*", *FAST],
        target=target,
    )
    out = capsys.readouterr().out
    assert server.requests == [], f"--plan sent requests: {server.requests[:5]}"
    assert "trainings:   1 (cap 1)" in out, out
    assert "not checked: over budget:" in out and "test_stop_training" in out, out
    assert not outcome.run.results.records


def test_plan_matches_what_a_run_spends_on_the_mock() -> None:
    only = "training.defaults,training.bound.*,generate.sync-result,v1gen.prefix-*,model.many-*"
    outcome = run_suite(["--bria-target", "mock", "--bria-only", only, *FAST])
    run = outcome.run
    assert outcome.exit_code == 0
    assert not run.plan.open_ended
    assert (run.plan.trainings, run.plan.generations) == (
        run.budget.spent["trainings"],
        run.budget.spent["generations"],
    )
    assert run.plan.trainings >= 5 and run.plan.generations >= 5


def test_every_check_spends_what_it_declares() -> None:
    """On the mock each check spends exactly what its ``spends`` mark declares (a check that
    trains or generates without the mark, or with the wrong counts, fails here). The generated
    cases and the state machine are left out: their draws on a mock are open-ended."""
    outcome = run_suite(
        ["--bria-target", "mock", "-k", "not test_stateless and not test_lifecycle", *FAST]
    )
    run = outcome.run
    assert outcome.exit_code == 0
    from bria_conformance.plan import LIFECYCLE_MODULE, STATELESS_MODULE

    wrong = []
    for item_id, function, _ in run.collected:
        if function.startswith((STATELESS_MODULE, LIFECYCLE_MODULE)):
            continue  # their draws are open-ended on a mock (a live run sends them no write)
        spent = run.spent_by_test[item_id]
        spend = run.declared[item_id]
        declared = (spend.trainings + int(spend.shared_model), spend.generations)
        if (spent["trainings"], spent["generations"]) != declared:
            wrong.append(f"{item_id}: declares {declared}, spent {spent}")
    assert not wrong, "\n".join(wrong)


def test_read_phase_writes_nothing_and_leaves_training_to_its_phase() -> None:
    target, server = _live()
    outcome = run_suite(
        ["--bria-phase", "read", "--bria-only", "auth.*,training.*", *FAST], target=target
    )
    writes = [r for r in server.requests if r[0] != "GET"]
    assert not writes, f"the read phase wrote: {writes[:5]}"
    status = _status(outcome)
    assert status["training.defaults"] == (
        "not run",
        "checked in the training phase (--phase training)",
    )
    assert "write phase" in status["auth.org-scoped-lists"][1], status["auth.org-scoped-lists"]


def test_training_started_in_one_run_is_verified_in_the_next(tmp_path: Path) -> None:
    target, server = _live()  # frozen clock: the first run's training cannot end
    state = tmp_path / "state.json"
    args = ["--bria-phase", "training", "--bria-state-file", str(state), "--bria-only"]
    target_fast = replace(target, live_wait_seconds=0.5)
    first = run_suite([*args, "generate.sync-result", *FAST], target=target_fast)
    assert len(_trainings(server)) == 1
    status, detail = _status(first)["generate.sync-result"]
    assert status == "skipped" and "next run with --state-file" in detail, detail
    kept = json.loads(state.read_text())["model"]
    with asgi_client(server.app) as client:
        client.post("/_mock/clock/advance", json={"seconds": 3 * 24 * 3600})
    second = run_suite([*args, "generate.sync-result", *FAST], target=target_fast)
    assert len(_trainings(server)) == 1, "the second run trained again"
    assert _status(second)["generate.sync-result"][0] == "passed", _status(second)
    assert json.loads(state.read_text())["model"]["id"] == kept["id"]
    assert "Completed" in json.loads(state.read_text())["model"]["seen"]


def test_a_check_that_leaves_a_training_running_leaves_no_project() -> None:
    # At 600x a stop takes a couple of seconds: the project refuses deletion (409) meanwhile.
    target, server = _live(realtime=True, speed=600.0)
    run_suite(["--bria-only", "training.defaults", *FAST], target=target)
    assert len(_trainings(server)) == 1
    with asgi_client(server.app) as client:
        left = client.get(f"{P}/projects", headers={"api_token": target.token}).json()
    assert left == [], f"left behind: {[p['project_name'] for p in left]}"


def test_cleanup_deletes_only_what_carries_the_prefix() -> None:
    target, server = _live()
    with asgi_client(server.app) as client:
        headers = {"api_token": target.token}

        def project(name: str) -> int:
            body = {
                "project_name": name,
                "ip_medium": "illustration",
                "ip_type": "multi_object_set",
            }
            return int(client.post(f"{P}/projects", json=body, headers=headers).json()["id"])

        left = project("nightly-1-old")
        own = project("customer project")
        stray = client.post(
            f"{P}/datasets", json={"project_id": own, "name": "nightly-1-ds"}, headers=headers
        ).json()["id"]
        kept = client.post(
            f"{P}/datasets", json={"project_id": own, "name": "their dataset"}, headers=headers
        ).json()["id"]
        lines: list[str] = []
        assert cleanup(target, "nightly-", None, lines.append) == 0, lines
        projects = {p["id"] for p in client.get(f"{P}/projects", headers=headers).json()}
        datasets = {d["id"] for d in client.get(f"{P}/datasets", headers=headers).json()}
    assert left not in projects and own in projects
    assert stray not in datasets and kept in datasets


def test_progress_names_the_entry_and_what_it_waits_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    target, _ = _live(realtime=True, speed=2000.0)
    run_suite(["--bria-only", "generate.sync-result", *FAST], target=target)
    out = capsys.readouterr().out
    assert "[all] generate.sync-result" in out, out
    assert "waiting for training of model" in out, out
    assert "Plan against" in out


def _trained_model(client: httpx.Client, token: str, wait: bool = True) -> int:
    headers = {"api_token": token}
    project = client.post(
        f"{P}/projects",
        json={"project_name": "mine", "ip_medium": "illustration", "ip_type": "stylized_scene"},
        headers=headers,
    ).json()
    ds = client.post(
        f"{P}/datasets", json={"project_id": project["id"], "name": "mine"}, headers=headers
    ).json()
    client.put(
        f"{P}/datasets/{ds['id']}", json={"visual_schema": '{"style": "flat"}'}, headers=headers
    )
    from bria_conformance import media

    for shade in range(5):
        client.post(
            f"{P}/datasets/{ds['id']}/images",
            files={
                "file": (f"{shade}.jpg", media.image_bytes(256, 256, "jpg", shade), "image/jpeg")
            },
            headers=headers,
        )
    client.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"}, headers=headers)
    model = client.post(
        f"{P}/models", json={"name": "mine", "dataset_id": ds["id"]}, headers=headers
    ).json()
    assert (
        client.post(
            f"{P}/models/{model['id']}/start_training", json={}, headers=headers
        ).status_code
        == 200
    )
    if wait:
        import time

        for _ in range(100):
            if (
                client.get(f"{P}/models/{model['id']}", headers=headers).json()["status"]
                == "Completed"
            ):
                break
            time.sleep(0.05)
    return int(model["id"])
