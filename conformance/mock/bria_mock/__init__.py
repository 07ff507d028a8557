"""A stateful mock of Bria's Tailored Generation API that enforces the documented rules.

``create_app(MockConfig(...))`` returns a Starlette ASGI app (use it in-process with
``httpx.ASGITransport``); ``bria-mock`` serves it over HTTP. See docs/mock.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .config import MockConfig

__all__ = ["MockConfig", "create_app"]


def __getattr__(name: str) -> Any:
    # pytest imports bria_mock.pytest_plugin in every run of a project that installs the mock;
    # the package stays empty until used, so a run that requests no fixture pays nothing.
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "MockConfig":
        from .config import MockConfig

        return MockConfig
    raise AttributeError(f"module 'bria_mock' has no attribute {name!r}")
