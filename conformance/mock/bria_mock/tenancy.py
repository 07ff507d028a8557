"""Who is calling and whether they may: api_token → organization, quota and rate limit.

Each api_token names an organization. Records carry only a digest of the token, so the secret is
never stored, logged or echoed in an error.
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
from collections import deque

from .config import MockConfig
from .errors import ApiError

_SWEEP_EVERY = 1024


@functools.lru_cache(maxsize=4096)
def org_of(token: str) -> str:
    return "org_" + hashlib.sha256(token.encode()).hexdigest()[:20]


class Tenancy:
    def __init__(self, config: MockConfig) -> None:
        self.config = config
        self._allowed = {org_of(t) for t in config.tokens}
        self._lock = threading.Lock()
        self._totals: dict[str, int] = {}
        self._recent: dict[str, deque[float]] = {}
        self._admitted = 0

    @property
    def limits_requests(self) -> bool:
        """Without a quota or a rate limit every request is admitted and nothing is counted (the
        settings can change while the mock runs: ``MockControl.rate_limit``)."""
        cfg = self.config
        return cfg.quota_requests is not None or cfg.rate_limit is not None

    def authenticate(self, token: str | None, header: str) -> str:
        if token is None or not token.strip():
            raise ApiError(401, f"the {header} header is missing; send your API token in it")
        org = org_of(token)
        if self._allowed and org not in self._allowed:
            raise ApiError(401, f"the {header} header does not hold a known API token")
        return org

    def admit(self, org: str, now: float) -> None:
        cfg = self.config
        with self._lock:
            if cfg.quota_requests is not None:
                used = self._totals.get(org, 0)
                if used >= cfg.quota_requests:
                    raise ApiError(
                        cfg.quota_status,
                        f"Quota exceeded: this organization can make up to {cfg.quota_requests} "
                        "requests in total. Please upgrade your plan to continue using the "
                        "service.",
                        headers={"Retry-After": "3600"} if cfg.quota_status == 429 else None,
                    )
                self._totals[org] = used + 1
            if cfg.rate_limit is not None:
                window = cfg.rate_window_seconds
                recent = self._recent.setdefault(org, deque())
                while recent and recent[0] <= now - window:
                    recent.popleft()
                if len(recent) >= cfg.rate_limit:
                    retry = max(1, math.ceil(recent[0] + window - now))
                    raise ApiError(
                        429,
                        f"Request limit exceeded: at most {cfg.rate_limit} requests per "
                        f"{window:g} seconds; retry after {retry} seconds",
                        headers={"Retry-After": str(retry)},
                    )
                recent.append(now)
                self._admitted += 1
                if self._admitted % _SWEEP_EVERY == 0:
                    self._forget_idle(now - window)

    def _forget_idle(self, horizon: float) -> None:
        """Drop the windows of organizations silent for a whole window: a client rotating
        tokens must not grow the mock without bound (quota totals are kept: they are the quota)."""
        for org in [o for o, recent in self._recent.items() if not recent or recent[-1] <= horizon]:
            del self._recent[org]

    def reset(self) -> None:
        with self._lock:
            self._totals.clear()
            self._recent.clear()
