"""What an operation handler receives and returns, and the operationId → handler registry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.requests import Request

from .config import MockConfig
from .documents import Document
from .services import Services
from .spec import Operation
from .typed_request import parse
from .validation import Upload

R = TypeVar("R")


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Ctx:
    mock: Services
    op: Operation
    org: str
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any
    files: dict[str, Upload]
    media_type: str | None
    # the JSON documents held in string fields, parsed at the edge (documents.read_request)
    documents: dict[str, Document] = field(default_factory=dict)
    # The base URL is derived from the request only when a handler needs it (URLs in bodies).
    request: Request | None = None
    _base_url: str | None = None
    # the caller's api_token (webhook deliveries are signed with a key derived from it)
    token: str = ""

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            self._base_url = (
                base_url_of(self.request, self.mock.config)
                if self.request is not None
                else self.mock.config.public_base_url or "http://localhost/"
            )
        return self._base_url

    def parse(self, kind: type[R]) -> R:
        """The body read into its domain's typed request ``kind`` (``typed_request.parse``)."""
        body = self.body if isinstance(self.body, dict) else {}
        return parse(kind, body, self.documents, self.files)

    def parse_query(self, kind: type[R]) -> R:
        """The query read into the typed request ``kind``."""
        return parse(kind, self.query)

    def parse_path(self, kind: type[R]) -> R:
        """The path parameters (already of their declared types) read into ``kind``."""
        return parse(kind, self.path)

    def signed(self, artefact: str, now: float) -> str:
        return self.mock.signed_url(self.base_url, artefact, now)


def base_url_of(request: Request, config: MockConfig) -> str:
    """``--public-url``, else the address the server listens on — never the client's Host header,
    which a caller could set to make the mock hand out URLs pointing anywhere."""
    if config.public_base_url:
        return config.public_base_url
    server = request.scope.get("server")
    if not server or server[1] is None:
        return "http://localhost/"
    host, port = str(server[0]), int(server[1])
    if ":" in host:
        host = f"[{host}]"
    scheme = "https" if request.scope.get("scheme") == "https" else "http"
    default = 443 if scheme == "https" else 80
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return f"{scheme}://{host}{'' if port == default else f':{port}'}{root}/"


Handler = Callable[[Ctx], Reply | Awaitable[Reply]]
HANDLERS: dict[str, Handler] = {}


def operation(operation_id: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if operation_id in HANDLERS:
            raise RuntimeError(f"two handlers for {operation_id}")
        HANDLERS[operation_id] = fn
        return fn

    return register
