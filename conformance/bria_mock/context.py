"""What an operation handler receives and returns, and the operationId → handler registry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .spec import Operation
from .validation import Upload

if TYPE_CHECKING:
    from .core import Mock


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Ctx:
    mock: Mock
    op: Operation
    org: str
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any
    files: dict[str, Upload]
    media_type: str | None
    base_url: str
    request_id: str

    @property
    def json(self) -> dict[str, Any]:
        """The body as an object (validation guarantees the type where the spec declares it)."""
        return self.body if isinstance(self.body, dict) else {}

    def signed(self, artefact: str, now: float) -> str:
        return self.mock.signed_url(self.base_url, artefact, now)


Handler = Callable[[Ctx], Reply | Awaitable[Reply]]
HANDLERS: dict[str, Handler] = {}


def operation(operation_id: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if operation_id in HANDLERS:
            raise RuntimeError(f"two handlers for {operation_id}")
        HANDLERS[operation_id] = fn
        return fn

    return register
