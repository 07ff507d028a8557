"""Turn command-line options into a run: target, credentials, permissions, budgets."""

from __future__ import annotations

import os
import random
from typing import Any

import pytest

from .runtime import Run
from .target import Permissions, Target, TargetUnreachable, has_mock_controls, probe

#: Fuzzed cases per operation on top of the coverage phase's systematic ones (about 50 per
#: operation): the whole suite stays within a minute on a 2-core machine. Raise it with
#: --max-examples for a deeper search.
DEFAULT_MAX_EXAMPLES = 10
DEFAULT_STATEFUL_EXAMPLES = 12


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
    changes: dict[str, Any] = {}
    if min_images is not None:
        changes["completion_min_images"] = min_images
    if live_wait is not None:
        changes["live_wait_seconds"] = live_wait
    if changes:
        from dataclasses import replace

        target = replace(target, **changes)
    return target


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
    return Run(
        target=build_target(config, provider),
        seed=int(seed),
        max_examples=int(max_examples),
        stateful_examples=int(stateful),
    )
