"""Turn command-line options into a run: target, credentials, permissions, budgets."""

from __future__ import annotations

import contextlib
import os
import random
from typing import Any

import pytest

from .budget import Budget
from .runtime import Run
from .target import Permissions, Target, TargetUnreachable, has_mock_controls, probe

#: Fuzzed cases per operation on top of the coverage phase's systematic ones (about 50 per
#: operation): the whole suite stays within a minute on a 2-core machine. Raise it with
#: --max-examples for a deeper search.
DEFAULT_MAX_EXAMPLES = 10
DEFAULT_STATEFUL_EXAMPLES = 12
#: Trainings a run may start on a server without the mock's controls unless --max-trainings
#: says otherwise: the shared trained model and two checks of training behaviour itself. Each
#: live training takes hours and is paid.
DEFAULT_LIVE_TRAININGS = 3


def build_target(config: pytest.Config, provider: Any) -> Target:
    option = str(config.getoption("--bria-target"))
    min_images = config.getoption("--bria-completion-min-images")
    live_wait = config.getoption("--bria-live-wait")
    if provider is not None and provider.bria_conformance_target is not None:
        target: Target = provider.bria_conformance_target
    elif option == "mock":
        from .embedded import embedded_target

        profile = config.getoption("--bria-mock-profile", default="canonical")
        target = embedded_target(completion_min_images=min_images or 5, profile=profile)
    else:
        target = _url_target(config, option)
    changes: dict[str, Any] = {"name_prefix": str(config.getoption("--bria-prefix"))}
    phase = str(config.getoption("--bria-phase"))
    if phase in ("read", "write"):
        # A phase narrows what the run may do; it never grants a permission.
        changes["permissions"] = Permissions(writes=phase == "write" and target.permissions.writes)
    if min_images is not None:
        changes["completion_min_images"] = min_images
    if live_wait is not None:
        changes["live_wait_seconds"] = live_wait
    from dataclasses import replace

    return replace(target, **changes)


def _url_target(config: pytest.Config, base_url: str) -> Target:
    if not base_url.startswith(("http://", "https://")):
        raise pytest.UsageError(
            f"--bria-target must be 'mock' or an http(s) base URL, got {base_url!r}"
        )
    token = config.getoption("--bria-token") or os.environ.get("BRIA_API_TOKEN")
    if not token:
        raise pytest.UsageError(
            "a token is required for a remote target: pass --bria-token or set BRIA_API_TOKEN"
        )
    other = config.getoption("--bria-other-token") or os.environ.get("BRIA_API_TOKEN_2") or None
    probe_target = Target(label=base_url, base_url=base_url, token=token)
    try:
        probe(probe_target)
    except TargetUnreachable as exc:
        raise pytest.UsageError(str(exc)) from exc
    controls = has_mock_controls(base_url)
    if controls:
        permissions = Permissions.everything()
    else:
        permissions = Permissions(
            writes=bool(config.getoption("--bria-allow-writes")),
            training=bool(config.getoption("--bria-allow-training")),
            generation=bool(config.getoption("--bria-allow-generation")),
        )
    serve_files = config.getoption("--bria-serve-files", default=None)
    if serve_files is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(serve_files)
        if parts.scheme != "http" or not parts.hostname or not _has_valid_port(parts):
            raise pytest.UsageError(
                f"--serve-files {serve_files!r}: give an http:// URL with a host and a port the "
                "target can reach, e.g. http://10.0.0.5:8765"
            )
    return Target(
        serve_files_url=serve_files,
        label=f"{'mock server' if controls else 'live API'} at {base_url}",
        base_url=base_url,
        token=token,
        other_token=other,
        controls=controls,
        permissions=permissions,
    )


def _has_valid_port(parts: Any) -> bool:
    try:
        return parts.port is not None
    except ValueError:
        return False


def build_run(config: pytest.Config, provider: Any) -> Run:
    seed = config.getoption("--bria-seed")
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    max_examples = config.getoption("--bria-max-examples") or DEFAULT_MAX_EXAMPLES
    stateful = config.getoption("--bria-stateful-examples") or DEFAULT_STATEFUL_EXAMPLES
    target = build_target(config, provider)
    model_id = config.getoption("--bria-model-id")
    state_file = config.getoption("--bria-state-file")
    if target.controls and (model_id is not None or state_file):
        raise pytest.UsageError(
            "--bria-model-id and --bria-state-file need a server that keeps its data between "
            "checks; this target has the mock's controls and is reset before every check"
        )
    if model_id is not None:
        _check_model_id(target, int(model_id))
    caps: dict[str, int | None] = {
        "trainings": config.getoption("--bria-max-trainings"),
        "generations": config.getoption("--bria-max-generations"),
        "requests": config.getoption("--bria-max-requests"),
    }
    if caps["trainings"] is None and not target.controls:
        # A run given a trained model trains nothing unless --max-trainings asks for it.
        caps["trainings"] = 0 if model_id is not None else DEFAULT_LIVE_TRAININGS
    return Run(
        target=target,
        seed=int(seed),
        max_examples=int(max_examples),
        stateful_examples=int(stateful),
        budget=Budget(caps=caps),
        phase=str(config.getoption("--bria-phase")),
        model_id=None if model_id is None else int(model_id),
        state_file=state_file,
    )


def _check_model_id(target: Target, model_id: int) -> None:
    """--model-id must name a Completed model the token can read: say so before anything runs."""
    with target.http_client() as http:
        response = http.get(
            f"/v1/tailored-gen/models/{model_id}", headers={"api_token": target.token}
        )
    status = ""
    if response.status_code == 200:
        with contextlib.suppress(ValueError, AttributeError):
            status = str(response.json().get("status"))
    if response.status_code != 200 or status.lower() != "completed":
        found = f"it is {status}" if status else f"reading it answered {response.status_code}"
        raise pytest.UsageError(
            f"--model-id {model_id}: not a Completed model of this token's organization "
            f"({found}); name a model whose training completed"
        )
