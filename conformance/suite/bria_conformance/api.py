"""A thin HTTP client for the suite's hand-written scenarios.

It sends exactly what a test asks for (no client-side validation: the server is under test),
records each exchange for a curl reproduction, enforces the live-API safety rules, and waits out
429s (`throttle.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx
import pytest

from . import runtime
from .budget import PAID_PREFIXES
from .journal import MASK, Exchange, Journal
from .target import Target
from .throttle import Throttle

_UNSET: Any = object()
#: The header the embedded mock sets on answers to operations it has no handler for yet (it
#: serves them from the spec): their rules cannot pass or fail, they are "not modelled".
UNMODELLED_HEADER = "x-bria-mock"


def skip_if_not_modelled(headers: Mapping[str, Any], what: str) -> None:
    """Skip the running test when a response says the operation is served from the spec only.

    ``headers`` are httpx's (one string per name) or Schemathesis's (a list per lower-case name).
    """
    value = headers.get(UNMODELLED_HEADER)
    if "unimplemented" in (value if isinstance(value, list) else [value]):
        pytest.skip(
            f"not modelled: the target serves {what} from the spec only "
            f"({UNMODELLED_HEADER}: unimplemented); write its mock handler to check this rule"
        )


class Api:
    def __init__(self, target: Target, token: str | None, journal: Journal, http: httpx.Client):
        self.target = target
        self.token = token
        self.journal = journal
        self.http = http
        run = runtime.active()
        self.throttle = run.throttle if run is not None else Throttle(target.rate_limit_backoff)
        #: Requests of the run's shared trained model, which has a training kept for it.
        self.reserved = False
        #: Cleanup requests are counted but never refused by a cap: leftovers would cost more.
        self.cleaning = False
        #: Called with every answer (a test that judges all of them, e.g. the lifecycle's ids).
        self.inspect: Callable[[httpx.Response], None] | None = None

    # -- safety -----------------------------------------------------------------------------
    def _guard(self, method: str, path: str) -> None:
        problem = live_permission_problem(self.target, method, path)
        if problem:
            pytest.skip(problem)

    # -- requests ---------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = _UNSET,
        params: dict[str, Any] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        data: dict[str, str] | None = None,
        token: Any = _UNSET,
        retry_429: bool = True,
        raw_json: str | None = None,
        refused: bool = False,
    ) -> httpx.Response:
        """Send one request. ``refused``: the documents require the target to refuse it, so it
        spends no training or generation on a conforming target (see `Budget.before`)."""
        self._guard(method, path)
        run = runtime.active()
        budget = run.budget if run is not None else None
        kind = (
            budget.before(
                method, path, reserved=self.reserved, enforce=not self.cleaning, refused=refused
            )
            if budget
            else "requests"
        )
        use_token = self.token if token is _UNSET else token
        headers = {} if use_token is None else {"api_token": use_token}
        url = self.target.base_url.rstrip("/") + path
        url_for_log = str(httpx.URL(url, params=params)) if params else url
        self.journal.add(
            Exchange(
                method=method,
                url=url_for_log,
                headers={} if use_token is None else {"api_token": MASK},
                json_body=None if json is _UNSET else json,
                form=dict(data or {}),
                files={name: spec[0] for name, spec in (files or {}).items()},
                raw_json=raw_json,
                token_role=_role(use_token, self.target),
                literal_token=None if _role(use_token, self.target) != "literal" else use_token,
                file_data=dict(files or {}),
            )
        )
        kwargs: dict[str, Any] = {"headers": headers, "params": params}
        if json is not _UNSET:
            kwargs["json"] = json
        if files is not None:
            kwargs["files"] = files
        if data is not None:
            kwargs["data"] = data
        if raw_json is not None:
            kwargs["content"] = raw_json.encode()
            headers["Content-Type"] = "application/json"
        if retry_429:
            response = self.throttle.send(
                lambda: self.http.request(method, path, **kwargs),
                lambda r: r.status_code,
                lambda r: r.headers,
                f"{method} {path}",
            )
        else:
            response = self.http.request(method, path, **kwargs)
        self.journal.exchanges[-1].status = response.status_code
        if budget is not None:
            budget.after(kind, response.status_code, reserved=self.reserved)
        skip_if_not_modelled(response.headers, f"{method} {path}")
        if self.inspect is not None:
            self.inspect(response)
        return response

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)


def is_paid(path: str) -> bool:
    """A request Bria charges for: a generation, or a training start."""
    return path.startswith(PAID_PREFIXES) or path.endswith("/start_training")


def live_permission_problem(target: Target, method: str, path: str) -> str | None:
    """Why the run may not send this request to the target (None: it may)."""
    if not target.is_live or method.upper() == "GET":
        return None
    run = runtime.active()
    phase = run.phase if run is not None else "all"
    later = f"checked in the {{}} phase: it {{}} (this run is --phase {phase})"
    perms = target.permissions
    if path.startswith(PAID_PREFIXES) and not perms.generation:
        if phase != "all":
            return later.format("training", "generates")
        return "generation is paid: pass --allow-generation to run this rule on a live API"
    if path.endswith("/start_training") and not perms.training:
        if phase != "all":
            return later.format("training", "trains")
        return "training is paid: pass --allow-training to run this rule on a live API"
    if not perms.writes:
        if phase == "read":
            return later.format("write", "writes")
        return "the suite is read-only against a live API: pass --allow-writes"
    return None


def _role(token: str | None, target: Target) -> str:
    if token is None:
        return "none"
    if token == target.token:
        return "main"
    if token == target.other_token:
        return "other"
    return "literal"


def body(response: httpx.Response) -> Any:
    """The JSON body, or the raw text when the server did not send JSON."""
    try:
        return response.json()
    except ValueError:
        return response.text
